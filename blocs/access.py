"""Who may do what (the rules: docs/domain.md, "Who may do what"), in one place.

Every view that reads or changes a bloc's data asks these predicates; templates only hide buttons the
server would refuse anyway. The six roles are: anonymous (stopped by LoginRequiredMiddleware), outsider,
member, vice-chair, chair, officer. An officer is Board staff of the bloc's council; superusers count as
officers of every council.

The predicates cache the user's memberships and seats on the user object, so a page that asks about many
blocs costs two queries, not two per bloc.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias, TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from documents.models import FileJob
from documents.services import issuer_parse

from . import registry
from .models import Bloc, Council, Membership, Seat, SeatWrite, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

# Whoever a predicate is asked about: a request's user (signed in or not), or None (the system).
AnyUser: TypeAlias = "User | AnonymousUser | None"


class Role(enum.IntEnum):
    """A user's role in one bloc-year, highest wins."""

    OUTSIDER = 0
    MEMBER = 1
    VICE_CHAIR = 2
    CHAIR = 3
    OFFICER = 4


def _active(user: AnyUser) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active)


def is_officer_of(user: AnyUser, council: Council | int) -> bool:
    """Board staff of ``council`` (or a superuser)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    council_id = council if isinstance(council, int) else council.pk
    return user.unit_id is None and user.council_id == council_id


def is_officer(user: AnyUser) -> TypeGuard[User]:
    """Board staff of some council, or a superuser."""
    return _active(user) and (user.is_superuser or (user.unit_id is None and user.council_id is not None))


def _memberships(user: User) -> dict[int, list[tuple[int, int | None]]]:
    cache = getattr(user, "_bloc_memberships", None)
    if cache is None:
        cache = {}
        if user.unit_id:
            for bloc_id, first, last in Membership.objects.filter(unit_id=user.unit_id).values_list(
                "bloc_id", "first_year", "last_year"
            ):
                cache.setdefault(bloc_id, []).append((first, last))
        user._bloc_memberships = cache  # type: ignore[attr-defined]  # a per-request cache on the user object
    return cache


def _seats(user: User) -> dict[tuple[int, int], int]:
    cache = getattr(user, "_bloc_seats", None)
    if cache is None:
        cache = {}
        if user.unit_id:
            for bloc_id, year, rank in Seat.objects.filter(unit_id=user.unit_id).values_list("bloc_id", "year", "rank"):
                cache[(bloc_id, year)] = rank
        user._bloc_seats = cache  # type: ignore[attr-defined]  # a per-request cache on the user object
    return cache


def is_member(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """The user's unit is a member of ``bloc`` in ``year``."""
    if not _active(user) or not user.unit_id:
        return False
    return any(first <= year and (last is None or last >= year) for first, last in _memberships(user).get(bloc.pk, []))


def was_member(user: AnyUser, bloc: Bloc) -> bool:
    """The user's unit has been a member of ``bloc`` in some year."""
    return _active(user) and bool(user.unit_id) and bloc.pk in _memberships(user)


def seat_rank(user: AnyUser, bloc: Bloc, year: int) -> int | None:
    """The rank of the seat the user's unit holds in the bloc-year (0 chair, 1.. vice), or None."""
    if not _active(user) or not user.unit_id:
        return None
    return _seats(user).get((bloc.pk, year))


def seated_bloc_ids(user: AnyUser, year: int) -> set[int]:
    """The blocs whose seat of ``year`` the user's unit holds (from the seat cache: no query of its own)."""
    if not _active(user) or not user.unit_id:
        return set()
    return {bloc_id for (bloc_id, seat_year) in _seats(user) if seat_year == year}


