"""Who may do what in scoring (pledges/scoring/access.py), for every role of tests/roles.py, and the
cross-review assignment (no unit reviews itself, the load is even) for 2 to 15 units."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from pledges.scoring import access
from pledges.scoring.models import ReviewerAssignment, ScoringTable
from pledges.scoring.services import (
    ranking_finalise,
    review_assignment_propose,
    review_assignment_set,
    scoring_open,
    scoring_settings_save,
    sheet_submit,
)
from tests.factories import BlocFactory, MembershipFactory, UnitFactory
from tests.fixtures.scoring import build_table, fill, scored

from ..conftest import YEAR
from ..roles import ROLES


def allowed(users, predicate) -> set[str]:
    return {role for role in ROLES if predicate(users[role])}


MANAGERS = {"officer", "chair", "vice_chair"}


def test_reading_and_managing(bloc, users, table):
    assert allowed(users, lambda u: access.can_read_scoring(u, bloc, YEAR)) == MANAGERS | {"member"}
    assert allowed(users, lambda u: access.can_edit_table(u, bloc, YEAR)) == MANAGERS
    assert allowed(users, lambda u: access.can_manage_scoring(u, bloc, YEAR)) == MANAGERS
    assert allowed(users, lambda u: access.can_finalise_ranking(u, bloc, YEAR)) == MANAGERS
    assert allowed(users, lambda u: access.can_enter_ranking_directly(u, bloc, YEAR)) == MANAGERS
    assert allowed(users, lambda u: access.can_reopen_ranking(u, bloc, YEAR)) == set()  # nothing final


def test_last_years_seat_holders_prepare_next_years_table(bloc, users):
    # 2022 has no seats yet: the chair and vice-chair of 2021 build its table, as with the pledge.
    assert allowed(users, lambda u: access.can_edit_table(u, bloc, YEAR + 1)) == MANAGERS
    assert allowed(users, lambda u: access.can_manage_scoring(u, bloc, YEAR + 1)) == {"officer"}


def test_self_scores_only_own_unit_before_submission(sheets, users):
    member_sheet = sheets["member_unit"]
    assert allowed(users, lambda u: access.can_edit_self_scores(u, member_sheet)) == {"member"}
    assert allowed(users, lambda u: access.can_edit_self_scores(u, sheets["chair_unit"])) == {"chair"}
    assert allowed(users, lambda u: access.can_view_sheet(u, member_sheet)) == MANAGERS | {"member"}
    fill(member_sheet, {})
    sheet_submit(sheet=member_sheet, by=users["member"])
    member_sheet.refresh_from_db()
    assert allowed(users, lambda u: access.can_edit_self_scores(u, member_sheet)) == set()


def _submitted(sheets, *keys):
    for key in keys:
        fill(sheets[key], {})
        sheet_submit(sheet=sheets[key], by=None)
        sheets[key].refresh_from_db()


def test_chair_review(sheets, users):
    _submitted(sheets, "member_unit", "chair_unit")
    # The chair reviews everyone; its own sheet is reviewed by the first vice-chair (or an officer).
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["member_unit"])) == {"chair", "officer"}
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["chair_unit"])) == {"vice_chair", "officer"}
    # A draft is not reviewed by anyone.
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["farmers"])) == set()


def test_cross_review(table, sheets, users, units):
    pairs = {reviewed.pk: reviewer.pk for reviewer, reviewed in review_assignment_propose(table=table)}
    review_assignment_set(table=table, pairs=pairs, by=users["chair"])
    scoring_settings_save(table=table, review_mode="cross", tie_rule="shared", by=None)
    for sheet in sheets.values():
        sheet.table.refresh_from_db()
    _submitted(sheets, "member_unit", "chair_unit")
    # Protocol order: chair_unit → vice_unit → member_unit → farmers → veterans → chair_unit.
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["member_unit"])) == {"vice_chair", "officer"}
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["chair_unit"])) == {"officer"}  # veterans
    # The chair edits the assignment: the member unit now reviews the chair's sheet.
    pairs[units["chair_unit"].pk] = units["member_unit"].pk
    review_assignment_set(table=table, pairs=pairs, by=users["chair"])
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["chair_unit"])) == {"member", "officer"}
    assert ReviewerAssignment.objects.filter(table=table).count() == 5
    with pytest.raises(ValidationError):
        review_assignment_set(table=table, pairs={units["farmers"].pk: units["farmers"].pk}, by=None)
    with pytest.raises(ValidationError):
        review_assignment_set(table=table, pairs={units["farmers"].pk: units["outside_unit"].pk}, by=None)


def test_board_review(table, sheets, users):
    scoring_settings_save(table=table, review_mode="board", tie_rule="shared", by=None)
    sheets["member_unit"].table.refresh_from_db()
    _submitted(sheets, "member_unit")
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["member_unit"])) == {"officer"}


def test_nobody_edits_after_finalisation_and_only_an_officer_reopens(bloc, sheets, users):
    scored(sheets["farmers"])
    _submitted(sheets, "member_unit")
    ranking_finalise(table=sheets["farmers"].table, by=users["chair"])
    access.forget_lock(bloc)
    for sheet in sheets.values():
        sheet.table.bloc = bloc
    assert allowed(users, lambda u: access.can_edit_table(u, bloc, YEAR)) == set()
    assert allowed(users, lambda u: access.can_manage_scoring(u, bloc, YEAR)) == set()
    assert allowed(users, lambda u: access.can_edit_self_scores(u, sheets["vice_unit"])) == set()
    assert allowed(users, lambda u: access.can_review_sheet(u, sheets["member_unit"])) == set()
    assert allowed(users, lambda u: access.can_reopen_ranking(u, bloc, YEAR)) == {"officer"}
    assert allowed(users, lambda u: access.can_read_scoring(u, bloc, YEAR)) == MANAGERS | {"member"}


def _bloc_of(council, n: int) -> ScoringTable:
    bloc = BlocFactory(council=council)
    for order in range(n):
        MembershipFactory(bloc=bloc, unit=UnitFactory(council=council), first_year=2018, display_order=order)
    return build_table(bloc, YEAR)


@pytest.mark.parametrize("n", range(2, 16))
def test_cross_review_proposal_never_self_and_even(council, n):
    table = _bloc_of(council, n)
    pairs = review_assignment_propose(table=table)
    reviewed = [b.pk for _a, b in pairs]
    assert sorted(reviewed) == sorted(m.unit_id for m in table.bloc.members(YEAR))  # every unit once
    assert all(a.pk != b.pk for a, b in pairs)
    load = Counter(a.pk for a, _b in pairs)
    assert max(load.values()) - min(load.values()) <= 1 and len(load) == n
    review_assignment_set(table=table, pairs={b.pk: a.pk for a, b in pairs}, by=None)
    scoring_open(table=table, by=None, review_mode="cross")
    assert table.sheets.count() == n


def test_cross_review_needs_two_units(council):
    with pytest.raises(ValidationError):
        review_assignment_propose(table=_bloc_of(council, 1))
