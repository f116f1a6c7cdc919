"""Việc cần làm: what each user must do next, with the deadlines that govern it (docs/domain.md, "Deadlines
and the to-do list").

The items come from two sources: the home providers of the apps (a proposal waiting for review, the
conference not recorded, ...) and the deadline trackers (``registry.register_deadline_tracker``), which say,
per bloc-year, which units have not done what a kind of deadline asks for. From the trackers:

* an owing member unit's users see their own item ("your unit has not signed"), with the deadline;
* the chair and vice-chairs of the bloc-year see the count ("3/8 have not signed");
* officers see, per kind and year, the blocs whose deadline has passed with something still owed.

Everything costs a fixed number of queries whatever the number of blocs: one for the deadlines, the
trackers' own, and the seat cache of ``blocs.access``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import access, registry
from .models import Bloc, Deadline


@dataclass
class DeadlineState:
    """One tracked thing of one bloc-year: its deadline (if any) and who still owes it."""

    bloc: Bloc
    year: int
    tracker: registry.DeadlineTracker
    deadline: Deadline | None
    owing: registry.Owing

    def days_left(self, today: date) -> int | None:
        return self.deadline.days_left(today) if self.deadline else None

    def is_late(self, today: date) -> bool:
        return self.owing.owed and self.deadline is not None and self.deadline.due_on < today


def deadlines_by_bloc_year(bloc_years: Iterable[tuple[Bloc, int]]) -> dict[tuple[int, int], dict[str, Deadline]]:
    """Each bloc-year's deadline of each kind (the bloc's own, else its council's). One query."""
    pairs = list(bloc_years)
    found: dict[tuple[int, int], dict[str, Deadline]] = defaultdict(dict)
    if not pairs:
        return found
    councils = {bloc.council_id for bloc, _year in pairs}
    years = {year for _bloc, year in pairs}
    council_wide: dict[tuple[int, int, str], Deadline] = {}
    own: dict[tuple[int, int, str], Deadline] = {}
    for deadline in Deadline.objects.filter(council_id__in=councils, year__in=years):
        if deadline.bloc_id:
            own[(deadline.bloc_id, deadline.year, deadline.kind)] = deadline
        else:
            council_wide[(deadline.council_id, deadline.year, deadline.kind)] = deadline
    for bloc, year in pairs:
        for kind in Deadline.Kind.values:
            deadline = own.get((bloc.pk, year, kind)) or council_wide.get((bloc.council_id, year, kind))
            if deadline is not None:
                found[(bloc.pk, year)][kind] = deadline
    return found


def deadline_states(bloc_years: Iterable[tuple[Bloc, int]]) -> list[DeadlineState]:
    """What every tracker knows of these bloc-years, with their deadlines."""
    pairs = list(bloc_years)
    if not pairs:
        return []
    deadlines = deadlines_by_bloc_year(pairs)
    states = []
    for tracker in registry.deadline_trackers.values():
        # A kind tracked only under a deadline asks about the bloc-years that have one (often none: no query).
        asked = [
            p for p in pairs if tracker.tracks(p[1], has_deadline=tracker.kind in deadlines.get((p[0].pk, p[1]), {}))
        ]
        owing = tracker.owing(asked) if asked else {}
        for bloc, year in asked:
            known = owing.get((bloc.pk, year))
            deadline = deadlines.get((bloc.pk, year), {}).get(tracker.kind)
            if known is None:
                continue
            states.append(DeadlineState(bloc=bloc, year=year, tracker=tracker, deadline=deadline, owing=known))
    return states


@dataclass
class TodoDetail:
    """A line under an item: one bloc of a count, with where to act."""

    text: str
    url: str
    deadline: Deadline | None = None


