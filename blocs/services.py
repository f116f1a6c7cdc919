"""Multi-step changes of the base records. Each is atomic and composes inside an outer transaction."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import IssuedDocument
from documents.services import DocumentSpec, document_issue_once

from . import access
from .history import with_history_user
from .integrity import unique_errors
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    Bloc,
    CalendarFeed,
    Council,
    Deadline,
    EmailOptOut,
    Membership,
    MembershipList,
    Notification,
    Seat,
    SeatWrite,
    Unit,
    User,
)


def council_save(*, council: Council, by: User | None) -> Council:
    """Create or change a council (the portal's administrators' pages; ``manage.py`` and the admin too).

    A new council gets its standard award catalogue — the one of its level, provincial or central — in the
    same transaction: the awards app installs it when a council is created (its ``post_save`` receiver,
    ``awards.apps``), since ``blocs`` never imports ``awards``. A name saved by another request at the same
    moment is an error on the name, and nothing is saved.
    """
    council.full_clean()
    with_history_user(council, by)
    taken = ("name", _("Another council already has this name."))
    with transaction.atomic(), unique_errors(Council, {"name": taken}):
        council.save()
    return council


def membership_save(*, membership: Membership) -> Membership:
    """Add or change a membership after checking it against the unit's other periods in the bloc.

    Writes of one unit's memberships queue on the unit's row (NO KEY: rows pointing at the unit stay free
    to be written), so the check sees the period another request just saved: a double submit gets the
    field error "already a member", never two overlapping periods or a 500 on the unique start year.
    """
    with transaction.atomic():
        Unit.objects.select_for_update(no_key=True).filter(pk=membership.unit_id).first()
        membership.full_clean()
        taken = ("first_year", _("This unit's membership of the bloc already starts that year."))
        with unique_errors(Membership, {"membership_unique_start": taken}):
            membership.save()
    return membership


def membership_add_many(
    *, bloc: Bloc, units_in_order: Sequence[Unit], from_year: int, by: User | None
) -> list[Membership]:
    """Make ``units_in_order`` members of ``bloc`` from ``from_year`` on, in that protocol order, after the
    members the bloc has from that year on; all of them or none.

    Each membership goes through ``membership_save``, so the rules are those of adding one unit (another
    council's unit, a period overlapping one the unit already has, a start year taken). Every unit is
    checked before anything stays: the error names each refused unit, under ``units``, and nothing is saved.
    """
    if not FIRST_YEAR <= from_year <= LAST_YEAR:
        raise ValidationError(
            {"first_year": [_("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}
        )
    if not units_in_order:
        raise ValidationError({"units": [_("Choose at least one unit.")]})
    seen: set[int] = set()
    for unit in units_in_order:
        if unit.pk in seen:
            raise ValidationError({"units": [_("%(unit)s is chosen twice.") % {"unit": unit.display_name}]})
        seen.add(unit.pk)
    errors: list[str] = []
    saved: list[Membership] = []
    with transaction.atomic():
        # membership_save locks each unit's row; taking them all first, in one order, keeps two officers
        # adding the same units in different orders from waiting on each other for ever.
        list(Unit.objects.select_for_update(no_key=True).filter(pk__in=seen).order_by("pk").values_list("pk"))
        # Places after every member from that year on. Two officers adding at the same moment may give two
        # units one number: harmless, as lists break ties by name.
        last = max(bloc.memberships.overlapping(from_year, None).values_list("display_order", flat=True), default=0)
        for place, unit in enumerate(units_in_order, start=last + 1):
            membership = Membership(bloc=bloc, unit=unit, first_year=from_year, display_order=place)
            try:
                saved.append(membership_save(membership=with_history_user(membership, by)))
            except ValidationError as error:
                errors.extend(f"{unit.display_name}: {message}" for message in error.messages)
        if errors:
            # Leaving the block with the error undoes the memberships already saved.
            raise ValidationError({"units": errors})
    return saved


def seats_set(
    *,
    bloc: Bloc,
    year: int,
    chair: Unit,
    vice_chairs: Sequence[Unit] = (),
    by: User | None,
    source: str = SeatWrite.Source.OFFICER,
    reason: str = "",
) -> list[Seat]:
    """Set the chair and the ordered vice-chairs of a bloc-year, replacing what was there.

    The one way seats change: the seats page, the acceptance of the rotation suggestion, a conference's
    election and a merger all call it. It checks the writer's right itself (``access.seat_write_refusal``;
    ``by=None`` is the system: the demo loader), so no caller can forget it. A change to seats already
    recorded needs a ``reason``. The last write wins; every write that changes something is kept in
    ``SeatWrite`` with who, with what right, how and why; writing the seats that are already there
    writes nothing, unless an officer confirms seats the seat holders wrote (which settles them: see
    ``access.seat_write_refusal``). Concurrent writes of one bloc queue on the bloc's row, so none fails.
    """
    holders = [chair, *vice_chairs]
    errors: dict[str, list[str]] = {}
    if by is not None:
        refusal = access.seat_write_refusal(by, bloc, year)
        if refusal:
            raise ValidationError({"chair": [refusal]}, code="seat_authority")
    if chair is None:
        errors.setdefault("chair", []).append(_("Choose the chair."))
    seen: set[int] = set()
    for position, unit in enumerate(holders):
        if unit is None:
            continue
        target = "chair" if position == 0 else "vice_chairs"
        if unit.pk in seen:
            errors.setdefault(target, []).append(
                _("%(unit)s cannot hold two seats in the same year.") % {"unit": unit.display_name}
            )
        seen.add(unit.pk)
    members = set(bloc.memberships.covering(year).values_list("unit_id", flat=True))
    for position, unit in enumerate(holders):
        if unit is not None and unit.pk not in members:
            target = "chair" if position == 0 else "vice_chairs"
            errors.setdefault(target, []).append(
                _("%(unit)s is not a member of the bloc in %(year)s.") % {"unit": unit.display_name, "year": year}
            )
    if errors:
        raise ValidationError(errors)
    reason = (reason or "").strip()

    with transaction.atomic():
        # Writers of one bloc's seats queue here: the delete-and-insert below never races another.
        Bloc.objects.select_for_update().filter(pk=bloc.pk).first()
        current = list(Seat.objects.filter(bloc=bloc, year=year).order_by("rank").values_list("unit_id", flat=True))
        wanted = [unit.pk for unit in holders]
        authority = access.seat_write_authority(by)
        if current == wanted and not _confirms(bloc=bloc, year=year, authority=authority):
            return list(bloc.seats_of(year))
        if current and not reason and by is not None:
            raise ValidationError(
                {
                    "reason": [
                        _("The %(seats)s of %(year)s are already recorded: say why they change.")
                        % {"seats": bloc.seats_word, "year": year}
                    ]
                }
            )
        Seat.objects.filter(bloc=bloc, year=year).delete()
        seats = [Seat(bloc=bloc, year=year, unit=unit, rank=rank) for rank, unit in enumerate(holders)]
        for seat in seats:
            seat.save()
        SeatWrite.objects.create(
            bloc=bloc,
            year=year,
            source=source,
            authority=authority,
            reason=reason,
            written_by=by,
            holders=[[rank, unit.pk, unit.name] for rank, unit in enumerate(holders)],
        )
    return seats


def _confirms(*, bloc: Bloc, year: int, authority: str) -> bool:
    """An officer writing the seats the seat holders recorded, unchanged: a confirmation worth a line."""
    last = SeatWrite.objects.filter(bloc=bloc, year=year).order_by("-written_at", "-id").first()
    return (
        authority == SeatWrite.Authority.OFFICER
        and last is not None
        and last.authority == SeatWrite.Authority.SEAT_HOLDERS
    )


@dataclass
class SeatSuggestion:
    """The rotation rule's proposal for a bloc-year, with the reasons shown to the user."""

    year: int
    chair: Unit | None
    vice_chairs: list[Unit] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    members: list[Unit] = field(default_factory=list)  # the year's member units chosen from, protocol order


