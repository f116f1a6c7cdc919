"""Seats of a bloc-year: ``seats_set`` (the one way seats change) and ``seats_suggest`` (rotation)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from blocs.models import Bloc, Seat, SeatWrite
from blocs.services import seats_set, seats_suggest

from ..conftest import YEAR, membership_of
from ..factories import BlocFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


def holders(bloc, year) -> list[tuple[int, str]]:
    return [(seat.rank, seat.unit.code) for seat in bloc.seats_of(year)]


FIXTURE_SEATS = [(0, "MTTQ"), (1, "LDLD")]


# --- seats_set ---------------------------------------------------------------------------------------


def test_sets_chair_and_ordered_vice_chairs(bloc, units, users):
    seats = seats_set(
        bloc=bloc,
        year=2022,
        chair=units["vice_unit"],
        vice_chairs=[units["veterans"], units["member_unit"]],
        by=users["officer"],
    )
    assert [(s.rank, s.unit.code) for s in seats] == [(0, "LDLD"), (1, "CCB"), (2, "LHPN")]
    assert holders(bloc, 2022) == [(0, "LDLD"), (1, "CCB"), (2, "LHPN")]
    assert holders(bloc, YEAR) == FIXTURE_SEATS  # other years untouched


def test_chair_alone_is_enough(bloc, units):
    seats_set(bloc=bloc, year=2022, chair=units["farmers"], by=None)
    assert holders(bloc, 2022) == [(0, "HND")]


def test_setting_seats_replaces_the_previous_ones(bloc, units, seats, users):
    seats_set(
        bloc=bloc,
        year=YEAR,
        chair=units["member_unit"],
        vice_chairs=[units["farmers"]],
        by=users["officer"],
        reason="Theo quyết định của Hội đồng.",
    )
    assert holders(bloc, YEAR) == [(0, "LHPN"), (1, "HND")]
    assert not Seat.objects.filter(bloc=bloc, year=YEAR, unit__in=[units["chair_unit"], units["vice_unit"]]).exists()


def test_setting_fewer_vice_chairs_removes_the_extra_seats(bloc, units, users):
    seats_set(
        bloc=bloc,
        year=2022,
        chair=units["chair_unit"],
        vice_chairs=[units["vice_unit"], units["farmers"]],
        by=None,
    )
    seats_set(bloc=bloc, year=2022, chair=units["chair_unit"], by=None)
    assert holders(bloc, 2022) == [(0, "MTTQ")]


def test_seats_can_swap_between_chair_and_vice(bloc, units, seats):
    seats_set(bloc=bloc, year=YEAR, chair=units["vice_unit"], vice_chairs=[units["chair_unit"]], by=None)
    assert holders(bloc, YEAR) == [(0, "LDLD"), (1, "MTTQ")]


def test_the_last_write_wins_and_the_history_shows_every_write(bloc, units, users):
    seats_set(
        bloc=bloc,
        year=2022,
        chair=units["chair_unit"],
        vice_chairs=[units["vice_unit"]],
        by=users["officer"],
        source=SeatWrite.Source.OFFICER,
        reason="Theo đề nghị của Ban",
    )
    seats_set(
        bloc=bloc,
        year=2022,
        chair=units["vice_unit"],
        vice_chairs=[units["member_unit"]],
        by=users["chair"],
        source=SeatWrite.Source.CONFERENCE,
        reason="Hội nghị tổng kết năm 2021",
    )
    assert holders(bloc, 2022) == [(0, "LDLD"), (1, "LHPN")]

    writes = list(SeatWrite.objects.filter(bloc=bloc, year=2022))  # newest first
    assert len(writes) == 2
    latest, first = writes
    assert latest.source == SeatWrite.Source.CONFERENCE
    assert latest.written_by == users["chair"]
    assert latest.holders == [
        [0, units["vice_unit"].pk, "Liên đoàn Lao động tỉnh"],
        [1, units["member_unit"].pk, "Hội Liên hiệp Phụ nữ tỉnh"],
    ]
    assert first.source == SeatWrite.Source.OFFICER
    assert first.written_by == users["officer"]
    assert first.reason == "Theo đề nghị của Ban"
    assert first.holders == [
        [0, units["chair_unit"].pk, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
        [1, units["vice_unit"].pk, "Liên đoàn Lao động tỉnh"],
    ]


def test_the_same_seats_written_twice_are_recorded_once(bloc, units):
    for _ in range(2):
        seats_set(bloc=bloc, year=2022, chair=units["chair_unit"], by=None, source=SeatWrite.Source.ROTATION)
    assert SeatWrite.objects.filter(bloc=bloc, year=2022, source=SeatWrite.Source.ROTATION).count() == 1
    assert holders(bloc, 2022) == [(0, "MTTQ")]


def test_an_officer_confirming_the_seats_the_holders_wrote_is_recorded(bloc, units, seats, users):
    seats_set(bloc=bloc, year=2022, chair=units["vice_unit"], by=users["chair"])
    seats_set(bloc=bloc, year=2022, chair=units["vice_unit"], by=users["chair"])
    seats_set(bloc=bloc, year=2022, chair=units["vice_unit"], by=users["officer"], reason="Xác nhận.")
    assert [w.authority for w in SeatWrite.objects.filter(bloc=bloc, year=2022)] == [
        SeatWrite.Authority.OFFICER,
        SeatWrite.Authority.SEAT_HOLDERS,
    ]


def assert_refused(field: str, *, bloc, **kwargs) -> ValidationError:
    """``seats_set`` refuses with an error on ``field``; the 2021 seats and their history stay as they are."""
    writes_before = SeatWrite.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        seats_set(bloc=bloc, year=YEAR, by=None, **kwargs)
    assert field in excinfo.value.message_dict, excinfo.value.message_dict
    assert holders(bloc, YEAR) == FIXTURE_SEATS
    assert SeatWrite.objects.count() == writes_before
    return excinfo.value


def test_vice_chair_cannot_also_be_chair(bloc, units, seats):
    error = assert_refused(
        "vice_chairs",
        bloc=bloc,
        chair=units["member_unit"],
        vice_chairs=[units["farmers"], units["member_unit"]],
    )
    assert "chair" not in error.message_dict
    assert "Hội LHPN tỉnh" in error.message_dict["vice_chairs"][0]


def test_unit_cannot_hold_two_vice_seats(bloc, units, seats):
    assert_refused(
        "vice_chairs", bloc=bloc, chair=units["member_unit"], vice_chairs=[units["farmers"], units["farmers"]]
    )


def test_non_member_cannot_be_chair(bloc, units, seats):
    error = assert_refused("chair", bloc=bloc, chair=units["outside_unit"], vice_chairs=[units["member_unit"]])
    assert "Sở Nội vụ tỉnh" in error.message_dict["chair"][0]


def test_non_member_cannot_be_vice_chair(bloc, units, seats):
    error = assert_refused("vice_chairs", bloc=bloc, chair=units["member_unit"], vice_chairs=[units["outside_unit"]])
    assert "chair" not in error.message_dict


def test_former_member_cannot_take_a_seat(bloc, units, seats):
    membership = membership_of(bloc, units["farmers"])
    membership.last_year = 2020
    membership.save()
    assert_refused("chair", bloc=bloc, chair=units["farmers"])


def test_unit_of_another_council_cannot_take_a_seat(bloc, units, seats, other_council):
    stranger = UnitFactory(council=other_council, code="LHPN", name="Hội LHPN tỉnh Bắc Kạn")
    assert_refused("vice_chairs", bloc=bloc, chair=units["member_unit"], vice_chairs=[stranger])
    assert_refused("chair", bloc=bloc, chair=stranger)


def test_seats_need_a_chair(bloc, units, seats):
    assert_refused("chair", bloc=bloc, chair=None, vice_chairs=[units["member_unit"]])


def test_every_problem_is_reported_at_once(bloc, units, seats):
    error = assert_refused("chair", bloc=bloc, chair=units["outside_unit"], vice_chairs=[units["outside_unit"]])
    assert "vice_chairs" in error.message_dict


def test_seats_roll_back_with_the_outer_transaction(bloc, units, seats):
    with pytest.raises(RuntimeError), transaction.atomic():
        seats_set(bloc=bloc, year=YEAR, chair=units["member_unit"], vice_chairs=[units["farmers"]], by=None)
        assert holders(bloc, YEAR) == [(0, "LHPN"), (1, "HND")]
        raise RuntimeError("a later step of the conference failed")
    assert holders(bloc, YEAR) == FIXTURE_SEATS
    assert not SeatWrite.objects.filter(bloc=bloc, year=YEAR).exists()


def test_seat_changes_are_in_the_history(bloc, units, seats):
    seats_set(bloc=bloc, year=YEAR, chair=units["member_unit"], by=None)
    deleted = Seat.history.filter(bloc_id=bloc.pk, year=YEAR, history_type="-")
    assert set(deleted.values_list("unit_id", flat=True)) == {units["chair_unit"].pk, units["vice_unit"].pk}


# --- seats_suggest -----------------------------------------------------------------------------------


def seat_history(bloc, units, years: dict[int, list[str]]) -> None:
    """Write seats of past years directly: ``{2019: ["member_unit", "farmers"]}`` = chair, then vices."""
    for year, keys in years.items():
        Seat.objects.filter(bloc=bloc, year=year).delete()
        for rank, key in enumerate(keys):
            Seat.objects.create(bloc=bloc, year=year, unit=units[key], rank=rank)


def test_last_years_first_vice_chair_becomes_chair(bloc, units, seats):
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.year == 2022
    assert suggestion.chair == units["vice_unit"]
    assert any("LĐLĐ tỉnh" in reason and "2021" in reason for reason in suggestion.reasons)


def test_vice_seat_goes_to_the_member_longest_without_a_seat(bloc, units):
    seat_history(
        bloc,
        units,
        {
            2018: ["member_unit", "farmers"],
            2019: ["farmers", "veterans"],
            2020: ["veterans", "chair_unit"],
            2021: ["chair_unit", "vice_unit"],
        },
    )
    # Last seat: member_unit 2018, farmers 2019, veterans 2020, chair_unit 2021.
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.chair == units["vice_unit"]
    assert suggestion.vice_chairs == [units["member_unit"]]
    assert any("Hội LHPN tỉnh" in reason and "2018" in reason for reason in suggestion.reasons)


def test_members_never_seated_come_before_members_seated_long_ago(bloc, units):
    seat_history(bloc, units, {2018: ["member_unit", "chair_unit"], 2021: ["chair_unit", "vice_unit"]})
    suggestion = seats_suggest(bloc=bloc, year=2022)
    # farmers and veterans never held a seat; farmers comes first in protocol order.
    assert suggestion.vice_chairs == [units["farmers"]]
    assert any("Hội Nông dân" in reason for reason in suggestion.reasons)


def test_ties_are_broken_by_protocol_order_not_by_name(bloc, units, seats):
    # member_unit, farmers and veterans never held a seat; put veterans first in protocol order.
    membership = membership_of(bloc, units["veterans"])
    membership.display_order = 0
    membership.save()
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.vice_chairs == [units["veterans"]]
    assert any("Hội CCB tỉnh" in reason for reason in suggestion.reasons)


def test_number_of_vice_seats_is_last_years(bloc, units):
    seat_history(bloc, units, {2021: ["chair_unit", "vice_unit", "member_unit"]})
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.chair == units["vice_unit"]
    assert suggestion.vice_chairs == [units["farmers"], units["veterans"]]
    for name in ("Hội Nông dân", "Hội CCB tỉnh"):
        assert any(name in reason for reason in suggestion.reasons), name


def test_without_last_years_seats_one_vice_seat_is_suggested(bloc, units):
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.chair == units["chair_unit"]  # first in protocol order
    assert suggestion.vice_chairs == [units["vice_unit"]]
    assert any("Ủy ban MTTQ tỉnh" in reason for reason in suggestion.reasons)


def test_when_last_years_first_vice_left_the_bloc_the_chair_goes_to_the_longest_without_a_seat(bloc, units, seats):
    membership = membership_of(bloc, units["vice_unit"])
    membership.last_year = YEAR
    membership.save()
    suggestion = seats_suggest(bloc=bloc, year=2022)
    assert suggestion.chair == units["member_unit"]
    assert suggestion.vice_chairs == [units["farmers"]]
    assert units["vice_unit"] not in [suggestion.chair, *suggestion.vice_chairs]
    assert any("Hội LHPN tỉnh" in reason and "2021" in reason for reason in suggestion.reasons)
    assert any("Hội Nông dân" in reason for reason in suggestion.reasons)


def test_bloc_without_members_gets_no_suggestion(council):
    empty = BlocFactory(council=council, name="Khối thi đua mới", code="KM")
    suggestion = seats_suggest(bloc=empty, year=2022)
    assert suggestion.chair is None
    assert suggestion.vice_chairs == []
    assert len(suggestion.reasons) == 1
    assert "2022" in suggestion.reasons[0]


def test_single_member_is_chair_without_vice_chairs(council):
    small = BlocFactory(council=council, name="Khối thi đua nhỏ", code="KN")
    only = MembershipFactory(bloc=small, first_year=2020).unit
    suggestion = seats_suggest(bloc=small, year=2022)
    assert suggestion.chair == only
    assert suggestion.vice_chairs == []


def test_cluster_with_first_and_second_vice_chairs_rotates(council):
    cluster = BlocFactory(council=council, name="Cụm thi đua các xã phía Bắc", code="CTĐ1", kind=Bloc.Kind.CLUSTER)
    names = ["Xã An Phú", "Xã Bình Hòa", "Xã Châu Phong", "Phường Đông Xuyên", "Xã Hòa Lạc"]
    communes = [
        MembershipFactory(
            bloc=cluster,
            unit=UnitFactory(council=council, name=name, kind="commune"),
            first_year=2020,
            display_order=order,
        ).unit
        for order, name in enumerate(names, start=1)
    ]
    a, b, c, d, e = communes
    seats_set(bloc=cluster, year=2021, chair=a, vice_chairs=[b, c], by=None)
    suggestion = seats_suggest(bloc=cluster, year=2022)
    assert suggestion.chair == b  # last year's first vice-chair (Cụm phó thứ nhất)
    assert suggestion.vice_chairs == [d, e]  # never seated, in protocol order
    for unit in (b, d, e):
        assert any(unit.name in reason for reason in suggestion.reasons), unit.name


def test_suggestion_writes_nothing(bloc, units, seats):
    seats_suggest(bloc=bloc, year=2022)
    assert not Seat.objects.filter(bloc=bloc, year=2022).exists()
    assert not SeatWrite.objects.exists()


def test_accepted_suggestion_is_written_through_seats_set(bloc, units, seats, users):
    suggestion = seats_suggest(bloc=bloc, year=2022)
    seats_set(
        bloc=bloc,
        year=2022,
        chair=suggestion.chair,
        vice_chairs=suggestion.vice_chairs,
        by=users["chair"],
        source=SeatWrite.Source.ROTATION,
    )
    assert holders(bloc, 2022) == [(0, "LDLD"), (1, "LHPN")]
    assert SeatWrite.objects.get(bloc=bloc, year=2022).source == SeatWrite.Source.ROTATION
