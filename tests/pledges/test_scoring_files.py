"""The scoring files in Excel: the table out and back in (the round trip, the preview, the row errors in
Vietnamese, all or nothing, the refusals of an opened or scored table), the ranking out (read back with
openpyxl, a fixed number of queries), and the role matrix of every file view."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.scoring.imports import TableImportInvalid, scoring_table_import
from pledges.scoring.models import Criterion, Ranking, Score, ScoreSheet, ScoringGroup, ScoringTable
from pledges.scoring.selectors import ranking_stored
from pledges.scoring.services import (
    DirectEntry,
    criterion_add,
    group_add,
    ranking_enter_directly,
    ranking_finalise,
    ranking_reopen,
    scoring_open,
    scoring_table_create,
    sheet_submit,
)
from pledges.scoring.spreadsheets import ranking_xlsx, table_sheet_read, table_xlsx
from tests.fixtures.scoring import build_table, fill, scored

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..roles import FORBIDDEN, MANAGERS, OK, READERS, REDIRECT, ROLES, check_get, check_post, expect

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Nhóm, tiêu chí", "Loại", "Điểm tối đa", "Hướng dẫn chấm"]


def lines_of(table: ScoringTable) -> list[tuple]:
    """The table's active groups and criteria, in order, as they print."""
    groups = ScoringGroup.objects.filter(table=table, active=True).order_by("position", "id")
    return [
        (
            group.name,
            group.maximum,
            [
                (c.text, c.maximum, c.kind, c.guide)
                for c in group.criteria.filter(active=True).order_by("position", "id")
            ],
        )
        for group in groups
    ]