def seats_suggest(*, bloc: Bloc, year: int) -> SeatSuggestion:
    """Suggest the seats of ``year`` by the default rotation rule.

    The rule: last year's first vice-chair becomes chair; the vice seats go to the members that have gone
    longest without any seat, ties broken by protocol order. The number of vice seats is last year's (at
    least one). Nothing is written; the officer or the chair accepts or changes it.
    """
    members = [m.unit for m in bloc.members(year)]
    member_ids = {u.pk for u in members}
    suggestion = SeatSuggestion(year=year, chair=None, members=members)
    if not members:
        suggestion.reasons.append(_("The bloc has no members in %(year)s.") % {"year": year})
        return suggestion

    # Every earlier seat of the bloc in one read (a few per year): last year's seats, and each member's last.
    history = list(Seat.objects.filter(bloc=bloc, year__lt=year).order_by("year", "rank").select_related("unit"))
    previous = [seat for seat in history if seat.year == year - 1]
    vice_count = max(1, sum(1 for s in previous if s.rank > 0))
    first_vice = next((s.unit for s in previous if s.rank == 1), None)

    last_seat_year: dict[int, int] = {}
    for seat in history:
        if seat.unit_id in member_ids:
            last_seat_year[seat.unit_id] = max(seat.year, last_seat_year.get(seat.unit_id, 0))

    # Protocol order breaks ties: ``members`` is already in it.
    def longest_without_seat(units: list[Unit]) -> list[Unit]:
        return sorted(units, key=lambda u: last_seat_year.get(u.pk, 0))

    if first_vice is not None and first_vice.pk in member_ids:
        suggestion.chair = first_vice
        suggestion.reasons.append(
            _("%(unit)s was the first vice-chair in %(year)s and becomes chair.")
            % {"unit": first_vice.display_name, "year": year - 1}
        )
    else:
        suggestion.chair = longest_without_seat(members)[0]
        if previous:
            reason = _(
                "No first vice-chair of %(year)s is a member now; %(unit)s, the member longest without a seat, "
                "becomes chair."
            )
        else:
            # No year before to rotate from: say so, rather than claim a vice-chair left.
            reason = _(
                "No seats are recorded for %(year)s; %(unit)s, the member longest without a seat, becomes chair."
            )
        suggestion.reasons.append(reason % {"year": year - 1, "unit": suggestion.chair.display_name})
    rest = [u for u in members if u.pk != suggestion.chair.pk]
    suggestion.vice_chairs = longest_without_seat(rest)[:vice_count]
    for unit in suggestion.vice_chairs:
        since = last_seat_year.get(unit.pk)
        if since:
            suggestion.reasons.append(
                _("%(unit)s last held a seat in %(year)s.") % {"unit": unit.display_name, "year": since}
            )
        else:
            suggestion.reasons.append(_("%(unit)s has not held a seat yet.") % {"unit": unit.display_name})
    return suggestion


