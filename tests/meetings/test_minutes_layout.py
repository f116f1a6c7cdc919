"""The minutes waste no space at the foot of a page (measured with pypdf, as ``tests/documents/format_check``
measures the state format): where a page starts with body text, the page before ends at most about three
lines above the bottom margin; where it starts with a heading or a list's lead-in note, the blank is what
that line and the lines it keeps with it (the first paragraph or list line, which never leaves a single
line behind or ahead) would have needed. A statement that stands alone ("3. Chủ tọa Hội nghị: …", style
"bold") pulls nothing along.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from documents.content import DocumentContent
from documents.render import content_pdf
from meetings.models import MinutesVersion
from meetings.printing import version_content, version_number_text

from ..documents import format_check as check

pytestmark = pytest.mark.django_db

LINE_MM = 14 * 1.3 * 25.4 / 72  # a 14 pt body line at line-height 1.3: 6.4 mm
TOP_MM = check.MARGINS_MM["top"][0]
BOTTOM_MM = check.A4_MM[1] - check.MARGINS_MM["bottom"][0]
PARAGRAPH_GAP_MM = LINE_MM + 1  # lines of one paragraph are a line apart; paragraphs 6 pt more


KEEPING = ("heading", "subheading", "note")  # the styles that stay on the page of what follows them


@dataclass
class Printed:
    content: DocumentContent
    pdf: check.PdfDocument

    def keeps_with_next(self, line: check.Line) -> bool:
        """Whether ``line`` starts a block that keeps with the next (a heading, a subheading, a list's lead-in
        note); a "bold" statement ("3. Chủ tọa Hội nghị: …") keeps nothing with it."""
        text = check.collapse(line.text).removeprefix("- ")
        styles = {block.style for block in self.content.blocks if text and check.collapse(block.text).startswith(text)}
        return bool(styles) and styles <= set(KEEPING)


@pytest.fixture(scope="module")
def demo_minutes(django_db_setup, django_db_blocker) -> dict[str, Printed]:
    """The demo's minutes as printed (each final version's content), rendered once."""
    from blocs.demo import load_demo

    found = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        versions = MinutesVersion.objects.select_related("minutes__meeting__bloc", "document").order_by("pk")
        for version in versions:
            meeting = version.minutes.meeting
            content = version_content(version, meeting)
            pdf = content_pdf(content, number_text=version_number_text(version, content))
            found[f"{meeting.bloc.code} {meeting.year}"] = Printed(content, check.PdfDocument(pdf))
        transaction.set_rollback(True)
    return found


def _body_lines(doc: check.PdfDocument, page: int) -> list[check.Line]:
    """A page's lines without the page number in the top margin."""
    return [line for line in doc.lines(page) if not (line.y < TOP_MM and line.text.strip().isdigit())]


def _kept_chain_mm(printed: Printed, lines: list[check.Line]) -> float:
    """The height of the lines at the top of a page that keep with what follows, and the first paragraph or
    list line they keep with them."""
    index = 0
    while index + 1 < len(lines) and printed.keeps_with_next(lines[index]):
        index += 1
    while index + 1 < len(lines) and lines[index + 1].y - lines[index].y < PARAGRAPH_GAP_MM:
        index += 1
    return lines[index].y - lines[0].y + LINE_MM


def page_breaks(printed: Printed) -> list[tuple[int, float, check.Line, float]]:
    """(page, blank above the bottom margin in mm, the next page's first line, the kept chain's height)."""
    doc, breaks = printed.pdf, []
    for page in range(1, doc.page_count):
        here, after = _body_lines(doc, page), _body_lines(doc, page + 1)
        breaks.append((page, BOTTOM_MM - here[-1].y, after[0], _kept_chain_mm(printed, after)))
    return breaks


def test_the_demo_prints_minutes_of_more_than_one_page(demo_minutes):
    assert {"KTĐ6 2020", "KCQTU 2021"} <= set(demo_minutes)
    assert all(printed.pdf.page_count >= 2 for printed in demo_minutes.values())


def test_a_page_followed_by_body_text_ends_at_most_three_lines_above_the_margin(demo_minutes):
    checked = 0
    for name, printed in demo_minutes.items():
        for page, blank, first, _chain in page_breaks(printed):
            if not printed.keeps_with_next(first):
                checked += 1
                assert blank <= 3 * LINE_MM, f"{name}: page {page} ends {blank:.1f} mm above the margin"
    assert checked  # the demo has such a break (KTĐ6 2020, page 1)


def test_a_page_followed_by_a_heading_leaves_only_what_the_heading_keeps_with_it(demo_minutes):
    for name, printed in demo_minutes.items():
        for page, blank, first, chain in page_breaks(printed):
            if printed.keeps_with_next(first):
                # The chain did not fit: the blank is less than its height and one line of margins.
                assert blank < chain + LINE_MM, f"{name}: page {page}: {blank:.1f} mm blank before {first.text!r}"
