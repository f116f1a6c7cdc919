"""Deadline reminders (``manage.py send_reminders``; docs/domain.md, "Deadlines and the to-do list").

For each deadline coming within ``DEADLINE_REMINDER_DAYS`` (7 and 1 by default) or passed within
``REMINDER_PASSED_WITHIN`` days, and each bloc-year it governs where something is still owed (the
trackers of ``blocs.registry``), the users who must act are told: an owing member unit's users, and the
bloc-year's chair and vice-chairs (for a kind done by each member, they are told once it has passed).

Each reminder has a key — kind, bloc, year, the deadline's day and the step ("7", "1", "passed") — and a
user never gets two notices with one key, so running the command twice, or every hour, sends nothing
twice; a deadline moved to another day is a new deadline and is reminded again. A run that missed a day
still sends the step it is in (a deadline 5 days away gets the 7-day reminder if it was not sent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Bloc, Deadline, Membership, Notification, Seat, User
from .todo import DeadlineState, deadline_states

# A deadline that passed longer ago than this is history: no "passed" reminder (a first run on an old
# database does not tell everyone about last year).
REMINDER_PASSED_WITHIN = 14


@dataclass
class Reminder:
    """One notice to send to some users: what ``notification_send`` takes."""

    kind: str
    users: list[User]
    title: str
    body: str
    url: str
    key: str


def reminder_step(left: int, days: Iterable[int]) -> str | None:
    """Which reminder a deadline ``left`` days away is due for: "passed", the smallest number of days in
    ``days`` it is within ("7", "1"), or None (too far away)."""
    if left < 0:
        return "passed"
    within = [step for step in sorted(days) if left <= step]
    return str(within[0]) if within else None


def _governed_bloc_years(deadlines: list[Deadline]) -> list[tuple[Bloc, int]]:
    """The bloc-years the deadlines govern: a bloc's own, or every active bloc of the council with members
    that year. Two queries."""
    council_years = {(d.council_id, d.year) for d in deadlines if d.bloc_id is None}
    pairs = {(d.bloc, d.year) for d in deadlines if d.bloc is not None}
    if council_years:
        years = {year for _council, year in council_years}
        blocs = {
            bloc.pk: bloc
            for bloc in Bloc.objects.filter(
                council_id__in={council for council, _year in council_years}, active=True
            ).select_related("council")
        }
        for bloc_id, first, last in Membership.objects.filter(bloc_id__in=list(blocs)).values_list(
            "bloc_id", "first_year", "last_year"
        ):
            bloc = blocs[bloc_id]
            for year in years:
                covered = first <= year and (last is None or last >= year)
                if covered and (bloc.council_id, year) in council_years:
                    pairs.add((bloc, year))
    return sorted(pairs, key=lambda pair: (pair[1], pair[0].sort_name, pair[0].pk))


def reminders_due(*, today: date) -> list[Reminder]:
    """The reminders ``today`` asks for, whether or not they were sent already (``notification_send``'s
    key keeps them from being sent twice). A fixed number of queries whatever the number of blocs."""
    days = settings.DEADLINE_REMINDER_DAYS
    deadlines = list(
        Deadline.objects.filter(
            due_on__gte=today - timedelta(days=REMINDER_PASSED_WITHIN), due_on__lte=today + timedelta(days=max(days))
        ).select_related("bloc__council")
    )
    if not deadlines:
        return []
    scanned = {d.pk for d in deadlines}
    states = [
        state
        for state in deadline_states(_governed_bloc_years(deadlines))
        if state.deadline is not None and state.deadline.pk in scanned and state.owing.owed
    ]
    seat_units: dict[tuple[int, int], set[int]] = defaultdict(set)
    for bloc_id, year, unit_id in Seat.objects.filter(
        bloc_id__in={s.bloc.pk for s in states}, year__in={s.year for s in states}
    ).values_list("bloc_id", "year", "unit_id"):
        seat_units[(bloc_id, year)].add(unit_id)
    wanted_units = {unit for units in seat_units.values() for unit in units} | {
        unit for s in states for unit in s.owing.units
    }
    users_of: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(unit_id__in=wanted_units, is_active=True).order_by("pk"):
        users_of[user.unit_id].append(user)  # type: ignore[index]  # filtered on units: never None

    reminders = []
    for state in states:
        assert state.deadline is not None  # kept above
        step = reminder_step(state.deadline.days_left(today), days)
        if step is None:
            continue
        key = f"deadline:{state.tracker.kind}:{state.bloc.pk}:{state.year}:{state.deadline.due_on:%Y%m%d}:{step}"
        title = _title(state, today, step)
        words = {"bloc": state.bloc.name, "year": state.year, "owing": state.owing.pending, "total": state.owing.total}
        seat_users = [u for unit in sorted(seat_units[(state.bloc.pk, state.year)]) for u in users_of[unit]]
        kind = Notification.Kind.DEADLINE_PASSED if step == "passed" else Notification.Kind.DEADLINE_SOON
        if state.tracker.by_members:
            unit_users = [u for unit in sorted(state.owing.units) for u in users_of[unit]]
            reminders.append(
                Reminder(
                    kind=kind,
                    users=unit_users,
                    title=title,
                    body=str(state.tracker.unit_text) % words,
                    url=state.owing.unit_url or state.owing.url,
                    key=key,
                )
            )
            if step != "passed":
                continue
        reminders.append(
            Reminder(
                kind=kind,
                users=seat_users,
                title=title,
                body=str(state.tracker.seat_text) % words,
                url=state.owing.url,
                key=key,
            )
        )
    return [reminder for reminder in reminders if reminder.users]


def _title(state: DeadlineState, today: date, step: str) -> str:
    assert state.deadline is not None
    words = {
        "what": state.deadline.get_kind_display(),
        "day": state.deadline.due_on.strftime("%d/%m/%Y"),
        "bloc": state.bloc.name,
        "year": state.year,
    }
    if step == "passed":
        return _("%(what)s %(day)s has passed (%(bloc)s, %(year)s)") % words
    left = state.deadline.days_left(today)
    if left == 0:
        return _("%(what)s %(day)s is today (%(bloc)s, %(year)s)") % words
    return ngettext(
        "%(what)s %(day)s: %(left)s day left (%(bloc)s, %(year)s)",
        "%(what)s %(day)s: %(left)s days left (%(bloc)s, %(year)s)",
        left,
    ) % {**words, "left": left}
