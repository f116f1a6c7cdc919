"""Kept only for the test modules that still import from here (they are listed in /work/team/NOTES.md):
the pledge fixtures are a pytest plugin, ``tests/fixtures/pledges.py``, which every module gets without an
import; its helpers are imported from there.
"""

from .fixtures.pledges import (  # noqa: F401  (re-exported for the modules that still import them from here)
    HEADS,
    PREAMBLE,
    SECTIONS,
    SIGNING_DAY,
    drafting,
    final,
    heads,
    make_draft,
    signing,
)

__all__: list[str] = []  # a star import brings no fixture: the plugin provides them
