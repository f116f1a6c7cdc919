"""Transitional re-exports for modules that still import awards test helpers from here (no tests here).

The awards fixtures live in ``tests/fixtures/awards.py``, a plugin ``tests/conftest.py`` registers, so a
test names them as parameters and imports nothing; import the helpers (PDF_BYTES, pdf_file, ballot, ...)
from ``tests.fixtures.awards``. Delete this module once no module imports it.
"""

import pytest

from awards.catalogue import (  # noqa: F401  (re-exported)
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    PROVINCIAL_FLAG,
    THEMATIC_CERTIFICATE,
)

from .fixtures.awards import (  # noqa: F401  (re-exported; the fixtures for modules that import them by name)
    ACCLAIMED,
    PDF_BYTES,
    awards,
    ballot,
    collapse,
    pdf_file,
    pdf_upload,
    proposal,
    reload,
    rule,
    walk,
)


# A module that imports these two by name gets them as it always did, autouse: they ask for the opt-in
# fixtures of the same name (a module-level fixture may request the plugin's one it overrides).
@pytest.fixture(autouse=True, name="english")
def english(english):
    yield


@pytest.fixture(autouse=True, name="awards_checks_only")
def awards_checks_only(awards_checks_only):
    yield
