"""Who may do what in scoring and ranking, in one place (docs/domain.md, "Scoring and ranking").

Built only on the bloc-year predicates of ``blocs.access`` (officers, seat holders, members, who prepares
a year); the rules that concern scoring alone live here and nowhere else. Views call these before the
services of ``pledges.scoring.services``; the services check the states (a sheet's state, a locked
ranking) themselves, so a state refusal has its message whoever asks.

- Preparing the table (``can_edit_table``): whoever prepares the year's pledge (``can_prepare_year``:
  officers, the year's seat holders, and the seat holders of the year before until the year's pledge
  signing opens), while the bloc-year's ranking is not final.
- Opening scoring, the review mode, the tie rule, the reviewer assignment, finalising and entering a
  ranking directly (``can_manage_scoring``): officers and the chair and vice-chairs of that year
  (``can_manage_bloc_year``), while the ranking is not final.
- Self scores (``can_edit_self_scores``): an active user of the sheet's own unit, while the unit is a
  member that year, the sheet is a draft or returned, scoring is open and the ranking is not final.
- Reviewing and returning a sheet (``can_review_sheet``): per the table's review mode — chair review: the
  chair's unit reviews every sheet but its own, which the first vice-chair's unit (seat rank 1) reviews;
  cross-review: the unit assigned to that sheet; Board review: officers. Officers of the council may review
  any sheet in every mode (they manage everything of their council's blocs). Nobody reviews their own
  unit's sheet, and only a submitted sheet is reviewed.
- Reopening a final ranking (``can_reopen_ranking``): officers of the council only.
- Reading (``can_read_scoring``): whoever reads the bloc-year (``can_read_bloc_year``). An officer of
  another council is an outsider: nothing of the above.
"""

from __future__ import annotations

from blocs.access import (
    AnyUser,
    acts_for_unit,
    can_manage_bloc_year,
    can_prepare_year,
    can_read_bloc_year,
    is_member,
    is_officer_of,
    seat_rank,
)
from blocs.models import Bloc, Seat

from .models import Ranking, ReviewerAssignment, ScoreSheet, ScoringTable


def is_locked(bloc: Bloc, year: int) -> bool:
    """The bloc-year's ranking is final (chốt kết quả): nothing of its scoring changes until reopened."""
    cache: dict[int, bool] = getattr(bloc, "_ranking_locked", {})
    if year not in cache:
        cache[year] = Ranking.objects.filter(bloc=bloc, year=year, state=Ranking.State.FINAL).exists()
        bloc._ranking_locked = cache  # type: ignore[attr-defined]  # a per-request cache on the bloc object
    return cache[year]


def forget_lock(bloc: Bloc) -> None:
    """Drop the cached lock answer after a finalisation or a reopening changed it."""
    vars(bloc).pop("_ranking_locked", None)


def can_read_scoring(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return can_read_bloc_year(user, bloc, year)


def can_edit_table(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return can_prepare_year(user, bloc, year) and not is_locked(bloc, year)


def can_manage_scoring(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return can_manage_bloc_year(user, bloc, year) and not is_locked(bloc, year)


def can_finalise_ranking(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return can_manage_scoring(user, bloc, year)


def can_enter_ranking_directly(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return can_manage_scoring(user, bloc, year)


def can_reopen_ranking(user: AnyUser, bloc: Bloc, year: int) -> bool:
    return is_officer_of(user, bloc.council_id) and is_locked(bloc, year)


def can_edit_self_scores(user: AnyUser, sheet: ScoreSheet) -> bool:
    table = sheet.table
    return (
        acts_for_unit(user, sheet.unit_id)
        and is_member(user, table.bloc, table.year)
        and table.is_open
        and sheet.state in (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED)
        and not is_locked(table.bloc, table.year)
    )


def can_view_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    """The unit itself, its reviewer, and the bloc-year's managers (officers, chair, vice-chairs)."""
    table = sheet.table
    if can_manage_bloc_year(user, table.bloc, table.year) or acts_for_unit(user, sheet.unit_id):
        return True
    return is_reviewer_of(user, sheet)


def is_reviewer_of(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Whether the table's review mode makes ``user`` a reviewer of ``sheet`` (whatever its state)."""
    table: ScoringTable = sheet.table
    bloc, year = table.bloc, table.year
    if is_officer_of(user, bloc.council_id):
        return True
    if user is None or not user.is_authenticated or not getattr(user, "unit_id", None):
        return False
    if acts_for_unit(user, sheet.unit_id):
        return False  # nobody reviews their own unit
    if table.review_mode == ScoringTable.ReviewMode.CHAIR:
        rank = seat_rank(user, bloc, year)
        own = sheet.unit_id
        chair_sheet = any(s.unit_id == own and s.rank == 0 for s in _seats(bloc, year))
        return rank == (1 if chair_sheet else 0)
    if table.review_mode == ScoringTable.ReviewMode.CROSS:
        return ReviewerAssignment.objects.filter(
            table=table,
            reviewed_id=sheet.unit_id,
            reviewer_id=user.unit_id,  # type: ignore[union-attr]
        ).exists()
    return False  # Board review: officers only


def can_review_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    table = sheet.table
    return (
        sheet.state == ScoreSheet.State.SUBMITTED
        and not is_locked(table.bloc, table.year)
        and is_reviewer_of(user, sheet)
    )


def _seats(bloc: Bloc, year: int) -> list[Seat]:
    cache: dict[int, list[Seat]] = getattr(bloc, "_scoring_seats", {})
    if year not in cache:
        cache[year] = list(bloc.seats.filter(year=year))
        bloc._scoring_seats = cache  # type: ignore[attr-defined]  # a per-request cache on the bloc object
    return cache[year]


def can_return_sheet(user: AnyUser, sheet: ScoreSheet) -> bool:
    """Its reviewer returns a submitted sheet, or a reviewed one until the ranking is final (a correction
    found after the review): the unit corrects and resubmits, and review restarts."""
    table = sheet.table
    return (
        sheet.state in (ScoreSheet.State.SUBMITTED, ScoreSheet.State.REVIEWED)
        and not is_locked(table.bloc, table.year)
        and is_reviewer_of(user, sheet)
    )
