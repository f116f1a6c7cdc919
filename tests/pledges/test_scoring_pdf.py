"""The printed ranking, "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA": its text in the PDF (pypdf) and in the Word
file — the title, the units in rank order with their scores in Vietnamese number format, the notes of the
units not ranked or joined during the year, the chair's signature block in the bloc's words (Khối or Cụm) —
what an unknown value leaves blank, and which rankings print at all."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs.models import Bloc
from documents.render import date_line
from pledges.scoring.models import Ranking
from pledges.scoring.printing import ranking_content, ranking_docx, ranking_pdf
from pledges.scoring.selectors import ranking_stored
from pledges.scoring.services import (
    DirectEntry,
    ranking_enter_directly,
    ranking_finalise,
    ranking_reopen,
    scoring_open,
    sheet_submit,
)
from tests.fixtures.scoring import fill, scored

from ..conftest import YEAR
from ..documents import format_check as check
from ..factories import MembershipFactory, UnitFactory
from ..roles import NOT_FOUND, OK

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"−?[0-9]+(,[0-9]+)?")
# The rows as finalised below, in rank order, then the units not ranked in protocol order.
IN_ORDER = [
    ("Ủy ban Mặt trận", "80", "78,5", "1"),
    ("Hội Liên hiệp", "78,5", "78,5", "1"),
    ("Tỉnh đoàn", "75", "75", "3"),
    ("Liên đoàn Lao", "80", "72,25", "4"),
    ("Hội Nông dân", "80", "", ""),
    ("Hội Cựu chiến", "", "", ""),  # a sheet never submitted has no self total to print, not a 0
]


@pytest.fixture
def final(bloc, table, units, heads, users) -> Ranking:
    """2021 finalised: the chair's unit (78,5 after review) and the member (78,5) share rank 1, the youth
    union that joined in 2021 is third (75), the vice-chair's unit fourth (72,25 after review); the farmers
    submitted but were not reviewed, the veterans never submitted."""
    joiner = UnitFactory(council=bloc.council, code="DTN", name="Tỉnh đoàn")
    MembershipFactory(bloc=bloc, unit=joiner, first_year=YEAR, display_order=9)
    opened = scoring_open(table=table, by=users["chair"])
    sheets = {sheet.unit_id: sheet for sheet in opened.sheets.all()}
    scored(sheets[units["chair_unit"].pk], review={"c1": "18.5"})
    scored(sheets[units["member_unit"].pk], {"penalty": "-1.5"})
    scored(sheets[joiner.pk], {"c3": "20"})
    scored(sheets[units["vice_unit"].pk], review={"c2": "22.25"})
    fill(sheets[units["farmers"].pk], {})
    sheet_submit(sheet=sheets[units["farmers"].pk], by=None)
    ranking_finalise(table=opened, by=users["chair"])
    return ranking_stored(bloc, YEAR)


def pdf_of(ranking: Ranking) -> check.PdfDocument:
    bloc = Bloc.objects.select_related("council").get(pk=ranking.bloc_id)
    return check.PdfDocument(ranking_pdf(ranking=ranking, bloc=bloc))


def text_of(doc: check.PdfDocument) -> str:
    return check.collapse(" ".join(line.text for line in doc.lines()))


def docx_text(data: bytes) -> str:
    return check.collapse(check.DocxDocument(data).text().replace("\n", " "))


def row_lines(doc: check.PdfDocument) -> list[str]:
    """The table's lines that start a unit's row (a name may wrap onto the next line), top to bottom."""
    starts = [name for name, *_rest in IN_ORDER]
    return [line.text for line in doc.lines() if any(start in line.text for start in starts)]


def test_the_pdf_prints_the_title_the_units_in_rank_order_and_their_scores(final, bloc):
    doc = pdf_of(final)
    text = text_of(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "KHỐI THI ĐUA CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA" in text and "Năm 2021" in text
    assert "Số:" not in text  # a table of results takes no number
    assert date_line("An Giang", timezone.localdate(final.finalised_at)) in text
    assert "TT Tên đơn vị Điểm tự chấm Điểm thẩm định Xếp hạng Ghi chú" in text
    lines = row_lines(doc)
    assert len(lines) == len(IN_ORDER)
    for order, (line, (name, own, review, rank)) in enumerate(zip(lines, IN_ORDER, strict=True), start=1):
        assert line.startswith(f"{order} {name}"), line
        numbers = [word for word in line.split(name, 1)[1].split() if NUMBER.fullmatch(word)]
        assert numbers == [value for value in (own, review, rank) if value], line
    assert "Không xếp hạng: phiếu chưa được thẩm định" in text
    assert "Không xếp hạng: phiếu chưa gửi" in text
    assert "Tham gia khối từ năm 2021" in text
    assert "Tổng số: 6 đơn vị, trong đó 4 đơn vị được xếp hạng." in text
    assert "Khi bằng điểm: bằng điểm thì đồng hạng." in text


def test_the_pdf_is_signed_by_the_chair_of_the_year_in_the_blocs_words(final, bloc):
    text = text_of(pdf_of(final))
    assert "TM. KHỐI THI ĐUA" in text and "KHỐI TRƯỞNG" in text and "Trần Thị Bích Vân" in text
    assert "CỤM" not in text

    Bloc.objects.filter(pk=bloc.pk).update(kind=Bloc.Kind.CLUSTER)
    text = text_of(pdf_of(final))
    assert "TM. CỤM THI ĐUA" in text and "CỤM TRƯỞNG" in text and "Trần Thị Bích Vân" in text
    assert "Tham gia cụm từ năm 2021" in text
    assert "KHỐI TRƯỞNG" not in text


def test_a_ranking_entered_directly_prints_what_was_entered_and_nothing_invented(bloc, units, heads, users):
    """2020 has no seats (no chair to sign) and its ranking was decided outside the portal on a day the portal
    does not know: no signature block, the date line left blank; no score was entered: no score column."""
    ranking_enter_directly(
        bloc=bloc,
        year=YEAR - 1,
        entries=[DirectEntry(units["vice_unit"].pk, 1), DirectEntry(units["chair_unit"].pk, 2)],
        note="Theo biên bản hội nghị tổng kết ngày 15/01/2021.",
        by=users["officer"],
    )
    ranking = ranking_stored(bloc, YEAR - 1)
    text = text_of(pdf_of(ranking))
    assert "Năm 2020" in text
    assert "An Giang, ngày tháng năm" in text
    assert "TM. KHỐI THI ĐUA" not in text and "KHỐI TRƯỞNG" not in text
    assert "TT Tên đơn vị Xếp hạng Ghi chú" in text and "Điểm" not in text.split("Ghi chú", 1)[0]
    assert "Không xếp hạng: chưa nhập thứ hạng" in text
    assert "Theo biên bản hội nghị tổng kết ngày 15/01/2021." in text
    assert "Khi bằng điểm" not in text
    content = ranking_content(ranking=ranking, bloc=bloc)
    assert content.date is None and content.signature_right is None


def test_a_direct_rankings_scores_are_printed_where_entered(bloc, units, users):
    ranking_enter_directly(
        bloc=bloc,
        year=YEAR - 1,
        entries=[DirectEntry(units["vice_unit"].pk, 1, "96,75"), DirectEntry(units["chair_unit"].pk, 2)],
        by=users["officer"],
    )
    text = text_of(pdf_of(ranking_stored(bloc, YEAR - 1)))
    assert "TT Tên đơn vị Điểm Xếp hạng Ghi chú" in text and "96,75" in text


def test_the_word_file_says_what_the_pdf_says(final, bloc):
    bloc = Bloc.objects.select_related("council").get(pk=bloc.pk)
    content = ranking_content(ranking=final, bloc=bloc)
    docx = docx_text(ranking_docx(ranking=final, bloc=bloc))
    pdf = text_of(pdf_of(final))
    texts = [content.doc_type, content.subject, date_line("An Giang", content.date)]
    texts += [cell for block in content.blocks for row in block.rows for cell in row if cell.strip()]
    texts += [block.text for block in content.blocks if block.text]
    texts += [*content.signature_right.roles, content.signature_right.name]
    assert "Trần Thị Bích Vân" in texts and "78,5" in texts
    for text in texts:
        assert check.collapse(text.replace("\n", " ")) in docx, text
        assert all(word in pdf for word in text.split()), text
    assert "Số:" not in docx


# The views: a final ranking prints; a reopened one and a year without one do not -------------------------


def urls(bloc, year: int = YEAR) -> dict[str, str]:
    return {name: reverse(f"scoring:{name}", args=[bloc.pk, year]) for name in ("ranking_pdf", "ranking_docx")}


def test_the_files_are_named_by_the_year_the_bloc_and_the_day(client_as, final, bloc):
    client = client_as("member")
    day = timezone.localdate(final.finalised_at).strftime("%Y%m%d")
    pdf = client.get(urls(bloc)["ranking_pdf"])
    assert pdf.status_code == OK and pdf["Content-Type"] == "application/pdf"
    assert f"KQ-2021-KTD6-{day}.pdf" in pdf["Content-Disposition"]
    docx = client.get(urls(bloc)["ranking_docx"])
    assert docx.status_code == OK and f'attachment; filename="KQ-2021-KTD6-{day}.docx"' == docx["Content-Disposition"]
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA" in docx_text(docx.content)


def test_a_reopened_ranking_is_not_printed_but_its_sheet_is_given(client_as, final, bloc, users):
    ranking_reopen(ranking=final, reason="Đơn vị đề nghị chấm lại", by=users["officer"])
    client = client_as("officer")
    for name, url in urls(bloc).items():
        assert client.get(url).status_code == NOT_FOUND, name
    assert client.get(reverse("scoring:ranking_xlsx", args=[bloc.pk, YEAR])).status_code == OK


def test_a_year_without_a_stored_ranking_has_no_files(client_as, table, bloc, users):
    client = client_as("officer")
    for name in ("ranking_pdf", "ranking_docx", "ranking_xlsx"):
        assert client.get(reverse(f"scoring:{name}", args=[bloc.pk, YEAR])).status_code == NOT_FOUND, name
