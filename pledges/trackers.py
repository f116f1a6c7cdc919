"""What pledges and scoring tell the base app's deadlines (``blocs.registry.register_deadline_tracker``):
who has not yet signed the pledge being signed, not submitted their self scores, or not reviewed the scores
submitted. Each tracker costs one or two queries whatever the number of blocs."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, Deadline
from blocs.registry import DeadlineTracker, Owing

from .models import PledgeSignatory, PledgeVersion
from .scoring.models import ScoreSheet, ScoringTable


def _filter_pairs(bloc_years: list[tuple[Bloc, int]]) -> tuple[set[int], set[int], set[tuple[int, int]]]:
    pairs = {(bloc.pk, year) for bloc, year in bloc_years}
    return {b for b, _year in pairs}, {y for _bloc, y in pairs}, pairs


def signing_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    """Per bloc-year whose pledge is being signed: the signatory units that have not signed. One query."""
    bloc_ids, years, pairs = _filter_pairs(bloc_years)
    rows = PledgeSignatory.objects.filter(
        version__state=PledgeVersion.State.SIGNING,
        version__pledge__bloc_id__in=bloc_ids,
        version__pledge__year__in=years,
    ).values_list("version__pledge_id", "version__pledge__bloc_id", "version__pledge__year", "unit_id", "signed_on")
    total: dict[tuple[int, int], int] = defaultdict(int)
    unsigned: dict[tuple[int, int], set[int]] = defaultdict(set)
    pledge_of: dict[tuple[int, int], int] = {}
    for pledge_id, bloc_id, year, unit_id, signed_on in rows:
        key = (bloc_id, year)
        if key not in pairs:
            continue
        pledge_of[key] = pledge_id
        total[key] += 1
        if signed_on is None:
            unsigned[key].add(unit_id)
    return {
        key: Owing(
            total=total[key],
            pending=len(unsigned[key]),
            units=frozenset(unsigned[key]),
            url=reverse("pledges:pledge_detail", args=key),
            unit_url=reverse("pledges:pledge_sign", args=[pledge_of[key]]),
        )
        for key in total
    }


def _open_sheets(bloc_years: list[tuple[Bloc, int]]):
    bloc_ids, years, pairs = _filter_pairs(bloc_years)
    rows = ScoreSheet.objects.filter(
        table__state=ScoringTable.State.OPEN, table__bloc_id__in=bloc_ids, table__year__in=years
    ).values_list("table__bloc_id", "table__year", "unit_id", "state")
    return [row for row in rows if (row[0], row[1]) in pairs]


def self_scores_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    """Per bloc-year with scoring open: the member units whose sheet is a draft or was returned. One query."""
    total: dict[tuple[int, int], int] = defaultdict(int)
    owing: dict[tuple[int, int], set[int]] = defaultdict(set)
    for bloc_id, year, unit_id, state in _open_sheets(bloc_years):
        total[(bloc_id, year)] += 1
        if state in (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED):
            owing[(bloc_id, year)].add(unit_id)
    return {
        key: Owing(
            total=count,
            pending=len(owing[key]),
            units=frozenset(owing[key]),
            url=reverse("scoring:scoring_detail", args=key),
        )
        for key, count in total.items()
    }


def review_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    """Per bloc-year with scoring open: how many submitted sheets wait for their review (the chair, the cross
    reviewers or the Board, as the table says), of all the sheets. One query."""
    total: dict[tuple[int, int], int] = defaultdict(int)
    waiting: dict[tuple[int, int], int] = defaultdict(int)
    for bloc_id, year, _unit_id, state in _open_sheets(bloc_years):
        total[(bloc_id, year)] += 1
        if state == ScoreSheet.State.SUBMITTED:
            waiting[(bloc_id, year)] += 1
    return {
        key: Owing(total=count, pending=waiting[key], url=reverse("scoring:scoring_detail", args=key))
        for key, count in total.items()
    }


TRACKERS = [
    DeadlineTracker(
        kind=Deadline.Kind.PLEDGE_SIGNING,
        owing=signing_owing,
        by_members=True,
        needs_deadline=False,
        seat_text=_("%(bloc)s: %(owing)s/%(total)s have not signed the %(year)s pledge"),
        unit_text=_("%(bloc)s: the %(year)s pledge waits for your unit's signature."),
    ),
    DeadlineTracker(
        kind=Deadline.Kind.SELF_SCORES,
        owing=self_scores_owing,
        by_members=True,
        needs_deadline=False,
        seat_text=_("%(bloc)s: %(owing)s/%(total)s units have not submitted their %(year)s self scores"),
        unit_text=_("%(bloc)s: submit your unit's self scores for %(year)s."),
    ),
    DeadlineTracker(
        kind=Deadline.Kind.REVIEW,
        owing=review_owing,
        by_members=False,
        needs_deadline=True,
        seat_text=_("%(bloc)s: %(owing)s of %(total)s score sheets of %(year)s are not reviewed yet"),
    ),
]
