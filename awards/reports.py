"""The awards app's sources of the reports' tables (``blocs/reports.py``; registered in
``AwardsConfig.ready()``): registrations, proposals and awards by award type and recipient kind, proposals by
state, awards over the years, and the blocs late with their proposals.

A collective recipient is a unit or a collective named inside one (``Proposal.person`` empty); an
individual is a person. "Proposed" counts the proposals the blocs made in the portal, whatever became of
them; "awarded" counts the decided awards, those decided outside the portal and entered included. One query
each (the lateness: ``selectors.submission_lateness`` and one more).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.models import Council
from blocs.registry import ReportRows
from blocs.reporting import report_blocs

from .models import Proposal, Registration, Submission
from .selectors import submission_lateness

Status = Proposal.Status
PORTAL = Q(source=Proposal.Source.PORTAL)
COLLECTIVE = Q(person__isnull=True)
INDIVIDUAL = Q(person__isnull=False)
DECIDED = Q(status=Status.DECIDED)
YEARS_SHOWN = 5  # the awards over the years: the report's year and the four before


def registration_rows(council: Council, year: int) -> ReportRows:
    """Each award type units registered for in ``year`` (đăng ký thi đua): how many units, in the
    catalogue's order."""
    rows = (
        Registration.objects.filter(bloc__council=council, year=year)
        .values("award_type_id", "award_type__name")
        .annotate(units=Count("unit", distinct=True))
        .order_by("award_type__order", "award_type_id")
    )
    return ReportRows(rows=[{"award_type": row["award_type__name"], "units": row["units"]} for row in rows])


def by_type_rows(council: Council, year: int) -> ReportRows:
    """Each award type of the year's proposals and awards: proposed and awarded, collectives and
    individuals, in the catalogue's order."""
    rows = (
        Proposal.objects.filter(council=council, year=year)
        .values("award_type_id", "award_type__name")
        .annotate(
            proposed_collective=Count("id", filter=PORTAL & COLLECTIVE),
            proposed_individual=Count("id", filter=PORTAL & INDIVIDUAL),
            decided_collective=Count("id", filter=DECIDED & COLLECTIVE),
            decided_individual=Count("id", filter=DECIDED & INDIVIDUAL),
        )
        .order_by("award_type__order", "award_type_id")
    )
    result: list[dict[str, Any]] = []
    for row in rows:
        counts = {key: row[key] for key in ("proposed_collective", "proposed_individual")}
        counts |= {key: row[key] for key in ("decided_collective", "decided_individual")}
        if any(counts.values()):  # only what was proposed in the portal or awarded is a row
            decided = row["decided_collective"] + row["decided_individual"]
            result.append({"award_type": row["award_type__name"], **counts, "decided": decided})
    return ReportRows(rows=result)


def by_state_rows(council: Council, year: int) -> ReportRows:
    """The year's proposals made in the portal by their state now, every state listed (zero included)."""
    counts = dict(
        Proposal.objects.filter(PORTAL, council=council, year=year)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return ReportRows(rows=[{"state": str(status.label), "proposals": counts.get(status, 0)} for status in Status])


def by_year_rows(council: Council, year: int) -> ReportRows:
    """The council's awards decided for each of the last years up to ``year`` (the year of achievement),
    collectives and individuals."""
    first = year - YEARS_SHOWN + 1
    counts = {
        row["year"]: row
        for row in Proposal.objects.filter(DECIDED, council=council, year__gte=first, year__lte=year)
        .values("year")
        .annotate(collective=Count("id", filter=COLLECTIVE), individual=Count("id", filter=INDIVIDUAL))
        .order_by()
    }
    rows = []
    for shown in range(first, year + 1):
        row = counts.get(shown, {"collective": 0, "individual": 0})
        total = row["collective"] + row["individual"]
        rows.append(
            {"year": str(shown), "collective": row["collective"], "individual": row["individual"], "total": total}
        )
    return ReportRows(rows=rows)


def lateness_rows(council: Council, year: int) -> ReportRows:
    """The blocs late with the year's proposals against their submission deadline (hạn nộp: the bloc's own
    where the officers set one, else the council's): those whose first submission (tờ trình) came after it,
    and, once it has passed, those still holding proposals for the Board they never submitted or, while the
    year is still being submitted, those that submitted nothing (``selectors.Lateness``: the same rule as the
    deadlines banner)."""
    lateness = submission_lateness(council=council, years=[year])
    if year not in lateness.deadlines and not any(y == year for _bloc, y in lateness.bloc_deadlines):
        return ReportRows(note=_("The council set no submission deadline for %(year)s.") % {"year": year})
    blocs = report_blocs(council, year)
    first = dict(
        Submission.objects.filter(bloc__in=blocs, year=year)
        .values_list("bloc_id")
        .annotate(day=Min("submitted_on"))
        .order_by()
    )
    owing = {row["bloc"].pk for row in lateness.late_blocs(blocs=blocs, today=timezone.localdate())}
    rows = []
    for bloc in blocs:
        deadline = lateness.deadline_of(bloc.pk, year)
        submitted_on = first.get(bloc.pk)
        days = lateness.days_late(bloc_id=bloc.pk, year=year, submitted_on=submitted_on)
        if deadline is not None and (days or bloc.pk in owing):
            unsent = lateness.unsent.get((bloc.pk, year), 0) if bloc.pk in owing else 0
            rows.append(
                {
                    "bloc": bloc.name,
                    "deadline": deadline,
                    "submitted_on": submitted_on,
                    "days_late": days or None,
                    "situation": _situation(days=days, unsent=unsent, submitted=submitted_on is not None),
                }
            )
    return ReportRows(rows=rows)


def _situation(*, days: int, unsent: int, submitted: bool) -> str:
    """ "Submitted 5 days late; 2 proposals not submitted", "Nothing submitted"."""
    parts = []
    if days:
        parts.append(ngettext("submitted %(days)s day late", "submitted %(days)s days late", days) % {"days": days})
    if unsent:
        parts.append(
            ngettext("%(count)s proposal not submitted", "%(count)s proposals not submitted", unsent)
            % {"count": unsent}
        )
    if not parts and not submitted:
        parts.append(_("nothing submitted"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