def holds_seat(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """Chair or vice-chair of the bloc-year (vice-chairs may do what the chair does)."""
    return seat_rank(user, bloc, year) is not None


def role_in(user: AnyUser, bloc: Bloc, year: int) -> Role:
    if is_officer_of(user, bloc.council_id):
        return Role.OFFICER
    rank = seat_rank(user, bloc, year)
    if rank == 0:
        return Role.CHAIR
    if rank is not None:
        return Role.VICE_CHAIR
    if is_member(user, bloc, year):
        return Role.MEMBER
    return Role.OUTSIDER


def has_role(user: AnyUser) -> bool:
    """Whether the user has a role anywhere: an officer, or a unit's user whose unit is or was a member of
    a bloc. Without one the home page says whom to ask (the first run). Reuses the memberships' cache."""
    return is_officer(user) or (_active(user) and bool(user.unit_id) and bool(_memberships(user)))


def can_view_bloc(user: AnyUser, bloc: Bloc) -> bool:
    """Officers of its council and users of units that are or were its members."""
    return is_officer_of(user, bloc.council_id) or was_member(user, bloc)


def can_manage_bloc_year(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """Officers, and the chair and vice-chairs of that year."""
    return is_officer_of(user, bloc.council_id) or holds_seat(user, bloc, year)


def can_view_unit(user: AnyUser, unit: Unit) -> bool:
    """Officers of the unit's council, the unit's own users, and users of units sharing a bloc with it."""
    if is_officer_of(user, unit.council_id):
        return True
    if not _active(user) or not user.unit_id:
        return False
    if user.unit_id == unit.pk:
        return True
    return Membership.objects.filter(unit=unit, bloc_id__in=list(_memberships(user))).exists()


# View helpers: one way to fetch a guarded object. Outsiders get 404, never a partial page; a known
# user without the right to change something gets 403.


def bloc_for_viewing(user: AnyUser, pk: int) -> Bloc:
    bloc: Bloc = get_object_or_404(Bloc.objects.select_related("council"), pk=pk)
    if not can_view_bloc(user, bloc):
        raise Http404
    return bloc


def bloc_for_managing(user: AnyUser, pk: int, year: int) -> Bloc:
    bloc = bloc_for_viewing(user, pk)
    if not can_manage_bloc_year(user, bloc, year):
        raise PermissionDenied
    return bloc


def unit_for_viewing(user: AnyUser, pk: int) -> Unit:
    unit: Unit = get_object_or_404(Unit.objects.select_related("council", "successor"), pk=pk)
    if not can_view_unit(user, unit):
        raise Http404
    return unit


def can_manage_councils(user: AnyUser) -> bool:
    """Creating councils, and editing any council's name, level and document lines: the portal's
    administrators (active superusers) only. A council's own officers keep their settings page
    (``council_for_officer``); they never see the list of councils or another council."""
    return _active(user) and user.is_superuser


def require_council_manager(user: AnyUser) -> None:
    """The councils' pages are for superusers; to anyone else they do not exist (404)."""
    if not can_manage_councils(user):
        raise Http404


def council_for_managing(user: AnyUser, pk: int) -> Council:
    require_council_manager(user)
    council: Council = get_object_or_404(Council, pk=pk)
    return council


def council_or_none(user: AnyUser) -> Council | None:
    """The council an officer works on, or None: for a superuser on a portal without any council yet (and
    for whoever is not an officer). Superusers without a council of their own work on the first one."""
    if not is_officer(user):
        return None
    if user.council_id and user.council is not None:
        return user.council
    return Council.objects.order_by("pk").first()


class NoCouncilYet(Http404):
    """An officer's page asked for on a portal without any council: ``blocs.middleware.FirstRunMiddleware``
    sends the superuser to the first steps instead of a 404."""


def council_for_officer(user: AnyUser) -> Council:
    """The council an officer works on. Superusers without a council work on the first one."""
    if not is_officer(user):
        raise Http404
    council = council_or_none(user)
    if council is None:
        raise NoCouncilYet
    return council


def council_for_reading(user: AnyUser, pk: int) -> Council:
    """A council's own pages about all of its blocs (its year report): its officers and superusers read them;
    to anyone else, another council's officers included, the council's pages do not exist (404), as a bloc's
    pages do not for an outsider."""
    council: Council = get_object_or_404(Council, pk=pk)
    if not is_officer_of(user, council):
        raise Http404
    return council


def file_job_for_user(user: AnyUser, pk: int) -> FileJob:
    """A file the user asked a background job for, while they may still read what it is made of.

    Only the user who asked sees the job (its filters are theirs), and only while the subject's rule still
    lets them read it: an officer moved to another council loses the council's lists. 404 otherwise.
    """
    job: FileJob = get_object_or_404(FileJob, pk=pk)
    if not _active(user) or job.requested_by_id != user.pk:
        raise Http404
    subject = issuer_parse(job.subject)
    if subject is None:
        raise Http404
    kind, subject_pk = subject
    # Only council-wide files are made by jobs so far; a bloc's would need its year's rule
    # (can_read_bloc_year), so any other subject is refused until one is written here.
    if kind == "council" and is_officer_of(user, subject_pk):
        return job
    raise Http404


def require_officer_of(user: AnyUser, council: Council | int) -> None:
    """For pages the user may already see (a bloc, a unit): changing them is for officers only (403)."""
    if not is_officer_of(user, council):
        raise PermissionDenied


def seat_write_refusal(user: AnyUser, bloc: Bloc, year: int) -> str | None:
    """Why ``user`` may not write the seats of ``year`` (None: they may).

    An officer of the bloc's council writes any year's seats. Otherwise only the seat holders of
    ``year - 1`` write them — they record the election held at that year's year-end conference — and only
    while all of these hold:

    - ``year - 1`` is the council's current emulation year or the one before: the conference that elects
      a year meets at the end of the year before it or early in it, so older years are closed to them;
    - the year-end minutes of ``year - 1`` are not final yet: once the election is on the signed record,
      changing it is an officer's correction;
    - their own seats of ``year - 1`` are settled: set by an officer or the system, or elected at a
      conference whose minutes are final. Without this, seats a holder wrote for itself would grant it the
      next year in turn, and a chain of writes could carry a past chair into later years.

    Nobody writes the seats of their own year or an earlier one except an officer, so a vice-chair cannot
    remove the chair it serves with.
    """
    if is_officer_of(user, bloc.council_id):
        return None
    previous = year - 1
    # Messages name the seats in the bloc's own words (Khối trưởng, Khối phó / Cụm trưởng, Cụm phó).
    words = {"seats": bloc.seats_word, "year": previous, "next": year, "before": previous - 1}
    if not holds_seat(user, bloc, previous):
        return _("Only the council's officers and the %(seats)s of %(year)s set the %(seats)s of %(next)s.") % words
    current = bloc.council.current_year
    if previous not in (current - 1, current):
        return _(
            "The %(seats)s of %(year)s no longer set the %(seats)s of %(next)s: the emulation year is now "
            "%(current)s. Ask the council's officers to change them."
        ) % {**words, "current": current}
    if registry.year_end_closed(bloc, previous):
        return (
            _(
                "The minutes of the %(year)s year-end conference are final: only the council's officers change "
                "the %(seats)s of %(next)s now, with a reason."
            )
            % words
        )
    last = SeatWrite.objects.filter(bloc=bloc, year=previous).order_by("-written_at", "-id").first()
    if (
        last is not None
        and last.authority == SeatWrite.Authority.SEAT_HOLDERS
        and not registry.year_end_closed(bloc, previous - 1)
    ):
        return (
            _(
                "The %(seats)s of %(year)s were recorded by the %(seats)s of %(before)s and the minutes of that "
                "election are not final yet, so they do not give the right to set the %(seats)s of %(next)s. "
                "Finalise the minutes of the %(before)s year-end conference, or ask the council's officers."
            )
            % words
        )
    return None


def can_set_seats(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """Officers; the seat holders of ``year - 1`` while they may record its election (``seat_write_refusal``)."""
    if is_officer_of(user, bloc.council_id):
        return True
    if not holds_seat(user, bloc, year - 1):  # the common refusal, without a query
        return False
    return seat_write_refusal(user, bloc, year) is None


def seat_write_authority(user: AnyUser) -> str:
    """The right a seat write uses: ``SeatWrite.Authority`` of the writer (None: the system)."""
    if user is None:
        return SeatWrite.Authority.SYSTEM
    if is_officer(user):
        return SeatWrite.Authority.OFFICER
    return SeatWrite.Authority.SEAT_HOLDERS


_Scoped = TypeVar("_Scoped", Bloc, Unit)


def _visible(
    user: AnyUser, model: type[_Scoped], by_memberships: Callable[[User], models.QuerySet[_Scoped]]
) -> models.QuerySet[_Scoped]:
    """The rows of ``model`` (a council's blocs or units) a user may open: none for an inactive user, all
    for a superuser, the council's for an officer, none for an account of neither; for a unit's user,
    what ``by_memberships`` finds from the unit's memberships."""
    if not _active(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    if user.unit_id is None:
        return model.objects.none() if user.council_id is None else model.objects.filter(council_id=user.council_id)
    return by_memberships(user)


def visible_blocs(user: AnyUser) -> models.QuerySet[Bloc]:
    """The blocs a user may open: the council's for officers, every bloc for superusers, the blocs the
    user's unit is or was a member of otherwise."""
    return _visible(user, Bloc, lambda member: Bloc.objects.filter(pk__in=list(_memberships(member))))


def visible_units(user: AnyUser) -> models.QuerySet[Unit]:
    """Units a user may open: the council's for officers; the own unit and units sharing a bloc otherwise."""

    def own_and_shared(member: User) -> models.QuerySet[Unit]:
        shared = Membership.objects.filter(bloc_id__in=list(_memberships(member))).values("unit_id")
        return Unit.objects.filter(models.Q(pk=member.unit_id) | models.Q(pk__in=shared))

    return _visible(user, Unit, own_and_shared)


# Rows of many bloc-years at once (the search page): a condition for a queryset, never a loop of predicates.

_NOTHING = models.Q(pk__in=[])


def officer_councils_q(user: AnyUser, *, council: str = "council") -> models.Q:
    """The rows (by their ``council`` field path) of the councils whose officer ``user`` is: every council's
    for a superuser, the own council's for an officer, none otherwise (``is_officer_of`` on each row)."""
    if not is_officer(user):
        return _NOTHING
    if user.is_superuser:
        return models.Q()
    return models.Q(**{f"{council}_id": user.council_id})


def readable_bloc_years_q(
    user: AnyUser, *, bloc: str = "bloc", year: str = "year", council: str = "bloc__council"
) -> models.Q:
    """The rows of a model with a bloc and a year (a meeting, a proposal) whose bloc-year ``user`` reads,
    as a condition of one query: the officers' councils (``officer_councils_q`` on ``council``), and for a
    unit's user the bloc-years its unit is a member of or holds a seat in.

    It is ``can_read_bloc_year`` less one case that needs the registry: the seat holders of the year before
    who prepare a year they are no member of (``can_prepare_year``) open those pages but do not find them
    here. Rows without a bloc are the officers' only.
    """
    if not _active(user):
        return _NOTHING
    if user.is_superuser or user.unit_id is None:
        return officer_councils_q(user, council=council)
    member = Membership.objects.filter(unit_id=user.unit_id, bloc=models.OuterRef(bloc)).filter(
        first_year__lte=models.OuterRef(year)
    )
    member = member.filter(models.Q(last_year__isnull=True) | models.Q(last_year__gte=models.OuterRef(year)))
    seat = Seat.objects.filter(unit_id=user.unit_id, bloc=models.OuterRef(bloc), year=models.OuterRef(year))
    return models.Q(models.Exists(member)) | models.Q(models.Exists(seat))


_Row = TypeVar("_Row", bound=models.Model)


def readable_bloc_year_rows(user: AnyUser, rows: models.QuerySet[_Row]) -> list[_Row]:
    """The rows of ``rows`` (a model with ``bloc`` and ``year`` fields, e.g. a meeting) whose bloc-year
    ``user`` reads by ``can_read_bloc_year`` itself, the rule of their pages, in ``rows``' order.

    One query finds the candidates (``readable_bloc_years_q``, and the rows of a year whose year before the
    user's unit holds a seat of); only those last ones are asked ``can_prepare_year`` in Python, once per
    bloc-year (the seat holders of the year before, who prepare a year they are no member of: a unit's few
    seats). So a page costs one query for the rows, the two of the user's memberships and seats, and a
    couple per such bloc-year, whatever the number of rows. The bloc comes with each row, council included.
    """
    if not _active(user):
        return []
    rows = rows.select_related("bloc__council")
    if user.is_superuser or user.unit_id is None:
        return list(rows.filter(officer_councils_q(user, council="bloc__council")))
    seat_before = Seat.objects.filter(
        unit_id=user.unit_id, bloc=models.OuterRef("bloc"), year=models.OuterRef("year") - 1
    )
    candidates = rows.filter(readable_bloc_years_q(user) | models.Q(models.Exists(seat_before)))
    answers: dict[tuple[int, int], bool] = {}
    found = []
    for row in candidates:
        bloc: Bloc = row.bloc  # type: ignore[attr-defined]  # the rows' model has a bloc (the docstring)
        year: int = row.year  # type: ignore[attr-defined]  # and a year
        key = (bloc.pk, year)
        if key not in answers:
            answers[key] = can_read_bloc_year(user, bloc, year)
        if answers[key]:
            found.append(row)
    return found


def seats_exist(bloc: Bloc, year: int) -> bool:
    """Whether ``year`` has seats. A page that has just read the year's seats of this bloc object records
    the answer with ``seats_read`` (a per-request cache on the bloc object), so the rule reads them once."""
    known: dict[int, bool] = getattr(bloc, "_seats_exist", {})
    if year in known:
        return known[year]
    return Seat.objects.filter(bloc=bloc, year=year).exists()


def seats_read(bloc: Bloc, year: int, seats: list[Seat]) -> None:
    """Record that ``seats`` are all of ``year``'s seats of ``bloc``, as just read, for ``seats_exist``."""
    known: dict[int, bool] = getattr(bloc, "_seats_exist", {})
    known[year] = bool(seats)
    bloc._seats_exist = known  # type: ignore[attr-defined]  # a per-request cache on the bloc object


def can_prepare_year(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """Who prepares a bloc-year's documents (its pledge): officers and the seat holders
    of ``year``; and the seat holders of ``year - 1``, who create and draft the next year's pledge at the
    year-end conference — alongside ``year``'s holders once those are elected — until its signing opens
    (and, while ``year`` has no seats yet, also what follows: nobody else of the bloc could)."""
    return prepare_year_refusal(user, bloc, year) is None


def prepare_year_refusal(user: AnyUser, bloc: Bloc, year: int) -> str | None:
    """Why ``user`` may not prepare ``year``'s pledge, in the bloc's own words (None: they may).

    The pledge page shows it to a reader instead of a dead end without a button."""
    if can_manage_bloc_year(user, bloc, year):
        return None
    words = {"chair": bloc.chair_word, "vices": bloc.vice_word, "year": year, "previous": year - 1}
    if holds_seat(user, bloc, year - 1):
        if not seats_exist(bloc, year) or not registry.pledge_signing_opened(bloc, year):
            return None
        return (
            _(
                "Signing of the %(year)s pledge has opened: from now on the council's officers and the "
                "%(chair)s and %(vices)s of %(year)s carry it on."
            )
            % words
        )
    return (
        _(
            "The %(year)s pledge is created and drafted by the council's officers, the %(chair)s and %(vices)s "
            "of %(year)s, and, until its signing opens, those of %(previous)s."
        )
        % words
    )


def can_read_bloc_year(user: AnyUser, bloc: Bloc, year: int) -> bool:
    """Who reads a bloc-year's documents (its pledge, the pledge's scans and PDF): officers of the
    council, the units that are members that year, and whoever prepares the year (``can_prepare_year``:
    the year-1 seat holders until the year has seats). Past members of other years are refused (403)."""
    return is_officer_of(user, bloc.council_id) or is_member(user, bloc, year) or can_prepare_year(user, bloc, year)


def acts_for_unit(user: AnyUser, unit: Unit | int | None) -> bool:
    """An active user of ``unit``: signs the unit's pledge signature, corrects its own signatory."""
    if not _active(user) or not user.unit_id or unit is None:
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    return user.unit_id == unit_id


# Awards: registering target titles -------------------------------------------


def can_register_titles(user: AnyUser, bloc: Bloc, year: int, unit: Unit) -> bool:
    """Đăng ký thi đua: a member registers its own unit's target titles; officers and the year's seat
    holders may register (or remove) any member's."""
    if can_manage_bloc_year(user, bloc, year):
        return True
    return is_member(user, bloc, year) and acts_for_unit(user, unit)
