"""The council's year report (báo cáo năm của hội đồng; ``blocs/reports.py``, ``blocs.reporting``): who reads
it and its files, its years, its charts and their tables, a table whose source no app registered, and a page
whose query count does not grow with the council's data. Its numbers against the demo are in
``test_year_report_demo.py``."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardType, Person, Proposal, Registration, Submission
from blocs import registry
from blocs.charts import bar_chart
from blocs.models import Deadline
from blocs.reporting import report_build, report_content, report_xlsx
from blocs.reports import COUNCIL_YEAR, REPORTS, ReportColumn
from meetings.models import Meeting
from pledges.models import Pledge, PledgeSignatory, PledgeVersion

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..roles import NOT_FOUND, OFFICER_OBJECT, OK, ROLES, check_get

pytestmark = pytest.mark.django_db

URL_NAMES = ["council_year", "council_year_xlsx", "council_year_pdf", "council_year_docx"]
GET_MATRIX = [
    (name, lambda f, name=name: reverse(f"blocs:{name}", args=[f["council"].pk, YEAR]), OFFICER_OBJECT)
    for name in URL_NAMES
]


@pytest.fixture
def fixtures(council, bloc, units, seats, users):
    return {"council": council, "bloc": bloc, "units": units, "users": users}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, fixtures, role, name, url, expected):
    response = check_get(client_as(role), url(fixtures), expected, role, name=name)
    if expected[role] == OK and name != "council_year":
        assert not response["Content-Type"].startswith("text/html"), name


def test_a_superuser_reads_every_councils_report(client, council, other_council, bloc, units):
    MembershipFactory(bloc=BlocFactory(council=other_council, code="KTĐ9"), unit=UnitFactory(council=other_council))
    client.force_login(UserFactory(username="quan-tri-bc", council=None, unit=None, is_superuser=True))
    for target in (council, other_council):
        assert client.get(reverse("blocs:council_year", args=[target.pk, YEAR])).status_code == OK


def test_the_report_exists_for_the_councils_years_only(client_as, council, bloc, units, users):
    """From the first year any bloc had members (2018) to the current year + 1."""
    client = client_as("officer")
    for year, status in ((2017, NOT_FOUND), (2018, OK), (YEAR + 1, OK), (YEAR + 2, NOT_FOUND)):
        for name in URL_NAMES:
            assert client.get(reverse(f"blocs:{name}", args=[council.pk, year])).status_code == status, (name, year)


def test_the_officers_find_the_report_from_home_and_the_council_page(client_as, council, bloc, units, users):
    client = client_as("officer")
    url = reverse("blocs:council_year", args=[council.pk, YEAR])
    assert f'href="{url}"' in client.get(reverse("blocs:home")).content.decode()
    settings_page = client.get(reverse("blocs:council_settings")).content.decode()
    for year in range(2018, YEAR + 1):
        assert reverse("blocs:council_year", args=[council.pk, year]) in settings_page
    assert reverse("blocs:council_year", args=[council.pk, YEAR + 1]) not in settings_page
    member_home = client_as("member").get(reverse("blocs:home")).content.decode()
    assert 'id="year-report"' not in member_home


# The definitions are data -----------------------------------------------------------------------------


def test_every_table_definition_names_its_columns_sheet_and_chart_consistently():
    for report in REPORTS.values():
        keys = [table.key for table in report.tables]
        assert len(keys) == len(set(keys)), report.key
        for table in report.tables:
            measures = [column.measure for column in table.columns]
            assert len(measures) == len(set(measures)), table.key
            with translation.override("vi"):
                assert 0 < len(str(table.sheet)) <= 31, table.key
            if table.chart is not None:
                assert {table.chart.label, table.chart.value} <= set(measures), table.key
            printed = sum(column.width_mm or 0 for column in table.columns) + 10  # the TT column
            assert printed < 165, f"{table.key}: the fixed widths leave no room for the free column"
    with pytest.raises(ValueError):
        ReportColumn("x", "x", "money")


def test_every_source_the_definitions_name_is_registered():
    """Each app registers its sources in its AppConfig.ready(); a definition naming a source nobody
    registered would print "not available" for good."""
    named = {table.source for report in REPORTS.values() for table in report.tables}
    assert named <= set(registry.report_sources)


def test_a_table_without_a_source_says_it_is_not_available(client_as, council, bloc, units, seats, monkeypatch):
    """``blocs`` builds a report alone: the tables of apps that registered nothing say so."""
    monkeypatch.setattr(registry, "report_sources", {"blocs.seats": registry.report_sources["blocs.seats"]})
    report = report_build(COUNCIL_YEAR, council=council, year=YEAR)
    assert [table.available for table in report.tables] == [t.source == "blocs.seats" for t in COUNCIL_YEAR.tables]
    assert report.table("blocs").rows[0][0].text == bloc.name
    page = client_as("officer").get(reverse("blocs:council_year", args=[council.pk, YEAR])).content.decode()
    assert page.count("Không có số liệu: chưa có phần nào của cổng cung cấp bảng này.") == len(report.tables) - 1
    workbook = openpyxl.load_workbook(BytesIO(report_xlsx(report)))
    assert len(workbook.sheetnames) == len(report.tables)


# The outputs agree ----------------------------------------------------------------------------------


def _grow(council, *, blocs: int, year: int = YEAR) -> None:
    """``blocs`` more blocs of the council, each with six members and seats, a held year-end conference, a
    signed pledge, registrations, collective and individual proposals (some decided), and a submission
    three days after the year's deadline."""
    flag = AwardType.objects.get(council=council, code=PROVINCIAL_FLAG)
    certificate = AwardType.objects.get(council=council, code=CHAIRMAN_CERTIFICATE)
    deadline, _ = Deadline.objects.get_or_create(
        council=council, year=year, kind=Deadline.Kind.SUBMISSION, bloc=None, defaults={"due_on": date(year + 1, 1, 15)}
    )
    start = council.blocs.count()  # a distinct code per call
    for index in range(start, start + blocs):
        bloc = BlocFactory(council=council, code=f"KTĐ{index + 20}", name=f"Khối thi đua số {index + 20}")
        members = [UnitFactory(council=council, name=f"Đơn vị {index}-{n}") for n in range(6)]
        for order, unit in enumerate(members, start=1):
            MembershipFactory(bloc=bloc, unit=unit, first_year=year - 1, display_order=order)
        for rank, unit in enumerate(members[:2]):
            bloc.seats.create(year=year, unit=unit, rank=rank)
        Meeting.objects.create(
            bloc=bloc,
            year=year,
            kind=Meeting.Kind.YEAR_END,
            date=date(year, 12, 20),
            status=Meeting.Status.HELD,
            results_recorded_at=timezone.now(),
        )
        version = PledgeVersion.objects.create(
            pledge=Pledge.objects.create(bloc=bloc, year=year),
            number=1,
            title="Giao ước thi đua",
            state=PledgeVersion.State.FINAL,
            signing_opened_at=timezone.now(),
            finalised_at=timezone.now(),
        )
        for position, unit in enumerate(members, start=1):
            signed = position <= 4
            PledgeSignatory.objects.create(
                version=version,
                unit=unit,
                position=position,
                unit_name=unit.name,
                signed_on=date(year, 1, 10) if signed else None,
                signed_at=timezone.now() if signed else None,
                method=PledgeSignatory.Method.PAPER if signed else "",
            )
        for unit in members[:3]:
            Registration.objects.create(bloc=bloc, year=year, unit=unit, award_type=certificate)
        Proposal.objects.create(
            council=council,
            bloc=bloc,
            year=year,
            award_type=flag,
            unit=members[0],
            status=Proposal.Status.DECIDED,
            conference_date=date(year, 12, 20),
        )
        person = Person.objects.create(council=council, name=f"Nguyễn Văn {index}", unit=members[1])
        Proposal.objects.create(
            council=council, bloc=bloc, year=year, award_type=certificate, unit=members[1], person=person
        )
        Submission.objects.create(bloc=bloc, year=year, sequence=1, submitted_on=deadline.due_on + timedelta(days=3))


