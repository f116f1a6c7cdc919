"""Years and ids in URLs obey the bloc's years and the reader's years (docs/domain.md,
"Which year a record belongs to").

* Every file download of a bloc's document is read with ``can_read_bloc_year`` on the year its SUBJECT
  is about — the year a meeting reviews, the year a pledge commits to, the year of a submission's
  achievements, the year of a membership list — never on ``IssuedDocument.year``, the calendar year of
  issue: the minutes of the conference reviewing 2020, held on 02/02/2021, are 2020's though their number
  is of 2021's register. A unit that left the bloc after 2020 reads 2020's files and not 2021's; a unit
  that joined in 2022 reads neither.
* Every URL with a bloc and a year answers 404 for a year outside the bloc's years
  (``blocs.web.bloc_year_span``: the first membership year to the later of the last one and the council's
  current year + 1), and a year is four digits (``<year:year>``): ``/0000/`` and a 20-digit year never
  reach a view's database work. The URLconf is walked, so a new pattern cannot be forgotten.
* Integers of query strings go through ``blocs.web.query_int`` / ``query_year``: a 20-digit id, -1, "abc"
  or "1e3" gives the page with its default (200), never a 500 (SQLite raised OverflowError).
* The attendance rows of the results page accept only the bloc's members of the year, and the refusal
  names no unit; a meeting moves only to a year of the bloc that the user manages.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from awards import services as awards_services
from awards.catalogue import PROVINCIAL_FLAG
from awards.models import AwardType, Proposal, Registration, Submission
from blocs.converters import YearConverter
from blocs.models import Bloc, Membership, Seat, SeatWrite
from blocs.print_views import membership_list_subject_key
from blocs.web import ID_MAX, bloc_year_span, int_or_none, query_int, query_year
from documents.models import FileJob, IssuedDocument
from meetings.models import Meeting, MeetingAttendance, Minutes, MinutesScan, MinutesVersion
from pledges.models import Pledge, PledgeScan, PledgeVersion
from pledges.scoring.models import Criterion, Ranking, ScoringGroup, ScoringTable
from pledges.scoring.services import DirectEntry, ranking_enter_directly

from ..conftest import YEAR
from ..factories import CouncilFactory, UnitFactory
from ..fixtures.meetings import results_post_data
from ..fixtures.scoring import build_table
from ..roles import FORBIDDEN, MANAGERS, NOT_FOUND, OK, READERS, REDIRECT, ROLES, check_get

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <</Type/Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
HUGE = "99999999999999999999"  # 20 digits: more than any database integer
LEFT = YEAR - 1  # the left member's last year (2020)
JOINED = YEAR + 1  # the later joiner's first year (2022)


# The subjects of two years, each with every kind of file ------------------------------------------------


def _issued(bloc, *, doc_type: str, year: int, subject_key: str, number: int = 1) -> IssuedDocument:
    """A numbered document as ``documents.services`` stores it (no render: the file is a tiny PDF)."""
    document = IssuedDocument(
        issuer=f"bloc:{bloc.pk}",
        issuer_code=bloc.code,
        doc_type=doc_type,
        year=year,
        number=number,
        number_text=f"{number:02d}/{doc_type}-{bloc.code}",
        title=f"{doc_type} {subject_key}",
        subject_key=subject_key,
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    document.file.save(f"{doc_type.lower()}-{number:02d}-{year}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _scan_values() -> dict:
    return {"kind": "pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest(), "original_name": "scan.pdf"}


def _year_files(bloc, units, year: int, number: int) -> dict[str, str]:
    """Every downloadable file about ``year`` of the bloc, by kind: its URL.

    The calendar years of issue are the real ones and differ from ``year`` on purpose: the pledge of
    ``year`` is signed in December of ``year - 1``, the conference reviewing ``year`` meets in February of
    ``year + 1`` (for 2021: in December 2021), the cover letter goes out in January of ``year + 1``.
    """
    now = timezone.now()
    pledge = Pledge.objects.create(bloc=bloc, year=year)
    version = PledgeVersion.objects.create(
        pledge=pledge,
        number=1,
        state=PledgeVersion.State.FINAL,
        title=f"Giao ước thi đua năm {year}",
        signing_opened_at=now,
        finalised_at=now,
    )
    version.document = _issued(bloc, doc_type="GU", year=year - 1, subject_key=version.subject_key, number=number)
    version.save()
    pledge_scan = PledgeScan(version=version, **_scan_values())
    pledge_scan.file.save("gu-scan.pdf", ContentFile(PDF), save=False)
    pledge_scan.save()

    held_on = date(year + 1, 2, 2) if year < YEAR else date(year, 12, 28)
    meeting = Meeting.objects.create(
        bloc=bloc, kind=Meeting.Kind.YEAR_END, year=year, date=held_on, start_time=time(8), place="Hội trường"
    )
    minutes = Minutes.objects.create(meeting=meeting)
    minutes_version = MinutesVersion.objects.create(
        minutes=minutes, number=1, state=MinutesVersion.State.FINAL, content={}, finalised_at=now
    )
    minutes_version.document = _issued(
        bloc, doc_type="BB", year=held_on.year, subject_key=minutes_version.subject_key, number=number
    )
    minutes_version.save()
    minutes_scan = MinutesScan(version=minutes_version, **_scan_values())
    minutes_scan.file.save("bb-scan.pdf", ContentFile(PDF), save=False)
    minutes_scan.save()

    award_type = AwardType.objects.get(council=bloc.council, code=PROVINCIAL_FLAG)
    proposal = awards_services.proposal_save(
        bloc=bloc,
        year=year,
        award_type=award_type,
        unit=units["farmers"],
        tally=awards_services.Tally(acclamation=True),
        achievement_report=ContentFile(PDF, name="bao-cao.pdf"),
        by=None,
    )
    submission = Submission.objects.create(bloc=bloc, year=year, sequence=1, submitted_on=date(year + 1, 1, 10))
    submission.document = _issued(  # its cover letter (documents.Issuable)
        bloc, doc_type="TTr", year=year + 1, subject_key=f"award_submission:{submission.pk}", number=number
    )
    submission.save()
    membership_list = _issued(
        bloc, doc_type="DS", year=year, subject_key=membership_list_subject_key(bloc, year), number=number
    )
    scoring_table = build_table(bloc, year)
    ranking_enter_directly(bloc=bloc, year=year, entries=[DirectEntry(units["chair_unit"].pk, 1)], by=None)
    download = "blocs:issued_document_download"
    return {
        "membership list (issued)": reverse(download, args=[membership_list.pk]),
        "membership list (preview)": reverse("blocs:bloc_members_pdf", args=[bloc.pk, year]),
        "membership list (Word)": reverse("blocs:bloc_members_docx", args=[bloc.pk, year]),
        "pledge (issued)": reverse(download, args=[version.document_id]),
        "pledge PDF": reverse("pledges:pledge_pdf", args=[pledge.pk, 1]),
        "pledge Word": reverse("pledges:pledge_docx", args=[pledge.pk, 1]),
        "pledge scan": reverse("pledges:pledge_scan_download", args=[pledge_scan.pk]),
        "minutes (issued)": reverse(download, args=[minutes_version.document_id]),
        "minutes PDF": reverse("meetings:minutes_pdf", args=[meeting.pk, 1]),
        "minutes Word": reverse("meetings:minutes_docx", args=[meeting.pk, 1]),
        "minutes scan": reverse("meetings:minutes_scan_download", args=[minutes_scan.pk]),
        "achievement report": reverse("awards:proposal_report", args=[proposal.pk]),
        "cover letter (issued)": reverse(download, args=[submission.document_id]),
        "cover letter": reverse("awards:submission_cover_pdf", args=[submission.pk]),
        "cover letter (Word)": reverse("awards:submission_cover_docx", args=[submission.pk]),
        "scoring table (Excel)": reverse("scoring:table_xlsx", args=[scoring_table.pk]),
        "ranking (Excel)": reverse("scoring:ranking_xlsx", args=[bloc.pk, year]),
        "ranking PDF": reverse("scoring:ranking_pdf", args=[bloc.pk, year]),
        "ranking Word": reverse("scoring:ranking_docx", args=[bloc.pk, year]),
    }


@pytest.fixture
def files(bloc, units, seats, users) -> dict[int, dict[str, str]]:
    """{year: {kind: url}} for 2020 and 2021."""
    return {LEFT: _year_files(bloc, units, LEFT, 1), YEAR: _year_files(bloc, units, YEAR, 2)}


# The awards pages answer 404 to a unit of the bloc that may not read the year (awards.views._bloc_year);
# the pledge, minutes and document downloads answer 403, like their pages.
REFUSED = {"achievement report": NOT_FOUND, "cover letter": NOT_FOUND, "cover letter (Word)": NOT_FOUND}
# An issued cover letter's page sends its readers on to the issued document.
SERVED = {"cover letter": REDIRECT}


def readers(kind: str, **statuses: int) -> dict[str, int]:
    """READERS for one kind of file, with the given roles changed (the refusal of that kind for a
    unit of the bloc, the redirect of an issued cover letter)."""
    served = SERVED.get(kind, OK)
    row = {role: served if status == OK else status for role, status in READERS.items()}
    return row | statuses


def _check_every_file(client, files: dict[str, str], role: str, expected_for) -> None:
    for kind, url in files.items():
        check_get(client, url, expected_for(kind), role, name=kind)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("year", [LEFT, YEAR])
def test_every_file_of_a_year_is_for_the_readers_of_that_year(client_as, files, role, year):
    _check_every_file(client_as(role), files[year], role, readers)


@pytest.mark.parametrize("role", ROLES)
def test_a_unit_that_left_the_bloc_reads_its_years_files_and_not_the_next_years(client_as, files, units, role):
    Membership.objects.filter(unit=units["member_unit"]).update(last_year=LEFT)
    client = client_as(role)
    # 2020's minutes are filed under 2021 and 2021's pledge under 2020: the subject's year decides.
    _check_every_file(client, files[LEFT], role, readers)
    _check_every_file(client, files[YEAR], role, lambda kind: readers(kind, member=REFUSED.get(kind, FORBIDDEN)))


@pytest.mark.parametrize("role", ROLES)
def test_a_unit_that_joins_later_reads_no_file_of_the_years_before(client_as, files, units, role):
    Membership.objects.filter(unit=units["member_unit"]).update(first_year=JOINED)
    client = client_as(role)
    for year in (LEFT, YEAR):
        _check_every_file(client, files[year], role, lambda kind: readers(kind, member=REFUSED.get(kind, FORBIDDEN)))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("year", [LEFT, YEAR])
def test_the_news_draft_files_answer_as_the_news_page(client_as, files, role, year):
    """The news draft's PDF and Word are the news page's draft: whoever may draft the news of the meeting's
    year (``can_manage_bloc_year``), and nobody else."""
    client = client_as(role)
    meeting = resolve(files[year]["minutes PDF"]).kwargs["pk"]
    page = client.get(reverse("meetings:meeting_news", args=[meeting])).status_code
    for name in ("meetings:news_pdf", "meetings:news_docx"):
        url = reverse(name, args=[meeting])
        assert client.get(url).status_code == page, name
        if year == YEAR:
            check_get(client, url, MANAGERS, role, name=name)


def test_the_2020_minutes_issued_in_2021_are_read_as_2020s(files):
    """The premise of the tests above: the issue years differ from the subjects' years."""
    minutes = IssuedDocument.objects.get(doc_type="BB", number=1)  # reviewing 2020
    pledge = IssuedDocument.objects.get(doc_type="GU", number=2)  # committing to 2021
    assert (minutes.year, pledge.year) == (YEAR, LEFT)
    assert resolve(files[LEFT]["minutes (issued)"]).kwargs == {"pk": minutes.pk}