def unit_merge(*, predecessors: Sequence[Unit], successor: Unit, year: int, by: User | None) -> Unit:
    """Record that ``predecessors`` merged into ``successor`` with effect from ``year``.

    Each predecessor's memberships close at ``year`` (it was a member for part
    of that year, so signatures it gave for ``year`` stay valid) and the successor becomes a member of
    those blocs from ``year``, at the predecessor's protocol place unless it is a member already; seats the
    predecessors hold in ``year`` or later pass to the successor; memberships planned to start after
    ``year`` move to the successor. Earlier history (seats, pledges, awards) stays with the predecessor.
    """
    if not predecessors:
        raise ValidationError({"predecessors": _("Choose at least one unit that merges.")})
    if any(p.pk == successor.pk for p in predecessors):
        raise ValidationError({"predecessors": _("The successor cannot be one of the merging units.")})
    if any(p.council_id != successor.council_id for p in predecessors):
        raise ValidationError({"predecessors": _("All units must belong to the same council.")})
    if successor.successor_id:
        raise ValidationError(
            {
                "successor": _(
                    "The successor %(unit)s has itself merged into another unit; choose the unit it merged into."
                )
                % {"unit": successor.display_name}
            }
        )
    merged = [p for p in predecessors if p.successor_id]
    if merged:
        raise ValidationError(
            {"predecessors": _("%(unit)s has already merged into another unit.") % {"unit": merged[0].display_name}}
        )

    with transaction.atomic():
        successor.active = True
        successor.save()
        for unit in predecessors:
            for membership in Membership.objects.select_for_update().filter(unit=unit).covering(year):
                _successor_join(membership=membership, successor=successor, first_year=year)
                membership.last_year = year
                membership.save()
            # A membership planned to start after the merger never began: the successor takes it.
            for membership in Membership.objects.select_for_update().filter(unit=unit, first_year__gt=year):
                _successor_join(membership=membership, successor=successor, first_year=membership.first_year)
                membership.delete()
            for seat_year, bloc in {
                (s.year, s.bloc) for s in Seat.objects.filter(unit=unit, year__gte=year).select_related("bloc")
            }:
                seats = list(bloc.seats_of(seat_year))
                holders = [successor if s.unit_id == unit.pk else s.unit for s in seats]
                # A successor that already held a seat keeps its higher one.
                deduplicated = [u for i, u in enumerate(holders) if u.pk not in {h.pk for h in holders[:i]}]
                seats_set(
                    bloc=bloc,
                    year=seat_year,
                    chair=deduplicated[0],
                    vice_chairs=deduplicated[1:],
                    by=by,
                    source=SeatWrite.Source.MERGER,
                    reason=_("%(old)s merged into %(new)s") % {"old": unit.name, "new": successor.name},
                )
            unit.successor = successor
            unit.merged_year = year
            unit.active = False
            unit.save()
    return successor