def test_the_page_the_workbook_and_the_print_say_the_same(client_as, council, bloc, units, seats, users):
    _grow(council, blocs=2)
    with translation.override("vi"):
        report = report_build(COUNCIL_YEAR, council=council, year=YEAR)
    awards = report.table("awards")
    assert [cell.text for cell in awards.total] == ["Tổng cộng", "2", "2", "2", "0", "2"]
    client = client_as("officer")
    page = client.get(reverse("blocs:council_year", args=[council.pk, YEAR])).content.decode()
    workbook = openpyxl.load_workbook(
        BytesIO(client.get(reverse("blocs:council_year_xlsx", args=[council.pk, YEAR])).content)
    )
    pdf = client.get(reverse("blocs:council_year_pdf", args=[council.pk, YEAR])).content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert len(workbook.sheetnames) == len(report.tables)
    for table, sheet_name in zip(report.tables, workbook.sheetnames, strict=True):
        sheet = workbook[sheet_name]
        headings = [cell.value for cell in sheet[1]]
        assert headings == [str(c.heading) for c in table.columns], table.key
        values = [[_day(cell.value) for cell in row] for row in sheet.iter_rows(min_row=2, max_row=len(table.rows) + 1)]
        flags = [column.kind == "flag" for column in table.columns]
        expected = [
            [cell.text if flag else cell.value for cell, flag in zip(row, flags, strict=True)] for row in table.rows
        ]
        assert values == expected, table.key
        assert f'id="{table.html_id}"' in page or not table.rows, table.key
        assert table.title in text, table.key
        for row in table.rows:
            assert row[0].text in page


