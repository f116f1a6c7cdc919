"""The permission predicates (docs/domain.md, "Who may do what"), for every role of the ``users`` fixture."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from blocs import access
from blocs.access import Role
from blocs.models import Seat, User

from ..conftest import YEAR, membership_of
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..roles import ROLES

pytestmark = pytest.mark.django_db


def as_user(users, role):
    return users[role] if users[role] is not None else AnonymousUser()


EXPECTED_ROLES = {
    "anonymous": Role.OUTSIDER,
    "outsider": Role.OUTSIDER,
    "member": Role.MEMBER,
    "vice_chair": Role.VICE_CHAIR,
    "chair": Role.CHAIR,
    "officer": Role.OFFICER,
    "other_officer": Role.OUTSIDER,
}


def test_expected_roles_cover_every_fixture_user():
    assert set(EXPECTED_ROLES) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_role_in_bloc_year(bloc, users, role):
    assert access.role_in(as_user(users, role), bloc, YEAR) == EXPECTED_ROLES[role]


@pytest.mark.parametrize("role", ROLES)
def test_seats_give_no_role_in_another_year(bloc, users, role):
    # 2022 has no seats yet: the chair and vice-chair of 2021 are plain members there.
    expected = EXPECTED_ROLES[role]
    if expected in (Role.CHAIR, Role.VICE_CHAIR):
        expected = Role.MEMBER
    assert access.role_in(as_user(users, role), bloc, YEAR + 1) == expected


def test_nobody_but_officers_has_a_role_before_the_bloc_had_members(bloc, users):
    roles = {role: access.role_in(as_user(users, role), bloc, 2017) for role in ROLES}
    assert roles == {role: Role.OFFICER if role == "officer" else Role.OUTSIDER for role in ROLES}


def test_role_in_accepts_none_for_no_user(bloc, users):
    assert access.role_in(None, bloc, YEAR) == Role.OUTSIDER


@pytest.mark.parametrize(
    ("role", "holds", "manages", "views"),
    [
        ("anonymous", False, False, False),
        ("outsider", False, False, False),
        ("member", False, False, True),
        ("vice_chair", True, True, True),
        ("chair", True, True, True),
        ("officer", False, True, True),
        ("other_officer", False, False, False),
    ],
)
def test_seat_manage_and_view_predicates(bloc, users, role, holds, manages, views):
    user = as_user(users, role)
    assert access.holds_seat(user, bloc, YEAR) is holds
    assert access.can_manage_bloc_year(user, bloc, YEAR) is manages
    assert access.can_view_bloc(user, bloc) is views


def test_seat_rank_orders_chair_and_vice_chairs(bloc, users):
    assert access.seat_rank(users["chair"], bloc, YEAR) == 0
    assert access.seat_rank(users["vice_chair"], bloc, YEAR) == 1
    assert access.seat_rank(users["member"], bloc, YEAR) is None
    assert access.seat_rank(users["officer"], bloc, YEAR) is None


def test_chair_of_a_past_year_still_manages_that_year(bloc, units, users):
    Seat.objects.create(bloc=bloc, year=YEAR + 1, unit=units["member_unit"], rank=0)
    chair = User.objects.get(pk=users["chair"].pk)
    assert access.can_manage_bloc_year(chair, bloc, YEAR)
    assert not access.can_manage_bloc_year(chair, bloc, YEAR + 1)


def test_officer_is_officer_only_of_their_own_council(council, other_council, users):
    assert access.is_officer_of(users["officer"], council)
    assert access.is_officer_of(users["officer"], council.pk)
    assert not access.is_officer_of(users["officer"], other_council)
    assert access.is_officer_of(users["other_officer"], other_council)
    assert not access.is_officer_of(users["other_officer"], council)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "vice_chair", "chair"])
def test_unit_users_are_no_officers(council, users, role):
    user = as_user(users, role)
    assert not access.is_officer_of(user, council)
    assert not access.is_officer(user)


def test_superuser_is_officer_of_every_council(council, other_council, bloc):
    admin = UserFactory(username="quan-tri", council=None, is_superuser=True, is_staff=True)
    assert access.is_officer(admin)
    assert access.is_officer_of(admin, council)
    assert access.is_officer_of(admin, other_council)
    assert access.role_in(admin, bloc, YEAR) == Role.OFFICER
    assert access.can_view_bloc(admin, bloc)


def test_inactive_officer_is_no_officer(council, bloc, users):
    officer = users["officer"]
    officer.is_active = False
    officer.save()
    assert not access.is_officer_of(officer, council)
    assert not access.is_officer(officer)
    assert access.role_in(officer, bloc, YEAR) == Role.OUTSIDER


def test_inactive_unit_user_loses_every_role(bloc, units, users):
    chair = users["chair"]
    chair.is_active = False
    chair.save()
    assert access.role_in(chair, bloc, YEAR) == Role.OUTSIDER
    assert not access.is_member(chair, bloc, YEAR)
    assert not access.was_member(chair, bloc)
    assert not access.can_view_bloc(chair, bloc)
    assert not access.can_view_unit(chair, units["chair_unit"])


@pytest.fixture
def former_member(council, bloc):
    """A user of a unit that was a member from 2015 to 2019."""
    unit = UnitFactory(council=council, code="HLHTN", name="Hội Liên hiệp Thanh niên tỉnh")
    MembershipFactory(bloc=bloc, unit=unit, first_year=2015, last_year=2019)
    return UserFactory(username="cuu-thanh-vien", council=council, unit=unit)


def test_membership_counts_only_in_its_years(bloc, former_member):
    assert not access.is_member(former_member, bloc, 2014)
    assert access.is_member(former_member, bloc, 2015)
    assert access.is_member(former_member, bloc, 2019)
    assert not access.is_member(former_member, bloc, 2020)
    assert not access.is_member(former_member, bloc, 2021)
    assert access.role_in(former_member, bloc, 2019) == Role.MEMBER
    assert access.role_in(former_member, bloc, 2021) == Role.OUTSIDER


def test_former_member_may_still_read_the_bloc(bloc, former_member, units):
    assert access.was_member(former_member, bloc)
    assert access.can_view_bloc(former_member, bloc)
    assert not access.can_manage_bloc_year(former_member, bloc, 2019)


def test_membership_ended_in_a_year_still_counts_for_that_year(bloc, units, users):
    membership = membership_of(bloc, units["member_unit"])
    membership.last_year = 2019
    membership.save()
    member = User.objects.get(pk=users["member"].pk)  # a fresh request: no cached memberships
    assert access.is_member(member, bloc, 2019)
    assert not access.is_member(member, bloc, 2021)
    assert access.was_member(member, bloc)


def test_member_of_another_bloc_is_outsider_here(council, bloc, units, users):
    other_bloc = BlocFactory(council=council)
    MembershipFactory(bloc=other_bloc, unit=units["outside_unit"], first_year=2018)
    outsider = users["outsider"]
    assert access.is_member(outsider, other_bloc, YEAR)
    assert not access.is_member(outsider, bloc, YEAR)
    assert not access.was_member(outsider, bloc)
    assert access.role_in(outsider, bloc, YEAR) == Role.OUTSIDER


@pytest.mark.parametrize(
    ("role", "unit_key", "allowed"),
    [
        ("anonymous", "member_unit", False),
        ("outsider", "member_unit", False),
        ("outsider", "outside_unit", True),  # its own unit
        ("member", "member_unit", True),
        ("member", "farmers", True),  # shares the bloc
        ("member", "outside_unit", False),
        ("chair", "veterans", True),
        ("officer", "member_unit", True),
        ("officer", "outside_unit", True),
        ("other_officer", "member_unit", False),
        ("other_officer", "outside_unit", False),
    ],
)
def test_can_view_unit(units, users, role, unit_key, allowed):
    assert access.can_view_unit(as_user(users, role), units[unit_key]) is allowed


def test_other_officer_views_units_of_their_own_council(other_council, users):
    unit = UnitFactory(council=other_council, code="LHPN", name="Hội LHPN tỉnh Bắc Kạn")
    assert access.can_view_unit(users["other_officer"], unit)
    assert not access.can_view_unit(users["officer"], unit)


def test_role_checks_for_many_blocs_cost_two_queries(council, units, django_assert_max_num_queries):
    unit = units["member_unit"]
    blocs = [BlocFactory(council=council, name=f"Khối thi đua thử {n}", code=f"KT{n}") for n in range(20)]
    for n, bloc in enumerate(blocs):
        if n % 4 != 3:  # every fourth bloc: not a member
            MembershipFactory(bloc=bloc, unit=unit, first_year=2018)
        if n % 4 == 0:
            Seat.objects.create(bloc=bloc, year=YEAR, unit=unit, rank=0)
        if n % 4 == 1:
            Seat.objects.create(bloc=bloc, year=YEAR, unit=unit, rank=1)
    user_pk = UserFactory(username="nhieu-khoi", council=council, unit=unit).pk
    user = User.objects.get(pk=user_pk)

    with django_assert_max_num_queries(2):
        roles = [access.role_in(user, bloc, YEAR) for bloc in blocs]
        viewable = [access.can_view_bloc(user, bloc) for bloc in blocs]
        managed = [access.can_manage_bloc_year(user, bloc, YEAR) for bloc in blocs]

    pattern = [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.OUTSIDER]
    assert roles == [pattern[n % 4] for n in range(20)]
    assert viewable == [n % 4 != 3 for n in range(20)]
    assert managed == [n % 4 in (0, 1) for n in range(20)]


def test_officer_role_checks_need_no_query(council, users, django_assert_num_queries):
    blocs = [BlocFactory(council=council) for _ in range(5)]
    officer = User.objects.get(pk=users["officer"].pk)
    with django_assert_num_queries(0):
        assert all(access.role_in(officer, bloc, YEAR) == Role.OFFICER for bloc in blocs)


def test_bloc_helpers_give_404_to_outsiders_and_403_to_members(bloc, users):
    assert access.bloc_for_viewing(users["member"], bloc.pk) == bloc
    assert access.bloc_for_managing(users["chair"], bloc.pk, YEAR) == bloc
    assert access.bloc_for_managing(users["officer"], bloc.pk, YEAR) == bloc
    for role in ("outsider", "other_officer"):
        with pytest.raises(Http404):
            access.bloc_for_viewing(users[role], bloc.pk)
        with pytest.raises(Http404):
            access.bloc_for_managing(users[role], bloc.pk, YEAR)
    with pytest.raises(PermissionDenied):
        access.bloc_for_managing(users["member"], bloc.pk, YEAR)
    with pytest.raises(Http404):
        access.bloc_for_viewing(users["officer"], bloc.pk + 1000)


def test_unit_helper_gives_404_to_outsiders(units, users):
    assert access.unit_for_viewing(users["member"], units["farmers"].pk) == units["farmers"]
    with pytest.raises(Http404):
        access.unit_for_viewing(users["outsider"], units["farmers"].pk)
    with pytest.raises(Http404):
        access.unit_for_viewing(users["other_officer"], units["farmers"].pk)


def test_officer_works_on_their_own_council(council, other_council, users):
    assert access.council_for_officer(users["officer"]) == council
    assert access.council_for_officer(users["other_officer"]) == other_council
    with pytest.raises(Http404):
        access.council_for_officer(users["member"])


@pytest.mark.parametrize("role", ROLES)
def test_a_councils_own_pages_are_its_officers_and_the_superusers(council, other_council, users, role):
    """The council's year report: its officers read it; to everyone else, another council's officers
    included, it does not exist."""
    if role == "officer":
        assert access.council_for_reading(users[role], council.pk) == council
    else:
        with pytest.raises(Http404):
            access.council_for_reading(as_user(users, role), council.pk)
    admin = UserFactory(username="quan-tri-bc", council=None, is_superuser=True, is_staff=True)
    assert access.council_for_reading(admin, other_council.pk) == other_council
    with pytest.raises(Http404):
        access.council_for_reading(users["officer"], 10**9)


def test_only_active_superusers_manage_councils(council, users):
    admin = UserFactory(username="quan-tri-hd", council=None, is_superuser=True, is_staff=True)
    assert access.can_manage_councils(admin)
    # Officers run their own council's settings, never the list of councils or another council.
    assert not any(access.can_manage_councils(user) for user in users.values())
    admin.is_active = False
    assert not access.can_manage_councils(admin)


def test_has_role_officers_and_users_of_units_that_are_in_a_bloc(council, units, users):
    assert {role for role, user in users.items() if access.has_role(user)} == set(ROLES) - {"anonymous", "outsider"}
