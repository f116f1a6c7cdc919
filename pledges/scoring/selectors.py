"""Reads of scoring that pages share, each at a fixed number of queries whatever the number of units or
criteria: the table's active criteria, a sheet's totals, the ranking (``ranking_compute``) and the stored
final ranking. The ranking rules: docs/domain.md, "Scoring and ranking"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from blocs.models import Bloc, Unit

from .models import Criterion, Ranking, RankingEntry, Score, ScoreSheet, ScoringTable

ZERO = Decimal("0.00")


def sheet_criteria(table: ScoringTable) -> list[Criterion]:
    """The criteria a sheet is scored on: the active ones of active groups, in table order (one query)."""
    return list(
        Criterion.objects.filter(group__table=table, group__active=True, active=True)
        .select_related("group")
        .order_by("group__position", "group__id", "position", "id")
    )


@dataclass
class SheetTotals:
    """A sheet's running totals (the unit's own and the review's) and the criteria still empty."""

    self_total: Decimal = ZERO
    review_total: Decimal = ZERO
    self_by_kind: dict[str, Decimal] = field(default_factory=dict)
    review_by_kind: dict[str, Decimal] = field(default_factory=dict)
    empty: list[Criterion] = field(default_factory=list)
    unreviewed: list[Criterion] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.empty


def sheet_totals(sheet: ScoreSheet) -> SheetTotals:
    """Totals of a sheet over the active criteria (two queries): base + bonus + penalty (penalties are
    negative); removed criteria keep their scores but count for nothing."""
    criteria = sheet_criteria(sheet.table)
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    totals = SheetTotals()
    for criterion in criteria:
        score = scores.get(criterion.pk)
        own = score.self_points if score else None
        review = score.review_points if score else None
        if own is None:
            totals.empty.append(criterion)
        else:
            totals.self_total += own
            totals.self_by_kind[criterion.kind] = totals.self_by_kind.get(criterion.kind, ZERO) + own
        if review is None:
            totals.unreviewed.append(criterion)
        else:
            totals.review_total += review
            totals.review_by_kind[criterion.kind] = totals.review_by_kind.get(criterion.kind, ZERO) + review
    return totals


@dataclass
class RankingRow:
    """One unit's line of a ranking. ``rank`` None: not ranked, and ``not_ranked`` says why (never a zero)."""

    unit: Unit
    position: int
    self_total: Decimal | None = None
    review_total: Decimal | None = None
    final_score: Decimal | None = None
    rank: int | None = None
    gap_to_next: Decimal | None = None
    joined_during_year: bool = False
    not_ranked: str = ""
    base_points: Decimal = ZERO
    penalty_points: Decimal = ZERO
    unit_name: str = ""  # a finalised entry's unit name as it was then

    @property
    def name(self) -> str:
        return self.unit_name or self.unit.display_name

    @property
    def not_ranked_label(self) -> str:
        return str(RankingEntry.NotRanked(self.not_ranked).label) if self.not_ranked else ""


_STATE_REASONS = {
    ScoreSheet.State.DRAFT: RankingEntry.NotRanked.DRAFT,
    ScoreSheet.State.RETURNED: RankingEntry.NotRanked.RETURNED,
    ScoreSheet.State.SUBMITTED: RankingEntry.NotRanked.NOT_REVIEWED,
}


def _tie_key(row: RankingRow, rule: str) -> tuple[Decimal | int, ...]:
    """What orders two rows (higher first); rows with equal keys share a rank."""
    score = row.final_score if row.final_score is not None else ZERO
    rules = ScoringTable.TieRule
    if rule == rules.BASE_PENALTY_SHARED:
        return (score, row.base_points, row.penalty_points)
    if rule == rules.BASE_PENALTY_PROTOCOL:
        return (score, row.base_points, row.penalty_points, -row.position)
    if rule == rules.PROTOCOL:
        return (score, -row.position)
    return (score,)


def rank_rows(rows: list[RankingRow], rule: str) -> list[RankingRow]:
    """Rank the rankable rows in place by final score and the tie rule (shared ranks skip: 1, 1, 3) and
    set each one's gap to the next; return them in rank order."""
    ranked = sorted(rows, key=lambda row: _tie_key(row, rule), reverse=True)
    previous: tuple[Decimal | int, ...] | None = None
    for index, row in enumerate(ranked):
        key = _tie_key(row, rule)
        row.rank = index + 1 if key != previous else ranked[index - 1].rank
        previous = key
    for row, following in zip(ranked, ranked[1:], strict=False):
        assert row.final_score is not None and following.final_score is not None  # rankable rows have scores
        row.gap_to_next = row.final_score - following.final_score
    return ranked


def ranking_compute(*, table: ScoringTable) -> list[RankingRow]:
    """The bloc-year's ranking as it stands (four queries, whatever the number of units and criteria).

    Every member unit of the year has a row, ranked ones first in rank order, then the others in protocol
    order with the reason. The final score is the review total of a reviewed sheet. A unit whose membership
    ends in the year and that merged or became inactive left before the year ended and is not ranked; a
    unit whose membership starts in the year (unless the whole bloc starts then) is ranked and marked as
    joined during the year. A missing, unsubmitted, returned or unreviewed sheet is not ranked, never zero.
    """
    bloc: Bloc = Bloc.objects.get(pk=table.bloc_id)
    memberships = list(bloc.members(table.year))
    sheets = {s.unit_id: s for s in ScoreSheet.objects.filter(table=table).only("id", "unit_id", "state")}
    sums: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for line in (
        Score.objects.filter(sheet__table=table, criterion__active=True, criterion__group__active=True)
        .values("sheet_id", "criterion__kind")
        .annotate(own=Sum("self_points"), review=Sum("review_points"))
    ):
        sums[line["sheet_id"]][line["criterion__kind"]] = (line["own"] or ZERO, line["review"] or ZERO)
    bloc_starts = min((m.first_year for m in memberships), default=table.year)
    rankable: list[RankingRow] = []
    others: list[RankingRow] = []
    for position, membership in enumerate(memberships, start=1):
        unit = membership.unit
        row = RankingRow(
            unit=unit, position=position, joined_during_year=membership.first_year == table.year > bloc_starts
        )
        sheet = sheets.get(unit.pk)
        if sheet is not None:
            by_kind = sums.get(sheet.pk, {})
            row.self_total = sum((own for own, _review in by_kind.values()), ZERO)
            if sheet.state == ScoreSheet.State.REVIEWED:
                row.review_total = sum((review for _own, review in by_kind.values()), ZERO)
                row.final_score = row.review_total
                row.base_points = by_kind.get(Criterion.Kind.BASE, (ZERO, ZERO))[1]
                row.penalty_points = by_kind.get(Criterion.Kind.PENALTY, (ZERO, ZERO))[1]
        left = membership.last_year == table.year and (unit.successor_id is not None or not unit.active)
        if left:
            row.not_ranked = RankingEntry.NotRanked.LEFT
        elif sheet is None:
            row.not_ranked = RankingEntry.NotRanked.NO_SHEET
        elif sheet.state != ScoreSheet.State.REVIEWED:
            row.not_ranked = _STATE_REASONS[ScoreSheet.State(sheet.state)]
        (others if row.not_ranked else rankable).append(row)
    return rank_rows(rankable, table.tie_rule) + others


def ranking_stored(bloc: Bloc, year: int) -> Ranking | None:
    """The bloc-year's finalised (or reopened) ranking with its stored entries in order (two queries)."""
    ranking = Ranking.objects.filter(bloc=bloc, year=year).prefetch_related("entries__unit").first()
    return ranking
