"""The ranking: final scores, every tie rule, who is not ranked and why (never a zero), joined and left
units, finalising (stored rows, everything locked), reopening by an officer, direct entry, and a
constant query count as units and criteria grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.scoring.models import Ranking, RankingEntry, ScoringTable
from pledges.scoring.selectors import ranking_compute, ranking_stored
from pledges.scoring.services import (
    DirectEntry,
    SelfScoreInput,
    criterion_add,
    ranking_enter_directly,
    ranking_finalise,
    ranking_reopen,
    review_assignment_set,
    scoring_open,
    scoring_settings_save,
    self_scores_save,
    sheet_return,
    sheet_submit,
)
from tests.factories import BlocFactory, MembershipFactory, UnitFactory
from tests.fixtures.scoring import build_table, criteria_of, fill, scored, total

from ..conftest import YEAR

UNITS = ["chair_unit", "vice_unit", "member_unit", "farmers", "veterans"]


def by_unit(rows, units):
    keys = {units[k].pk: k for k in UNITS}
    return {keys[row.unit.pk]: row for row in rows}


def test_final_score_is_the_review_total_and_unreviewed_are_not_ranked(sheets, units, users):
    scored(sheets["chair_unit"], {"c1": "15"}, review={"c1": "14"})  # 75 self, 74 reviewed
    scored(sheets["vice_unit"], {"bonus": "0", "penalty": "-3"})  # 72
    fill(sheets["member_unit"], {})
    sheet_submit(sheet=sheets["member_unit"], by=None)  # submitted, not reviewed
    fill(sheets["farmers"], {})  # draft
    fill(sheets["veterans"], {})
    sheet_submit(sheet=sheets["veterans"], by=None)
    sheet_return(sheet=sheets["veterans"], reason="Thiếu minh chứng", by=users["chair"])

    rows = ranking_compute(table=sheets["chair_unit"].table)
    got = by_unit(rows, units)
    assert [r.unit.pk for r in rows[:2]] == [units["chair_unit"].pk, units["vice_unit"].pk]
    chair = got["chair_unit"]
    assert (chair.self_total, chair.review_total, chair.final_score, chair.rank) == (
        total("75"),
        total("74"),
        total("74"),
        1,
    )
    assert chair.gap_to_next == total("2") and got["vice_unit"].gap_to_next is None
    assert got["vice_unit"].rank == 2
    for key, reason in [("member_unit", "not_reviewed"), ("farmers", "draft"), ("veterans", "returned")]:
        row = got[key]
        assert (row.rank, row.final_score, row.not_ranked) == (None, None, reason), key
        assert row.not_ranked_label
    assert got["member_unit"].self_total == total("80")


def test_a_missing_sheet_is_not_ranked_never_zero(open_table, bloc):
    late = MembershipFactory(bloc=bloc, first_year=2021)  # joined after scoring opened: no sheet
    rows = ranking_compute(table=open_table)
    row = next(r for r in rows if r.unit == late.unit)
    assert (row.rank, row.final_score, row.not_ranked) == (None, None, "no_sheet")
    assert row.joined_during_year


def test_left_before_year_end_is_not_ranked_and_joined_is_marked(sheets, units, bloc):
    from blocs.models import Membership

    veterans = units["veterans"]
    successor = UnitFactory(council=bloc.council, name="Hội Cựu chiến binh (hợp nhất)")
    Membership.objects.filter(bloc=bloc, unit=veterans).update(last_year=YEAR)
    veterans.successor = successor
    veterans.merged_year = YEAR
    veterans.save()
    MembershipFactory(bloc=bloc, unit=successor, first_year=YEAR)
    from pledges.scoring.services import score_sheet_create

    new_sheet = score_sheet_create(table=sheets["chair_unit"].table, unit=successor, by=None)
    scored(sheets["veterans"])
    scored(new_sheet, {"c1": "10"})
    rows = ranking_compute(table=new_sheet.table)
    left = next(r for r in rows if r.unit == veterans)
    joined = next(r for r in rows if r.unit == successor)
    assert (left.rank, left.not_ranked) == (None, "left")
    assert joined.rank == 1 and joined.joined_during_year
    # A unit whose membership ends in the year but which still exists on its own stays ranked.
    Membership.objects.filter(bloc=bloc, unit=units["farmers"]).update(last_year=YEAR)
    scored(sheets["farmers"])
    farmers = next(r for r in ranking_compute(table=new_sheet.table) if r.unit == units["farmers"])
    assert farmers.rank == 1 and not farmers.joined_during_year


@pytest.fixture
def tied(sheets):
    """chair_unit, vice_unit, member_unit all at 65 reviewed; farmers 70; veterans not reviewed.

    chair_unit: base 65, no bonus, no penalty; vice_unit: base 63 + bonus 2; member_unit: base 65 + bonus 3
    − penalty 3. By base points: chair_unit = member_unit (65) > vice_unit (63); by fewer penalties
    chair_unit (0) > member_unit (−3)."""
    scored(sheets["farmers"], {"bonus": "0", "c1": "15"})  # 70
    scored(sheets["chair_unit"], {"c1": "10", "bonus": "0"})  # 65, base 65
    scored(sheets["vice_unit"], {"c1": "8", "bonus": "2"})  # 65, base 63
    scored(sheets["member_unit"], {"c1": "10", "bonus": "3", "penalty": "-3"})  # 65, base 65, penalty −3
    return sheets["farmers"].table


def ranks(table, units):
    return {k: r.rank for k, r in by_unit(ranking_compute(table=table), units).items()}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("shared", {"farmers": 1, "chair_unit": 2, "vice_unit": 2, "member_unit": 2, "veterans": None}),
        ("base_penalty_shared", {"farmers": 1, "chair_unit": 2, "member_unit": 3, "vice_unit": 4, "veterans": None}),
        ("base_penalty_protocol", {"farmers": 1, "chair_unit": 2, "member_unit": 3, "vice_unit": 4, "veterans": None}),
        ("protocol", {"farmers": 1, "chair_unit": 2, "vice_unit": 3, "member_unit": 4, "veterans": None}),
    ],
)
def test_tie_rules(tied, units, rule, expected):
    scoring_settings_save(table=tied, review_mode=tied.review_mode, tie_rule=rule, by=None)
    tied.refresh_from_db()
    assert ranks(tied, units) == expected


def test_shared_ranks_skip_and_gaps(tied, units):
    rows = ranking_compute(table=tied)
    assert [r.rank for r in rows] == [1, 2, 2, 2, None]
    assert [r.gap_to_next for r in rows[:4]] == [total("5"), total("0"), total("0"), None]


def test_base_then_penalty_stays_shared_when_all_equal(sheets, units):
    scored(sheets["chair_unit"])
    scored(sheets["vice_unit"])
    table = sheets["chair_unit"].table
    for rule, expected in [("base_penalty_shared", (1, 1)), ("base_penalty_protocol", (1, 2))]:
        scoring_settings_save(table=table, review_mode="chair", tie_rule=rule, by=None)
        table.refresh_from_db()
        got = ranks(table, units)
        assert (got["chair_unit"], got["vice_unit"]) == expected, rule


def test_every_tie_rule_is_documented():
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("docs", "domain.md").read_text()
    for value in ScoringTable.TieRule.values:
        assert f"`{value}`" in text


def test_finalise_stores_rows_and_locks(tied, units, users):
    ranking = ranking_finalise(table=tied, by=users["chair"])
    assert ranking.is_final and ranking.method == "computed" and ranking.finalised_by == users["chair"]
    stored = list(ranking.entries.order_by("position"))
    assert [(e.unit_name, e.rank) for e in stored][:2] == [("Hội Nông dân tỉnh", 1), (units["chair_unit"].name, 2)]
    assert stored[-1].not_ranked == "draft"  # veterans never submitted
    sheet = tied.sheets.get(unit=units["veterans"])
    c = criteria_of(tied)
    locked = "Kết quả xếp hạng năm 2021 đã được chốt"
    for attempt in [
        lambda: sheet_return(sheet=sheet, reason="x", by=None),
        lambda: self_scores_save(sheet=tied.sheets.get(unit=units["farmers"]), scores={}, by=None),
        lambda: criterion_add(group=c["c1"].group, text="x", maximum="1", kind="bonus", by=None, confirmed=True),
        lambda: scoring_settings_save(table=tied, review_mode="chair", tie_rule="protocol", by=None),
        lambda: ranking_finalise(table=tied, by=None),
        lambda: review_assignment_set(table=tied, pairs={}, by=None),
        lambda: ranking_enter_directly(
            bloc=tied.bloc, year=YEAR, entries=[DirectEntry(units["farmers"].pk, 1)], by=None
        ),
    ]:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert locked in " ".join(error.value.messages)


def test_finalised_rows_survive_later_changes_and_reopen_is_in_history(tied, units, users):
    ranking = ranking_finalise(table=tied, by=users["chair"])
    with pytest.raises(ValidationError):
        ranking_reopen(ranking=ranking, reason=" ", by=users["officer"])
    ranking_reopen(ranking=ranking, reason="Sai sót điểm của Hội Nông dân", by=users["officer"])
    ranking.refresh_from_db()
    assert ranking.state == "reopened" and ranking.reopened_by == users["officer"]
    assert RankingEntry.objects.filter(ranking=ranking).count() == 5  # kept until the next finalisation
    farmers = tied.sheets.get(unit=units["farmers"])
    sheet_return(sheet=farmers, reason="Sai sót điểm", by=users["officer"])
    assert ranking_stored(tied.bloc, YEAR).entries.get(unit=units["farmers"]).rank == 1  # as finalised
    with pytest.raises(ValidationError):
        ranking_reopen(ranking=ranking, reason="again", by=users["officer"])
    ranking = ranking_finalise(table=tied, by=users["chair"])
    assert ranking.entries.get(unit=units["farmers"]).not_ranked == "returned"
    assert ranking.entries.get(unit=units["chair_unit"]).rank == 1
    history = list(ranking.history.order_by("history_date").values_list("state", "reopen_reason"))
    assert history[0] == ("final", "") and history[1] == ("reopened", "Sai sót điểm của Hội Nông dân")
    assert history[-1][0] == "final"


def test_finalise_needs_something_ranked(open_table):
    with pytest.raises(ValidationError):
        ranking_finalise(table=open_table, by=None)


def test_enter_a_ranking_directly(bloc, units, users):
    ranking = ranking_enter_directly(
        bloc=bloc,
        year=2019,
        entries=[
            DirectEntry(units["farmers"].pk, 1, "96,5"),
            DirectEntry(units["chair_unit"].pk, 2, "95"),
            DirectEntry(units["vice_unit"].pk, 2, "95"),
            DirectEntry(units["veterans"].pk, 4),
        ],
        note="Theo biên bản hội nghị tổng kết năm 2019",
        by=users["officer"],
    )
    assert ranking.method == "direct" and ranking.is_final
    rows = [
        (e.unit_id, e.rank, e.final_score, e.gap_to_next, e.not_ranked) for e in ranking.entries.order_by("position")
    ]
    assert rows == [
        (units["farmers"].pk, 1, Decimal("96.50"), Decimal("1.50"), ""),
        (units["chair_unit"].pk, 2, Decimal("95.00"), Decimal("0.00"), ""),
        (units["vice_unit"].pk, 2, Decimal("95.00"), None, ""),
        (units["veterans"].pk, 4, None, None, ""),
        (units["member_unit"].pk, None, None, None, "not_entered"),
    ]


def test_direct_entry_is_checked(bloc, units, open_table):
    outside = units["outside_unit"]
    with pytest.raises(ValidationError) as error:
        ranking_enter_directly(
            bloc=bloc,
            year=2019,
            entries=[
                DirectEntry(outside.pk, 1),
                DirectEntry(units["farmers"].pk, 0),
                DirectEntry(units["vice_unit"].pk, 2, "1,001"),
            ],
            by=None,
        )
    assert set(error.value.message_dict) == {
        f"rank_{outside.pk}",
        f"rank_{units['farmers'].pk}",
        f"score_{units['vice_unit'].pk}",
    }
    with pytest.raises(ValidationError):
        ranking_enter_directly(bloc=bloc, year=2019, entries=[DirectEntry(units["farmers"].pk, None)], by=None)
    with pytest.raises(ValidationError):  # the year's scoring is open in the portal
        ranking_enter_directly(bloc=bloc, year=YEAR, entries=[DirectEntry(units["farmers"].pk, 1)], by=None)


def _bloc_with(council, n_units: int, per_group: int) -> ScoringTable:
    bloc = BlocFactory(council=council)
    for order in range(n_units):
        MembershipFactory(bloc=bloc, unit=UnitFactory(council=council), first_year=2018, display_order=order)
    table = build_table(bloc, YEAR, groups=8 if per_group else 1, per_group=per_group)
    scoring_open(table=table, by=None)
    for sheet in table.sheets.all()[: n_units - 2]:
        scored(sheet)
    return table


def test_ranking_compute_costs_the_same_queries_whatever_the_size(council):
    small = _bloc_with(council, 3, 0)  # 3 units, 5 criteria
    large = _bloc_with(council, 14, 5)  # 14 units, 40 criteria
    assert criteria_of(large) and len(criteria_of(large)) == 40
    counts = []
    for table in (small, large):
        table = ScoringTable.objects.get(pk=table.pk)
        with CaptureQueriesContext(connection) as queries:
            rows = ranking_compute(table=table)
        counts.append(len(queries))
        assert len(rows) == table.sheets.count()
    assert counts[0] == counts[1] <= 4


def test_ranking_stored_is_none_before_finalising(open_table):
    assert ranking_stored(open_table.bloc, YEAR) is None
    assert not Ranking.objects.exists()


def test_partial_self_scores_count_in_the_self_total(sheets, units):
    c = criteria_of(sheets["farmers"].table)
    self_scores_save(sheet=sheets["farmers"], scores={c["c1"].pk: SelfScoreInput("12")}, by=None)
    row = by_unit(ranking_compute(table=sheets["farmers"].table), units)["farmers"]
    assert (row.self_total, row.rank, row.not_ranked) == (total("12"), None, "draft")
