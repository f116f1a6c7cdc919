"""Who writes a bloc-year's seats (docs/domain.md, "Writing seats"), and that no seat holder can widen
its own rights.

The rule: an officer of the council writes any year's seats, saying why when they replace recorded ones.
The seat holders of year Y write the seats of Y+1 — on the seats page or through the year-end conference
of Y — while Y is the council's current emulation year or the one before, until the minutes of Y's
year-end conference are final, and only when their own seats of Y are settled (not written by the
holders of Y-1 on an election whose minutes are not final). Nobody else writes seats.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from blocs import access, registry
from blocs.models import Bloc, Seat, SeatWrite, Unit
from blocs.services import seats_set
from meetings import services as meeting_services

from ..conftest import YEAR
from ..factories import UserFactory
from ..roles import FORBIDDEN, MANAGERS, OFFICERS_ONLY, REDIRECT, ROLES, check_get, check_post, expect

# Messages in English (the msgids); the meetings fixtures (awards, meeting, record) come from their plugin.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def seat_state(bloc: Bloc) -> tuple:
    return (
        tuple(Seat.objects.filter(bloc=bloc).order_by("year", "rank").values_list("year", "rank", "unit_id")),
        SeatWrite.objects.count(),
    )


def holders(bloc: Bloc, year: int) -> list[str]:
    return [seat.unit.code for seat in bloc.seats_of(year)]


def post_seats(units, chair_key: str, *vice_keys: str, reason: str = "") -> dict:
    data = {"chair": units[chair_key].pk, "reason": reason}
    for rank, key in enumerate(vice_keys, start=1):
        data[f"vice_{rank}"] = units[key].pk
    return data


# --- The seats page, role by role ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_an_officer_opens_the_seats_of_the_current_year(client_as, bloc, users, role):
    check_get(client_as(role), reverse("blocs:seats_edit", args=[bloc.pk, YEAR]), OFFICERS_ONLY, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_seat_holders_of_a_year_open_the_seats_of_the_next(client_as, bloc, users, role):
    check_get(client_as(role), reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]), MANAGERS, role)


@pytest.mark.parametrize("role", ROLES)
def test_writing_the_current_years_seats_is_an_officers(client_as, bloc, units, users, role):
    data = post_seats(units, "farmers", "member_unit", reason="Điều chỉnh theo quyết định của Hội đồng.")
    check_post(
        client_as(role),
        reverse("blocs:seats_edit", args=[bloc.pk, YEAR]),
        data,
        {**OFFICERS_ONLY, "officer": REDIRECT},
        role,
        state=lambda: seat_state(bloc),
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_seat_holders_write_the_next_years_seats(client_as, bloc, units, users, role):
    data = post_seats(units, "vice_unit", "farmers")
    check_post(
        client_as(role),
        reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]),
        data,
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
        role,
        state=lambda: seat_state(bloc),
    )


def test_a_vice_chair_cannot_remove_the_chair_it_serves_with(bloc, units, users):
    before = seat_state(bloc)
    with pytest.raises(ValidationError) as refused:
        seats_set(bloc=bloc, year=YEAR, chair=units["vice_unit"], by=users["vice_chair"], reason="Tôi làm khối trưởng.")
    assert "chair" in refused.value.error_dict
    assert seat_state(bloc) == before


def test_every_write_records_who_with_what_right_and_why(client_as, bloc, units, users):
    client_as("chair").post(reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]), post_seats(units, "vice_unit"))
    write = SeatWrite.objects.get(bloc=bloc, year=YEAR + 1)
    assert (write.written_by, write.authority) == (users["chair"], SeatWrite.Authority.SEAT_HOLDERS)
    client_as("officer").post(
        reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]),
        post_seats(units, "vice_unit", "farmers", reason="Bổ sung Khối phó theo\nbiên bản hội nghị."),
    )
    latest = SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1).first()
    assert (latest.written_by, latest.authority) == (users["officer"], SeatWrite.Authority.OFFICER)
    assert latest.reason == "Bổ sung Khối phó theo\nbiên bản hội nghị."


def test_changing_recorded_seats_needs_a_reason_and_changes_nothing_without_one(client_as, bloc, units):
    before = seat_state(bloc)
    response = client_as("officer").post(
        reverse("blocs:seats_edit", args=[bloc.pk, YEAR]), post_seats(units, "farmers", "member_unit")
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("reason")
    assert "đã được ghi nhận" in response.content.decode() or "already recorded" in response.content.decode()
    assert seat_state(bloc) == before


def test_writing_the_seats_that_are_already_there_records_nothing(bloc, units, users):
    before = seat_state(bloc)
    seats_set(bloc=bloc, year=YEAR, chair=units["chair_unit"], vice_chairs=[units["vice_unit"]], by=users["officer"])
    assert seat_state(bloc) == before


# --- The window: the council's year, final minutes, settled seats ------------------------------------


def test_seat_holders_of_an_old_year_cannot_write_the_year_after(bloc, units, users):
    Seat.objects.create(bloc=bloc, year=2019, unit=units["farmers"], rank=0)
    farmer = UserFactory(username="hnd", council=bloc.council, unit=units["farmers"])
    for year in (2020, YEAR):
        refusal = access.seat_write_refusal(farmer, bloc, year)
        assert refusal and "2021" in refusal, year
        with pytest.raises(ValidationError):
            seats_set(bloc=bloc, year=year, chair=units["farmers"], by=farmer, reason="x")
    assert holders(bloc, YEAR) == ["MTTQ", "LDLD"]


def test_once_the_year_end_minutes_are_final_only_an_officer_changes_the_next_year(
    client_as, bloc, units, users, meeting, record
):
    record()  # the 2021 conference elects LĐLĐ chair of 2022, HND vice-chair
    assert holders(bloc, YEAR + 1) == ["LDLD", "HND"]
    url = reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1])
    assert client_as("chair").get(url).status_code == 200
    meeting_services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    for role in ("chair", "vice_chair"):
        assert client_as(role).get(url).status_code == FORBIDDEN, role
        before = seat_state(bloc)
        assert client_as(role).post(url, post_seats(units, "member_unit", reason="x")).status_code == FORBIDDEN
        assert seat_state(bloc) == before
    response = client_as("officer").post(url, post_seats(units, "member_unit", "farmers", reason="Sửa theo biên bản."))
    assert response.status_code == REDIRECT
    assert holders(bloc, YEAR + 1) == ["LHPN", "HND"]


def test_a_correction_of_final_minutes_does_not_reopen_the_election_to_the_chair(bloc, units, users, meeting, record):
    record()
    meeting_services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    meeting_services.minutes_correction_start(meeting=meeting, reason="Sai tên đơn vị.", by=users["chair"])
    with pytest.raises(ValidationError) as refused:
        record(election=meeting_services.ElectionEntry(chair=units["member_unit"], vice_chairs=[units["farmers"]]))
    assert "election_chair" in refused.value.error_dict
    assert holders(bloc, YEAR + 1) == ["LDLD", "HND"]


def test_seats_a_holder_wrote_give_no_right_until_their_election_is_on_final_minutes(bloc, units, users, monkeypatch):
    # The chair of 2021 records 2022 naming the member's unit chair; in 2022 that unit may not use the seat
    # it got from a holder's write to set 2023, until the 2021 minutes are final.
    seats_set(bloc=bloc, year=YEAR + 1, chair=units["member_unit"], by=users["chair"])
    bloc.council.current_year = YEAR + 1
    bloc.council.save()
    member = users["member"]
    refusal = access.seat_write_refusal(member, bloc, YEAR + 2)
    assert refusal and "2021" in refusal
    closed = {(bloc.pk, YEAR)}
    monkeypatch.setattr(registry, "year_end_closed_providers", [lambda b, y: (b.pk, y) in closed])
    assert access.seat_write_refusal(member, bloc, YEAR + 2) is None


def test_a_conference_outside_the_window_cannot_elect(bloc, units, users, record):
    bloc.council.current_year = YEAR + 2
    bloc.council.save()
    with pytest.raises(ValidationError) as refused:
        record()
    assert "election_chair" in refused.value.error_dict
    assert holders(bloc, YEAR + 1) == []


def test_an_officer_records_an_old_conference_election(bloc, units, users, record):
    bloc.council.current_year = YEAR + 2
    bloc.council.save()
    record(by=users["officer"])
    assert holders(bloc, YEAR + 1) == ["LDLD", "HND"]
    assert SeatWrite.objects.get(bloc=bloc, year=YEAR + 1).authority == SeatWrite.Authority.OFFICER


# --- The propagation chain, for every unit of the demo that ever held a seat ---------------------------


def _attack(unit: Unit, user, bloc: Bloc, first_year: int, last_year: int) -> list[int]:
    """Try, year after year, to make ``unit`` chair through ``user``; the years it succeeded."""
    won = []
    for year in range(first_year, last_year + 1):
        try:
            seats_set(bloc=bloc, year=year, chair=unit, by=user, reason="Tự ghi.")
        except ValidationError:
            continue
        won.append(year)
    return won


def test_no_demo_seat_holder_can_carry_itself_into_later_years(db):
    """Every unit that ever held a seat in the demo tries, year after year from 2015, to write itself in as
    chair. Each write it wins must rest on a seat it really held before the attempt — never on a seat it
    wrote for itself — and lie in the council's window; the years before the current one never change."""
    from blocs.demo import load_demo

    load_demo()
    checked = 0
    for bloc in Bloc.objects.select_related("council"):
        current = bloc.council.current_year
        held = {(unit_id, year) for unit_id, year in Seat.objects.filter(bloc=bloc).values_list("unit_id", "year")}
        past = list(Seat.objects.filter(bloc=bloc, year__lt=current).values_list("year", "rank", "unit_id"))
        for unit in Unit.objects.filter(seats__bloc=bloc).distinct():
            user = UserFactory(username=f"attacker-{bloc.pk}-{unit.pk}", council=bloc.council, unit=unit)
            with transaction.atomic():
                won = _attack(unit, user, bloc, 2015, current + 3)
                legitimate = {year for year in range(current, current + 2) if (unit.pk, year - 1) in held}
                assert set(won) <= legitimate, (bloc.code, unit.code, won, sorted(legitimate))
                assert past == list(
                    Seat.objects.filter(bloc=bloc, year__lt=current).values_list("year", "rank", "unit_id")
                ), (bloc.code, unit.code)
                transaction.set_rollback(True)
            checked += 1
    assert checked >= 10