def _successor_join(*, membership: Membership, successor: Unit, first_year: int) -> None:
    """Make ``successor`` a member of the membership's bloc from ``first_year`` to its end, at its place."""
    bloc = membership.bloc
    if Membership.objects.filter(bloc=bloc, unit=successor).overlapping(first_year, membership.last_year).exists():
        return
    Membership.objects.create(
        bloc=bloc,
        unit=successor,
        first_year=first_year,
        last_year=membership.last_year,
        display_order=membership.display_order,
    )


class MembershipListUnavailable(Exception):
    """The membership list could not be issued now: its render failed, or another request (a double
    click) is issuing the same list at this moment."""


def membership_list_issued(*, bloc: Bloc, year: int, snapshot: str) -> IssuedDocument | None:
    """The copy of the bloc-year's membership list already issued with the printed content ``snapshot``,
    which ``membership_list_issue`` gives again instead of taking a number; None when it would issue."""
    holder = (
        MembershipList.objects.filter(bloc=bloc, year=year, snapshot=snapshot, document__isnull=False)
        .select_related("document")
        .first()
    )
    return holder.document if holder is not None else None


def membership_list_issue(
    *, bloc: Bloc, year: int, snapshot: str, spec: Callable[[], DocumentSpec], by: User | None
) -> tuple[IssuedDocument, bool]:
    """Issue the bloc-year's membership list with the printed content ``snapshot`` once; returns the
    document and whether this call issued it (False: the same list was issued before, here it is).

    What "issue again" means: an officer issues a new numbered copy after the members, seats or signer
    changed, so there is one copy (``MembershipList``) per distinct content; the same content never gets
    a second number, whether the second click comes 50 ms or a month later. Call it outside a transaction
    (``document_issue_once`` claims the copy so that two requests never both take a number).
    """
    holder, _created = MembershipList.objects.get_or_create(
        bloc=bloc, year=year, snapshot=snapshot, defaults={"created_by": by}
    )
    if holder.document_id:
        return holder.document, False
    document = document_issue_once(holder=holder, spec=spec, by=by, unavailable=MembershipListUnavailable)
    return document, True


# Deadlines ---------------------------------------------------------------------------------------------