def test_a_bloc_document_whose_subject_is_unknown_or_of_another_bloc_is_not_served(client_as, bloc, users):
    from ..factories import BlocFactory

    other = BlocFactory(council=bloc.council, code="KTĐ7")
    unknown = _issued(bloc, doc_type="XX", year=YEAR, subject_key="something:1")
    elsewhere = _issued(bloc, doc_type="DS", year=YEAR, subject_key=membership_list_subject_key(other, YEAR))
    client = client_as("officer")
    for document in (unknown, elsewhere):
        assert client.get(reverse("blocs:issued_document_download", args=[document.pk])).status_code == NOT_FOUND


# Years of URLs: the bloc's years only, four digits ------------------------------------------------------


def _patterns(resolvers=None, prefix=""):
    """Every (route, pattern, namespace-qualified name) of the URLconf."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _patterns(entry.url_patterns, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield str(entry.pattern), entry, prefix + entry.name


def _year_patterns() -> list[tuple[str, str]]:
    found = []
    for route, pattern, name in _patterns():
        converters = getattr(pattern.pattern, "converters", {})
        if "year" in converters or "<year" in route:
            found.append((name, route))
    return found


YEAR_PATTERNS = _year_patterns()


# The council's year report: its ``pk`` is the council's, and its years the council's (``reporting.
# council_year_span``: its blocs' years together), which for the fixture's one bloc are the bloc's.
COUNCIL_YEARS = {"blocs:council_year", "blocs:council_year_xlsx", "blocs:council_year_pdf", "blocs:council_year_docx"}


def _year_url(name: str, bloc, year: int) -> str:
    return reverse(name, kwargs={"pk": bloc.council_id if name in COUNCIL_YEARS else bloc.pk, "year": year})


def test_every_year_in_a_path_is_a_four_digit_year():
    """A year in a path is ``<year:year>``, never ``<int:year>`` (which matches 20 digits); the pattern's
    other argument is the bloc (the council, for the council's year report), so the walk below can build
    every URL."""
    assert COUNCIL_YEARS <= {name for name, _route in YEAR_PATTERNS}
    assert len(YEAR_PATTERNS) >= 10
    for route, pattern, name in _patterns():
        converters = getattr(pattern.pattern, "converters", {})
        for argument, converter in converters.items():
            if "year" in argument:
                assert isinstance(converter, YearConverter), f"{name}: {route}"
    for name, route in YEAR_PATTERNS:
        assert set(re.findall(r"<(?:\w+:)?(\w+)>", route)) == {"pk", "year"}, f"{name}: {route}"


def _row_counts() -> dict[str, int]:
    """Everything a bloc-year URL could write."""
    models = [IssuedDocument, Pledge, PledgeVersion, Proposal, Submission, Registration, Seat, SeatWrite, Meeting]
    models += [ScoringTable, ScoringGroup, Criterion, Ranking]
    return {model.__name__: model.objects.count() for model in models}


# The ranking's files are served once a ranking of the year is stored (404 before, like a year outside).
NEED_A_RANKING = {"scoring:ranking_xlsx", "scoring:ranking_pdf", "scoring:ranking_docx"}


@pytest.mark.parametrize(("name", "route"), YEAR_PATTERNS, ids=[row[0] for row in YEAR_PATTERNS])
def test_a_year_outside_the_blocs_years_is_not_a_page(client_as, bloc, units, users, name, route):
    """The bloc's years are 2018 (its first members) to 2022 (the council's current year + 1)."""
    assert bloc_year_span(bloc) == (2018, YEAR + 1)
    if name in NEED_A_RANKING:
        ranking_enter_directly(bloc=bloc, year=YEAR, entries=[DirectEntry(units["chair_unit"].pk, 1)], by=None)
    client = client_as("officer")
    client.raise_request_exception = False  # a 500 is a failure to report, not an exception to stop at
    served = client.get(_year_url(name, bloc, YEAR))
    assert served.status_code != NOT_FOUND, f"{name} is not a page even in {YEAR}"
    before = _row_counts()
    for year in (0, 2017, YEAR + 2, 9999):
        url = _year_url(name, bloc, year)
        answers = {client.get(url).status_code, client.post(url, {"confirm": "on"}).status_code}
        assert answers <= {NOT_FOUND, 405} and NOT_FOUND in answers, f"{url}: {answers}"
    assert _row_counts() == before


@pytest.mark.parametrize(("name", "route"), YEAR_PATTERNS, ids=[row[0] for row in YEAR_PATTERNS])
def test_a_twenty_digit_year_is_no_url(client_as, bloc, users, name, route):
    url = _year_url(name, bloc, YEAR).replace(f"/{YEAR:04d}/", f"/{HUGE}/")
    url = url.replace(f"/{YEAR:04d}.", f"/{HUGE}.")
    assert HUGE in url
    with pytest.raises(Resolver404):
        resolve(url)
    client = client_as("officer")
    assert client.get(url).status_code == NOT_FOUND
    assert client.post(url).status_code == NOT_FOUND


def test_the_membership_list_of_year_0_is_never_issued(client_as, bloc, users):
    before = IssuedDocument.objects.count()
    client = client_as("officer")
    assert client.post(f"/blocs/{bloc.pk}/members/0/issue/").status_code == NOT_FOUND
    assert client.post(f"/blocs/{bloc.pk}/members/0000/issue/").status_code == NOT_FOUND
    assert client.post(f"/blocs/{bloc.pk}/members/{HUGE}/issue/").status_code == NOT_FOUND
    assert IssuedDocument.objects.count() == before


def test_year_links_lead_only_to_the_blocs_years(client_as, bloc, users):
    client = client_as("officer")
    page = client.get(reverse("pledges:pledge_detail", args=[bloc.pk, YEAR + 1])).content.decode()
    assert reverse("pledges:pledge_detail", args=[bloc.pk, YEAR]) in page
    assert reverse("pledges:pledge_detail", args=[bloc.pk, YEAR + 2]) not in page
    page = client.get(reverse("pledges:pledge_detail", args=[bloc.pk, 2018])).content.decode()
    assert reverse("pledges:pledge_detail", args=[bloc.pk, 2017]) not in page
    response = client.get(reverse("awards:bloc_year", args=[bloc.pk, YEAR + 1]))
    assert list(response.context["years"]) == [2019, 2020, 2021, 2022]


def test_the_blocs_years_run_from_its_first_member_to_the_next_year_or_its_last_member(bloc, units, council):
    assert bloc_year_span(bloc) == (2018, 2022)
    Membership.objects.filter(bloc=bloc).update(last_year=2019)
    # The span is kept on the instance for the request: read the bloc again.
    assert bloc_year_span(Bloc.objects.get(pk=bloc.pk)) == (2018, 2022)  # past years stay; the next year stays open
    Membership.objects.filter(unit=units["farmers"]).update(first_year=2024, last_year=2025)
    assert bloc_year_span(Bloc.objects.get(pk=bloc.pk)) == (2018, 2025)
    Membership.objects.filter(bloc=bloc).delete()
    assert bloc_year_span(Bloc.objects.get(pk=bloc.pk)) == (2021, 2022)  # no members yet: the current year and the next


# Integers of query strings ------------------------------------------------------------------------------

BAD_VALUES = [HUGE, "-1", "abc", "1e3", "2021.0", "١٢"]

# (url, parameter): every page that reads an integer from its query string. Each answers 200 with its
# default when the value is bad — none answers 404 for a query parameter.
QUERY_PARAMETERS = [
    ("/", "year"),
    ("/", "page"),
    ("/blocs/{bloc}/", "year"),
    ("/blocs/", "page"),
    ("/units/", "page"),
    ("/accounts/users/", "page"),
    ("/blocs/{bloc}/pledges/2021/", "v"),
    ("/blocs/{bloc}/meetings/new/", "year"),
    ("/meetings/", "year"),
    ("/meetings/", "page"),
    ("/awards/review/", "year"),
    ("/awards/review/", "bloc"),
    ("/awards/review/", "award_type"),
    ("/awards/review/", "page"),
    ("/awards/decisions/", "page"),
    ("/awards/decisions/new/", "year"),
    ("/awards/decisions/new/", "award_type"),
    ("/awards/list/", "year"),
    ("/awards/list/", "bloc"),
    ("/awards/list/", "award_type"),
    ("/awards/list.xlsx", "year"),
    ("/awards/list.xlsx", "bloc"),
    ("/awards/list.xlsx", "award_type"),
]


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize(("path", "parameter"), QUERY_PARAMETERS, ids=[f"{p}?{q}" for p, q in QUERY_PARAMETERS])
def test_a_bad_integer_in_the_query_string_gives_the_default_page(client_as, bloc, users, path, parameter, value):
    client = client_as("officer")
    client.raise_request_exception = False
    from pledges.services import pledge_create

    if "pledges" in path:
        pledge_create(bloc=bloc, year=YEAR, by=None)
    response = client.get(path.format(bloc=bloc.pk), {parameter: value})
    assert response.status_code == OK, f"{path}?{parameter}={value}"
    if parameter == "year" and response.context and "year" in response.context:
        assert response.context["year"] in (None, YEAR, YEAR - 1), "the default year"


@pytest.mark.parametrize("path", ["/awards/list.pdf", "/awards/list.docx"])
def test_the_award_list_pdf_ignores_a_huge_bloc_id(client_as, bloc, users, path):
    client = client_as("officer")
    client.raise_request_exception = False
    response = client.post(f"{path}?bloc={HUGE}&award_type={HUGE}&year={HUGE}")
    assert response.status_code == 302  # the job starts with the default year and no bloc or type filter
    params = FileJob.objects.latest("pk").params
    assert (params["bloc_id"], params["award_type_id"]) == (None, None)
    assert params["year"] == bloc.council.current_year - 1


def test_query_int_bounds_ids_and_years():
    request = RequestFactory().get(
        "/", {"max": str(ID_MAX), "over": str(ID_MAX + 1), "neg": "-1", "spaced": " 12 ", "arabic": "١٢", "y": "2021"}
    )
    assert query_int(request, "max") == ID_MAX
    assert query_int(request, "over") is None
    assert query_int(request, "neg", default=7) == 7
    assert query_int(request, "neg", minimum=-5, maximum=5) == -1
    assert query_int(request, "spaced") == 12
    assert query_int(request, "arabic") is None
    assert query_int(request, "missing", default=3) == 3
    assert query_year(request, 2000, name="y") == 2021
    assert query_year(request, 2000, name="max") == 2000
    assert int_or_none("1e3", minimum=0, maximum=10**9) is None
    assert int_or_none("9" * 5000, minimum=0, maximum=10**9) is None


APPS = ["blocs", "pledges", "awards", "meetings", "documents"]


def test_no_view_converts_a_query_parameter_by_hand():
    """Every integer of a query string goes through blocs.web (query_int, query_year, paginate)."""
    root = Path(__file__).resolve().parents[2]
    by_hand = re.compile(r"int\(\s*request\.GET|request\.GET[^\n]*\.isdigit\(\)|request\.GET\[")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for app in APPS
        for path in sorted((root / app).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert offenders == []


# The results page's attendance and a meeting's year ----------------------------------------------------


@pytest.fixture
def meeting(bloc, units, seats, users) -> Meeting:
    from meetings import services

    return services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=date(YEAR, 12, 28),
        start_time=time(14, 0),
        place="Hội trường Ủy ban MTTQ tỉnh",
        host_unit=units["chair_unit"],
        guests=[],
        by=users["chair"],
    )


def test_the_attendance_accepts_only_the_blocs_members_and_names_no_other_unit(client_as, meeting, units):
    foreign = UnitFactory(
        council=CouncilFactory(name="Hội đồng Thi đua – Khen thưởng tỉnh Cao Bằng"), name="Sở Tài chính tỉnh Cao Bằng"
    )
    outside = units["outside_unit"]  # of the same council, not in the bloc
    client = client_as("chair")
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    for intruder in (foreign, outside):
        data = results_post_data(client.get(url))
        data["attendance-0-unit"] = str(intruder.pk)
        data["attendance-0-present"] = "on"
        response = client.post(url, data)
        assert response.status_code == OK
        page = response.content.decode()
        assert intruder.name not in page
        row = response.context["attendance"].forms[0]
        assert row.errors["unit"] == ["Đơn vị này không phải là đơn vị thành viên của năm tổng kết."]
        assert not MeetingAttendance.objects.filter(meeting=meeting).exists()
        meeting.refresh_from_db()
        assert not meeting.is_held


def _edit_data(meeting, **changes) -> dict[str, str]:
    data = {
        "kind": meeting.kind,
        "year": str(meeting.year),
        "title": "",
        "date": f"{meeting.date:%Y-%m-%d}",
        "start_time": "14:00",
        "end_time": "",
        "place": meeting.place,
        "host_unit": "",
        "presiding_name": "",
        "presiding_title": "",
        "secretary_name": "",
        "secretary_title": "",
        "agenda": "",
        "guests-TOTAL_FORMS": "0",
        "guests-INITIAL_FORMS": "0",
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["vice_chair", "chair"])
def test_a_seat_holder_cannot_move_a_meeting_into_a_year_it_does_not_manage(client_as, meeting, role):
    client = client_as(role)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    for year in ("2019", "2019.0"):
        response = client.post(url, _edit_data(meeting, year=year))
        assert response.status_code == OK
        errors = response.context["form"].errors["year"]
        assert errors == [
            "Bạn không phụ trách Khối thi đua các tổ chức chính trị - xã hội năm 2019: hãy chọn năm "
            "bạn phụ trách hoặc đề nghị cán bộ Ban Thi đua – Khen thưởng thực hiện."
        ]
        meeting.refresh_from_db()
        assert meeting.year == YEAR


def test_a_seat_holder_cannot_schedule_a_meeting_in_a_year_it_does_not_manage(client_as, meeting, bloc):
    client = client_as("vice_chair")
    url = reverse("meetings:meeting_schedule", args=[bloc.pk])
    before = Meeting.objects.count()
    # The page is opened for 2021 (the year it manages); the form says 2019 in a way int() refused.
    response = client.post(url, _edit_data(meeting, kind="mid_year", year="2019.0"))
    assert response.status_code == OK
    assert "year" in response.context["form"].errors
    assert client.post(url, _edit_data(meeting, kind="mid_year", year="2019")).status_code == FORBIDDEN
    assert Meeting.objects.count() == before


def test_an_officer_moves_a_meeting_within_the_blocs_years_only(client_as, meeting):
    client = client_as("officer")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    response = client.post(url, _edit_data(meeting, year="2017"))
    assert response.status_code == OK
    assert response.context["form"].errors["year"] == [
        "Năm phải thuộc các năm của Khối thi đua các tổ chức chính trị - xã hội: từ 2018 đến 2022."
    ]
    assert client.post(url, _edit_data(meeting, year="2019")).status_code == REDIRECT
    meeting.refresh_from_db()
    assert meeting.year == 2019
