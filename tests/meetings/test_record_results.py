"""The results page and the seats page start from what is recorded (a suggestion is
never a fact; sections of a form the user did not touch are not written; a save that changes recorded
seats shows what changes and asks to confirm)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from blocs.models import Seat, SeatWrite
from blocs.services import seats_set, seats_suggest
from meetings import services
from meetings.models import MeetingElection, MeetingHandover

from ..conftest import YEAR
from ..fixtures.meetings import results_post_data
from ..roles import OK, REDIRECT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def selected(page: str, name: str) -> str | None:
    """The value of the selected option of the select ``name`` (None: nothing selected)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return option.group(1) if option and option.group(1) else None


# --- The seats page --------------------------------------------------------------------------------------


def test_seats_page_of_a_year_without_seats_prefills_nothing_and_offers_the_suggestion_beside(client_as, bloc):
    page = client_as("officer").get(reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1])).content.decode()
    assert selected(page, "chair") is None
    assert all(selected(page, f"vice_{rank}") is None for rank in (1, 2, 3))
    # The suggestion stays beside the form, with its reasons and its own accept button.
    assert "Liên đoàn Lao động tỉnh" in page
    assert 'name="accept_suggestion"' in page


def test_seats_page_of_a_recorded_year_shows_the_recorded_seats(client_as, bloc, units):
    page = client_as("officer").get(reverse("blocs:seats_edit", args=[bloc.pk, YEAR])).content.decode()
    assert selected(page, "chair") == str(units["chair_unit"].pk)
    assert selected(page, "vice_1") == str(units["vice_unit"].pk)


def test_suggestion_without_a_year_before_says_so_and_not_that_its_vice_chair_left(bloc, units):
    with translation.override("vi"):
        suggestion = seats_suggest(bloc=bloc, year=2019)  # the bloc's first seats are those of 2021
        text = " ".join(str(reason) for reason in suggestion.reasons)
    assert "không còn là thành viên" not in text
    assert "Chưa ghi nhận chức danh nào của năm 2018" in text
    assert suggestion.chair == units["chair_unit"]


# --- The results page -----------------------------------------------------------------------------------


def results_url(meeting) -> str:
    return reverse("meetings:meeting_results", args=[meeting.pk])


def page_data(client, meeting, **changes) -> dict[str, str]:
    """The results page as shown (its initial values), with ``changes`` typed in."""
    data = results_post_data(client.get(results_url(meeting)))
    data.update(changes)
    return data


def attendance_typed(count: int = 5) -> dict[str, str]:
    return {"attendance_state": "list", **{f"attendance-{index}-present": "on" for index in range(count)}}


def seats_2022(bloc) -> list[tuple[str, int]]:
    return [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)]


@pytest.fixture
def seats_recorded(bloc, units, users):
    """2022's seats already recorded (say, on the seats page): LĐLĐ chair, CCB vice-chair — not the rotation
    suggestion (which names LHPN vice-chair)."""
    seats_set(bloc=bloc, year=YEAR + 1, chair=units["vice_unit"], vice_chairs=[units["veterans"]], by=users["officer"])
    assert seats_2022(bloc) == [("LDLD", 0), ("CCB", 1)]


def test_saving_attendance_only_writes_no_election_handover_or_seats(client_as, meeting, bloc):
    client = client_as("chair")
    response = client.post(results_url(meeting), page_data(client, meeting, **attendance_typed()))
    assert response.status_code == REDIRECT
    assert meeting.attendance.filter(present=True).count() == 5
    assert not MeetingElection.objects.filter(meeting=meeting).exists()
    assert not MeetingHandover.objects.filter(meeting=meeting).exists()
    assert not Seat.objects.filter(bloc=bloc, year=YEAR + 1).exists()
    assert not SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1).exists()


def test_the_election_shows_next_years_recorded_seats_and_the_suggestion_only_beside(
    client_as, meeting, units, seats_recorded
):
    response = client_as("chair").get(results_url(meeting))
    page = response.content.decode()
    assert selected(page, "election_chair") == str(units["vice_unit"].pk)
    assert selected(page, "election_vice_1") == str(units["veterans"].pk)
    assert selected(page, "election_vice_2") is None
    assert 'name="handover_recorded"' in page and not response.context["main"].initial.get("handover_recorded")
    # The suggestion (LHPN vice-chair) is offered beside, with its reasons and a button that fills the fields.
    suggestion = re.search(r'<aside[^>]*id="seat-suggestion".*?</aside>', page, re.S).group(0)
    assert "Hội Liên hiệp Phụ nữ tỉnh" in suggestion and 'name="use_suggestion"' in suggestion
    assert f'data-vices="{units["member_unit"].pk}"' in suggestion