def upload(content: bytes, name: str = "bang-cham-diem.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def workbook_of(rows: list[list], *, title: str | None = "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2021") -> bytes:
    """A sheet as an officer makes it: a title line, the header row, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def read_lines(content: bytes):
    sheet = table_sheet_read(upload(content))
    assert sheet.issues == [], [issue.text for issue in sheet.issues]
    return sheet.lines


def issue_texts(content: bytes) -> list[str]:
    return [issue.text for issue in table_sheet_read(upload(content)).issues]


# The table out --------------------------------------------------------------------------------------------


def test_the_table_sheet_has_its_title_and_each_group_followed_by_its_criteria(table):
    c = Criterion.objects.get(group__table=table, text="Triển khai các phong trào thi đua")
    Criterion.objects.filter(pk=c.pk).update(guide="Đủ 3 phong trào: 30 điểm.\nThiếu mỗi phong trào trừ 10 điểm.")
    rows = rows_of(table_xlsx(table))
    assert rows[0][0] == "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2021"
    assert rows[1][0] == "Khối thi đua các tổ chức chính trị - xã hội"
    assert list(rows[3]) == HEADER
    assert rows[4:] == [
        ("I", "Công tác chuyên môn", "Nhóm", 50, None),
        ("1", "Hoàn thành chỉ tiêu được giao", "Cơ bản", 20, None),
        (
            "2",
            "Triển khai các phong trào thi đua",
            "Cơ bản",
            30,
            "Đủ 3 phong trào: 30 điểm.\nThiếu mỗi phong trào trừ 10 điểm.",
        ),
        ("II", "Công tác xây dựng tổ chức", "Nhóm", 30, None),
        ("1", "Phát triển hội viên", "Cơ bản", 25, None),
        ("2", "Sáng kiến nổi bật", "Thưởng", 5, None),
        ("3", "Chậm nộp báo cáo", "Trừ", 10, None),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(table))).worksheets[0]
    assert [sheet.cell(row=row, column=2).font.bold for row in range(4, 12)] == [
        True,
        True,
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_removed_lines_are_not_in_the_sheet(table):
    Criterion.objects.filter(group__table=table, text="Sáng kiến nổi bật").update(active=False)
    ScoringGroup.objects.filter(table=table, name="Công tác chuyên môn").update(active=False)
    texts = [row[1] for row in rows_of(table_xlsx(table))[4:]]
    assert texts == ["Công tác xây dựng tổ chức", "Phát triển hội viên", "Chậm nộp báo cáo"]


# The round trip ------------------------------------------------------------------------------------------


def test_what_the_export_writes_imports_back_unchanged(table, bloc, users):
    group = ScoringGroup.objects.get(table=table, name="Công tác chuyên môn")
    criterion_add(
        group=ScoringGroup.objects.create(table=table, position=3, name="Nhóm “đặc biệt” & <khác>", maximum="12.5"),
        text="=SUM(A1) không phải công thức\nDòng hai của tiêu chí",
        maximum="2.55",
        guide="Có minh chứng: 2,55 điểm.\n\nKhông có: 0 điểm.",
        by=None,
    )
    Criterion.objects.filter(group=group, position=1).update(guide="Đạt 100% chỉ tiêu.")
    before = lines_of(table)
    exported = table_xlsx(table)

    again = scoring_table_create(bloc=bloc, year=YEAR + 1, by=None)
    result = scoring_table_import(table=again, rows=read_lines(exported), by=users["chair"], confirmed=True)
    assert (result.groups, result.criteria) == (3, 6)
    assert lines_of(again) == before
    assert rows_of(table_xlsx(again))[3:] == rows_of(exported)[3:]

    # Into the same table: its lines are replaced by the same lines.
    scoring_table_import(table=table, rows=read_lines(exported), by=users["chair"], confirmed=True)
    assert lines_of(table) == before
    assert (
        Criterion.objects.get(group__table=table, text__startswith="=SUM").text
        == "=SUM(A1) không phải công thức\nDòng hai của tiêu chí"
    )


def test_the_import_is_recorded_in_the_history_by_the_user(table, users):
    rows = read_lines(workbook_of([["I", "Nhóm mới", "Nhóm", 10], ["1", "Tiêu chí mới", "Cơ bản", 10]]))
    scoring_table_import(table=table, rows=rows, by=users["vice_chair"], confirmed=True)
    group = ScoringGroup.objects.get(table=table)
    assert group.history.first().history_user == users["vice_chair"]
    assert ScoringGroup.history.filter(name="Công tác chuyên môn", history_type="-").exists()


def test_a_sheet_written_by_hand_is_read_with_its_kinds_and_numbers(table, users):
    content = workbook_of(
        [
            ["I", "Công tác chuyên môn", "nhóm tiêu chí", "40"],
            ["1", "Hoàn thành chỉ tiêu", "Điểm chuẩn", "25,5", "Đạt: 25,5 điểm"],
            ["2", "Sáng kiến", "điểm cộng", 2.5],
            ["3", "Vi phạm kỷ luật", "ĐIỂM TRỪ", -5],
        ],
        title="Bảng chấm điểm",
    )
    scoring_table_import(table=table, rows=read_lines(content), by=None, confirmed=True)
    assert lines_of(table) == [
        (
            "Công tác chuyên môn",
            Decimal("40.00"),
            [
                ("Hoàn thành chỉ tiêu", Decimal("25.50"), "base", "Đạt: 25,5 điểm"),
                ("Sáng kiến", Decimal("2.50"), "bonus", ""),
                ("Vi phạm kỷ luật", Decimal("5.00"), "penalty", ""),
            ],
        )
    ]


# The preview, the row errors, all or nothing ------------------------------------------------------------


def test_the_preview_checks_everything_and_saves_nothing(table, users):
    before = lines_of(table)
    rows = read_lines(workbook_of([["I", "Nhóm mới", "Nhóm", 10], ["1", "Tiêu chí mới", "Cơ bản", 10]]))
    result = scoring_table_import(table=table, rows=rows, by=users["chair"], confirmed=False)
    assert (result.groups_removed, result.criteria_removed, result.groups, result.criteria) == (2, 5, 1, 1)
    assert lines_of(table) == before


def test_each_bad_cell_is_named_by_its_row_and_column_in_vietnamese(table):
    content = workbook_of(
        [
            ["1", "Tiêu chí trước nhóm", "Cơ bản", 5],  # row 4
            ["I", "Nhóm", "Nhóm", "năm mươi"],  # row 5
            ["1", "Hai số lẻ", "Cơ bản", "2,555"],  # row 6
            ["2", "Loại lạ", "Điểm khuyến khích", 5],  # row 7
            ["3", "", "Cơ bản", 5],  # row 8
            ["4", "Không điểm", "Thưởng", 0],  # row 9
            ["5", "Thiếu điểm", "Trừ", None],  # row 10
            ["6", "Quá lớn", "Cơ bản", 1000],  # row 11
            ["II", "Nhóm có hướng dẫn", "Nhóm", 10, "Hướng dẫn"],  # row 12
        ]
    )
    assert issue_texts(content) == [
        "Dòng 4, cột Loại: tiêu chí phải nằm dưới nhóm của nó: đặt dòng của nhóm lên trên",
        "Dòng 5, cột Điểm tối đa: Nhập điểm bằng một con số.",
        "Dòng 6, cột Điểm tối đa: Điểm chỉ được có tối đa hai chữ số thập phân.",
        "Dòng 7, cột Loại: “Điểm khuyến khích” không phải là loại điểm; hãy ghi một trong “Nhóm”, “Cơ bản”, "
        "“Thưởng”, “Trừ”",
        "Dòng 8, cột Nhóm, tiêu chí: là bắt buộc",
        "Dòng 9, cột Điểm tối đa: Điểm tối đa phải lớn hơn 0.",
        "Dòng 10, cột Điểm tối đa: là bắt buộc",
        "Dòng 11, cột Điểm tối đa: Điểm tối đa không được vượt quá 999,99.",
        "Dòng 12, cột Hướng dẫn chấm: nhóm không có hướng dẫn chấm; hãy ghi hướng dẫn ở các tiêu chí của nhóm",
    ]


def test_a_sheet_without_the_columns_or_rows_says_so(table):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Tên", "Điểm số"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert issue_texts(buffer.getvalue()) == [
        "Trang tính đầu tiên thiếu các cột bắt buộc: Nhóm, tiêu chí, Loại, Điểm tối đa. "
        "Vui lòng dùng tiêu đề các cột theo biểu mẫu."
    ]
    assert issue_texts(workbook_of([])) == ["Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."]
    assert issue_texts(b"not a workbook") != []


def test_a_groups_base_criteria_beyond_its_maximum_refuse_the_row_and_nothing_is_saved(table, users):
    before = lines_of(table)
    content = workbook_of(
        [
            ["I", "Công tác chuyên môn", "Nhóm", 30],  # row 4
            ["1", "Tiêu chí một", "Cơ bản", 20],
            ["2", "Điểm thưởng không tính vào nhóm", "Thưởng", 20],
            ["3", "Tiêu chí hai", "Cơ bản", 15],  # row 7: 35 > 30
            ["II", "Nhóm tốt", "Nhóm", 10],
            ["1", "Tiêu chí tốt", "Cơ bản", 10],
        ]
    )
    with pytest.raises(TableImportInvalid) as error:
        scoring_table_import(table=table, rows=read_lines(content), by=users["chair"], confirmed=True)
    assert [issue.text for issue in error.value.issues] == [
        "Dòng 7, cột Điểm tối đa: Tổng điểm tối đa của các tiêu chí điểm chuẩn thuộc nhóm “Công tác chuyên môn” "
        "sẽ là 35, vượt điểm tối đa của nhóm là 30."
    ]
    assert lines_of(table) == before


def test_a_refused_group_reports_its_row_and_not_its_criteria(table, users):
    long_name = "Nhóm " + "rất dài " * 40
    content = workbook_of([["I", long_name, "Nhóm", 10], ["1", "Tiêu chí", "Cơ bản", 10]])
    texts = issue_texts(content)
    assert len(texts) == 1 and texts[0].startswith("Dòng 4, cột Nhóm, tiêu chí: dài 324 ký tự")


# Refusals ----------------------------------------------------------------------------------------------


def test_an_opened_table_is_not_replaced(open_table, users):
    before = lines_of(open_table)
    rows = read_lines(workbook_of([["I", "Nhóm", "Nhóm", 10]]))
    with pytest.raises(ValidationError) as error:
        scoring_table_import(table=open_table, rows=rows, by=users["chair"], confirmed=True)
    assert "không còn được thay bằng tệp Excel" in error.value.messages[0]
    assert lines_of(open_table) == before


def test_a_table_with_scores_is_not_replaced(table, units, users):
    sheet = ScoreSheet.objects.create(table=table, unit=units["member_unit"])
    Score.objects.create(sheet=sheet, criterion=Criterion.objects.filter(group__table=table).first(), self_points=1)
    with pytest.raises(ValidationError) as error:
        scoring_table_import(table=table, rows=read_lines(workbook_of([["I", "Nhóm", "Nhóm", 10]])), by=None)
    assert error.value.messages == ["Bảng chấm điểm năm 2021 đã có điểm: không còn được thay bằng tệp Excel."]


def test_a_final_years_table_is_not_replaced(table, bloc, units, users):
    ranking_enter_directly(bloc=bloc, year=YEAR, entries=[DirectEntry(units["chair_unit"].pk, 1)], by=users["officer"])
    before = lines_of(table)
    with pytest.raises(ValidationError) as error:
        scoring_table_import(table=table, rows=read_lines(workbook_of([["I", "Nhóm", "Nhóm", 10]])), by=None)
    assert "đã được chốt" in error.value.messages[0]
    assert lines_of(table) == before


# The import page --------------------------------------------------------------------------------------


def import_url(table) -> str:
    return reverse("scoring:table_import", args=[table.pk])


def test_upload_shows_the_preview_and_confirming_replaces_the_table(client_as, table):
    client = client_as("chair")
    content = workbook_of([["I", "Nhóm mới", "Nhóm", 10], ["1", "Tiêu chí mới\ncó hai dòng", "Thưởng", "2,5"]])
    page = client.post(import_url(table), {"file": upload(content)})
    assert page.status_code == OK
    html = page.content.decode()
    assert 'id="import-preview"' in html and "Nhóm mới" in html and "Tiêu chí mới<br>có hai dòng" in html
    assert "2,5" in html and "Thưởng" in html
    assert "Xác nhận sẽ thay 2 nhóm và 5 tiêu chí đang có của bảng." in html
    assert len(lines_of(table)) == 2  # nothing saved yet

    token = page.context["token"]
    response = client.post(import_url(table), {"token": token})
    assert response.status_code == REDIRECT
    assert response.url == reverse("scoring:scoring_detail", args=[table.bloc_id, YEAR])
    assert lines_of(table) == [
        ("Nhóm mới", Decimal("10.00"), [("Tiêu chí mới\ncó hai dòng", Decimal("2.50"), "bonus", "")])
    ]
    # The token is spent: confirming again writes nothing.
    again = client.post(import_url(table), {"token": token}, follow=True)
    assert "không còn chờ xác nhận" in again.content.decode()


def test_an_upload_with_problems_lists_them_and_saves_nothing(client_as, table):
    before = lines_of(table)
    page = client_as("officer").post(import_url(table), {"file": upload(workbook_of([["I", "Nhóm", "Nhóm", "x"]]))})
    html = page.content.decode()
    assert 'id="import-errors"' in html and "Dòng 4, cột Điểm tối đa: Nhập điểm bằng một con số." in html
    assert "token" not in page.context or not page.context["token"]
    assert lines_of(table) == before


def test_a_table_that_changed_since_the_preview_is_not_replaced(client_as, table, users):
    client = client_as("chair")
    page = client.post(import_url(table), {"file": upload(workbook_of([["I", "Nhóm mới", "Nhóm", 10]]))})
    scoring_open(table=table, by=users["chair"])
    before = lines_of(table)
    response = client.post(import_url(table), {"token": page.context["token"]})
    assert response.status_code == OK
    assert "chưa có dữ liệu nào được lưu" in " ".join(str(m) for m in response.context["messages"])
    assert lines_of(table) == before


def test_the_import_page_of_an_opened_table_says_it_is_no_longer_replaced(client_as, open_table):
    html = client_as("chair").get(import_url(open_table)).content.decode()
    assert "không còn được thay bằng tệp Excel" in html
    assert 'type="file"' not in html


def test_a_file_that_is_not_a_workbook_is_refused_with_the_reason(client_as, table):
    page = client_as("chair").post(import_url(table), {"file": upload(b"%PDF-1.4 not a sheet", "bang.xlsx")})
    assert page.status_code == OK
    assert "không phải là tệp Excel .xlsx" in page.content.decode()


# The ranking out ------------------------------------------------------------------------------------------


@pytest.fixture
def finalised(open_table, sheets, users) -> Ranking:
    """2021 finalised: the chair's unit and the member tie at 78,5 (rank 1, 1), the vice-chair's unit third
    at 72,25 after review; the farmers submitted but were not reviewed, the veterans never submitted."""
    scored(sheets["chair_unit"], {"c1": "18.5"})
    scored(sheets["member_unit"], {"penalty": "-1.5"})
    scored(sheets["vice_unit"], {}, review={"c2": "22.25"})
    fill(sheets["farmers"], {})
    sheet_submit(sheet=sheets["farmers"], by=None)
    return ranking_finalise(table=open_table, by=users["chair"])


def xlsx_rows(bloc, year: int = YEAR) -> list[tuple]:
    ranking = ranking_stored(bloc, year)
    return rows_of(ranking_xlsx(ranking=ranking))


def test_the_computed_rankings_sheet_has_a_column_per_criterion_and_the_rows_as_finalised(bloc, finalised):
    rows = xlsx_rows(bloc)
    assert rows[0][0] == "KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2021"
    assert rows[1][0] == bloc.name
    assert rows[2][0].startswith("Kết quả đã chốt ngày ")
    assert list(rows[4]) == [
        "STT",
        "Đơn vị",
        "I.1. Hoàn thành chỉ tiêu được giao (tối đa 20)",
        "I.2. Triển khai các phong trào thi đua (tối đa 30)",
        "II.1. Phát triển hội viên (tối đa 25)",
        "II.2. Sáng kiến nổi bật (tối đa 5)",
        "II.3. Chậm nộp báo cáo (tối đa 10)",
        "Tổng điểm tự chấm",
        "Tổng điểm thẩm định",
        "Điểm xếp hạng",
        "Xếp hạng",
        "Không xếp hạng vì",
        "Ghi chú",
    ]
    assert rows[5:] == [
        (1, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", 18.5, 30, 25, 5, 0, 78.5, 78.5, 78.5, 1, None, None),
        (2, "Hội Liên hiệp Phụ nữ tỉnh", 20, 30, 25, 5, -1.5, 78.5, 78.5, 78.5, 1, None, None),
        (3, "Liên đoàn Lao động tỉnh", 20, 22.25, 25, 5, 0, 80, 72.25, 72.25, 3, None, None),
        (4, "Hội Nông dân tỉnh", None, None, None, None, None, 80, None, None, None, "Phiếu chưa được thẩm định", None),
        (5, "Hội Cựu chiến binh tỉnh", None, None, None, None, None, None, None, None, None, "Phiếu chưa gửi", None),
    ]


def test_a_ranking_entered_directly_has_no_criterion_columns(bloc, units, users):
    ranking_enter_directly(
        bloc=bloc,
        year=YEAR - 1,
        entries=[DirectEntry(units["vice_unit"].pk, 1, "95,5"), DirectEntry(units["chair_unit"].pk, 2)],
        by=users["officer"],
    )
    rows = xlsx_rows(bloc, YEAR - 1)
    assert rows[2][0].startswith("Kết quả xếp hạng được nhập trực tiếp vào cổng ngày ")
    assert list(rows[4]) == ["STT", "Đơn vị", "Điểm xếp hạng", "Xếp hạng", "Không xếp hạng vì", "Ghi chú"]
    assert rows[5:7] == [
        (1, "Liên đoàn Lao động tỉnh", 95.5, 1, None, None),
        (2, units["chair_unit"].name, None, 2, None, None),
    ]
    assert rows[7][1:] == ("Hội Liên hiệp Phụ nữ tỉnh", None, None, "Chưa nhập thứ hạng", None)


def test_a_reopened_rankings_sheet_says_so_and_keeps_only_the_stored_rows(bloc, finalised, users):
    ranking_reopen(ranking=finalised, reason="Đơn vị đề nghị chấm lại", by=users["officer"])
    rows = xlsx_rows(bloc)
    assert rows[2][0].startswith("Đã mở lại ngày ") and "không còn là kết quả chính thức" in rows[2][0]
    assert "I.1. Hoàn thành chỉ tiêu được giao (tối đa 20)" not in rows[4]
    assert rows[5][:2] == (1, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")


def test_a_unit_that_joined_during_the_year_is_marked(bloc, table, units, users):
    joiner = UnitFactory(council=bloc.council, code="DTN", name="Tỉnh đoàn")
    MembershipFactory(bloc=bloc, unit=joiner, first_year=YEAR, display_order=9)
    opened = scoring_open(table=table, by=users["chair"])
    scored(opened.sheets.get(unit=joiner))
    ranking_finalise(table=opened, by=users["chair"])
    row = next(row for row in xlsx_rows(bloc) if row[1] == "Tỉnh đoàn")
    assert row[-1] == "Tham gia khối từ năm 2021" and row[-3] == 1


def _ranking_queries(bloc, year: int) -> int:
    ranking = ranking_stored(bloc, year)
    ranking.bloc = bloc
    with CaptureQueriesContext(connection) as queries:
        ranking_xlsx(ranking=ranking)
    return len(queries)


def test_the_ranking_sheet_takes_a_fixed_number_of_queries(bloc, council, users):
    small = build_table(bloc, YEAR, users["chair"])
    opened = scoring_open(table=small, by=None)
    for sheet in opened.sheets.all():
        scored(sheet)
    ranking_finalise(table=opened, by=None)
    few = _ranking_queries(bloc, YEAR)

    for index in range(6):
        MembershipFactory(bloc=bloc, unit=UnitFactory(council=council, code=f"X{index}"), first_year=2018)
    large = build_table(bloc, YEAR + 1, None, groups=4, per_group=3)
    opened = scoring_open(table=large, by=None)
    for sheet in opened.sheets.all():
        scored(sheet)
    ranking_finalise(table=opened, by=None)
    assert _ranking_queries(bloc, YEAR + 1) == few


# The role matrix ------------------------------------------------------------------------------------------


@pytest.fixture
def files(bloc, table, finalised) -> dict:
    return {"bloc": bloc, "table": table}


def _ranking_url(name: str):
    return lambda f: reverse(f"scoring:{name}", args=[f["bloc"].pk, YEAR])


GET_MATRIX = [
    ("table_xlsx", lambda f: reverse("scoring:table_xlsx", args=[f["table"].pk]), READERS),
    ("ranking_xlsx", _ranking_url("ranking_xlsx"), READERS),
    ("ranking_pdf", _ranking_url("ranking_pdf"), READERS),
    ("ranking_docx", _ranking_url("ranking_docx"), READERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, files, role, name, url, expected):
    check_get(client_as(role), url(files), expected, role, name=name)


@pytest.fixture
def preparing(bloc, users) -> ScoringTable:
    """The 2021 table being prepared: what the import changes (the matrix of the files above has a final
    ranking, whose year nobody changes)."""
    table = scoring_table_create(bloc=bloc, year=YEAR, by=None)
    group = group_add(table=table, name="Nhóm cũ", maximum="10", by=None)
    criterion_add(group=group, text="Tiêu chí cũ", maximum="10", by=None)
    return table


@pytest.mark.parametrize("role", ROLES)
def test_the_import_page_is_for_those_who_prepare_the_year(client_as, preparing, role):
    check_get(client_as(role), reverse("scoring:table_import", args=[preparing.pk]), MANAGERS, role)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_imports_into_a_final_year(client_as, files, role):
    """A final ranking locks the year: the import page refuses everyone, officers too, until reopened."""
    url = reverse("scoring:table_import", args=[files["table"].pk])
    check_get(
        client_as(role), url, expect(officer=FORBIDDEN, member=FORBIDDEN, vice_chair=FORBIDDEN, chair=FORBIDDEN), role
    )


NEW_TABLE = [["I", "Nhóm mới", "Nhóm", 20], ["1", "Tiêu chí mới", "Cơ bản", 20]]


@pytest.mark.parametrize("role", ROLES)
def test_the_preview_changes_nothing_for_anyone(client_as, preparing, role):
    url = reverse("scoring:table_import", args=[preparing.pk])
    check_post(
        client_as(role),
        url,
        {"file": upload(workbook_of(NEW_TABLE))},
        MANAGERS,
        role,
        state=lambda: lines_of(preparing),
        name="table_import preview",
    )


CONFIRMERS = {role: REDIRECT if status == OK else status for role, status in MANAGERS.items()}


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_prepare_the_year_replace_the_table(client_as, preparing, role):
    client = client_as(role)
    url = reverse("scoring:table_import", args=[preparing.pk])
    preview = client.post(url, {"file": upload(workbook_of(NEW_TABLE))})
    token = preview.context["token"] if MANAGERS[role] == OK else "no-preview"
    check_post(client, url, {"token": token}, CONFIRMERS, role, state=lambda: lines_of(preparing), name="table_import")