def _day(value):
    """openpyxl reads a date cell back as a datetime at midnight."""
    return value.date() if isinstance(value, datetime) else value


def test_the_workbook_writes_numbers_as_numbers_and_days_as_dates(council, bloc, units, seats):
    _grow(council, blocs=1)
    with translation.override("vi"):
        report = report_build(COUNCIL_YEAR, council=council, year=YEAR)
        workbook = openpyxl.load_workbook(BytesIO(report_xlsx(report)))
    conferences = workbook[workbook.sheetnames[1]]
    assert conferences["B1"].value == "Ngày"
    dates = [row[1].value for row in conferences.iter_rows(min_row=2) if row[1].value is not None]
    assert dates and all(isinstance(value, date) for value in dates)
    blocs = workbook[workbook.sheetnames[0]]
    total = [row for row in blocs.iter_rows(values_only=True) if row[0] == "Tổng cộng"]
    assert total == [("Tổng cộng", 5 + 6, None, None)]
    assert blocs.cell(row=blocs.max_row, column=1).font.bold


def test_the_printed_report_is_the_councils_and_numbers_its_tables(council, bloc, units, seats):
    _grow(council, blocs=1)
    today = date(2022, 1, 20)
    with translation.override("vi"):
        content = report_content(report_build(COUNCIL_YEAR, council=council, year=YEAR), today=today)
    assert content.doc_type == "BÁO CÁO" and content.national_header and not content.numbered
    assert content.subject == f"Kết quả công tác thi đua, khen thưởng của các khối, cụm thi đua năm {YEAR}"
    headings = [block.text for block in content.blocks if block.style == "heading"]
    assert headings[0] == "1. Khối, cụm thi đua và đơn vị trưởng"
    assert len(headings) == len(COUNCIL_YEAR.tables)
    tables = [block for block in content.blocks if block.style == "table"]
    assert all(block.columns[0].heading == "TT" for block in tables)
    assert all(sum(c.width_mm or 0 for c in block.columns) < 165 for block in tables)


# Charts ---------------------------------------------------------------------------------------------


def test_every_chart_is_an_image_with_a_title_and_names_its_table(client_as, council, bloc, units, seats):
    _grow(council, blocs=2)
    page = client_as("officer").get(reverse("blocs:council_year", args=[council.pk, YEAR])).content.decode()
    charts = re.findall(r"<svg [^>]*>", page)
    expected = [table for table in COUNCIL_YEAR.tables if table.chart is not None]
    assert len(charts) == len(expected)
    for svg in charts:
        assert 'role="img"' in svg and "aria-label=" in svg and "style=" not in svg
        described = re.search(r'aria-describedby="([^"]+)"', svg)
        assert described and f'<table class="table table-sm table-stack" id="{described[1]}">' in page
    assert page.count("<title id=") == len(expected)
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_signing_chart_shows_each_blocs_share_signed(council, bloc, units, seats):
    _grow(council, blocs=1)
    with translation.override("vi"):
        chart = report_build(COUNCIL_YEAR, council=council, year=YEAR).table("pledges").chart
    assert chart is not None
    texts = sorted(bar.text for bar in chart.bars)
    assert texts == ["0%", "67%"]  # the fixture's bloc has no pledge; the new one 4 of 6 signed
    full = max(bar.width for bar in chart.bars)
    assert full == pytest.approx(0.67 * 440, abs=1)  # of 100 %, not of the largest value


def test_a_bar_chart_scales_to_its_largest_value_and_draws_nothing_for_zero():
    chart = bar_chart(key="k", title="T", items=[("a", 2, "2"), ("b", 4, "4"), ("c", 0, "0"), ("d", -1, "−1")])
    assert [bar.width for bar in chart.bars] == [220.0, 440.0, 0.0, 0.0]
    assert chart.height == 4 * 28
    assert bar_chart(key="k", title="T", items=[("a", 0, "0")]).bars[0].width == 0.0
    long = bar_chart(key="k", title="T", items=[("x" * 50, 1, "1")]).bars[0].label
    assert len(long) == 34 and long.endswith("…")


# Query count ----------------------------------------------------------------------------------------


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == OK
    return len(queries)


def test_the_page_costs_the_same_whatever_the_councils_size(client_as, council, bloc, units, seats, users):
    client = client_as("officer")
    url = reverse("blocs:council_year", args=[council.pk, YEAR])
    _grow(council, blocs=1)
    small = _page_queries(client, url)
    _grow(council, blocs=5)
    assert _page_queries(client, url) == small
    assert small <= 20
