"""Deadlines as data (docs/domain.md, "Deadlines and the to-do list"): the officers' page, the bloc's own
deadline counting instead of the council's, the notice on the pages a deadline governs, and the calendar."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blocs import services
from blocs.models import Deadline
from blocs.registry import calendar_events
from tests.roles import CONFIRMED, COUNCIL_OFFICERS, OFFICER_OBJECT, OK, REDIRECT, ROLES, check_get, check_post, expect

YEAR = 2021
pytestmark = pytest.mark.django_db


def _state():
    return sorted(Deadline.objects.values_list("council_id", "year", "kind", "bloc_id", "due_on", "note"))


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_open_their_councils_deadlines(client_as, role):
    check_get(client_as(role), reverse("blocs:deadlines"), COUNCIL_OFFICERS, role)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_councils_officers_set_a_deadline(client_as, council, role):
    data = {"year": YEAR, "kind": "pledge_signing", "due_on": "31/03/2021", "note": "Theo kế hoạch"}
    check_post(
        client_as(role),
        reverse("blocs:deadlines"),
        data,
        expect(other_officer=REDIRECT, officer=REDIRECT),
        role,
        state=_state,
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_councils_officers_remove_a_deadline(client_as, council, role):
    deadline = services.deadline_set(council=council, year=YEAR, kind="conference", due_on=date(2021, 12, 31))
    url = reverse("blocs:deadline_remove", args=[deadline.pk])
    check_get(client_as(role), url, OFFICER_OBJECT, role)
    check_post(client_as(role), url, CONFIRMED, expect(officer=REDIRECT), role, state=_state)


def test_a_deadline_is_moved_not_doubled_and_the_bloc_has_its_own(council, bloc):
    services.deadline_set(council=council, year=YEAR, kind="self_scores", due_on=date(2021, 11, 30))
    services.deadline_set(council=council, year=YEAR, kind="self_scores", due_on=date(2021, 12, 5), note="Gia hạn")
    own = services.deadline_set(council=council, year=YEAR, kind="self_scores", bloc=bloc, due_on=date(2021, 12, 10))
    assert Deadline.objects.filter(bloc=None).count() == 1
    assert Deadline.objects.get(bloc=None).due_on == date(2021, 12, 5)
    assert Deadline.objects.effective(bloc, YEAR)["self_scores"] == own
    services.deadline_remove(deadline=own)
    assert Deadline.objects.effective(bloc, YEAR)["self_scores"].due_on == date(2021, 12, 5)


def test_the_form_needs_a_kind_and_a_day_and_says_so_in_vietnamese(client_as, council):
    response = client_as("officer").post(reverse("blocs:deadlines"), {"year": YEAR, "kind": "", "due_on": "31/02/2021"})
    assert response.status_code == OK
    errors = response.context["form"].errors
    assert "kind" in errors and "due_on" in errors
    assert "Trường này là bắt buộc." in errors["kind"]
    assert not Deadline.objects.exists()


def test_another_councils_bloc_cannot_get_a_deadline(client_as, council, other_council):
    from tests.factories import BlocFactory

    foreign = BlocFactory(council=other_council, code="CUM1")
    data = {"year": YEAR, "kind": "conference", "bloc": foreign.pk, "due_on": "31/12/2021"}
    response = client_as("officer").post(reverse("blocs:deadlines"), data)
    assert response.status_code == OK and "bloc" in response.context["form"].errors
    assert not Deadline.objects.exists()


def test_the_pledge_page_shows_its_signing_deadline_and_days_left(client_as, council, bloc, signing):
    due = timezone.localdate() + timedelta(days=5)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=due)
    page = client_as("member").get(reverse("pledges:pledge_detail", args=[bloc.pk, YEAR])).content.decode()
    assert due.strftime("%d/%m/%Y") in page
    assert "còn 5 ngày" in page


def test_a_passed_deadline_is_marked_on_its_page(client_as, council, bloc, users):
    services.deadline_set(council=council, year=YEAR, kind="registration", due_on=timezone.localdate() - timedelta(3))
    page = client_as("chair").get(reverse("awards:registrations", args=[bloc.pk, YEAR])).content.decode()
    assert "đã quá hạn 3 ngày" in page


def test_the_calendar_shows_deadlines_to_the_bloc_and_its_officers_only(council, bloc, users):
    services.deadline_set(council=council, year=YEAR, kind="conference", due_on=date(2021, 12, 31))
    start, end = date(2021, 12, 1), date(2021, 12, 31)
    for role in ("officer", "chair", "vice_chair", "member"):
        titles = [e.title for e in calendar_events(users[role], start, end) if e.kind == "deadline"]
        assert len(titles) == 1, role
    for role in ("outsider", "other_officer"):
        assert not [e for e in calendar_events(users[role], start, end) if e.kind == "deadline"], role
