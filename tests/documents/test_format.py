"""Every kind of document the demo prints, as PDF and as Word, measured against the state format
(docs/architecture.md, "Documents"; the rules are in ``format_check``).

The documents are built and rendered once per test worker, from the demo loaded inside a transaction that
is rolled back, so the database the other tests see stays empty; each test then measures one rule of one
file.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction

from documents.header import header_layout

from . import format_check as check
from . import samples as samples_package
from .samples import Sample

# The mark makes pytest-django set up the test database before the session fixture below reads it.
pytestmark = pytest.mark.django_db


# Each app's documents, one module per app in tests/documents/samples/.
SAMPLE_MODULES = [
    importlib.import_module(f"{samples_package.__name__}.{info.name}")
    for info in pkgutil.iter_modules(samples_package.__path__)
]
KINDS = [kind for module in SAMPLE_MODULES for kind in module.KINDS]


@pytest.fixture(scope="session")
def samples(django_db_setup, django_db_blocker) -> dict[str, Sample]:
    from blocs.demo import load_demo

    found: dict[str, Sample] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        for module in SAMPLE_MODULES:
            found.update(module.build())
        transaction.set_rollback(True)
    return found


def _sample(samples: dict[str, Sample], kind: str) -> Sample:
    assert kind in samples, f"the demo printed no {kind}; it printed {sorted(samples)}"
    return samples[kind]


def _expected_issuer_lines(sample: Sample) -> list[str]:
    return [line.text for line in header_layout(sample.content.header)]


PDF_RULES: dict[str, Callable[[Sample], list[str]]] = {
    "A4": lambda s: check.pdf_a4(s.pdf, landscape=s.content.landscape),
    "margins": lambda s: check.pdf_margins(s.pdf, landscape=s.content.landscape),
    "fonts embedded": lambda s: check.pdf_fonts_embedded(s.pdf),
    "national title on one line, bold, motto under it": lambda s: check.pdf_national_title(s.pdf),
    "date line italic on the row of Số": lambda s: check.pdf_number_and_date_row(s.pdf, numbered=s.content.numbered),
    "issuing-body lines whole": lambda s: check.pdf_issuer_lines(s.pdf, _expected_issuer_lines(s)),
    "signature blocks whole on one page": lambda s: check.pdf_signatures_whole(s.pdf, s.signatures),
    "no page holding only a signature": lambda s: check.pdf_no_signature_only_page(s.pdf, s.closing_texts),
    "page numbers from page 2": lambda s: check.pdf_page_numbers(s.pdf),
}
DOCX_RULES: dict[str, Callable[[Sample], list[str]]] = {
    "A4 and margins": lambda s: check.docx_page(s.docx, landscape=s.content.landscape),
    "Times New Roman": lambda s: check.docx_fonts(s.docx),
    "tables: fixed grid within the text": lambda s: check.docx_tables_consistent(s.docx),
    "header: title whole, Số on the date row, drawn rule": lambda s: check.docx_header(
        s.docx, numbered=s.content.numbered
    ),
    "issuing-body lines whole": lambda s: check.docx_issuer_lines(s.docx, _expected_issuer_lines(s)),
    "page numbers from page 2": lambda s: check.docx_page_numbers(s.docx),
    "rows never split, headings repeat": lambda s: check.docx_rows_keep_together(s.docx),
    "signatures keep with the body": lambda s: check.docx_signatures_with_body(s.docx, s.roles),
}


# The national header's rules hold for administrative documents; an annex (the proposal list) and a plain
# document (the news draft) print no national header, which ``no national header`` checks instead.
HEADER_RULES = {
    "national title on one line, bold, motto under it",
    "date line italic on the row of Số",
    "issuing-body lines whole",
    "header: title whole, Số on the date row, drawn rule",
}


def _applies(rule: str, sample: Sample) -> bool:
    return sample.content.national_header or rule not in HEADER_RULES


@pytest.mark.parametrize("rule", PDF_RULES)
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_follows_the_state_format(samples, kind, rule):
    sample = _sample(samples, kind)
    if not _applies(rule, sample):
        assert not sample.pdf.find(check.NATIONAL_TITLE), "an annex or plain document has no national header"
        return
    assert PDF_RULES[rule](sample) == []


@pytest.mark.parametrize("rule", DOCX_RULES)
@pytest.mark.parametrize("kind", KINDS)
def test_docx_follows_the_state_format(samples, kind, rule):
    sample = _sample(samples, kind)
    if not _applies(rule, sample):
        assert check.NATIONAL_TITLE not in sample.docx.text(), "an annex or plain document has no national header"
        return
    assert DOCX_RULES[rule](sample) == []


def test_pdf_and_docx_say_the_same(samples):
    """One content, two files: every body line of the content is in both."""
    for kind, sample in samples.items():
        pdf_text = check.collapse(" ".join(run.text for run in sample.pdf.runs))
        docx_text = check.collapse(sample.docx.text().replace("\n", " "))
        for block in sample.content.blocks:
            for text in [block.text] if block.style != "table" else [cell for row in block.rows for cell in row]:
                for line in text.split("\n"):
                    if line.strip():
                        assert check.collapse(line) in docx_text, (kind, line)
                        # The PDF breaks lines anywhere: compare its words, not its lines.
                        assert all(word in pdf_text for word in line.split()), (kind, line)


# The Word files as LibreOffice prints them: the same PDF rules, measured on what a second program laid
# out from the .docx alone (its grid, widths, flags and fonts), not on our own renderer.
LIBREOFFICE_RULES = list(PDF_RULES)


@pytest.fixture(scope="session")
def printed_by_libreoffice(samples, tmp_path_factory) -> dict[str, check.PdfDocument]:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Writer is missing: scripts/system-deps.sh test installs it"
    folder = tmp_path_factory.mktemp("libreoffice")
    names = {kind: f"document-{index}" for index, kind in enumerate(samples)}
    for kind, name in names.items():
        (folder / f"{name}.docx").write_bytes(samples[kind].docx_bytes)
    # A profile of its own per test worker: two LibreOffice processes never share one.
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(folder / f"{name}.docx") for name in names.values()],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(folder)},
    )
    return {kind: check.PdfDocument(Path(folder / f"{name}.pdf").read_bytes()) for kind, name in names.items()}


@pytest.mark.parametrize("rule", LIBREOFFICE_RULES)
@pytest.mark.parametrize("kind", KINDS)
def test_docx_printed_by_libreoffice_follows_the_state_format(samples, printed_by_libreoffice, kind, rule):
    sample = _sample(samples, kind)
    printed = sample.measured_on(printed_by_libreoffice[kind])
    if not _applies(rule, sample):
        assert not printed.pdf.find(check.NATIONAL_TITLE)
        return
    assert PDF_RULES[rule](printed) == []