def deadline_set(
    *,
    council: Council,
    year: int,
    kind: str,
    due_on: date,
    bloc: Bloc | None = None,
    note: str = "",
    by: User | None = None,
) -> Deadline:
    """Set (or move) the day by which ``kind`` is due for ``year``: for every bloc of the council, or for
    ``bloc`` alone, whose own deadline then counts instead of the council's."""
    with transaction.atomic():
        # Writers of one council's deadlines queue on the council's row: of two saves at once, the first
        # creates the deadline and the second moves it (the last write wins), rather than failing.
        Council.objects.select_for_update(no_key=True).filter(pk=council.pk).first()
        item = Deadline.objects.select_for_update().filter(council=council, year=year, kind=kind, bloc=bloc).first()
        if item is None:
            item = Deadline(council=council, year=year, kind=kind, bloc=bloc)
        item.due_on = due_on
        item.note = note or ""
        item.full_clean(validate_constraints=False)
        with_history_user(item, by)
        item.save()
    return item


def deadline_remove(*, deadline: Deadline, by: User | None = None) -> None:
    """Take a deadline away: a bloc's own lets the council's count again; the council's leaves no deadline."""
    with_history_user(deadline, by)
    with transaction.atomic():
        deadline.delete()


# Notifications -------------------------------------------------------------------------------------------


def notification_send(
    *, kind: str, users: Iterable[User], title: str, url: str = "", body: str = "", key: str = ""
) -> list[Notification]:
    """Tell ``users`` (each once, whatever the repeats) something of ``kind``: recorded now, in the caller's
    transaction, with the e-mail queued for after its commit (``blocs.notifications``) for each user who
    has an address and has not turned e-mail off for the kind.

    ``key`` names what the notice is about when it must never be told twice (a reminder): a user who
    already has a notice with that key gets none. Returns the notices made.
    """
    from . import notifications  # the mail job imports the services' models; imported when used

    recipients = {user.pk: user for user in users if user.is_active}
    if not recipients:
        return []
    with transaction.atomic():
        if key:
            told = set(Notification.objects.filter(key=key, user_id__in=recipients).values_list("user_id", flat=True))
            recipients = {pk: user for pk, user in recipients.items() if pk not in told}
        muted = set(EmailOptOut.objects.filter(kind=kind, user_id__in=recipients).values_list("user_id", flat=True))
        made = [
            Notification(
                user=user,
                kind=kind,
                title=title[:255],
                body=body,
                url=url,
                key=key,
                email=(
                    Notification.Email.NO_ADDRESS
                    if not user.email
                    else Notification.Email.OFF
                    if user.pk in muted
                    else Notification.Email.PENDING
                ),
            )
            for user in sorted(recipients.values(), key=lambda user: user.pk)
        ]
        made = Notification.objects.bulk_create(made)
        pending = [n.pk for n in made if n.email == Notification.Email.PENDING and n.pk is not None]
        if pending:
            notifications.mail_on_commit(pending)
    return made


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices as read (``ids``: only those of them). Returns how many changed."""
    unread = Notification.objects.filter(user=user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_opt_outs_set(*, user: User, muted_kinds: Iterable[str]) -> None:
    """The kinds of notice the user gets no e-mail for (they still appear in the portal)."""
    muted = set(muted_kinds) & set(Notification.Kind.values)
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).exclude(kind__in=muted).delete()
        have = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        EmailOptOut.objects.bulk_create([EmailOptOut(user=user, kind=kind) for kind in sorted(muted - have)])


# The calendar feed -----------------------------------------------------------------------------------


def _feed_token() -> str:
    """A new feed's secret: 32 random bytes, 43 characters of a URL."""
    return secrets.token_urlsafe(32)


def calendar_feed_for(user: User) -> CalendarFeed:
    """The user's calendar feed, made with a new secret on the first call (the calendar page's first view).

    Two first views at once (two tabs) make one feed: the second insert fails on the one-per-user constraint
    inside its savepoint and reads the row the first one made."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            feed = with_history_user(CalendarFeed(user=user, token=_feed_token(), created_at=timezone.now()), user)
            feed.save()
    except IntegrityError:
        feed = CalendarFeed.objects.get(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the user's feed a new secret, so that the old address stops working at once (a phone lost, an
    address shared by mistake); the history keeps the time, never the token. Makes the feed if it has none."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token = _feed_token()
    feed.created_at = timezone.now()
    with_history_user(feed, user)
    feed.save()
    return feed
