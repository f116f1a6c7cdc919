"""Who is told about a bloc-year (``blocs.selectors``, ``User.objects.of_units`` / ``officers_of``): the
active users of the units asked for, of the seat holders or of every member, only of units that are members
that year; read in three queries whatever the number of bloc-years."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blocs.models import Seat, User
from blocs.selectors import bloc_year_audience, member_units, seat_units

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(users) -> set[str]:
    return {user.username for user in users}


def test_officers_of_a_council_are_its_active_staff(council, other_council, users):
    UserFactory(username="gone", council=council, unit=None, is_active=False)
    assert names(User.objects.officers_of(council)) == {"officer"}
    assert names(User.objects.officers_of(other_council.pk)) == {"other_officer"}


def test_the_users_of_units_are_the_active_ones(council, units, users):
    UserFactory(username="gone", council=council, unit=units["member_unit"], is_active=False)
    assert names(User.objects.of_units([units["member_unit"].pk, units["outside_unit"].pk])) == {"member", "outsider"}


def test_the_audience_of_a_bloc_year(bloc, units, users):
    pair = (bloc.pk, YEAR)
    given = {pair: [units["member_unit"].pk, units["outside_unit"].pk]}
    assert names(bloc_year_audience(given)[pair]) == {"member"}  # never a unit outside the bloc
    assert names(bloc_year_audience(given, seat_holders=True)[pair]) == {"member", "chair", "vice_chair"}
    assert names(bloc_year_audience({pair: ()}, members=True)[pair]) == {"member", "chair", "vice_chair"}
    # 2022 has no seats yet; the units are members still.
    later = (bloc.pk, YEAR + 1)
    assert names(bloc_year_audience({later: ()}, seat_holders=True)[later]) == set()
    assert names(bloc_year_audience({later: ()}, members=True)[later]) == {"member", "chair", "vice_chair"}


def test_members_and_seats_by_year(bloc, council, units, seats):
    newcomer = UnitFactory(council=council)
    MembershipFactory(bloc=bloc, unit=newcomer, first_year=YEAR + 1)
    former = UnitFactory(council=council)
    MembershipFactory(bloc=bloc, unit=former, first_year=2018, last_year=YEAR)
    members = member_units([(bloc.pk, YEAR), (bloc.pk, YEAR + 1), (bloc.pk, 2017)])
    assert newcomer.pk not in members[(bloc.pk, YEAR)] and former.pk in members[(bloc.pk, YEAR)]
    assert newcomer.pk in members[(bloc.pk, YEAR + 1)] and former.pk not in members[(bloc.pk, YEAR + 1)]
    assert members[(bloc.pk, 2017)] == set()
    assert seat_units([(bloc.pk, YEAR), (bloc.pk, YEAR + 1)]) == {
        (bloc.pk, YEAR): {units["chair_unit"].pk, units["vice_unit"].pk},
        (bloc.pk, YEAR + 1): set(),
    }


def test_the_audience_costs_three_queries_for_any_number_of_bloc_years(council, bloc, units, users):
    wanted = {(bloc.pk, YEAR): [units["member_unit"].pk]}
    for index in range(8):
        other = BlocFactory(council=council)
        unit = UnitFactory(council=council)
        MembershipFactory(bloc=other, unit=unit, first_year=2018)
        Seat.objects.create(bloc=other, year=YEAR, unit=unit, rank=0)
        UserFactory(username=f"chair{index}", council=council, unit=unit)
        wanted[(other.pk, YEAR)] = []
    with CaptureQueriesContext(connection) as captured:
        audience = bloc_year_audience(wanted, seat_holders=True)
    assert len(captured) == 3
    assert names(audience[(bloc.pk, YEAR)]) == {"member", "chair", "vice_chair"}
    assert all(len(told) == 1 for pair, told in audience.items() if pair[0] != bloc.pk)
    assert bloc_year_audience({}) == {}
