"""Reads of the base app that the higher apps share, each at a fixed number of queries whatever the data.

``bloc_year_audience`` says who is told about something of a bloc-year (a notification,
``blocs.services.notification_send``): the active users of the units asked for, of the year's seat holders,
or of every member, and never of a unit outside the bloc that year. Every member of a bloc-year reads the
year's pages (``blocs.access.can_read_bloc_year``), so whatever a notice links to, its reader may open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeAlias

from django.db.models import Q

from .models import Membership, Seat, User

BlocYear: TypeAlias = tuple[int, int]
"""A bloc's id and a year."""


def member_units(bloc_years: Iterable[BlocYear]) -> dict[BlocYear, set[int]]:
    """The member units of each bloc-year, by id (one query)."""
    pairs = set(bloc_years)
    found: dict[BlocYear, set[int]] = {pair: set() for pair in pairs}
    if not pairs:
        return found
    years = {year for _bloc, year in pairs}
    rows = (
        Membership.objects.filter(bloc_id__in={bloc for bloc, _year in pairs}, first_year__lte=max(years))
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=min(years)))
        .values_list("bloc_id", "unit_id", "first_year", "last_year")
    )
    for bloc_id, unit_id, first, last in rows:
        for year in years:
            if (bloc_id, year) in found and first <= year and (last is None or year <= last):
                found[(bloc_id, year)].add(unit_id)
    return found


def seat_units(bloc_years: Iterable[BlocYear]) -> dict[BlocYear, set[int]]:
    """The units holding a seat (chair, vice-chairs) of each bloc-year, by id (one query)."""
    pairs = set(bloc_years)
    found: dict[BlocYear, set[int]] = {pair: set() for pair in pairs}
    if not pairs:
        return found
    rows = Seat.objects.filter(
        bloc_id__in={bloc for bloc, _year in pairs}, year__in={year for _bloc, year in pairs}
    ).values_list("bloc_id", "year", "unit_id")
    for bloc_id, year, unit_id in rows:
        if (bloc_id, year) in found:
            found[(bloc_id, year)].add(unit_id)
    return found


def users_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active users of these units, by unit (one query)."""
    found: dict[int, list[User]] = {}
    ids = set(unit_ids)
    if not ids:
        return found
    for user in User.objects.of_units(ids).order_by("pk"):
        assert user.unit_id is not None  # of_units filters on it
        found.setdefault(user.unit_id, []).append(user)
    return found


def bloc_year_audience(
    units: Mapping[BlocYear, Iterable[int]], *, seat_holders: bool = False, members: bool = False
) -> dict[BlocYear, list[User]]:
    """Who to tell about each bloc-year: the active users of the ``units`` given for it (a proposal's
    recipient, a pledge's signatories), with ``seat_holders`` those of its chair's and vice-chairs' units,
    with ``members`` those of every member unit; only ever units that are members of the bloc that year.

    Three queries at most for any number of bloc-years; each user once per bloc-year.
    """
    if not units:
        return {}
    in_force = member_units(units)
    seats = seat_units(units) if seat_holders else {}
    wanted: dict[BlocYear, set[int]] = {}
    for pair, given in units.items():
        chosen = set(in_force[pair]) if members else set(given) | seats.get(pair, set())
        wanted[pair] = chosen & in_force[pair]
    users = users_by_unit(set().union(*wanted.values()))
    return {pair: [user for unit in sorted(chosen) for user in users.get(unit, [])] for pair, chosen in wanted.items()}
