"""Every kind of document the demo prints, as PDF and as Word, measured against the state format
(docs/architecture.md, "Documents"; the rules are in ``format_check``).

The documents are built and rendered once per test worker, from the demo loaded inside a transaction that
is rolled back, so the database the other tests see stays empty; each test then measures one rule of one
file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import transaction

from documents.content import DocumentContent
from documents.docx import content_docx
from documents.header import header_layout
from documents.render import content_pdf

from . import format_check as check

# The mark makes pytest-django set up the test database before the session fixture below reads it.
pytestmark = pytest.mark.django_db

ISSUE_DAY = date(2021, 12, 28)


@dataclass
class Sample:
    content: DocumentContent
    number_text: str
    pdf: check.PdfDocument = field(init=False)
    docx: check.DocxDocument = field(init=False)

    def __post_init__(self) -> None:
        self.pdf = check.PdfDocument(content_pdf(self.content, number_text=self.number_text))
        self.docx = check.DocxDocument(content_docx(self.content, number_text=self.number_text))

    @property
    def signatures(self) -> list[tuple[str, ...]]:
        blocks = [self.content.signature_left, self.content.signature_right, *self.content.signature_grid]
        return [(*s.roles, *(d.upper() for d in s.details), s.name) for s in blocks if s]

    @property
    def closing_texts(self) -> list[str]:
        texts = [text for signature in self.signatures for text in signature]
        texts += ["Nơi nhận:", *self.content.recipients, self.content.signatures_heading]
        return [text for text in texts if text]

    @property
    def roles(self) -> list[str]:
        return [signature[0] for signature in self.signatures]


def _membership_lists() -> dict[str, Sample]:
    from blocs.models import Bloc
    from blocs.printing import membership_list_content

    samples = {}
    for name, code in (("membership list (khối)", "KTĐ6"), ("membership list (cụm)", "CHTP")):
        bloc = Bloc.objects.get(code=code)
        year = bloc.council.current_year
        samples[name] = Sample(membership_list_content(bloc=bloc, year=year, today=ISSUE_DAY), "…/DS-" + code)
    return samples


def _minutes() -> dict[str, Sample]:
    from meetings.models import MinutesVersion
    from meetings.printing import version_content, version_number_text

    samples = {}
    versions = MinutesVersion.objects.filter(minutes__meeting__bloc__code__in=["KTĐ6", "CHTP", "KCQTU"])
    for version in versions.select_related("minutes__meeting__bloc", "document").order_by("pk"):
        meeting = version.minutes.meeting
        key = f"minutes ({meeting.bloc.code} {meeting.year})"
        if key not in samples:
            content = version_content(version, meeting)
            samples[key] = Sample(content, version_number_text(version, content))
    return samples


# Each app's documents, built from the demo. A new printed document adds its builder here.
BUILDERS: list[Callable[[], dict[str, Sample]]] = [_membership_lists, _minutes]
KINDS = ["membership list (khối)", "membership list (cụm)", "minutes (KTĐ6 2020)", "minutes (KCQTU 2021)"]


@pytest.fixture(scope="session")
def samples(django_db_setup, django_db_blocker) -> dict[str, Sample]:
    from blocs.demo import load_demo

    found: dict[str, Sample] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        for build in BUILDERS:
            found.update(build())
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


@pytest.mark.parametrize("rule", PDF_RULES)
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_follows_the_state_format(samples, kind, rule):
    assert PDF_RULES[rule](_sample(samples, kind)) == []


@pytest.mark.parametrize("rule", DOCX_RULES)
@pytest.mark.parametrize("kind", KINDS)
def test_docx_follows_the_state_format(samples, kind, rule):
    assert DOCX_RULES[rule](_sample(samples, kind)) == []


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