def deadline_todo(user, states: list[DeadlineState], *, today: date | None = None) -> list[registry.AttentionItem]:
    """The items the trackers' states make for ``user`` (see the module docstring)."""
    today = today or timezone.localdate()
    items: list[registry.AttentionItem] = []
    late: dict[tuple[str, int], list[DeadlineState]] = defaultdict(list)
    for state in sorted(states, key=lambda s: (s.year, s.tracker.kind, s.bloc.sort_name, s.bloc.pk)):
        owing = state.owing
        words = {"bloc": state.bloc.name, "year": state.year, "owing": owing.pending, "total": owing.total}
        if access.is_officer_of(user, state.bloc.council_id):
            if state.is_late(today):
                late[(state.tracker.kind, state.year)].append(state)
            continue
        level = "danger" if state.is_late(today) else "warning"
        if owing.owed and access.holds_seat(user, state.bloc, state.year):
            items.append(
                registry.AttentionItem(
                    text=str(state.tracker.seat_text) % words,
                    url=owing.url,
                    count=owing.pending,
                    level=level,
                    deadline=state.deadline,
                )
            )
        # A seat holder's own unit owes its part too (the chair signs like every member): both items.
        if state.tracker.by_members and user.unit_id in owing.units:
            items.append(
                registry.AttentionItem(
                    text=str(state.tracker.unit_text) % words,
                    url=owing.unit_url or owing.url,
                    level=level,
                    deadline=state.deadline,
                )
            )
    for (kind, year), rows in sorted(late.items(), key=lambda pair: (pair[0][1], pair[0][0])):
        label = Deadline.Kind(kind).label
        items.append(
            registry.AttentionItem(
                text=ngettext(
                    "%(count)s bloc is late for “%(kind)s” of %(year)s.",
                    "%(count)s blocs are late for “%(kind)s” of %(year)s.",
                    len(rows),
                )
                % {"count": len(rows), "kind": label, "year": year},
                url=f"{reverse('blocs:deadlines')}?year={year}",
                count=len(rows),
                level="danger",
                details=[
                    TodoDetail(
                        text=(
                            _("%(bloc)s: %(owing)s of %(total)s units still owe it")
                            % {"bloc": s.bloc.name, "owing": s.owing.pending, "total": s.owing.total}
                            if s.tracker.by_members
                            else s.bloc.name
                        ),
                        url=s.owing.url,
                        deadline=s.deadline,
                    )
                    for s in rows
                ],
            )
        )
    return items


def deadline_calendar_provider(user, start: date, end: date) -> list[registry.CalendarEvent]:
    """The deadlines from ``start`` to ``end`` on the user's calendar: an officer's council's as set (a
    council-wide one once, "every bloc"); for a unit's user, each of their blocs' deadline of each kind in
    the years the unit is a member (the bloc's own, else the council's), linking to the to-do list. Two
    queries (the user's memberships are the access cache's)."""
    if not access.is_officer(user) and not user.unit_id:
        return []
    deadlines = Deadline.objects.filter(due_on__gte=start, due_on__lte=end).select_related("bloc")
    if access.is_officer(user):
        rows = deadlines.filter(access.officer_councils_q(user)).order_by("due_on", "kind", "pk")
        return [
            registry.CalendarEvent(
                title=f"{d.bloc.code if d.bloc else _('Every bloc')}: {d.get_kind_display()}",
                day=d.due_on,
                url=f"{reverse('blocs:deadlines')}?year={d.year}",
                kind="deadline",
                uid=f"deadline-{d.pk}",
                detail=_("Emulation year %(year)s") % {"year": d.year},
            )
            for d in rows
        ]
    blocs = {bloc.pk: bloc for bloc in access.visible_blocs(user)}
    pairs = [
        (bloc, year)
        for bloc in blocs.values()
        for year in range(start.year - 1, end.year + 1)
        if access.is_member(user, bloc, year)
    ]
    events = []
    for (bloc_id, year), by_kind in deadlines_by_bloc_year(pairs).items():
        for deadline in by_kind.values():
            if not start <= deadline.due_on <= end:
                continue
            bloc = blocs[bloc_id]
            events.append(
                registry.CalendarEvent(
                    title=f"{bloc.code}: {deadline.get_kind_display()}",
                    day=deadline.due_on,
                    url=f"{reverse('blocs:todo')}?year={year}",
                    kind="deadline",
                    uid=f"deadline-{deadline.pk}-{bloc.pk}",
                    detail=f"{bloc.name} · {year}",
                )
            )
    return events
