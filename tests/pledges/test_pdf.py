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
from pypdf.generic import ArrayObject, ContentStream

from pledges.printing import (
    draft_number_text,
    pledge_content,
    pledge_pdf_render,
    roman,
    signature_blocks,
    subject_line,
)
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
    # Nobody signed yet, and every block already has its head's typed name under the space to sign.
    for key, (title, name) in HEADS.items():
        assert f"{upper(units[key].name)} {upper(title)} {name}" in text
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
    # The chair's unit has not signed: its block waits for a hand, with its head's name typed under it.
    assert upper("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh") + " CHỦ TỊCH Trần Thị Bích Vân" in text


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


def test_content_of_a_draft_lists_the_years_members(drafting):
    content = pledge_content(version=drafting)
    assert [signature.roles for signature in content.signature_grid][:2] == [
        [upper("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")],
        [upper("Liên đoàn Lao động tỉnh")],
    ]
    assert len(content.signature_grid) == 5  # two per row: three rows
    assert content.signatures_heading == "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ GIAO ƯỚC"
    assert drafting.is_drafting and draft_number_text(drafting) == "…/GU-KTĐ6"


def test_a_draft_without_signing_date_leaves_the_date_blank(bloc, units, seats, users):
    version = make_draft(bloc, year=YEAR + 1, by=users["officer"], signing_date=None)
    text = pdf_text(pledge_pdf_render(version=version))
    assert "An Giang, ngày tháng năm" in text


# Measuring the PDF: where each run of text ends on the page ------------------------------------------

# The right edge of the text area: A4 with a 30 mm left and a 15 mm right margin, 195 mm from the left.
TEXT_RIGHT_EDGE_PT = 195 / 25.4 * 72


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product a × b of two PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _cid_widths(font) -> tuple[dict[int, float], float]:
    """A WeasyPrint font (Type0, two-byte CIDs): its glyph widths in 1/1000 em from /W, and /DW."""
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], ArrayObject):  # first [w1 w2 …]
            widths.update({first + k: float(value) for k, value in enumerate(w[i + 1])})
            i += 2
        else:  # first last w
            widths.update(dict.fromkeys(range(first, int(w[i + 1]) + 1), float(w[i + 2])))
            i += 3
    return widths, float(descendant.get("/DW", 1000))


def text_runs(pdf: bytes) -> list[list[tuple[float, float, float]]]:
    """Per page, every text-showing operator's run as (x start, x end, y) in points on the page.

    The content stream is read with pypdf and the text state followed as a viewer does (the current
    transformation matrix through q/Q/cm, the text matrix through BT/Tm/Td/TD/T*, Tf, Tc, Tz); a run's
    end is the farthest pen position of its glyphs, their advance widths taken from the font's /W, so a
    kerning step back never shortens it.
    """
    reader = PdfReader(BytesIO(pdf))
    pages = []
    for page in reader.pages:
        fonts = {str(name): ref.get_object() for name, ref in page["/Resources"]["/Font"].items()}
        widths: dict[str, tuple[dict[int, float], float]] = {}
        identity = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        ctm, stack = identity, []
        tm = line = identity
        font: tuple[dict[int, float], float] = ({}, 1000.0)
        size = char_spacing = leading = 0.0
        scale = 1.0
        runs = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _multiply([float(x) for x in operands], ctm)
            elif operator == b"BT":
                tm = line = identity
            elif operator == b"Tm":
                tm = line = [float(x) for x in operands]
            elif operator in (b"Td", b"TD"):
                if operator == b"TD":
                    leading = -float(operands[1])
                tm = line = _multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], line)
            elif operator == b"T*":
                tm = line = _multiply([1, 0, 0, 1, 0, -leading], line)
            elif operator == b"TL":
                leading = float(operands[0])
            elif operator == b"Tc":
                char_spacing = float(operands[0])
            elif operator == b"Tz":
                scale = float(operands[0]) / 100
            elif operator == b"Tf":
                name, size = str(operands[0]), float(operands[1])
                font = widths.setdefault(name, _cid_widths(fonts[name]))
            elif operator in (b"Tj", b"TJ"):
                items = operands[0] if operator == b"TJ" else [operands[0]]
                pen = farthest = 0.0
                for item in items:
                    if isinstance(item, (int, float)):
                        pen -= float(item) / 1000 * size * scale
                        continue
                    raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    for j in range(0, len(raw) - 1, 2):
                        glyph = raw[j] << 8 | raw[j + 1]
                        pen += (font[0].get(glyph, font[1]) / 1000 * size + char_spacing) * scale
                        farthest = max(farthest, pen)
                start = _multiply(tm, ctm)
                end = _multiply([1, 0, 0, 1, farthest, 0], start)
                runs.append((start[4], end[4], end[5]))
                tm = _multiply([1, 0, 0, 1, pen, 0], tm)
        pages.append(runs)
    return pages


