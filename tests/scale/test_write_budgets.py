"""Recording a signing ceremony and a conference's attendance costs the same number of queries for 3 and
for 30 member units: the rows are written in bulk (with their history rows), never a save per member.
Each written row still gets its own history row naming the user who recorded it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import MeetingAttendance
from pledges.models import PledgeSignatory
from pledges.services import pledge_signing_open

from ..factories import MembershipFactory, UnitFactory
from ..fixtures.meetings import results_post_data
from ..fixtures.pledges import make_draft

pytestmark = pytest.mark.django_db


def grow(bloc, first: int, count: int) -> list:
    units = []
    for index in range(first, first + count):
        unit = UnitFactory(council=bloc.council, name=f"Đơn vị thành viên số {index:03d}", code=f"DV{index:03d}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=100 + index)
        units.append(unit)
    return units


def post_queries(client, url: str, data: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form")
    return len(captured)


def test_recording_a_paper_signing_costs_the_same_for_3_and_for_30_units(client, bloc, units, seats, users, heads):
    few, many = grow(bloc, 1, 3), grow(bloc, 4, 30)
    version = pledge_signing_open(version=make_draft(bloc, by=users["officer"]), by=users["chair"])
    url = reverse("pledges:pledge_signatures_record", args=[version.pledge_id])
    client.force_login(users["chair"])

    # The five units of the fixtures stay unsigned, so neither ceremony makes the version final.
    small = post_queries(client, url, {"signed_on": "2021-12-29", **{f"signed_{u.pk}": "on" for u in few}})
    large = post_queries(client, url, {"signed_on": "2021-12-29", **{f"signed_{u.pk}": "on" for u in many}})

    assert (small, large) == (small, small), f"{small} queries for 3 units, {large} for 30"
    signed = version.signatories.filter(signed_on__isnull=False)
    assert set(signed.values_list("unit_id", flat=True)) == {u.pk for u in few + many}
    history = PledgeSignatory.history.filter(version_id=version.pk, signed_on__isnull=False)
    assert history.count() == 33
    assert set(history.values_list("history_user_id", "history_type")) == {(users["chair"].pk, "~")}


def all_present(client, meeting) -> dict[str, str]:
    data = results_post_data(client.get(reverse("meetings:meeting_results", args=[meeting.pk])))
    total = int(data["attendance-TOTAL_FORMS"])
    return {**data, "attendance_state": "list", **{f"attendance-{i}-present": "on" for i in range(total)}}


def test_recording_a_conferences_attendance_costs_the_same_for_3_and_for_30_new_members(
    client, bloc, units, users, meeting
):
    url = reverse("meetings:meeting_results", args=[meeting.pk])
    client.force_login(users["chair"])
    grow(bloc, 1, 3)
    post_queries(client, url, all_present(client, meeting))  # the first record of the conference

    grow(bloc, 4, 3)
    small = post_queries(client, url, all_present(client, meeting))
    grow(bloc, 7, 30)
    large = post_queries(client, url, all_present(client, meeting))

    assert (small, large) == (small, small), f"{small} queries for 3 new members, {large} for 30"
    present = meeting.attendance.filter(present=True)
    assert present.count() == 5 + 3 + 3 + 30
    history = MeetingAttendance.history.filter(meeting_id=meeting.pk, history_type="+")
    assert history.count() == 41
    assert set(history.values_list("history_user_id", flat=True)) == {users["chair"].pk}
