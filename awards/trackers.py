"""What awards tells the base app's deadlines (``blocs.registry.register_deadline_tracker``): the member
units that have not registered a target title, and the bloc-years whose proposals for the Board are not
all submitted. Tracked only where the council set the deadline. Two queries each."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, Deadline, Membership
from blocs.registry import DeadlineTracker, Owing

from .models import AwardType, Proposal, Registration, Submission


def _members(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], set[int]]:
    """The member units of each bloc-year. One query."""
    wanted = {(bloc.pk, year) for bloc, year in bloc_years}
    members: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = Membership.objects.filter(bloc_id__in={b for b, _year in wanted}).values_list(
        "bloc_id", "unit_id", "first_year", "last_year"
    )
    years = {y for _bloc, y in wanted}
    for bloc_id, unit_id, first, last in rows:
        for year in years:
            if (bloc_id, year) in wanted and first <= year and (last is None or last >= year):
                members[(bloc_id, year)].add(unit_id)
    return members


def registration_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    """Per bloc-year: the member units without a registration (đăng ký thi đua). Two queries."""
    members = _members(bloc_years)
    registered: dict[tuple[int, int], set[int]] = defaultdict(set)
    for bloc_id, year, unit_id in Registration.objects.filter(
        bloc_id__in={b for b, _year in members}, year__in={y for _bloc, y in members}
    ).values_list("bloc_id", "year", "unit_id"):
        registered[(bloc_id, year)].add(unit_id)
    found = {}
    for key, units in members.items():
        owing = units - registered[key]
        found[key] = Owing(
            total=len(units),
            pending=len(owing),
            units=frozenset(owing),
            url=reverse("awards:registrations", args=key),
        )
    return found


def submission_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    """Per bloc-year: its proposals for the Board still drafts (or, with none sent at all, the submission
    itself). The bloc's own awards, decided at its conference, are never submitted. Two queries."""
    wanted = {(bloc.pk, year) for bloc, year in bloc_years}
    if not wanted:
        return {}
    bloc_ids, years = {b for b, _year in wanted}, {y for _bloc, y in wanted}
    counts = {
        (bloc_id, year): (drafts, sent)
        for bloc_id, year, drafts, sent in Proposal.objects.filter(
            bloc_id__in=bloc_ids, year__in=years, source=Proposal.Source.PORTAL
        )
        .exclude(award_type__authority=AwardType.Authority.BLOC)
        .values_list("bloc_id", "year")
        .annotate(
            drafts=Count("id", filter=Q(status=Proposal.Status.DRAFT)),
            sent=Count("id", filter=~Q(status=Proposal.Status.DRAFT)),
        )
        .order_by()
    }
    submitted = set(Submission.objects.filter(bloc_id__in=bloc_ids, year__in=years).values_list("bloc_id", "year"))
    found = {}
    for key in wanted:
        drafts, sent = counts.get(key, (0, 0))
        nothing_sent = not sent and key not in submitted
        found[key] = Owing(
            total=max(drafts + sent, 1),
            pending=drafts or (1 if nothing_sent else 0),
            url=reverse("awards:bloc_year", args=key),
        )
    return found


TRACKERS = [
    DeadlineTracker(
        kind=Deadline.Kind.REGISTRATION,
        owing=registration_owing,
        by_members=True,
        needs_deadline=True,
        seat_text=_("%(bloc)s: %(owing)s/%(total)s units have not registered for %(year)s"),
        unit_text=_("%(bloc)s: register your unit's emulation target for %(year)s."),
    ),
    DeadlineTracker(
        kind=Deadline.Kind.SUBMISSION,
        owing=submission_owing,
        by_members=False,
        needs_deadline=True,
        seat_text=_("%(bloc)s: the %(year)s award proposals are not all submitted to the Board"),
    ),
]
