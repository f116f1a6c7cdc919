"""The meetings pages: every view with the six roles and another council's officer (GET and POST; a
refusal changes nothing), the one-page results form (errors next to their fields, nothing saved),
downloads, and query counts that stay flat as data grows."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.catalogue import BLOC_EXEMPLARY_INDIVIDUAL, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from blocs.models import Seat
from meetings import services
from meetings.forms import _units, choices_of
from meetings.models import Meeting, MinutesScan, MinutesVersion

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..fixtures.meetings import MEETING_DAY, PDF, docx_text, pdf_text, results_post_data, row_counts
from ..roles import CONFIRMED, COUNCIL_OFFICERS, FORBIDDEN, MANAGERS, OK, READERS, REDIRECT, ROLES, check_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def final(meeting, record, users):
    """The conference recorded, its minutes final (PDF made on the first download) with a signed scan."""
    record()
    version = services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    services.minutes_scan_upload(version=version, file=SimpleUploadedFile("bien-ban.pdf", PDF), by=users["chair"])
    return meeting


def scan_of(meeting) -> MinutesScan:
    return MinutesScan.objects.get(version__minutes__meeting=meeting)


GET_MATRIX = [
    ("bloc_meetings", lambda m: reverse("meetings:bloc_meetings", args=[m.bloc_id]), READERS),
    ("meeting_schedule", lambda m: reverse("meetings:meeting_schedule", args=[m.bloc_id]) + f"?year={YEAR}", MANAGERS),
    ("meeting_detail", lambda m: reverse("meetings:meeting_detail", args=[m.pk]), READERS),
    ("meeting_edit", lambda m: reverse("meetings:meeting_edit", args=[m.pk]), MANAGERS),
    ("meeting_results", lambda m: reverse("meetings:meeting_results", args=[m.pk]), MANAGERS),
    ("meeting_news", lambda m: reverse("meetings:meeting_news", args=[m.pk]), MANAGERS),
    ("news_pdf", lambda m: reverse("meetings:news_pdf", args=[m.pk]), MANAGERS),
    ("news_docx", lambda m: reverse("meetings:news_docx", args=[m.pk]), MANAGERS),
    ("minutes_pdf", lambda m: reverse("meetings:minutes_pdf", args=[m.pk, 1]), READERS),
    ("minutes_docx", lambda m: reverse("meetings:minutes_docx", args=[m.pk, 1]), READERS),
    ("minutes_correction", lambda m: reverse("meetings:minutes_correction", args=[m.pk]), MANAGERS),
    ("minutes_scan_upload", lambda m: reverse("meetings:minutes_scan_upload", args=[m.pk, 1]), MANAGERS),
    ("minutes_scan_download", lambda m: reverse("meetings:minutes_scan_download", args=[scan_of(m).pk]), READERS),
    ("overview", lambda m: reverse("meetings:overview") + f"?year={YEAR}", COUNCIL_OFFICERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, final, role, name, url, expected):
    check_get(client_as(role), url(final), expected, role, name=name)


def test_a_past_member_may_not_read_a_year_it_did_not_belong_to(client_as, final, units, users):
    from blocs.models import Membership

    Membership.objects.filter(unit=units["member_unit"]).update(last_year=YEAR - 1)
    response = client_as("member").get(reverse("meetings:meeting_detail", args=[final.pk]))
    assert response.status_code == FORBIDDEN


# POST: allowed roles change things, refused roles change nothing ---------------------------------------


def _schedule_data(**changes):
    data = {
        "kind": "mid_year",
        "year": str(YEAR),
        "title": "",
        "date": "2021-07-15",
        "start_time": "08:00",
        "end_time": "11:00",
        "place": "Hội trường tầng 2",
        "host_unit": "",
        "presiding_name": "Nguyễn Văn Hòa",
        "presiding_title": "Chủ tịch",
        "secretary_name": "Lê Thị Thu",
        "secretary_title": "Chuyên viên",
        "agenda": "",
        "guests-TOTAL_FORMS": "1",
        "guests-INITIAL_FORMS": "0",
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "1000",
        "guests-0-name": "",
        "guests-0-position": "Đại diện Lãnh đạo",
        "guests-0-organisation": "Ban Thi đua – Khen thưởng",
    }
    data.update(changes)
    return data


def _post_schedule(client, meeting, users):
    return client.post(reverse("meetings:meeting_schedule", args=[meeting.bloc_id]), _schedule_data())


def _post_edit(client, meeting, users):
    return client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        _schedule_data(kind="year_end", date="2021-12-28", place="Nơi khác"),
    )


def _post_delete(client, meeting, users):
    return client.post(reverse("meetings:meeting_delete", args=[meeting.pk]), CONFIRMED)


def _post_results(client, meeting, users):
    from django.test import Client

    page = Client()
    page.force_login(users["chair"])
    data = results_post_data(page.get(reverse("meetings:meeting_results", args=[meeting.pk])))
    data["report_summary"] = "Năm 2021 hoàn thành xuất sắc."
    return client.post(reverse("meetings:meeting_results", args=[meeting.pk]), data)


def _post_finalise(client, meeting, users):
    return client.post(reverse("meetings:minutes_finalise", args=[meeting.pk]), CONFIRMED)


def _post_correction(client, meeting, users):
    return client.post(reverse("meetings:minutes_correction", args=[meeting.pk]), {"reason": "Sửa số phiếu"})


def _post_scan(client, meeting, users):
    return client.post(
        reverse("meetings:minutes_scan_upload", args=[meeting.pk, 1]),
        {"file": SimpleUploadedFile("scan.pdf", PDF)},
    )


def _post_retry(client, meeting, users):
    return client.post(reverse("meetings:minutes_pdf_retry", args=[meeting.pk, 1]), CONFIRMED)


# (name, poster, state of the meeting before: scheduled / held / final)
POST_MATRIX = [
    ("meeting_schedule", _post_schedule, "scheduled"),
    ("meeting_edit", _post_edit, "scheduled"),
    ("meeting_delete", _post_delete, "scheduled"),
    ("meeting_results", _post_results, "scheduled"),
    ("minutes_finalise", _post_finalise, "held"),
    ("minutes_correction", _post_correction, "final"),
    ("minutes_scan_upload", _post_scan, "final"),
    ("minutes_pdf_retry", _post_retry, "final"),
]


def _snapshot(meeting) -> tuple:
    counts = row_counts()
    counts.pop("meetings.HistoricalMinutesVersion", None)
    row = Meeting.objects.filter(pk=meeting.pk).values("place", "status", "report_summary").first()
    versions = list(MinutesVersion.objects.values_list("number", "state", "document_id"))
    return counts, row, versions


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "poster", "state"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX])
def test_post_permissions(client_as, meeting, record, users, role, name, poster, state):
    if state in ("held", "final"):
        record()
    if state == "final":
        services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    expected = MANAGERS[role]
    before = _snapshot(meeting)
    response = poster(client_as(role), meeting, users)
    if expected == OK:
        assert response.status_code == REDIRECT, (
            name,
            role,
            getattr(response, "context", None) and response.context.get("form"),
        )
        assert _snapshot(meeting) != before, f"{name} as {role} changed nothing"
    else:
        assert response.status_code == expected, f"{name} as {role}"
        if expected == REDIRECT:
            assert response.url.startswith(reverse("blocs:login"))
        assert _snapshot(meeting) == before, f"{name} as {role} changed something"


# The results page ---------------------------------------------------------------------------------------


def test_results_page_lists_the_members_and_offers_the_rotation_suggestion_beside(client_as, meeting, units):
    response = client_as("chair").get(reverse("meetings:meeting_results", args=[meeting.pk]))
    main = response.context["main"]
    # 2021: chair MTTQ, vice LĐLĐ → 2022 suggestion: LĐLĐ chair, the longest without a seat (LHPN) vice;
    # offered beside the election, never in its fields (a suggestion is never a fact), and the handover is
    # not pre-ticked.
    suggestion = response.context["suggestion"]
    assert (suggestion.chair, suggestion.vice_chairs) == (units["vice_unit"], [units["member_unit"]])
    assert not main.initial.get("election_chair") and not main.initial.get("handover_recorded")
    assert [form.unit_name for form in response.context["attendance"]] == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Liên đoàn Lao động tỉnh",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Nông dân tỉnh",
        "Hội Cựu chiến binh tỉnh",
    ]
    page = response.content.decode()
    assert 'src="/static/js/formset.js"' in page
    assert "data-empty-form" in page


def test_recording_through_the_page_saves_everything(client_as, meeting, awards, units, bloc):
    client = client_as("chair")
    data = results_post_data(client.get(reverse("meetings:meeting_results", args=[meeting.pk])))
    data.update(
        {
            "report_summary": "Năm 2021 hoàn thành xuất sắc.",
            "votes-0-award_type": str(awards[PROVINCIAL_FLAG].pk),
            "votes-0-unit": str(units["member_unit"].pk),
            "votes-0-acclamation": "on",
            "votes-TOTAL_FORMS": "2",
            "votes-1-award_type": str(awards[CHAIRMAN_CERTIFICATE].pk),
            "votes-1-unit": str(units["farmers"].pk),
            "votes-1-members_present": "5",
            "votes-1-ballots_cast": "5",
            "votes-1-votes_for": "4",
            "awards-0-award_type": str(awards[BLOC_EXEMPLARY_INDIVIDUAL].pk),
            "awards-0-unit": str(units["veterans"].pk),
            "awards-0-person_name": "Phạm Văn Long",
            "awards-0-person_position": "Chánh Văn phòng",
            # Nothing of the election or the handover is pre-filled: the chair types what happened.
            "election_chair": str(units["vice_unit"].pk),
            "election_vice_1": str(units["member_unit"].pk),
            "handover_recorded": "on",
            "handover_outgoing": str(units["chair_unit"].pk),
            "handover_incoming": str(units["vice_unit"].pk),
            "handover_flag": "on",
            "attendance_state": "list",
            **{f"attendance-{index}-present": "on" for index in range(5)},
        }
    )
    response = client.post(reverse("meetings:meeting_results", args=[meeting.pk]), data)
    assert response.status_code == REDIRECT
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.report_summary == "Năm 2021 hoàn thành xuất sắc."
    assert meeting.votes.count() == 2 and meeting.bloc_awards.count() == 1
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LDLD", 0), ("LHPN", 1)]
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Phạm Văn Long" in detail and "4/5 phiếu tán thành" in detail


def test_an_error_shows_next_to_its_field_and_nothing_is_saved(client_as, meeting, awards, units, bloc):
    client = client_as("chair")
    data = results_post_data(client.get(reverse("meetings:meeting_results", args=[meeting.pk])))
    data.update(
        {
            "votes-0-award_type": str(awards[PROVINCIAL_FLAG].pk),
            "votes-0-unit": str(units["member_unit"].pk),
            "votes-0-members_present": "5",
            "votes-0-ballots_cast": "5",
            "votes-0-votes_for": "6",
            "election_chair": str(units["vice_unit"].pk),
            "election_vice_1": str(units["vice_unit"].pk),  # the chair elected again as vice-chair
            "attendance_state": "list",
            **{f"attendance-{index}-present": "on" for index in range(5)},
        }
    )
    before = row_counts()
    response = client.post(reverse("meetings:meeting_results", args=[meeting.pk]), data)
    assert response.status_code == OK
    assert row_counts() == before
    votes = response.context["votes"]
    assert votes.forms[0].errors["votes_for"] == ["Số phiếu tán thành (6) không được vượt quá số phiếu bầu (5)."]
    assert "không thể được bầu đồng thời làm Khối trưởng" in response.context["main"].errors["election_vice_1"][0]
    page = response.content.decode()
    assert "Chưa có dữ liệu nào được lưu: vui lòng sửa các lỗi nêu dưới đây." in page
    message = "Số phiếu tán thành (6) không được vượt quá số phiếu bầu (5)."
    assert page.index(message) > page.index('name="votes-0-votes_for"')
    assert not Seat.objects.filter(bloc=bloc, year=YEAR + 1).exists()


def test_final_minutes_lock_the_results_page(client_as, final):
    client = client_as("chair")
    response = client.get(reverse("meetings:meeting_results", args=[final.pk]))
    assert response.context["locked"]
    before = row_counts()
    response = client.post(reverse("meetings:meeting_results", args=[final.pk]), {"report_summary": "x"})
    assert response.status_code == REDIRECT
    assert row_counts() == before


# Downloads ---------------------------------------------------------------------------------------------


def test_the_final_pdf_is_numbered_on_first_download_and_served_as_issued(client_as, final):
    client = client_as("member")
    first = b"".join(client.get(reverse("meetings:minutes_pdf", args=[final.pk, 1])).streaming_content)
    second = b"".join(client.get(reverse("meetings:minutes_pdf", args=[final.pk, 1])).streaming_content)
    assert first == second and first.startswith(b"%PDF")
    text = pdf_text(first)
    assert "Số: 01/BB-KTĐ6" in text and "DỰ THẢO" not in text
    version = MinutesVersion.objects.get(minutes__meeting=final)
    import hashlib

    assert version.document.sha256 == hashlib.sha256(first).hexdigest()
    detail = client.get(reverse("meetings:meeting_detail", args=[final.pk])).content.decode()
    assert version.document.sha256 in detail


def test_the_draft_pdf_and_word_carry_the_draft_mark(client_as, meeting, record):
    record()
    client = client_as("member")
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk, 1]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "DỰ THẢO" in pdf_text(pdf.content)
    word = client.get(reverse("meetings:minutes_docx", args=[meeting.pk, 1]))
    assert word["Content-Disposition"].startswith("attachment")
    assert "DỰ THẢO" in docx_text(word.content)
    assert "Hội nghị thống nhất bầu Liên đoàn Lao động tỉnh làm Khối trưởng" in docx_text(word.content)


def test_a_render_failure_on_download_says_what_failed(client_as, meeting, record, monkeypatch):
    record()

    def broken(**kwargs):
        raise RuntimeError("WeasyPrint is missing")

    monkeypatch.setattr("meetings.views.minutes.minutes_pdf_render", broken)
    response = client_as("chair").get(reverse("meetings:minutes_pdf", args=[meeting.pk, 1]), follow=True)
    assert "WeasyPrint is missing" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_held  # the record is untouched


def test_the_news_page_holds_the_draft_in_a_textarea(client_as, meeting, record):
    record()
    page = client_as("chair").get(reverse("meetings:meeting_news", args=[meeting.pk])).content.decode()
    assert '<textarea class="form-control" id="news-text"' in page
    assert "tổng kết công tác thi đua, khen thưởng năm 2021" in page
    assert "data-copy" in page


def test_the_news_pdf_and_word_say_what_the_news_page_says(client_as, meeting, record):
    """One draft (meetings.news.news_draft), three places: the page, the PDF and the Word file, a plain
    document: no national header, no number, no signature, no draft mark."""
    from meetings.content import meeting_facts
    from meetings.news import news_draft

    record()
    draft = news_draft(meeting_facts(meeting))
    client = client_as("chair")
    page = client.get(reverse("meetings:meeting_news", args=[meeting.pk])).content.decode()
    assert reverse("meetings:news_pdf", args=[meeting.pk]) in page
    assert reverse("meetings:news_docx", args=[meeting.pk]) in page
    pdf = client.get(reverse("meetings:news_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "TIN-du-thao-KTD6-20211228.pdf" in pdf["Content-Disposition"]
    word = client.get(reverse("meetings:news_docx", args=[meeting.pk]))
    assert word["Content-Disposition"].startswith("attachment")
    assert "TIN-du-thao-KTD6-20211228.docx" in word["Content-Disposition"]
    pdf_words, word_text = pdf_text(pdf.content), docx_text(word.content)
    assert draft.title.upper() in pdf_words and draft.title.upper() in word_text
    for paragraph in draft.paragraphs:
        assert paragraph in pdf_words and paragraph in word_text, paragraph
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:", "DỰ THẢO", "THƯ KÝ", "CHỦ TỌA"):
        assert text not in pdf_words and text not in word_text, text


def test_a_news_render_failure_says_what_failed(client_as, meeting, record, monkeypatch):
    record()

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint is missing")

    monkeypatch.setattr("meetings.views.news.content_pdf", broken)
    response = client_as("chair").get(reverse("meetings:news_pdf", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:meeting_news", args=[meeting.pk])
    assert "WeasyPrint is missing" in response.content.decode()


def test_the_bloc_page_lists_the_years_meetings(client_as, meeting, bloc):
    page = client_as("member").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}").content.decode()
    assert 'id="bloc-meetings"' in page
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page


def test_the_overview_lists_blocs_without_a_year_end_conference(client_as, meeting, council):
    other = BlocFactory(council=council, name="Khối các sở, ngành", code="KSN")
    response = client_as("officer").get(reverse("meetings:overview") + f"?year={YEAR}")
    assert {b.pk for b in response.context["missing"]} == {meeting.bloc_id, other.pk}
    assert [m.pk for m in response.context["page"]] == [meeting.pk]
    # Another council's officer sees nothing of this council.
    response = client_as("other_officer").get(reverse("meetings:overview") + f"?year={YEAR}")
    assert list(response.context["page"]) == [] and meeting.bloc_id not in [b.pk for b in response.context["missing"]]


# Query counts stay flat ----------------------------------------------------------------------------------

# The results page reads each thing once, not once per member row: the same count for a bloc of 5 members
# as for one of 30, each with attendance, a vote and a bloc award recorded. 25 for a seat holder (19 for an
# officer): session, user and savepoint; the meeting with its election, handover and pledge signing; the
# minutes version; attendance, members, votes, bloc awards, award types; next year's seats, the elected
# seats' votes, the rotation suggestion (3), next year's members for the selects; next year's pledge; and
# the access checks of blocs.access (the chair's memberships and seats, the seat write, the closed year,
# who may prepare next year) and the user's unit in the page header.
RESULTS_PAGE_QUERIES = 25


def _grow(meeting, record, awards, bloc, council, size: int):
    """``size`` more member units, and the results recorded again for every member: a vote, a bloc award
    and attendance each; and ``size`` more blocs with a meeting of the year."""
    for index in range(size):
        unit = UnitFactory(council=council, name=f"Sở Thử nghiệm {Meeting.objects.count()}-{index}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=50 + index)
    members = [m.unit for m in bloc.members(YEAR)]
    record(
        attendance=[services.AttendanceEntry(unit=u, present=True, representatives="Lãnh đạo") for u in members],
        votes=[services.VoteEntry(award_type=awards[CHAIRMAN_CERTIFICATE], unit=u, acclamation=True) for u in members],
        bloc_awards=[
            services.BlocAwardEntry(award_type=awards[BLOC_EXEMPLARY_INDIVIDUAL], unit=u, person_name=f"Người {u.code}")
            for u in members
        ],
    )
    for _index in range(size):
        services.meeting_schedule(
            bloc=BlocFactory(council=council),
            kind=Meeting.Kind.YEAR_END,
            year=YEAR,
            date=MEETING_DAY,
            start_time=time(8),
            place="X",
            by=None,
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == OK
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_meeting_page_and_overview_queries_stay_flat(client_as, meeting, record, awards, bloc, council, role):
    client = client_as(role)
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    overview = reverse("meetings:overview") + f"?year={YEAR}"
    results = reverse("meetings:meeting_results", args=[meeting.pk])
    _grow(meeting, record, awards, bloc, council, 2)
    small = _queries(client, detail)
    small_results = _queries(client, results)
    small_overview = _queries(client, overview) if role == "officer" else 0
    _grow(meeting, record, awards, bloc, council, 10)
    large = _queries(client, detail)
    assert small == large <= 20, (small, large)
    # The results form: one query per select list, not one per row (savepoints and session included; the
    # elected seats' votes, next year's pledge and who may prepare it are four of them).
    assert small_results == _queries(client, results) <= RESULTS_PAGE_QUERIES, small_results
    if role == "officer":
        assert small_overview == _queries(client, overview) <= 20


def _members_recorded(meeting, record, awards, bloc, council, count: int) -> None:
    """The bloc grown to ``count`` members for the year, and every member's results recorded."""
    for index in range(count - len(bloc.members(YEAR))):
        unit = UnitFactory(council=council, name=f"Sở Thành viên {index}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=50 + index)
    members = [m.unit for m in bloc.members(YEAR)]
    assert len(members) == count
    record(
        attendance=[services.AttendanceEntry(unit=u, present=True, representatives="Lãnh đạo") for u in members],
        votes=[services.VoteEntry(award_type=awards[CHAIRMAN_CERTIFICATE], unit=u, acclamation=True) for u in members],
        bloc_awards=[
            services.BlocAwardEntry(award_type=awards[BLOC_EXEMPLARY_INDIVIDUAL], unit=u, person_name=f"Người {u.code}")
            for u in members
        ],
    )


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_the_results_page_costs_the_same_queries_for_5_members_as_for_30(
    client_as, meeting, record, awards, bloc, council, role
):
    client = client_as(role)
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    _members_recorded(meeting, record, awards, bloc, council, 5)
    five = _queries(client, url)
    _members_recorded(meeting, record, awards, bloc, council, 30)
    thirty = _queries(client, url)
    page = client.get(url)
    assert len(page.context["attendance"].forms) == 30 and len(page.context["votes"].initial) == 30
    # The unit selects list the year's members by name, as a query of them would.
    assert page.context["votes"].forms[0].fields["unit"].widget.choices == choices_of(_units(bloc, [YEAR]))
    assert five == thirty <= RESULTS_PAGE_QUERIES, (five, thirty)


def test_editing_a_meeting_whose_minutes_are_final_is_refused_on_the_page(client_as, final):
    before = _snapshot(final)
    response = client_as("chair").post(
        reverse("meetings:meeting_edit", args=[final.pk]), _schedule_data(kind="year_end", place="Nơi khác")
    )
    assert response.status_code == OK
    assert "Vui lòng tạo bản đính chính, kèm lý do" in response.content.decode()
    assert _snapshot(final) == before


def test_results_of_a_meeting_still_to_come_are_refused_on_the_page(client_as, bloc, users):
    from datetime import timedelta

    from django.utils import timezone

    soon = services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=timezone.localdate() + timedelta(days=2),
        start_time=time(8),
        place="Hội trường",
        by=users["chair"],
    )
    client = client_as("chair")
    data = results_post_data(client.get(reverse("meetings:meeting_results", args=[soon.pk])))
    response = client.post(reverse("meetings:meeting_results", args=[soon.pk]), data)
    assert response.status_code == OK
    assert "vui lòng ghi nhận kết quả sau khi hội nghị đã được tổ chức" in response.content.decode()
    soon.refresh_from_db()
    assert not soon.is_held
