"""Việc cần làm (docs/domain.md, "Deadlines and the to-do list"): each role's items are true, link to
where the thing is done, carry their deadline, and cost the same queries whatever the data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blocs import services
from blocs.models import Seat
from pledges.services import pledge_signing_open
from tests.factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from tests.fixtures.pledges import head_signs, make_draft
from tests.roles import EVERYONE, OK, ROLES, check_get

YEAR = 2021
pytestmark = pytest.mark.django_db


def items(client, **params) -> list:
    response = client.get(reverse("blocs:todo"), params)
    assert response.status_code == OK
    return response.context.get("attention", [])  # a user with no role gets the page that says whom to ask


def texts(client) -> list[str]:
    return [item.text for item in items(client, year=YEAR)]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_has_a_todo_page(client_as, role):
    check_get(client_as(role), reverse("blocs:todo"), EVERYONE, role)


def test_the_chair_sees_how_many_have_not_signed_and_the_count_drops(client_as, signing, units, users):
    assert "KTĐ6" in signing.pledge.bloc.code
    chair_line = [i for i in items(client_as("chair"), year=YEAR) if "chưa ký giao ước" in i.text]
    assert [i.text.split(": ", 1)[1] for i in chair_line] == ["5/5 chưa ký giao ước thi đua năm 2021"]
    assert chair_line[0].count == 5 and chair_line[0].url == reverse(
        "pledges:pledge_detail", args=[signing.pledge.bloc_id, YEAR]
    )
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    head_signs(signing, unit=units["farmers"], by=users["officer"])
    assert any("3/5 chưa ký" in text for text in texts(client_as("chair")))
    assert any("3/5 chưa ký" in text for text in texts(client_as("vice_chair")))


def test_the_chair_sees_the_count_and_its_own_units_signature(client_as, signing, units, users):
    found = texts(client_as("chair"))
    assert any("5/5 chưa ký giao ước" in text for text in found)
    assert any("chờ chữ ký của đơn vị bạn" in text for text in found)
    head_signs(signing, unit=units["chair_unit"], by=users["chair"])
    found = texts(client_as("chair"))
    assert any("4/5 chưa ký giao ước" in text for text in found)
    assert not any("chờ chữ ký của đơn vị bạn" in text for text in found)


def test_a_member_sees_its_own_signature_until_it_signs(client_as, signing, units, users):
    [mine] = [i for i in items(client_as("member"), year=YEAR) if "chờ chữ ký của đơn vị bạn" in i.text]
    assert mine.url == reverse("pledges:pledge_sign", args=[signing.pledge.pk])
    assert not any("chưa ký giao ước" in text for text in texts(client_as("member")))  # the count is the chair's
    head_signs(signing, unit=units["member_unit"], by=users["member"])
    assert not any("chữ ký" in text for text in texts(client_as("member")))


def test_outsiders_and_other_councils_are_told_nothing_of_the_bloc(client_as, council, signing):
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=date(2021, 1, 31))
    for role in ("outsider", "other_officer"):
        assert not any("KTĐ6" in text or signing.pledge.bloc.name in text for text in texts(client_as(role))), role


def test_the_officer_sees_the_blocs_late_for_each_deadline(client_as, council, bloc, signing):
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=date(2021, 1, 31))
    [late] = [i for i in items(client_as("officer"), year=YEAR) if "trễ" in i.text]
    assert late.text == "1 khối, cụm trễ “Hạn ký giao ước” năm 2021." and late.count == 1 and late.level == "danger"
    assert [d.text for d in late.details] == [f"{bloc.name}: còn 5/5 đơn vị chưa thực hiện"]
    assert late.details[0].deadline.due_on == date(2021, 1, 31)


def test_a_deadline_not_yet_passed_is_shown_with_days_left_and_no_officer_alarm(client_as, council, signing):
    due = timezone.localdate() + timedelta(days=4)
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=due)
    page = client_as("chair").get(reverse("blocs:todo"), {"year": YEAR}).content.decode()
    assert due.strftime("%d/%m/%Y") in page and "còn 4 ngày" in page
    assert not any("trễ" in text for text in texts(client_as("officer")))


def test_registration_is_asked_only_under_its_deadline(client_as, council, seats):
    assert not any("đăng ký thi đua" in text for text in texts(client_as("member")))
    services.deadline_set(council=council, year=YEAR, kind="registration", due_on=date(2021, 3, 31))
    assert any("đơn vị bạn chưa đăng ký thi đua năm 2021" in text for text in texts(client_as("member")))
    assert any("5/5 đơn vị chưa đăng ký thi đua năm 2021" in text for text in texts(client_as("chair")))


def test_the_home_page_opens_with_the_todo_list(client_as, signing):
    page = client_as("chair").get(reverse("blocs:home"), {"year": YEAR}).content.decode()
    assert "Việc cần làm" in page and "5/5 chưa ký giao ước" in page


def _grow(council, n: int) -> None:
    """``n`` more blocs with members, seats held by the chair's unit's sister units, pledges being signed,
    and their own deadlines."""
    for i in range(n):
        extra = BlocFactory(council=council, code=f"KX{i}")
        members = [UnitFactory(council=council) for _ in range(3)]
        for unit in members:
            MembershipFactory(bloc=extra, unit=unit, first_year=2018)
            UserFactory(council=council, unit=unit)
        Seat.objects.create(bloc=extra, year=YEAR, unit=members[0], rank=0)
        pledge_signing_open(version=make_draft(extra), by=None)
        services.deadline_set(council=council, year=YEAR, kind="self_scores", bloc=extra, due_on=date(2021, 2, 1))


@pytest.mark.parametrize("role", ["officer", "chair", "member"])
def test_the_todo_page_costs_the_same_queries_as_data_grows(client_as, council, signing, role):
    services.deadline_set(council=council, year=YEAR, kind="pledge_signing", due_on=date(2021, 1, 31))
    services.deadline_set(council=council, year=YEAR, kind="conference", due_on=date(2021, 12, 31))
    client = client_as(role)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("blocs:todo"), {"year": YEAR}).status_code == OK
        return len(captured.captured_queries)

    small = count()
    _grow(council, 6)
    large = count()
    assert large == small, f"{small} queries before, {large} after"
    assert large <= 20
