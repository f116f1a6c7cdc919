"""The council's year report on the demo: each table's numbers checked against the records, counted here by
queries of their own, and the specific numbers the demo's articles give; the workbook read back with
openpyxl and the printed report's text with pypdf. One load per module: the checks only read."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from awards.models import Proposal, Registration, Submission
from blocs.demo import load_demo
from blocs.models import Bloc, Council, Deadline, Membership, Seat, User
from blocs.reporting import BuiltReport, report_build
from blocs.reports import COUNCIL_YEAR
from meetings.models import Meeting
from pledges.models import PledgeSignatory

from ..fixtures.meetings import docx_text

AN_GIANG = "Hội đồng Thi đua – Khen thưởng tỉnh An Giang"
BAC_KAN = "Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn"
TUYEN_QUANG = "Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang"
# The council-years the demo's articles report, and the year after one of them (a pledge being signed).
COUNCIL_YEARS = [(AN_GIANG, 2020), (AN_GIANG, 2021), (BAC_KAN, 2020), (BAC_KAN, 2021), (TUYEN_QUANG, 2021)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once, in a transaction rolled back after the module (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def db_access(demo, db):
    return demo


def built(council_name: str, year: int) -> BuiltReport:
    with translation.override("vi"):
        return report_build(COUNCIL_YEAR, council=Council.objects.get(name=council_name), year=year)


def column(report: BuiltReport, key: str, measure: str) -> dict[str, object]:
    """{first cell's text: the value of ``measure``} of a table's rows."""
    table = report.table(key)
    index = [c.measure for c in table.columns].index(measure)
    return {row[0].text: row[index].value for row in table.rows}


def blocs_of(council_name: str, year: int) -> list[Bloc]:
    covering = Membership.objects.covering(year).filter(bloc__council__name=council_name)
    return list(Bloc.objects.filter(pk__in=covering.values("bloc_id")))


@pytest.mark.parametrize(("council_name", "year"), COUNCIL_YEARS)
def test_the_blocs_their_members_and_chairs(db_access, council_name, year):
    report = built(council_name, year)
    blocs = blocs_of(council_name, year)
    assert set(column(report, "blocs", "members")) == {bloc.name for bloc in blocs}
    for bloc in blocs:
        members = Membership.objects.covering(year).filter(bloc=bloc).count()
        chair = Seat.objects.filter(bloc=bloc, year=year, rank=0).values_list("unit__name", flat=True).first()
        assert column(report, "blocs", "members")[bloc.name] == members
        assert column(report, "blocs", "chair")[bloc.name] == chair
    assert report.table("blocs").total[1].value == sum(column(report, "blocs", "members").values())


def test_an_giang_2020_in_the_numbers_of_the_article(db_access):
    """[AG] Khối Thi đua 6 reviewing 2020: its conference of 02/02/2021, four proposals by acclamation,
    all decided (a flag and three certificates, collectives all); the chair of 2020 Hội Nông dân tỉnh."""
    report = built(AN_GIANG, 2020)
    ktd6 = Bloc.objects.get(council__name=AN_GIANG, code="KTĐ6").name
    assert column(report, "blocs", "chair")[ktd6] == "Hội Nông dân tỉnh"
    assert column(report, "conferences", "date")[ktd6] == date(2021, 2, 2)
    assert column(report, "conferences", "held")[ktd6] is True
    assert [cell.text for cell in report.table("conferences").total][3:] == ["1", "1"]
    decided = column(report, "awards", "decided_collective")
    assert decided == {"Cờ thi đua của UBND tỉnh": 1, "Bằng khen của Chủ tịch UBND tỉnh": 2, "Bằng khen chuyên đề": 1}
    assert [cell.value for cell in report.table("awards").total][1:] == [4, 0, 4, 0, 4]
    assert column(report, "states", "proposals")["Đã quyết định"] == 4
    assert column(report, "years", "total") == {"2016": 0, "2017": 0, "2018": 0, "2019": 1, "2020": 4}


def test_bac_kan_2020_bloc_submitted_five_days_after_the_deadline(db_access):
    report = built(BAC_KAN, 2020)
    kmttq = Bloc.objects.get(council__name=BAC_KAN, code="KMTTQ")
    deadline = Deadline.objects.get(council__name=BAC_KAN, year=2020, kind="submission", bloc=None).due_on
    first = Submission.objects.filter(bloc=kmttq, year=2020).order_by("submitted_on").first().submitted_on
    assert (first - deadline).days == 5
    assert column(report, "late", "days_late")[kmttq.name] == 5
    assert column(report, "late", "submitted_on")[kmttq.name] == date(2021, 1, 20)
    assert column(report, "late", "situation")[kmttq.name] == "Trình chậm 5 ngày"


def test_tuyen_quang_2021_nineteen_awards_of_twenty_proposals(db_access):
    """[TU] Khối các cơ quan Tỉnh ủy reviewing 2021: nine collectives and nine individuals named typical
    examples, the provincial flag decided, the Government's flag proposed and still submitted."""
    report = built(TUYEN_QUANG, 2021)
    assert column(report, "awards", "decided_individual")["Cá nhân điển hình tiên tiến"] == 9
    assert column(report, "awards", "decided_collective")["Tập thể điển hình tiên tiến"] == 9
    assert column(report, "awards", "proposed_collective")["Cờ thi đua của Chính phủ"] == 1
    assert column(report, "awards", "decided")["Cờ thi đua của Chính phủ"] == 0
    assert [cell.value for cell in report.table("awards").total][1:] == [11, 9, 10, 9, 19]
    states = column(report, "states", "proposals")
    assert (states["Đã quyết định"], states["Đã trình"], sum(states.values())) == (19, 1, 20)


def test_an_giang_2021_pledge_being_signed(db_access):
    report = built(AN_GIANG, 2021)
    ktd6 = Bloc.objects.get(council__name=AN_GIANG, code="KTĐ6")
    signed = PledgeSignatory.objects.filter(
        version__pledge__bloc=ktd6, version__pledge__year=2021, signed_on__isnull=False
    ).count()
    slots = PledgeSignatory.objects.filter(version__pledge__bloc=ktd6, version__pledge__year=2021).count()
    assert (signed, slots) == (5, 8)
    assert column(report, "pledges", "signed")[ktd6.name] == signed
    assert column(report, "pledges", "units")[ktd6.name] == slots
    assert column(report, "pledges", "signed_percent")[ktd6.name] == 62
    assert column(report, "pledges", "state")[ktd6.name] == "Đang ký kết"
    other = Bloc.objects.get(council__name=AN_GIANG, code="KTĐ1").name
    assert column(report, "pledges", "state")[other] == "Chưa có giao ước"


@pytest.mark.parametrize(("council_name", "year"), COUNCIL_YEARS)
def test_every_count_agrees_with_the_records(db_access, council_name, year):
    report = built(council_name, year)
    council = Council.objects.get(name=council_name)
    held = Meeting.objects.filter(bloc__council=council, year=year, kind="year_end", status="held").count()
    assert report.table("conferences").total[3].value == held
    signed = PledgeSignatory.objects.filter(
        version__pledge__bloc__council=council, version__pledge__year=year, signed_on__isnull=False
    ).exclude(version__state="drafting")
    assert report.table("pledges").total[3].value == signed.count()
    registered = Counter(
        Registration.objects.filter(bloc__council=council, year=year).values_list("award_type__name", flat=True)
    )
    assert column(report, "registrations", "units") == dict(registered)
    proposals = Proposal.objects.filter(council=council, year=year)
    portal = proposals.filter(source="portal")
    decided = proposals.filter(status="decided")
    if report.table("awards").total is not None:
        totals = [cell.value for cell in report.table("awards").total][1:]
        assert totals == [
            portal.filter(person=None).count(),
            portal.exclude(person=None).count(),
            decided.filter(person=None).count(),
            decided.exclude(person=None).count(),
            decided.count(),
        ]
    assert sum(column(report, "states", "proposals").values()) == portal.count()
    assert column(report, "years", "total")[str(year)] == decided.count()
    before = Proposal.objects.filter(council=council, year=year - 1, status="decided").count()
    assert column(report, "years", "total")[str(year - 1)] == before


# The files, read back --------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, db_access):
    client.force_login(User.objects.get(username="canbo.angiang"))
    return client


def test_the_workbook_holds_every_table(officer_client):
    council = Council.objects.get(name=AN_GIANG)
    response = officer_client.get(reverse("blocs:council_year_xlsx", args=[council.pk, 2020]))
    assert response["Content-Disposition"].startswith('attachment; filename="BC-2020-An-Giang-')
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Khối, cụm thi đua", "Hội nghị", "Giao ước thi đua"]
    awards = workbook["Khen thưởng theo hình thức"]
    rows = list(awards.iter_rows(values_only=True))
    assert rows[0] == (
        "Hình thức khen thưởng",
        "Đề nghị: tập thể",
        "Đề nghị: cá nhân",
        "Được khen thưởng: tập thể",
        "Được khen thưởng: cá nhân",
        "Được khen thưởng: tổng số",
    )
    assert ("Bằng khen của Chủ tịch UBND tỉnh", 2, 0, 2, 0, 2) in rows
    assert rows[-1] == ("Tổng cộng", 4, 0, 4, 0, 4)
    conferences = list(workbook["Hội nghị"].iter_rows(values_only=True))
    ktd6 = Bloc.objects.get(council=council, code="KTĐ6").name
    row = next(row for row in conferences if row[0] == ktd6)
    assert row[1].date() == date(2021, 2, 2) and row[3:] == ("Có", "Có")
    late = list(workbook["Khối, cụm nộp chậm"].iter_rows(values_only=True))
    assert late[1][0] == Bloc.objects.get(council=council, code="KTĐ1").name


def test_the_printed_report_says_what_the_page_says(officer_client):
    council = Council.objects.get(name=AN_GIANG)
    pdf = officer_client.get(reverse("blocs:council_year_pdf", args=[council.pk, 2020])).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)
    for part in (
        "UBND TỈNH AN GIANG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Kết quả công tác thi đua, khen thưởng của các khối, cụm thi đua năm 2020",
        "1. Khối, cụm thi đua và đơn vị trưởng",
        "2. Hội nghị tổng kết",
        "5. Đề nghị và khen thưởng theo hình thức khen thưởng",
        "8. Khối, cụm thi đua nộp hồ sơ đề nghị chậm",
        "02/02/2021",
        "Bằng khen chuyên đề",
        "Tổng cộng",
    ):
        assert part in text, part
    docx = officer_client.get(reverse("blocs:council_year_docx", args=[council.pk, 2020])).content
    words = docx_text(docx)
    assert "BÁO CÁO" in words and "02/02/2021" in words and "Bằng khen chuyên đề" in words


def test_the_page_shows_each_chart_beside_its_table(officer_client):
    council = Council.objects.get(name=TUYEN_QUANG)
    officer_client.force_login(User.objects.get(username="canbo.tuyenquang"))
    page = officer_client.get(reverse("blocs:council_year", args=[council.pk, 2021])).content.decode()
    for key in ("pledges", "awards", "states", "years"):
        assert f'id="report-{key}"' in page and f'aria-describedby="report-{key}"' in page, key
    assert "Khen thưởng theo hình thức khen thưởng" in page
    other = Council.objects.get(name=AN_GIANG)
    assert officer_client.get(reverse("blocs:council_year", args=[other.pk, 2021])).status_code == 404