# A title pasted with its words run together: one "word" longer than the text area is wide.
LONG_TITLE = (
    "Giao ước thi đua năm 2021 của Khối thi đua các tổ chức chính trị - xã hội tỉnh về "
    "Đẩymạnhphongtràothiđuayêunướchoànthànhxuấtsắcnhiệmvụchínhtrịvàpháttriểnkinhtếxãhộinăm2021 "
    "và các năm tiếp theo"
)


def test_a_very_long_title_wraps_inside_the_text_area(bloc, units, seats, users, heads):
    version = make_draft(bloc, by=users["officer"])
    version.title = LONG_TITLE
    version.sections.filter(position=1).update(heading=LONG_TITLE)
    version.save()
    pdf = pledge_pdf_render(version=version)
    text = pdf_text(pdf)
    # The whole title is printed (wrapped lines come back with a space between them), nothing cut off.
    assert subject_line(LONG_TITLE).replace(" ", "") in text.replace(" ", "")
    runs = [run for page in text_runs(pdf) for run in page]
    assert len(runs) > 20
    assert min(start for start, _end, _y in runs) >= 30 / 25.4 * 72 - 0.5  # the left margin holds too
    beyond = [(round(end / 72 * 25.4, 1), round(y)) for _start, end, y in runs if end > TEXT_RIGHT_EDGE_PT + 0.01]
    assert not beyond, f"text ends beyond 195 mm (mm, y): {beyond}"


def test_unsigned_blocks_print_the_heads_name_when_it_is_known_and_never_invent_one(signing, units, users):
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    # The head of the veterans' association was not known when signing opened; it is now.
    signing.signatories.filter(unit=units["veterans"]).update(signatory_name="")
    units["veterans"].head_name = "Đặng Văn Mười"
    units["veterans"].save()
    # Nobody knows who heads the farmers' association: the frozen name and the unit's are empty.
    signing.signatories.filter(unit=units["farmers"]).update(signatory_name="")
    units["farmers"].head_name = ""
    units["farmers"].save()
    text = pdf_text(pledge_pdf_render(version=signing))
    for key in ("chair_unit", "vice_unit"):  # not signed: the name frozen at the version
        title, name = HEADS[key]
        assert f"{upper(units[key].name)} {upper(title)} {name}" in text, key
    assert f"{upper(units['member_unit'].name)} CHỦ TỊCH Nguyễn Thị Kim Loan" in text  # signed
    assert f"{upper(units['veterans'].name)} CHỦ TỊCH Đặng Văn Mười" in text  # the unit's head now
    assert "Võ Văn Thành" not in text  # the farmers' former head is not printed from anywhere else
    blocks = {block.unit_name: block for block in signature_blocks(signing)}
    assert blocks[units["farmers"].name].name == "" and not blocks[units["farmers"].name].signed
    assert [block.signed for block in blocks.values()].count(True) == 1
