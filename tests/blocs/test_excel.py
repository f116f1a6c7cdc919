"""Excel import of units and memberships, the import template, and the council export.

Workbooks are built in memory with openpyxl. Messages are checked in English (the msgids), so the tests
hold whatever the Vietnamese catalogue says.
"""

import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from blocs import excel, excel_views, services
from blocs.excel import units as excel_units
from blocs.models import Membership, Seat, Unit
from documents.models import FileJob

from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..fixtures.jobs import job_file
from ..roles import COUNCIL_OFFICERS, REDIRECT, ROLES, check_get, check_post

HEADERS = [c.title for c in excel.COLUMNS]
EN: dict = {}  # English is chosen for the whole module by the language cookie (see english below)


@pytest.fixture(autouse=True)
def english(english_client):
    with translation.override("en"):
        yield


def line(**values) -> list:
    """A sheet row in the order of COLUMNS, e.g. ``line(code="SYT", name="Sở Y tế", bloc_code="KTĐ6")``."""
    unknown = set(values) - set(excel.COLUMN_BY_KEY)
    assert not unknown, unknown
    return [values.get(c.key) for c in excel.COLUMNS]


def xlsx(rows: list[list], headers: list | None = HEADERS, *, before: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for extra in before:
        sheet.append(extra)
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "don-vi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=excel.XLSX_CONTENT_TYPE)


def parse(council, rows, headers=HEADERS, **kwargs) -> excel.ImportPlan:
    return excel.units_import_parse(council=council, file=upload(xlsx(rows, headers, **kwargs)))


def counts() -> tuple[int, int]:
    return Unit.objects.count(), Membership.objects.count()


def issue_at(plan, row, column) -> excel.ImportIssue:
    found = [i for i in plan.issues if i.row == row and i.column == column]
    assert found, f"no issue at row {row}, column {column}: {[i.text for i in plan.issues]}"
    return found[0]


# ----------------------------------------------------------------------------------------------------
# A valid sheet
# ----------------------------------------------------------------------------------------------------


def test_valid_sheet_creates_units_and_memberships_and_updates_an_existing_unit(council, bloc, units, users):
    decomposed = unicodedata.normalize("NFD", "Sở Tài chính tỉnh")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    other_bloc = BlocFactory(council=council, code="KTĐ2", name="Khối các sở kinh tế")
    rows = [
        line(
            code="SYT",
            name="Sở Y tế tỉnh",
            short_name="Sở Y tế",
            kind="Public service unit",
            bloc_code="KTĐ6",
            first_year=2021,
            display_order=7,
        ),
        line(
            code="STC",
            name=decomposed,
            abbreviations="STC, Sở TC",
            kind="agency",
            head_name="Lê Thị Hoa",
            bloc_code="KTĐ2",
            first_year=2018,
            last_year=2019,
        ),
        # The same unit again, its name now in NFC: the rows still agree.
        line(code="STC", name="Sở Tài chính tỉnh", bloc_code="KTĐ2", first_year=2021),
        line(code="LHPN", head_name="Trần Thị Mai", head_title="Chủ tịch"),
        line(code="HND"),  # an existing unit, named only: unchanged
    ]
    plan = parse(council, rows)
    assert plan.is_valid, [i.text for i in plan.issues]
    assert plan.counts() == {
        "units_created": 2,
        "units_updated": 1,
        "units_unchanged": 1,
        "memberships_created": 3,
        "memberships_updated": 0,
        "memberships_unchanged": 0,
    }
    before_units, before_memberships = counts()

    result = excel.units_import_apply(plan=plan, by=users["officer"])

    assert (result.units_created, result.units_updated, result.memberships_created) == (2, 1, 3)
    assert counts() == (before_units + 2, before_memberships + 3)
    health = Unit.objects.get(council=council, code="SYT")
    assert (health.name, health.short_name, health.kind) == (
        "Sở Y tế tỉnh",
        "Sở Y tế",
        Unit.Kind.PUBLIC_SERVICE,
    )
    finance = Unit.objects.get(council=council, code="STC")
    assert finance.name == unicodedata.normalize("NFC", "Sở Tài chính tỉnh")
    assert finance.head_name == "Lê Thị Hoa"
    assert list(finance.memberships.order_by("first_year").values_list("bloc__code", "first_year", "last_year")) == [
        ("KTĐ2", 2018, 2019),
        ("KTĐ2", 2021, None),
    ]
    assert health.memberships.get().display_order == 7
    women = Unit.objects.get(pk=units["member_unit"].pk)
    # Empty cells keep what is stored: the name stays, the head changes.
    assert (women.name, women.head_name, women.head_title) == (
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Trần Thị Mai",
        "Chủ tịch",
    )
    # Every write is in the history, by the officer, marked as an import.
    record = women.history.first()
    assert record.history_change_reason == "Nhập từ Excel"
    assert record.history_user == users["officer"]
    assert finance.memberships.first().history.first().history_change_reason == "Nhập từ Excel"
    assert other_bloc.memberships.count() == 2


def test_headers_are_matched_ignoring_case_diacritics_and_title_rows(council, bloc, units):
    headers = ["MA DON VI", unicodedata.normalize("NFD", "tên đầy đủ"), "Mã khối (*)", "từ năm", "Ghi chú"]
    rows = [["SYT", "Sở Y tế tỉnh", "KTĐ6", "2021", "ignored"]]
    plan = parse(council, rows, headers, before=[["DANH SÁCH ĐƠN VỊ"], []])
    assert plan.is_valid, [i.text for i in plan.issues]
    assert plan.ignored_headers == ["Ghi chú"]
    assert plan.rows[0].number == 4
    assert plan.memberships[0].first_year == 2021


def test_an_existing_membership_is_updated_not_duplicated(council, bloc, units, users):
    rows = [line(code="LHPN", bloc_code="KTĐ6", first_year=2018, last_year=2022, display_order=9)]
    plan = parse(council, rows)
    assert plan.is_valid, [i.text for i in plan.issues]
    assert [m.action for m in plan.memberships] == [excel.Action.UPDATE]
    before = counts()
    excel.units_import_apply(plan=plan, by=users["officer"])
    assert counts() == before
    membership = Membership.objects.get(bloc=bloc, unit=units["member_unit"])
    assert (membership.last_year, membership.display_order) == (2022, 9)


def test_a_sheet_may_shorten_a_period_and_add_the_next_one(council, bloc, units, users):
    """Final-state overlap check, and the write order that makes it pass Membership.clean row by row."""
    rows = [
        line(code="LHPN", bloc_code="KTĐ6", first_year=2023, display_order=3),
        line(code="LHPN", bloc_code="KTĐ6", first_year=2018, last_year=2022),
    ]
    plan = parse(council, rows)
    assert plan.is_valid, [i.text for i in plan.issues]
    excel.units_import_apply(plan=plan, by=users["officer"])
    periods = units["member_unit"].memberships.order_by("first_year").values_list("first_year", "last_year")
    assert list(periods) == [(2018, 2022), (2023, None)]


# ----------------------------------------------------------------------------------------------------
# Bad rows: each gets its message, and nothing is written
# ----------------------------------------------------------------------------------------------------

GOOD = line(code="SYT", name="Sở Y tế tỉnh", bloc_code="KTĐ6", first_year=2021)

BAD_ROWS = {
    "missing code": (
        [line(name="Sở Tư pháp tỉnh")],
        3,
        "code",
        "is empty; every row names a unit by its code",
    ),
    "unknown bloc": (
        [line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ99", first_year=2021)],
        3,
        "bloc_code",
        "there is no bloc with the code “KTĐ99” in this council",
    ),
    "bloc of another council": (
        [line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KBK1", first_year=2021)],
        3,
        "bloc_code",
        "there is no bloc with the code “KBK1” in this council",
    ),
    "non-numeric year": (
        [line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year="năm 2021")],
        3,
        "first_year",
        "must be a year (a number), e.g. 2021",
    ),
    "year out of range": (
        [line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=21)],
        3,
        "first_year",
        "must be a year from 1945 to 2100",
    ),
    "last year before first": (
        [line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=2021, last_year=2020)],
        3,
        "last_year",
        "cannot be before the first year (2021)",
    ),
    "overlap with an existing membership": (
        [line(code="LHPN", bloc_code="KTĐ6", first_year=2020)],
        3,
        "first_year",
        "the period 2020–… overlaps the membership of this unit in this bloc already recorded for 2018–…",
    ),
    "overlap within the sheet": (
        [
            line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=2018, last_year=2021),
            line(code="STP", bloc_code="KTĐ6", first_year=2020),
        ],
        4,
        "first_year",
        "the period 2020–… overlaps row 3 (2018–2021) of the same unit and bloc",
    ),
    "conflicting unit fields": (
        [line(code="STP", name="Sở Tư pháp tỉnh"), line(code="STP", name="Sở Tư pháp")],
        4,
        "name",
        "differs from row 3 (“Sở Tư pháp tỉnh”) for the same unit; its rows must agree",
    ),
    "too long name": (
        [line(code="STP", name="Sở " + "x" * 300)],
        3,
        "name",
        "is 303 characters long; at most 255 are allowed",
    ),
    "unknown kind": (
        [line(code="STP", name="Sở Tư pháp tỉnh", kind="Bộ")],
        3,
        "kind",
        "unknown kind “Bộ”; use one of: ",
    ),
    "new unit without a name": (
        [line(code="STP", short_name="STP")],
        3,
        "name",
        "is required for a new unit",
    ),
    "year without a bloc": (
        [line(code="STP", name="Sở Tư pháp tỉnh", first_year=2021)],
        3,
        "first_year",
        "is filled in but the row names no bloc",
    ),
    "code differing only in case": (
        [line(code="lhpn", bloc_code="KTĐ6", first_year=2010, last_year=2011)],
        3,
        "code",
        "no unit has the code “lhpn”, but unit “LHPN” exists",
    ),
    "duplicate membership": (
        [
            line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=2019),
            line(code="STP", bloc_code="KTĐ6", first_year=2019),
        ],
        4,
        "first_year",
        "row 3 already gives this unit",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_gets_its_message_and_nothing_is_written(case, council, other_council, bloc, units, client_as):
    BlocFactory(council=other_council, code="KBK1", name="Khối Bắc Kạn 1")
    rows, row, column, message = BAD_ROWS[case]
    plan = parse(council, [GOOD, *rows])
    assert not plan.is_valid
    issue = issue_at(plan, row, column)
    assert message in issue.message
    assert issue.text.startswith(f"Row {row}, column {excel.COLUMN_BY_KEY[column].title}: ")
    # Only the bad cells are reported: the good row 2 has none.
    assert not [i for i in plan.issues if i.row == 2]

    before = counts()
    client = client_as("officer")
    response = client.post(reverse("blocs:units_import"), {"file": upload(xlsx([GOOD, *rows]))}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page
    assert escape(issue.text) in page
    assert 'name="token"' not in page
    assert counts() == before
    assert excel_views.SESSION_KEY not in client.session


def test_every_bad_cell_is_reported_in_one_upload(council, bloc, units):
    rows = [
        line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year="hai nghìn"),
        line(code="SXD", name="Sở Xây dựng tỉnh", kind="???"),
        line(code="SCT", name="Sở Công thương tỉnh", bloc_code="NOPE", first_year=2021),
    ]
    plan = parse(council, rows)
    assert {(i.row, i.column) for i in plan.issues} == {(2, "first_year"), (3, "kind"), (4, "bloc_code")}


