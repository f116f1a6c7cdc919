"""Unit mergers (``unit_merge``): memberships and seats pass to the successor; the predecessor keeps its
history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from blocs.models import Membership, Seat, SeatWrite, Unit
from blocs.services import unit_merge

from ..conftest import YEAR, membership_of
from ..factories import BlocFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def successor(council) -> Unit:
    return UnitFactory(council=council, code="MTTQ-DT", name="Ủy ban MTTQ Việt Nam tỉnh (hợp nhất)")


def periods(bloc, unit) -> list[tuple[int, int | None, int]]:
    return list(
        Membership.objects.filter(bloc=bloc, unit=unit)
        .order_by("first_year")
        .values_list("first_year", "last_year", "display_order")
    )


def holders(bloc, year) -> list[tuple[int, str]]:
    return [(seat.rank, seat.unit.code) for seat in bloc.seats_of(year)]


def snapshot() -> tuple:
    return (
        list(
            Membership.objects.order_by("pk").values_list(
                "bloc_id", "unit_id", "first_year", "last_year", "display_order"
            )
        ),
        list(Seat.objects.order_by("pk").values_list("bloc_id", "year", "unit_id", "rank")),
        list(Unit.objects.order_by("pk").values_list("pk", "active", "successor_id", "merged_year")),
        SeatWrite.objects.count(),
    )


def test_predecessor_membership_closes_at_the_merger_year_and_successor_joins_at_its_protocol_place(
    bloc, units, successor, users
):
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2023, by=users["officer"])
    # Closed *at* the merger year (a member for part of it), the successor opens at it.
    assert periods(bloc, units["member_unit"]) == [(2018, 2023, 3)]
    assert periods(bloc, successor) == [(2023, None, 3)]
    assert [m.unit.code for m in bloc.members(2022)] == ["MTTQ", "LDLD", "LHPN", "HND", "CCB"]
    assert sorted(m.unit.code for m in bloc.members(2023)) == sorted(["MTTQ", "LDLD", "LHPN", "MTTQ-DT", "HND", "CCB"])
    assert [m.unit.code for m in bloc.members(2024)] == ["MTTQ", "LDLD", "MTTQ-DT", "HND", "CCB"]


def test_predecessor_becomes_inactive_and_points_to_its_successor(units, successor):
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2023, by=None)
    predecessor = Unit.objects.get(pk=units["member_unit"].pk)
    assert predecessor.active is False
    assert predecessor.successor == successor
    assert predecessor.merged_year == 2023
    assert list(successor.predecessors.all()) == [predecessor]
    successor.refresh_from_db()
    assert successor.active is True
    assert successor.successor is None


def test_inactive_successor_becomes_active(units, successor):
    Unit.objects.filter(pk=successor.pk).update(active=False)
    successor.refresh_from_db()
    unit_merge(predecessors=[units["farmers"]], successor=successor, year=2023, by=None)
    successor.refresh_from_db()
    assert successor.active is True


def test_seat_held_in_the_merger_year_passes_to_the_successor(bloc, units, seats, successor, users):
    unit_merge(predecessors=[units["chair_unit"]], successor=successor, year=YEAR, by=users["officer"])
    assert holders(bloc, YEAR) == [(0, "MTTQ-DT"), (1, "LDLD")]
    write = SeatWrite.objects.get(bloc=bloc, year=YEAR)
    assert write.source == SeatWrite.Source.MERGER
    assert write.written_by == users["officer"]
    assert units["chair_unit"].name in write.reason
    assert write.holders == [
        [0, successor.pk, successor.name],
        [1, units["vice_unit"].pk, units["vice_unit"].name],
    ]


def test_seats_of_later_years_pass_and_earlier_seats_stay_with_the_predecessor(bloc, units, seats, successor):
    Seat.objects.create(bloc=bloc, year=2020, unit=units["chair_unit"], rank=1)
    Seat.objects.create(bloc=bloc, year=2020, unit=units["farmers"], rank=0)
    Seat.objects.create(bloc=bloc, year=2022, unit=units["vice_unit"], rank=0)
    Seat.objects.create(bloc=bloc, year=2022, unit=units["chair_unit"], rank=1)
    unit_merge(predecessors=[units["chair_unit"]], successor=successor, year=YEAR, by=None)
    assert holders(bloc, 2020) == [(0, "HND"), (1, "MTTQ")]
    assert holders(bloc, YEAR) == [(0, "MTTQ-DT"), (1, "LDLD")]
    assert holders(bloc, 2022) == [(0, "LDLD"), (1, "MTTQ-DT")]
    assert set(SeatWrite.objects.values_list("year", flat=True)) == {YEAR, 2022}
    # The predecessor keeps its history: the 2020 seat and the membership up to the merger year.
    assert periods(bloc, units["chair_unit"]) == [(2018, 2021, 1)]
    assert Seat.objects.filter(unit=units["chair_unit"]).count() == 1


def test_seat_held_before_the_merger_year_does_not_pass(bloc, units, seats, successor):
    unit_merge(predecessors=[units["chair_unit"]], successor=successor, year=YEAR + 1, by=None)
    assert holders(bloc, YEAR) == [(0, "MTTQ"), (1, "LDLD")]
    assert not SeatWrite.objects.exists()


def test_successor_already_a_member_keeps_its_membership(bloc, units):
    unit_merge(predecessors=[units["farmers"]], successor=units["veterans"], year=2022, by=None)
    assert periods(bloc, units["veterans"]) == [(2018, None, 5)]
    assert periods(bloc, units["farmers"]) == [(2018, 2022, 4)]
    assert [m.unit.code for m in bloc.members(2022)] == ["MTTQ", "LDLD", "LHPN", "HND", "CCB"]
    assert [m.unit.code for m in bloc.members(2023)] == ["MTTQ", "LDLD", "LHPN", "CCB"]


def test_successor_holding_a_seat_keeps_the_higher_one(bloc, units, seats):
    unit_merge(predecessors=[units["vice_unit"]], successor=units["chair_unit"], year=YEAR, by=None)
    assert holders(bloc, YEAR) == [(0, "MTTQ")]


def test_successor_holding_a_lower_seat_takes_the_predecessors_higher_one(bloc, units, seats):
    unit_merge(predecessors=[units["chair_unit"]], successor=units["vice_unit"], year=YEAR, by=None)
    assert holders(bloc, YEAR) == [(0, "LDLD")]


def test_two_predecessors_in_one_bloc_give_the_successor_one_membership(bloc, units, successor):
    unit_merge(predecessors=[units["member_unit"], units["farmers"]], successor=successor, year=2022, by=None)
    assert periods(bloc, successor) == [(2022, None, 3)]
    assert periods(bloc, units["member_unit"]) == [(2018, 2022, 3)]
    assert periods(bloc, units["farmers"]) == [(2018, 2022, 4)]
    assert [m.unit.code for m in bloc.members(2023)] == ["MTTQ", "LDLD", "MTTQ-DT", "CCB"]


def test_two_predecessors_holding_both_seats_leave_the_successor_the_chair(bloc, units, seats, successor):
    unit_merge(predecessors=[units["chair_unit"], units["vice_unit"]], successor=successor, year=YEAR, by=None)
    assert holders(bloc, YEAR) == [(0, "MTTQ-DT")]


def test_successor_joins_every_bloc_of_the_predecessor(council, bloc, units, successor):
    other_bloc = BlocFactory(council=council, name="Khối thi đua Văn hóa - Xã hội", code="KTĐ3")
    MembershipFactory(bloc=other_bloc, unit=units["member_unit"], first_year=2019, display_order=7)
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2022, by=None)
    assert periods(bloc, successor) == [(2022, None, 3)]
    assert periods(other_bloc, successor) == [(2022, None, 7)]
    assert periods(other_bloc, units["member_unit"]) == [(2019, 2022, 7)]


def test_membership_ending_in_a_later_year_passes_with_its_end(council, units, successor):
    other_bloc = BlocFactory(council=council, code="KTĐ3")
    MembershipFactory(bloc=other_bloc, unit=units["member_unit"], first_year=2019, last_year=2024, display_order=2)
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2022, by=None)
    assert periods(other_bloc, units["member_unit"]) == [(2019, 2022, 2)]
    assert periods(other_bloc, successor) == [(2022, 2024, 2)]


def test_membership_that_ended_before_the_merger_is_untouched(council, units, successor):
    old_bloc = BlocFactory(council=council, code="KTĐ9")
    MembershipFactory(bloc=old_bloc, unit=units["member_unit"], first_year=2015, last_year=2019, display_order=4)
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2022, by=None)
    assert periods(old_bloc, units["member_unit"]) == [(2015, 2019, 4)]
    assert periods(old_bloc, successor) == []


def test_membership_planned_after_the_merger_moves_to_the_successor(council, units, successor):
    new_bloc = BlocFactory(council=council, code="KTĐ10")
    MembershipFactory(bloc=new_bloc, unit=units["member_unit"], first_year=2024, display_order=6)
    unit_merge(predecessors=[units["member_unit"]], successor=successor, year=2022, by=None)
    assert periods(new_bloc, units["member_unit"]) == []
    assert periods(new_bloc, successor) == [(2024, None, 6)]


def test_predecessor_whose_membership_started_in_the_merger_year(council, bloc, successor):
    # The unit joined in 2022 and merged with effect from 2022: it stays a member for 2022 (its part of
    # the year and any signature it gave) and the successor carries on from 2022.
    newcomer = UnitFactory(council=council, code="TD", name="Tỉnh Đoàn")
    MembershipFactory(bloc=bloc, unit=newcomer, first_year=2022, display_order=6)
    unit_merge(predecessors=[newcomer], successor=successor, year=2022, by=None)
    assert periods(bloc, newcomer) == [(2022, 2022, 6)]
    assert periods(bloc, successor) == [(2022, None, 6)]


def assert_refused(field: str, **kwargs) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        unit_merge(by=None, **kwargs)
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    assert snapshot() == before


def test_successor_cannot_be_one_of_the_merging_units(units, seats):
    assert_refused(
        "predecessors",
        predecessors=[units["chair_unit"], units["vice_unit"]],
        successor=units["vice_unit"],
        year=YEAR,
    )


def test_units_of_another_council_cannot_merge(units, seats, other_council):
    stranger = UnitFactory(council=other_council, code="MTTQ", name="Ủy ban MTTQ tỉnh Bắc Kạn")
    assert_refused("predecessors", predecessors=[units["chair_unit"]], successor=stranger, year=YEAR)
    assert_refused("predecessors", predecessors=[stranger], successor=units["chair_unit"], year=YEAR)


def test_unit_cannot_merge_twice(units, seats, successor):
    unit_merge(predecessors=[units["farmers"]], successor=successor, year=2022, by=None)
    assert_refused("predecessors", predecessors=[units["farmers"]], successor=units["veterans"], year=2023)


def test_unit_cannot_merge_into_a_unit_that_has_merged(units, seats, successor):
    unit_merge(predecessors=[units["farmers"]], successor=successor, year=2022, by=None)
    merged = Unit.objects.get(pk=units["farmers"].pk)
    assert_refused("successor", predecessors=[units["veterans"]], successor=merged, year=2023)
    assert Unit.objects.get(pk=merged.pk).active is False


def test_merger_needs_a_merging_unit(units, seats, successor):
    assert_refused("predecessors", predecessors=[], successor=successor, year=YEAR)


def test_failing_merger_changes_nothing(bloc, units, seats, successor):
    # A stale 2023 seat of a unit that left in 2022 makes passing the 2023 seats fail half-way.
    Seat.objects.create(bloc=bloc, year=2023, unit=units["chair_unit"], rank=0)
    Seat.objects.create(bloc=bloc, year=2023, unit=units["farmers"], rank=1)
    Membership.objects.filter(unit=units["farmers"]).update(last_year=2022)
    before = snapshot()
    with pytest.raises(ValidationError):
        unit_merge(predecessors=[units["chair_unit"]], successor=successor, year=YEAR, by=None)
    assert snapshot() == before


def test_merger_rolls_back_with_the_outer_transaction(bloc, units, seats, successor):
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        unit_merge(predecessors=[units["chair_unit"]], successor=successor, year=YEAR, by=None)
        assert holders(bloc, YEAR) == [(0, "MTTQ-DT"), (1, "LDLD")]
        raise RuntimeError("a later step failed")
    assert snapshot() == before
    assert membership_of(bloc, units["chair_unit"]).last_year is None
