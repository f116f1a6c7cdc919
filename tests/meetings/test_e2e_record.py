"""End-to-end: the chair records a conference whose election differs from the rotation suggestion — the
attendance first, then the election, then a change to it that the page asks to confirm — and next year's
seats are exactly what was typed at every step (a suggestion is never a fact)."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from meetings import services
from meetings.models import Meeting, MeetingElection, MeetingHandover

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seats_of_next_year(bloc) -> list[str]:
    return [seat.unit.code for seat in bloc.seats_of(YEAR + 1)]


def test_chair_saves_attendance_then_an_election_unlike_the_suggestion_and_confirms_a_change(
    page,  # noqa: F811
    bloc,
    units,
    seats,
    users,
):
    meeting = services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=date(YEAR, 12, 28),
        start_time=time(14, 0),
        place="Hội trường Ủy ban MTTQ tỉnh",
        by=users["chair"],
    )
    results = f"/meetings/{meeting.pk}/results/"
    log_in(page, "chair", PASSWORD)

    # 1. Attendance only. The election starts empty, the handover unticked: saving writes neither.
    page.goto(results)
    assert page.input_value("select[name=election_chair]") == ""
    assert not page.is_checked("input[name=handover_recorded]")
    if page.locator("input[name=attendance_state][value=list]").count():  # what is known of the attendance
        page.check("input[name=attendance_state][value=list]")
    for index in range(5):
        page.check(f"input[name=attendance-{index}-present]")
    page.click("#save-results")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert seats_of_next_year(bloc) == []
    assert not MeetingElection.objects.filter(meeting=meeting).exists()
    assert not MeetingHandover.objects.filter(meeting=meeting).exists()

    # 2. The suggestion fills the fields in the page (nothing saved); the chair then types what the
    # conference decided instead: Hội Nông dân chair, Hội Cựu chiến binh vice-chair.
    page.goto(results)
    page.click("#use-suggestion")
    assert page.input_value("select[name=election_chair]") == str(units["vice_unit"].pk)
    assert page.input_value("select[name=election_vice_1]") == str(units["member_unit"].pk)
    assert page.url.endswith(results) and seats_of_next_year(bloc) == []
    page.select_option("select[name=election_chair]", str(units["farmers"].pk))
    page.select_option("select[name=election_vice_1]", str(units["veterans"].pk))
    page.click("#save-results")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert seats_of_next_year(bloc) == ["HND", "CCB"]

    # 3. The page shows the recorded seats; changing one shows the change and saves only once confirmed.
    page.goto(results)
    assert page.input_value("select[name=election_chair]") == str(units["farmers"].pk)
    assert page.input_value("select[name=election_vice_1]") == str(units["veterans"].pk)
    page.select_option("select[name=election_vice_1]", str(units["member_unit"].pk))
    page.click("#save-results")
    change = page.locator("#seat-changes").inner_text()
    assert "Hội CCB tỉnh → Hội LHPN tỉnh" in change
    assert seats_of_next_year(bloc) == ["HND", "CCB"]
    page.click("#confirm-seats")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert seats_of_next_year(bloc) == ["HND", "LHPN"]
    assert meeting.attendance.filter(present=True).count() == 5


def test_chair_records_a_secret_ballot_with_its_counts_the_awards_handed_over_and_goes_on_to_the_pledge(
    page,  # noqa: F811
    bloc,
    units,
    seats,
    users,
    council,
    awards,
):
    from awards import services as awards_services
    from awards.catalogue import CHAIRMAN_CERTIFICATE

    meeting = services.meeting_schedule(
        bloc=bloc, kind=Meeting.Kind.YEAR_END, year=YEAR, date=date(YEAR, 12, 28), by=users["chair"]
    )
    earlier = awards_services.award_enter_external(
        council=council, award_type=awards[CHAIRMAN_CERTIFICATE], year=YEAR - 1, unit=units["veterans"], by=None
    )
    log_in(page, "chair", PASSWORD)

    # The election by secret ballot with the counts the record gives: 5 valid ballots, 4 and 5 votes.
    page.goto(f"/meetings/{meeting.pk}/results/")
    page.select_option("select[name=election_method]", MeetingElection.Method.SECRET_BALLOT)
    page.fill("input[name=election_ballots]", "5")
    page.select_option("select[name=election_chair]", str(units["vice_unit"].pk))
    page.fill("input[name=election_chair_votes]", "4")
    page.select_option("select[name=election_vice_1]", str(units["farmers"].pk))
    page.fill("input[name=election_vice_1_votes]", "6")  # a slip: more votes than ballots
    page.click("#save-results")
    assert "6" in page.locator("#id_election_vice_1_votes ~ .invalid-feedback").inner_text()
    assert seats_of_next_year(bloc) == []
    page.fill("input[name=election_vice_1_votes]", "5")
    page.click("#save-results")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    election = MeetingElection.objects.get(meeting=meeting)
    assert (election.ballots, [s.votes for s in election.seats.all()]) == (5, [4, 5])

    # The awards handed over: ticked among the council's decided awards of the members.
    page.goto(f"/meetings/{meeting.pk}/results/")
    page.click("#awards-handed-over-link")
    page.check(f"input[name=proposals][value='{earlier.pk}']")
    page.click("#save-awards-handed-over")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert list(meeting.awards_handed_over.values_list("proposal_id", flat=True)) == [earlier.pk]

    # On to next year's pledge: the outgoing chair creates it from the results page.
    page.goto(f"/meetings/{meeting.pk}/results/")
    page.click("#next-pledge-create")
    page.wait_for_url(re.compile(r"/pledges/"))
    assert bloc.pledges.filter(year=YEAR + 1).exists()