def test_saving_attendance_after_the_seats_are_recorded_leaves_them_as_recorded(
    client_as, meeting, bloc, seats_recorded
):
    client = client_as("chair")
    response = client.post(results_url(meeting), page_data(client, meeting, **attendance_typed()))
    assert response.status_code == REDIRECT
    assert seats_2022(bloc) == [("LDLD", 0), ("CCB", 1)]
    assert SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1).count() == 1
    assert not MeetingElection.objects.filter(meeting=meeting).exists()


def test_changing_recorded_seats_without_confirming_changes_nothing_and_shows_the_change(
    client_as, meeting, bloc, units, seats_recorded
):
    client = client_as("chair")
    data = page_data(client, meeting, election_vice_1=str(units["member_unit"].pk), **attendance_typed())
    response = client.post(results_url(meeting), data)
    assert response.status_code == OK
    assert seats_2022(bloc) == [("LDLD", 0), ("CCB", 1)]
    assert not meeting.attendance.exists()  # nothing at all was saved, not even the attendance
    page = response.content.decode()
    assert "Khối phó 2022: Hội CCB tỉnh → Hội LHPN tỉnh" in page
    assert 'name="confirm_seats"' in page
    # A confirmation of another change does not confirm this one.
    response = client.post(results_url(meeting), {**data, "confirm_seats": "0" * 32})
    assert response.status_code == OK and seats_2022(bloc) == [("LDLD", 0), ("CCB", 1)]


def test_confirming_the_change_writes_the_seats_typed(client_as, meeting, bloc, units, seats_recorded):
    client = client_as("chair")
    data = page_data(client, meeting, election_vice_1=str(units["member_unit"].pk), **attendance_typed())
    token = client.post(results_url(meeting), data).context["confirm_token"]
    response = client.post(results_url(meeting), {**data, "confirm_seats": token})
    assert response.status_code == REDIRECT
    assert seats_2022(bloc) == [("LDLD", 0), ("LHPN", 1)]
    assert MeetingElection.objects.get(meeting=meeting).year == YEAR + 1


def test_use_the_suggestion_without_javascript_fills_the_fields_and_saves_nothing(client_as, meeting, bloc, units):
    client = client_as("chair")
    response = client.post(results_url(meeting), page_data(client, meeting, use_suggestion="1", **attendance_typed()))
    assert response.status_code == OK
    page = response.content.decode()
    assert selected(page, "election_chair") == str(units["vice_unit"].pk)
    assert selected(page, "election_vice_1") == str(units["member_unit"].pk)
    assert not Seat.objects.filter(bloc=bloc, year=YEAR + 1).exists()
    assert not meeting.attendance.exists()
    assert 'src="/static/js/results.js"' in page


def test_a_user_refused_the_seats_sees_them_read_only_and_cannot_change_them(
    client_as, meeting, bloc, units, council, seats_recorded
):
    # The chair of 2021 no longer sets 2022's seats once the emulation year has moved past 2022.
    council.current_year = YEAR + 3
    council.save()
    client = client_as("chair")
    response = client.get(results_url(meeting))
    page = response.content.decode()
    assert 'id="seat-refusal"' in page and 'id="recorded-seats"' in page
    assert 'name="election_chair"' not in page and 'name="use_suggestion"' not in page
    data = page_data(client, meeting, election_chair=str(units["farmers"].pk), **attendance_typed())
    response = client.post(results_url(meeting), data)
    assert response.status_code == REDIRECT  # the rest of the page is saved; the election is not submitted
    assert seats_2022(bloc) == [("LDLD", 0), ("CCB", 1)]
    assert meeting.attendance.filter(present=True).count() == 5


# --- The service leaves untouched sections as recorded -------------------------------------------------


def test_sections_passed_as_none_stay_as_recorded(record, meeting, bloc, units, users):
    record()
    election = MeetingElection.objects.get(meeting=meeting)
    handover = MeetingHandover.objects.get(meeting=meeting)
    services.meeting_record_results(
        meeting=meeting,
        attendance=None,
        report_summary=None,
        directions=None,
        votes=None,
        bloc_awards=None,
        election=None,
        handover=None,
        pledge_signing=None,
        movement=None,
        by=users["chair"],
    )
    meeting.refresh_from_db()
    assert MeetingElection.objects.get(meeting=meeting).pk == election.pk
    assert MeetingHandover.objects.get(meeting=meeting).pk == handover.pk
    assert seats_2022(bloc) == [("LDLD", 0), ("HND", 1)]
    assert meeting.attendance.filter(present=True).count() == 5
    assert meeting.votes.count() == 3 and meeting.bloc_awards.count() == 2
    assert meeting.report_summary.startswith("Năm 2021") and meeting.movement_launched
