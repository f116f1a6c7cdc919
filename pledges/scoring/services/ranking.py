"""The ranking: finalised from the sheets (chốt kết quả), reopened by an officer (mở lại), or entered
directly when it was decided outside the portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from blocs.history import with_history_user
from blocs.models import Bloc, User
from blocs.text import nfc_text

from ..models import (
    Ranking,
    RankingEntry,
    ScoringTable,
)
from ..selectors import RankingRow, ranking_compute
from .common import (
    _lock_table,
    _require_open,
    _require_unlocked,
    points_parse,
)


@dataclass(frozen=True)
class DirectEntry:
    """A line of a ranking decided outside the portal: the unit, its rank and, if known, its score."""

    unit_id: int
    rank: int | None
    score: Decimal | str | None = None


# The ranking -------------------------------------------------------------------------------------------


def _entries_store(ranking: Ranking, rows: Sequence[RankingRow], by: User | None) -> None:
    for old in ranking.entries.all():
        with_history_user(old, by).delete()
    entries = [
        RankingEntry(
            ranking=ranking,
            unit=row.unit,
            position=position,
            unit_name=row.unit.name,
            rank=row.rank,
            self_total=row.self_total,
            review_total=row.review_total,
            final_score=row.final_score,
            gap_to_next=row.gap_to_next,
            joined_during_year=row.joined_during_year,
            not_ranked=row.not_ranked,
        )
        for position, row in enumerate(rows, start=1)
    ]
    if entries:
        bulk_create_with_history(entries, RankingEntry, default_user=by)


def _ranking_final(*, bloc: Bloc, year: int, method: str, tie_rule: str, note: str, by: User | None) -> Ranking:
    ranking = Ranking.objects.select_for_update().filter(bloc=bloc, year=year).first()
    if ranking is None:
        ranking = Ranking(bloc=bloc, year=year)
    ranking.state, ranking.method, ranking.tie_rule, ranking.note = Ranking.State.FINAL, method, tie_rule, note
    ranking.finalised_by, ranking.finalised_at = by, timezone.now()
    with_history_user(ranking, by).save()
    return ranking


def ranking_finalise(*, table: ScoringTable, by: User | None) -> Ranking:
    """Chốt kết quả: store the computed ranking as the bloc-year's final one and lock its scoring. The rows
    are kept as finalised (``RankingEntry``) whatever changes later."""
    with transaction.atomic():
        table = _lock_table(table)
        _require_open(table)
        rows = ranking_compute(table=table)
        if not any(row.rank is not None for row in rows):
            raise ValidationError(_("No sheet has been reviewed yet: there is nothing to rank."), code="empty")
        ranking = _ranking_final(
            bloc=table.bloc, year=table.year, method=Ranking.Method.COMPUTED, tie_rule=table.tie_rule, note="", by=by
        )
        _entries_store(ranking, rows, by)
    return ranking


def ranking_reopen(*, ranking: Ranking, reason: str, by: User | None) -> Ranking:
    """Mở lại: an officer reopens a final ranking, with a reason kept in its history. The stored rows stay
    until the next finalisation replaces them."""
    reason = nfc_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the ranking is reopened.")]})
    with transaction.atomic():
        ranking = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if not ranking.is_final:
            raise ValidationError(_("This ranking is not final."), code="state")
        ranking.state = Ranking.State.REOPENED
        ranking.reopen_reason = reason
        ranking.reopened_by, ranking.reopened_at = by, timezone.now()
        with_history_user(ranking, by).save()
    return ranking


def ranking_enter_directly(
    *, bloc: Bloc, year: int, entries: Sequence[DirectEntry], by: User | None, note: str = ""
) -> Ranking:
    """Record a ranking decided outside the portal (an earlier year, or scores kept on paper): ranks and, if
    known, scores, marked as entered directly. Members of the year without a line are listed as not ranked.
    Refused while the year's scoring is open in the portal (finalise that instead)."""
    errors: dict[str, list[str]] = {}
    members = list(bloc.members(year))
    member_ids = {m.unit_id for m in members}
    given: dict[int, DirectEntry] = {}
    scores: dict[int, Decimal | None] = {}
    for entry in entries:
        field = f"rank_{entry.unit_id}"
        if entry.unit_id not in member_ids:
            errors[field] = [_("This unit is not a member of the bloc in %(year)s.") % {"year": year}]
        elif entry.unit_id in given:
            errors[field] = [_("A unit has one line in the ranking.")]
        elif entry.rank is not None and entry.rank < 1:
            errors[field] = [_("A rank is 1 or more.")]
        else:
            try:
                scores[entry.unit_id] = points_parse(entry.score)
            except ValidationError as error:
                errors[f"score_{entry.unit_id}"] = error.messages
            given[entry.unit_id] = entry
    if not any(e.rank for e in given.values()) and not errors:
        errors["__all__"] = [_("Enter at least one rank.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _require_unlocked(bloc, year)
        if ScoringTable.objects.filter(bloc=bloc, year=year, state=ScoringTable.State.OPEN).exists():
            raise ValidationError(
                _("Scoring of %(year)s is open in the portal: finalise the computed ranking instead.") % {"year": year},
                code="state",
            )
        rows = _direct_rows(members, given, scores, year)
        ranking = _ranking_final(
            bloc=bloc, year=year, method=Ranking.Method.DIRECT, tie_rule="", note=nfc_text(note), by=by
        )
        _entries_store(ranking, rows, by)
    return ranking


def _direct_rows(
    members: Sequence, given: Mapping[int, DirectEntry], scores: Mapping[int, Decimal | None], year: int
) -> list[RankingRow]:
    rows = []
    for position, membership in enumerate(members, start=1):
        entry = given.get(membership.unit_id)
        rank = entry.rank if entry else None
        rows.append(
            RankingRow(
                unit=membership.unit,
                position=position,
                final_score=scores.get(membership.unit_id),
                rank=rank,
                joined_during_year=membership.first_year == year,
                not_ranked="" if rank else RankingEntry.NotRanked.NOT_ENTERED,
            )
        )
    ranked = sorted((r for r in rows if r.rank), key=lambda r: (r.rank or 0, r.position))
    for row, following in zip(ranked, ranked[1:], strict=False):
        if row.final_score is not None and following.final_score is not None:
            row.gap_to_next = row.final_score - following.final_score
    return ranked + [r for r in rows if not r.rank]