def test_the_demo_member_who_chaired_2019_cannot_take_2021(client, db):
    """The finding as seen: a member whose unit chaired the bloc in 2019 posted 2020's seats naming itself,
    then 2021's, and the real 2021 chair lost its conference page."""
    from blocs.demo import load_demo

    load_demo()
    bloc = Bloc.objects.get(seats__year=2021, seats__unit__users__username="khoitruong")
    chair_2019 = Seat.objects.get(bloc=bloc, year=2019, rank=0).unit
    attacker = UserFactory(username="chair2019", council=bloc.council, unit=chair_2019)
    client.force_login(attacker)
    before = seat_state(bloc)
    for year in (2020, 2021, 2022):
        response = client.post(
            reverse("blocs:seats_edit", args=[bloc.pk, year]), {"chair": chair_2019.pk, "reason": "x"}
        )
        assert response.status_code == FORBIDDEN, year
    assert seat_state(bloc) == before
    client.force_login(bloc.seats_of(2021)[0].unit.users.get(username="khoitruong"))
    conference = bloc.meetings.get(year=2021, kind="year_end")
    assert client.get(reverse("meetings:meeting_results", args=[conference.pk])).status_code == 200


# --- Concurrent saves -----------------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_seat_saves_all_succeed_and_the_last_wins(bloc, units, users):
    """Seen before: six officers' saves at once gave four 500s (IntegrityError on the seat constraints)."""
    choices = [
        ("vice_unit", "farmers"),
        ("member_unit", "veterans"),
        ("farmers", "vice_unit"),
        ("veterans", "member_unit"),
        ("chair_unit", "farmers"),
        ("vice_unit", "member_unit"),
    ]
    barrier = threading.Barrier(len(choices))
    statuses: list[int] = []
    errors: list[Exception] = []

    def save(chair_key: str, vice_key: str) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(users["officer"])
        try:
            barrier.wait()
            response = client.post(
                reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]),
                post_seats(units, chair_key, vice_key, reason="Điều chỉnh đồng thời."),
            )
            statuses.append(response.status_code)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=pair) for pair in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert statuses == [REDIRECT] * len(choices)
    final = [seat.unit_id for seat in bloc.seats_of(YEAR + 1)]
    assert final in [[units[chair].pk, units[vice].pk] for chair, vice in choices]
    last = SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1).first()
    assert [holder[1] for holder in last.holders] == final


def test_the_refused_seats_page_says_why(client_as, bloc):
    response = client_as("chair").get(reverse("blocs:seats_edit", args=[bloc.pk, YEAR]))
    assert response.status_code == FORBIDDEN
    page = response.content.decode()
    assert "2020" in page and "2021" in page
    assert "Khối trưởng, Khối phó" in page