FILE_PROBLEMS = {
    "csv": (b"Ma don vi,Ten day du\nSYT,So Y te\n", "This is not an Excel .xlsx file."),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "This is an Excel 97–2003 (.xls) file"),
    "zip that is not a workbook": (None, "The file could not be read as an Excel workbook"),
    "missing header": (
        xlsx([["SYT", "Sở Y tế tỉnh"]], ["Mã", "Tên đầy đủ"]),
        "The first sheet lacks the required columns: Mã đơn vị.",
    ),
    "bloc without first year": (
        xlsx([["SYT", "KTĐ6"]], ["Mã đơn vị", "Mã khối"]),
        "The sheet has the column “Mã khối” but not “Từ năm”",
    ),
    "empty sheet": (xlsx([], None), "The first sheet of the workbook is empty."),
    "header only": (xlsx([]), "The sheet has no rows under its header row."),
    "duplicate header": (
        xlsx([["SYT", "A", "B"]], ["Mã đơn vị", "Tên đầy đủ", "TÊN ĐẦY ĐỦ"]),
        "appears twice",
    ),
}


def _zip_not_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize("case", FILE_PROBLEMS)
def test_an_unusable_file_is_refused_with_a_clear_message(case, council, bloc, units, client_as):
    content, message = FILE_PROBLEMS[case]
    if content is None:
        content = _zip_not_workbook()
    plan = excel.units_import_parse(council=council, file=upload(content))
    assert not plan.is_valid
    assert any(message in i.text for i in plan.issues), [i.text for i in plan.issues]

    before = counts()
    response = client_as("officer").post(reverse("blocs:units_import"), {"file": upload(content)}, **EN)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(council, bloc, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    plan = excel.units_import_parse(council=council, file=upload(xlsx([GOOD])))
    assert [i.text for i in plan.issues] == [plan.issues[0].text]
    assert "files up to 1000" in plan.issues[0].text


def test_a_sheet_over_the_row_limit_is_refused(council, bloc):
    rows = [[f"DV{n}", f"Đơn vị {n}"] for n in range(5001)]
    plan = parse(council, rows, ["Mã đơn vị", "Tên đầy đủ"])
    assert [i.text for i in plan.issues] == [
        "The sheet has more than 5000 rows. Split it into several files of at most 5000 rows."
    ]
    assert parse(council, rows[:5000], ["Mã đơn vị", "Tên đầy đủ"]).is_valid


# ----------------------------------------------------------------------------------------------------
# Preview, confirm, and the transaction
# ----------------------------------------------------------------------------------------------------


def test_preview_then_confirm_writes_everything(council, bloc, units, client_as):
    client = client_as("officer")
    rows = [GOOD, line(code="LHPN", head_name="Trần Thị Mai")]
    before = counts()
    response = client.post(reverse("blocs:units_import"), {"file": upload(xlsx(rows))}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-preview"' in page and 'name="token"' in page
    assert "Sở Y tế tỉnh" in page
    assert counts() == before  # the preview writes nothing
    token = client.session[excel_views.SESSION_KEY]["token"]

    response = client.post(reverse("blocs:units_import"), {"token": token}, follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("blocs:units_import")
    assert "Import saved: 1 units added, 1 units changed, 1 memberships added" in response.content.decode()
    assert counts() == (before[0] + 1, before[1] + 1)
    assert Unit.objects.get(pk=units["member_unit"].pk).head_name == "Trần Thị Mai"

    # The token is spent: confirming again writes nothing.
    response = client.post(reverse("blocs:units_import"), {"token": token}, follow=True, **EN)
    assert "no longer waiting for confirmation" in response.content.decode()
    assert counts() == (before[0] + 1, before[1] + 1)


def test_confirm_validates_again_and_writes_nothing_when_the_data_changed(council, bloc, units, client_as):
    client = client_as("officer")
    rows = [GOOD, line(code="LHPN", bloc_code="KTĐ6", first_year=2010, last_year=2012)]
    client.post(reverse("blocs:units_import"), {"file": upload(xlsx(rows))}, **EN)
    token = client.session[excel_views.SESSION_KEY]["token"]
    # Meanwhile another officer records a period that the sheet's row now overlaps.
    MembershipFactory(bloc=bloc, unit=units["member_unit"], first_year=2011, last_year=2011)
    before = counts()

    response = client.post(reverse("blocs:units_import"), {"token": token}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The data changed since the preview; nothing was saved." in page
    assert "Row 3, column Từ năm: the period 2010–2012 overlaps" in page
    assert counts() == before


def test_a_failure_at_write_time_rolls_everything_back(council, bloc, units, users, monkeypatch):
    rows = [
        line(code="SYT", name="Sở Y tế tỉnh", bloc_code="KTĐ6", first_year=2021),
        line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=2021),
        line(code="SXD", name="Sở Xây dựng tỉnh", bloc_code="KTĐ6", first_year=2021),
        line(code="LHPN", head_name="Trần Thị Mai"),
    ]
    plan = parse(council, rows)
    assert plan.is_valid
    real_check = excel_units._membership_check
    calls = []

    def failing_check(*, membership, others):
        calls.append(membership.unit.code)
        if len(calls) == 3:
            raise ValidationError({"first_year": "Lỗi giả lập khi ghi."})
        return real_check(membership=membership, others=others)

    monkeypatch.setattr(excel_units, "_membership_check", failing_check)
    before = counts()
    with pytest.raises(excel.ImportWriteError) as failure:
        excel.units_import_apply(plan=plan, by=users["officer"])
    assert failure.value.issue.row == 4
    assert "Lỗi giả lập khi ghi." in failure.value.issue.text
    assert calls == ["SYT", "STP", "SXD"]
    assert counts() == before
    assert Unit.objects.get(pk=units["member_unit"].pk).head_name != "Trần Thị Mai"
    assert not Unit.objects.filter(code__in=["SYT", "STP", "SXD"]).exists()


def test_a_failure_at_write_time_is_shown_on_the_page(council, bloc, units, client_as, monkeypatch):
    client = client_as("officer")
    rows = [
        line(code="SYT", name="Sở Y tế tỉnh", bloc_code="KTĐ6", first_year=2021),
        line(code="STP", name="Sở Tư pháp tỉnh", bloc_code="KTĐ6", first_year=2021),
        line(code="SXD", name="Sở Xây dựng tỉnh", bloc_code="KTĐ6", first_year=2021),
    ]
    client.post(reverse("blocs:units_import"), {"file": upload(xlsx(rows))}, **EN)
    token = client.session[excel_views.SESSION_KEY]["token"]
    real_check = excel_units._membership_check
    calls = []

    def failing_check(*, membership, others):
        calls.append(membership)
        if len(calls) == 3:
            raise ValidationError("Lỗi giả lập khi ghi.")
        return real_check(membership=membership, others=others)

    monkeypatch.setattr(excel_units, "_membership_check", failing_check)
    before = counts()
    response = client.post(reverse("blocs:units_import"), {"token": token}, **EN)
    assert response.status_code == 200
    assert "Nothing was saved: Row 4: Lỗi giả lập khi ghi." in response.content.decode()
    assert counts() == before


# ----------------------------------------------------------------------------------------------------
# Export, round trip, template, query counts
# ----------------------------------------------------------------------------------------------------


def _sheet_rows(content: bytes, title: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]


@pytest.fixture
def richer(council, bloc, units):
    """A second bloc with a closed and an open period, a vice seat more, and a unit of odd kind."""
    economy = BlocFactory(council=council, code="KTĐ2", name="Khối các sở kinh tế", kind="cluster")
    MembershipFactory(bloc=economy, unit=units["member_unit"], first_year=2015, last_year=2017, display_order=3)
    MembershipFactory(bloc=economy, unit=units["outside_unit"], first_year=2019, display_order=1)
    MembershipFactory(bloc=economy, unit=units["farmers"], first_year=2019, display_order=2)
    services.seats_set(bloc=economy, year=2020, chair=units["outside_unit"], vice_chairs=[units["farmers"]], by=None)
    Seat.objects.create(bloc=bloc, year=2021, unit=units["member_unit"], rank=2)
    unit = units["veterans"]
    unit.kind = Unit.Kind.SOCIO_POLITICAL
    unit.contact = "=0296 3852 000"  # text that looks like a formula stays text
    unit.save()
    return economy


def test_export_contains_every_sheet_in_protocol_order(council, bloc, units, seats, richer):
    content = excel.council_export_workbook(council=council)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Đơn vị", "Khối", "Thành viên", "Chức danh"]

    assert _sheet_rows(content, "Khối")[1:] == [
        ("KTĐ2", "Khối các sở kinh tế", "Emulation cluster", "yes"),
        ("KTĐ6", "Khối thi đua các tổ chức chính trị - xã hội", "Emulation bloc", "yes"),
    ]
    members = _sheet_rows(content, "Thành viên")
    assert members[0] == ("Mã khối", "Tên khối", "Mã đơn vị", "Tên đơn vị", "Từ năm", "Đến năm", "Thứ tự")
    assert [(r[0], r[2], r[4], r[5], r[6]) for r in members[1:]] == [
        ("KTĐ2", "SNV", 2019, None, 1),
        ("KTĐ2", "HND", 2019, None, 2),
        ("KTĐ2", "LHPN", 2015, 2017, 3),
        ("KTĐ6", "MTTQ", 2018, None, 1),
        ("KTĐ6", "LDLD", 2018, None, 2),
        ("KTĐ6", "LHPN", 2018, None, 3),
        ("KTĐ6", "HND", 2018, None, 4),
        ("KTĐ6", "CCB", 2018, None, 5),
    ]
    seat_rows = _sheet_rows(content, "Chức danh")
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in seat_rows[1:]] == [
        ("KTĐ2", 2020, 0, "Cluster chair", "SNV"),
        ("KTĐ2", 2020, 1, "Cluster vice-chair", "HND"),
        ("KTĐ6", 2021, 0, "Bloc chair", "MTTQ"),
        ("KTĐ6", 2021, 1, "Bloc vice-chair first", "LDLD"),
        ("KTĐ6", 2021, 2, "Bloc vice-chair second", "LHPN"),
    ]
    unit_rows = _sheet_rows(content, "Đơn vị")
    assert list(unit_rows[0]) == HEADERS
    women = [r for r in unit_rows if r[0] == "LHPN"]
    assert [(r[8], r[9], r[10], r[11]) for r in women] == [("KTĐ2", 2015, 2017, 3), ("KTĐ6", 2018, None, 3)]
    assert women[0][:4] == ("LHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "LHPN, Hội Phụ nữ")
    veterans = next(r for r in unit_rows if r[0] == "CCB")
    with translation.override("vi"):  # the import format is Vietnamese, whatever the page's language
        assert veterans[4] == str(Unit.Kind.SOCIO_POLITICAL.label)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Đơn vị"]
    contact = next(row[7] for row in sheet.iter_rows(min_row=2) if row[0].value == "CCB")
    assert (contact.value, contact.data_type) == ("=0296 3852 000", "s")  # text, not a formula


def test_export_imports_back_unchanged(council, bloc, units, seats, richer, client_as):
    content = excel.council_export_workbook(council=council)
    plan = excel.units_import_parse(council=council, file=upload(content))
    assert plan.is_valid, [i.text for i in plan.issues]
    assert not plan.has_changes
    assert plan.counts()["units_unchanged"] == Unit.objects.filter(council=council).count()
    assert plan.counts()["memberships_unchanged"] == Membership.objects.filter(bloc__council=council).count()

    response = client_as("officer").post(reverse("blocs:units_import"), {"file": upload(content)}, **EN)
    assert "The sheet matches the stored data: there is nothing to save." in response.content.decode()


def test_export_is_made_by_a_job_and_sent_as_the_officers_council_workbook(council, bloc, units, seats, client_as):
    response, content = job_file(client_as("officer"), "blocs:council_export")
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="thidua-an-giang-')
    assert disposition.endswith('.xlsx"')
    assert disposition.isascii()
    assert ("KTĐ6", "Khối thi đua các tổ chức chính trị - xã hội") == _sheet_rows(content, "Khối")[1][:2]


def test_the_export_buttons_start_the_job_with_a_post(council, bloc, client_as):
    client = client_as("officer")
    for page in ("blocs:bloc_list", "blocs:units_import"):
        html = client.get(reverse(page)).content.decode()
        assert f'method="post" action="{reverse("blocs:council_export")}"' in html, page
    assert client.get(reverse("blocs:council_export")).status_code == 405


def _grow_to(council, count: int) -> None:
    """``count`` units in blocs of five, each bloc with a chair and a vice-chair for two years."""
    existing = Unit.objects.filter(council=council, code__startswith="G").count()
    for n in range(existing, count):
        if n % 5 == 0:
            extra_bloc = BlocFactory(council=council, code=f"KG{n}", name=f"Khối thêm {n}")
        unit = UnitFactory(council=council, code=f"G{n:03d}", name=f"Đơn vị thêm {n}")
        MembershipFactory(bloc=extra_bloc, unit=unit, first_year=2019, display_order=n % 5)
        if n % 5 == 4:
            members = [m.unit for m in extra_bloc.members(2020)]
            for year in (2020, 2021):
                services.seats_set(bloc=extra_bloc, year=year, chair=members[0], vice_chairs=members[1:3], by=None)


def test_export_query_count_is_the_same_for_5_and_50_units(council, bloc, units, seats):
    _grow_to(council, 5)
    with CaptureQueriesContext(connection) as five:
        excel.council_export_workbook(council=council)
    _grow_to(council, 50)
    with CaptureQueriesContext(connection) as fifty:
        content = excel.council_export_workbook(council=council)
    assert len(_sheet_rows(content, "Thành viên")) == 1 + 5 + 50
    assert len(_sheet_rows(content, "Chức danh")) == 1 + 2 + 10 * 2 * 3
    assert len(fifty) == len(five) == 4, [q["sql"] for q in fifty.captured_queries]


def test_import_checks_use_a_fixed_number_of_queries(council, bloc, units):
    def queries(rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            plan = parse(council, rows)
        assert plan.is_valid, [i.text for i in plan.issues]
        return len(captured)

    small = [line(code=f"N{n}", name=f"Đơn vị {n}", bloc_code="KTĐ6", first_year=2021) for n in range(5)]
    large = [line(code=f"N{n}", name=f"Đơn vị {n}", bloc_code="KTĐ6", first_year=2021) for n in range(50)]
    assert queries(small) == queries(large) == 3


def test_the_template_has_the_header_and_an_example_row_and_imports(council, bloc, units, client_as):
    response = client_as("officer").get(reverse("blocs:units_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    rows = _sheet_rows(response.content, "Đơn vị")
    assert list(rows[0]) == HEADERS
    assert len(rows) == 2
    assert rows[1][0] == "SNV" and rows[1][8] == "KTĐ6"
    plan = excel.units_import_parse(council=council, file=upload(response.content))
    assert plan.is_valid, [i.text for i in plan.issues]


# ----------------------------------------------------------------------------------------------------
# Who may
# ----------------------------------------------------------------------------------------------------

VIEWS = ["blocs:units_import", "blocs:units_import_template"]


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_only_officers_reach_the_excel_pages(role, name, council, other_council, bloc, units, users, client_as):
    # Each officer works on their own council only (checked below for other_officer).
    check_get(client_as(role), reverse(name), COUNCIL_OFFICERS, role, name=name)


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_start_the_council_export(role, council, other_council, bloc, units, users, client_as):
    # Another council's officer exports their own council (the council is the officer's).
    check_post(
        client_as(role),
        reverse("blocs:council_export"),
        {},
        {**COUNCIL_OFFICERS, "officer": REDIRECT, "other_officer": REDIRECT},
        role,
        state=lambda: list(FileJob.objects.values_list("requested_by", "subject")),
    )


@pytest.mark.parametrize("role", ["outsider", "member", "vice_chair", "chair"])
def test_unit_users_cannot_upload_or_confirm(role, council, bloc, units, client_as):
    client = client_as(role)
    before = counts()
    assert client.post(reverse("blocs:units_import"), {"file": upload(xlsx([GOOD]))}).status_code == 404
    assert client.post(reverse("blocs:units_import"), {"token": "x"}).status_code == 404
    assert counts() == before


def test_another_councils_officer_gets_their_own_council_only(council, other_council, bloc, units, seats, client_as):
    BlocFactory(council=other_council, code="KBK1", name="Khối Bắc Kạn 1")
    client = client_as("other_officer")
    response, content = job_file(client, "blocs:council_export")
    assert 'filename="thidua-bac-kan-' in response["Content-Disposition"]
    everything = [
        cell
        for title in ("Đơn vị", "Khối", "Thành viên", "Chức danh")
        for row in _sheet_rows(content, title)[1:]
        for cell in row
    ]
    assert "KBK1" in everything
    assert not {"KTĐ6", "MTTQ", "LHPN", "Hội Liên hiệp Phụ nữ tỉnh"} & set(everything)

    # Their import works on their council: this council's code "LHPN" is a new unit there, and this
    # council's bloc code is unknown.
    rows = [line(code="LHPN", name="Hội LHPN tỉnh Bắc Kạn", bloc_code="KBK1", first_year=2021)]
    response = client.post(reverse("blocs:units_import"), {"file": upload(xlsx(rows))}, **EN)
    assert 'name="token"' in response.content.decode()
    client.post(reverse("blocs:units_import"), {"token": client.session[excel_views.SESSION_KEY]["token"]})
    assert Unit.objects.get(council=other_council, code="LHPN").name == "Hội LHPN tỉnh Bắc Kạn"
    assert Unit.objects.get(council=council, code="LHPN").name == "Hội Liên hiệp Phụ nữ tỉnh"
    with translation.override("en"):
        plan = parse(other_council, [line(code="X1", name="X", bloc_code="KTĐ6", first_year=2021)])
        assert "there is no bloc with the code “KTĐ6” in this council" in issue_at(plan, 2, "bloc_code").message


def test_bad_row_message_is_vietnamese_by_default(client_as, council, bloc):
    """The officer's UI is Vietnamese: the per-cell message names the row and column in Vietnamese."""
    rows = [line(code="MOI", name="Đơn vị mới", bloc_code="KTĐ6", first_year="năm ngoái")]
    client = client_as("officer")
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # this module otherwise chooses English
    response = client.post(reverse("blocs:units_import"), {"file": upload(xlsx(rows))})
    page = response.content.decode()
    assert "Dòng 2, cột Từ năm: phải là năm (dạng số), ví dụ 2021" in page
    assert not Unit.objects.filter(code="MOI").exists()


# --- the toolkit every import shares --------------------------------------------------------------


class _SheetIssue(excel.SheetIssue):
    column_titles = {"code": "Mã", "name": "Tên"}


def test_the_issue_collector_keeps_one_problem_per_cell_and_sorts_by_row_then_column():
    issues = excel.IssueCollector(_SheetIssue)
    assert not issues
    issues.add("second", row=3, column="name")
    issues.add("first", row=3, column="code")
    issues.add("again", row=3, column="code")  # the same cell: only its first problem counts
    issues.add("of the file")
    issues.add("of a row", row=2)
    assert issues and issues.has(3, "code") and not issues.has(2, "code")
    with translation.override("en"):
        assert [str(issue) for issue in issues.sorted()] == [
            "of the file",
            "Row 2: of a row",
            "Row 3, column Mã: first",
            "Row 3, column Tên: second",
        ]
    assert all(isinstance(issue, _SheetIssue) for issue in issues.sorted())


def test_a_cell_is_read_as_a_whole_number_or_said_not_to_be_one():
    assert [excel.cell_int(raw) for raw in (None, " ", 2021, 2021.0, " 2021 ")] == [None, None, 2021, 2021, 2021]
    assert all(excel.cell_int(raw) is excel.NOT_A_NUMBER for raw in (True, 20.5, "2O21", "1e3"))
