"""The printed pledge: text blocks checked in the extracted text (pypdf, NFC, white
space collapsed), A4 pages, the number ("…/GU-" until final), the draft mark, and signature blocks that
stay whole on one page even for a 40-member bloc."""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pledges.printing import pledge_document_context, pledge_pdf_render, roman, subject_line
from pledges.services import pledge_pdf_issue, pledge_signatures_record, pledge_signing_open

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..fixtures.pledges import HEADS, SIGNING_DAY, head_signs, make_draft

pytestmark = pytest.mark.django_db


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [collapse(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def assert_a4(pdf: bytes) -> None:
    for page in PdfReader(BytesIO(pdf)).pages:
        assert abs(float(page.mediabox.width) - 595.3) <= 1 and abs(float(page.mediabox.height) - 841.9) <= 1


def test_roman_numerals_and_subject_line():
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14)] == ["I", "II", "III", "IV", "IX", "XIV"]
    assert subject_line("Giao ước thi đua năm 2021") == "Năm 2021"
    assert subject_line("Kế hoạch chung") == "Kế hoạch chung"


def test_draft_pdf_has_the_title_text_every_member_and_no_number(client_as, drafting, units):
    response = client_as("member").get(reverse("pledges:pledge_pdf", args=[drafting.pledge.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_a4(pdf)
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: …/GU-KTĐ6" in text
    assert "GIAO ƯỚC THI ĐUA" in text and "Năm 2021" in text
    assert "KHỐI THI ĐUA CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI" in text
    assert "An Giang, ngày 29 tháng 12 năm 2020" in text
    for heading in ("I. Mục tiêu", "II. Nội dung giao ước", "III. Tổ chức thực hiện"):
        assert heading in text
    assert "1. Phát triển hội viên tăng ít nhất 2% so với năm 2020." in text
    for key in HEADS:
        assert upper(units[key].name) in text  # a block for every member, before signing opens too
    assert "Sở Nội vụ" not in text and "SỞ NỘI VỤ" not in text
    # Nobody signed: every name line is blank, for a signature by hand.
    for _title, name in HEADS.values():
        assert name not in text
    # "DỰ THẢO" while the text may change.
    assert all("DỰ THẢO" in page for page in page_texts(pdf))


def test_the_copy_to_sign_has_signed_names_blank_blocks_and_no_draft_mark(signing, units, users):
    head_signs(
        signing,
        unit=units["member_unit"],
        by=users["member"],
        signatory_name="Phạm Thị Hoa",
        signatory_title="Phó Chủ tịch",
    )
    pdf = pledge_pdf_render(version=signing)
    text = pdf_text(pdf)
    assert "Số: …/GU-KTĐ6" in text
    assert "DỰ THẢO" not in text
    assert "HỘI LIÊN HIỆP PHỤ NỮ TỈNH PHÓ CHỦ TỊCH Phạm Thị Hoa" in text
    assert "Trần Thị Bích Vân" not in text  # the chair's unit has not signed: its block waits for a hand
    assert upper("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh") + " CHỦ TỊCH" in text


def test_final_pdf_has_its_number_and_every_signatory(final, users):
    document = pledge_pdf_issue(version=final, by=users["chair"])
    with document.file.open("rb") as handle:
        pdf = handle.read()
    assert_a4(pdf)
    text = pdf_text(pdf)
    assert "Số: 01/GU-KTĐ6" in text and "…/GU" not in text
    assert "DỰ THẢO" not in text
    for _title, name in HEADS.values():
        assert name in text
    for signatory in final.signatories.all():
        assert f"{upper(signatory.unit_name)} {upper(signatory.signatory_title)} {signatory.signatory_name}" in text
    assert "Giao ước này được ký kết tại Hội trường Ủy ban MTTQ tỉnh, ngày 29 tháng 12 năm 2020" in text


def test_a_forty_member_pledge_keeps_every_signature_block_whole(bloc, units, seats, users, heads):
    for n in range(35):
        unit = UnitFactory(
            council=bloc.council,
            name=f"Sở Thử nghiệm số {n + 1:02d}",
            head_title="Giám đốc",
            head_name=f"Nguyễn Văn Mẫu {n + 1:02d}",
        )
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=10 + n)
    version = make_draft(bloc, by=users["officer"])
    version = pledge_signing_open(version=version, by=users["chair"])
    pledge_signatures_record(version=version, signed_on=SIGNING_DAY, by=users["chair"])
    version.refresh_from_db()
    pdf = pledge_pdf_render(version=version, number_text="01/GU-KTĐ6")
    pages = page_texts(pdf)
    assert len(pages) >= 4
    assert_a4(pdf)
    signatories = list(version.signatories.order_by("position"))
    assert len(signatories) == 40
    for signatory in signatories:
        unit_pages = [i for i, page in enumerate(pages) if upper(signatory.unit_name) in page]
        name_pages = [i for i, page in enumerate(pages) if signatory.signatory_name in page]
        assert len(unit_pages) == 1 and unit_pages == name_pages, (signatory.unit_name, unit_pages, name_pages)
        # Unit, title and name read as one block on that page.
        block = f"{upper(signatory.unit_name)} {upper(signatory.signatory_title)} {signatory.signatory_name}"
        assert block in pages[unit_pages[0]], signatory.unit_name
    # Page numbers from page 2 on (the base template), and the blocks in protocol order.
    text = " ".join(pages)
    positions = [text.find(s.signatory_name) for s in signatories]
    assert positions == sorted(positions)


def test_context_of_a_draft_lists_the_years_members(drafting):
    context = pledge_document_context(version=drafting)
    assert [block.unit_name for block in context["blocks"]][:2] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Liên đoàn Lao động tỉnh",
    ]
    assert all(len(row) <= 2 for row in context["block_rows"]) and len(context["block_rows"]) == 3
    assert context["draft"] is True and context["number_text"] == "…/GU-KTĐ6"


def test_a_draft_without_signing_date_leaves_the_date_blank(bloc, units, seats, users):
    version = make_draft(bloc, year=YEAR + 1, by=users["officer"], signing_date=None)
    text = pdf_text(pledge_pdf_render(version=version))
    assert "An Giang, ngày tháng năm" in text
