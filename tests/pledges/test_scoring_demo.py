"""The demo's scoring (pledges/scoring/demo.py) agrees with the seed articles: in every bloc-year an article
reports, the unit proposed for the flag ranks first of the final ranking and the units proposed for the
certificates come next; one year is cross-reviewed, one sheet was returned and resubmitted, the current year
is open with work in progress, and a second run writes nothing. One load per module: the checks only read."""

import unicodedata

import pytest
from django.apps import apps
from django.db import transaction

from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal
from blocs.demo import load_demo
from blocs.models import Bloc
from pledges.models import Pledge
from pledges.scoring.models import Criterion, Ranking, ScoreSheet, ScoringTable
from pledges.scoring.selectors import ranking_compute, sheet_totals
from pledges.scoring.services import review_assignment_propose

AN_GIANG = "Hội đồng Thi đua – Khen thưởng tỉnh An Giang"
BAC_KAN = "Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn"
TUYEN_QUANG = "Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang"

# The bloc-years the articles report: [AG] and [BK] reviewing 2020, [TU] reviewing 2021.
SEEDED = [(AN_GIANG, "KTĐ6", 2020), (BAC_KAN, "KMTTQ", 2020), (TUYEN_QUANG, "KCQTU", 2021)]
S = ScoreSheet.State


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once, in a transaction rolled back after the module (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def db_access(demo, db):
    return demo


def bloc(council: str, code: str) -> Bloc:
    return Bloc.objects.get(council__name=council, code=code)


def table(council: str, code: str, year: int) -> ScoringTable:
    return ScoringTable.objects.select_related("bloc").get(bloc__council__name=council, bloc__code=code, year=year)


def ranks(council: str, code: str, year: int) -> dict[str, int | None]:
    ranking = Ranking.objects.get(bloc=bloc(council, code), year=year)
    return {entry.unit.code: entry.rank for entry in ranking.entries.select_related("unit")}


def proposed(council: str, code: str, year: int, type_code: str) -> set[str]:
    """The units the bloc-year's conference proposed for ``type_code`` (the awards demo, from the article)."""
    rows = Proposal.objects.filter(bloc=bloc(council, code), year=year, award_type__code=type_code, person=None)
    return set(rows.values_list("unit__code", flat=True))


@pytest.mark.parametrize(("council", "code", "year"), SEEDED, ids=[row[1] for row in SEEDED])
def test_the_flag_unit_of_each_seeded_bloc_year_ranks_first_alone(db_access, council, code, year):
    flag = proposed(council, code, year, PROVINCIAL_FLAG)
    assert len(flag) == 1
    got = ranks(council, code, year)
    assert {unit for unit, rank in got.items() if rank == 1} == flag
    assert None not in got.values()  # every member was scored and reviewed
    ranking = Ranking.objects.get(bloc=bloc(council, code), year=year)
    assert ranking.is_final and ranking.method == Ranking.Method.COMPUTED


@pytest.mark.parametrize(("council", "code", "year"), SEEDED[:2], ids=[row[1] for row in SEEDED[:2]])
def test_the_certificate_units_come_right_after_the_flag(db_access, council, code, year):
    certificates = proposed(council, code, year, CHAIRMAN_CERTIFICATE)
    assert len(certificates) == 2
    got = ranks(council, code, year)
    assert {unit for unit, rank in got.items() if rank in (2, 3)} == certificates


def test_stored_rankings_are_what_the_sheets_compute(db_access):
    for council, code, year in SEEDED:
        scored = table(council, code, year)
        computed = [(row.unit.pk, row.rank, row.final_score) for row in ranking_compute(table=scored)]
        ranking = Ranking.objects.get(bloc=scored.bloc, year=year)
        stored = list(ranking.entries.order_by("position").values_list("unit_id", "rank", "final_score"))
        assert stored == computed
        assert ranking.tie_rule == scored.tie_rule


def test_the_party_agencies_year_is_cross_reviewed_with_the_proposed_assignment(db_access):
    cross = table(TUYEN_QUANG, "KCQTU", 2021)
    assert cross.review_mode == ScoringTable.ReviewMode.CROSS
    members = {m.unit_id for m in cross.bloc.members(2021)}
    pairs = list(cross.assignments.values_list("reviewer_id", "reviewed_id"))
    assert len(pairs) == len(members) == 9
    assert all(reviewer != reviewed for reviewer, reviewed in pairs)
    assert {reviewed for _, reviewed in pairs} == members  # every sheet has its reviewer
    assert sorted(reviewer for reviewer, _ in pairs) == sorted(members)  # each unit reviews one sheet
    assert set(pairs) == {(a.pk, b.pk) for a, b in review_assignment_propose(table=cross)}
    assert set(cross.sheets.values_list("state", flat=True)) == {S.REVIEWED}


def test_the_other_scored_years_are_chair_reviewed(db_access):
    for council, code, year in SEEDED[:2]:
        assert table(council, code, year).review_mode == ScoringTable.ReviewMode.CHAIR


def test_one_sheet_was_returned_corrected_resubmitted_and_reviewed(db_access):
    sheet = table(AN_GIANG, "KTĐ6", 2020).sheets.get(unit__code="HDY")
    states = list(sheet.history.order_by("history_date", "history_id").values_list("state", flat=True))
    assert states == [S.DRAFT, S.SUBMITTED, S.RETURNED, S.SUBMITTED, S.REVIEWED]
    returned = sheet.history.get(state=S.RETURNED)
    assert "IV.1" in returned.return_reason
    assert sheet.state == S.REVIEWED and sheet.return_reason == ""
    bonus = sheet.scores.get(criterion__text__startswith="Có mô hình")
    assert bonus.self_points == 0  # the unproven bonus, corrected
    own = [row.self_points for row in bonus.history.order_by("history_date", "history_id")]
    assert [points for index, points in enumerate(own) if index == 0 or own[index - 1] != points] == [5, 0]
    assert ScoreSheet.history.filter(state=S.RETURNED).values("id").distinct().count() == 1


def test_the_current_year_is_open_with_work_in_progress(db_access):
    current = table(AN_GIANG, "KTĐ6", 2021)
    assert current.bloc.council.current_year == 2021
    assert current.is_open
    assert current.copied_from == table(AN_GIANG, "KTĐ6", 2020)
    assert current.pledge == Pledge.objects.get(bloc=current.bloc, year=2021)
    sheets = {sheet.unit.code: sheet for sheet in current.sheets.select_related("unit", "table")}
    assert len(sheets) == 8
    states = {code: sheet.state for code, sheet in sheets.items()}
    assert {code for code, state in states.items() if state == S.DRAFT} == {"LHPN", "HND", "HDY", "CCB"}
    assert {code for code, state in states.items() if state == S.SUBMITTED} == {"CTD", "MTTQ", "TD"}
    assert states["LDLD"] == S.REVIEWED
    # The demo member "thanhvien" (Hội LHPN) has a sheet half filled in to finish and submit.
    women = sheet_totals(sheets["LHPN"])
    assert women.empty and len(women.empty) < Criterion.objects.filter(group__table=current).count()
    assert sheets["CTD"].submitted_by.username == "khoitruong"
    assert sheets["LDLD"].reviewed_by.username == "khoitruong"
    assert not Ranking.objects.filter(bloc=current.bloc, year=2021).exists()


def test_an_earlier_year_was_entered_directly(db_access):
    ranking = Ranking.objects.get(bloc=bloc(BAC_KAN, "KMTTQ"), year=2019)
    assert ranking.is_final and ranking.method == Ranking.Method.DIRECT
    assert ranking.note
    assert not ScoringTable.objects.filter(bloc=ranking.bloc, year=2019).exists()
    entries = list(ranking.entries.order_by("position"))
    assert [entry.rank for entry in entries] == [1, 2, 3, 4, 5, 6]
    scores = [entry.final_score for entry in entries]
    assert scores == sorted(scores, reverse=True)


def test_every_ranking_of_the_demo_is_final(db_access):
    assert Ranking.objects.count() == 4
    assert set(Ranking.objects.values_list("state", flat=True)) == {Ranking.State.FINAL}


def test_the_table_is_a_realistic_one_in_vietnamese(db_access):
    scored = table(AN_GIANG, "KTĐ6", 2020)
    groups = list(scored.groups.order_by("position"))
    assert [g.name.split(".")[0] for g in groups] == ["I", "II", "III", "IV", "V"]
    assert groups[0].name == "I. Thực hiện nhiệm vụ chính trị được giao"
    criteria = Criterion.objects.filter(group__table=scored)
    assert sum(c.maximum for c in criteria if c.kind == Criterion.Kind.BASE) == 100
    assert {c.kind for c in criteria} == set(Criterion.Kind.values)
    assert all(c.guide for c in criteria)
    for text in [g.name for g in groups] + [c.text for c in criteria] + [c.guide for c in criteria]:
        assert unicodedata.is_normalized("NFC", text)


def scoring_rows() -> dict[str, int]:
    """Rows of every model of the pledges app (the scoring's among them), history tables included."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("pledges").get_models()}


def test_a_second_run_writes_no_scoring(db_access):
    assert db_access.created["ScoringTable"] == 4 and db_access.created["Ranking"] == 4
    before = scoring_rows()
    assert before["HistoricalScore"] > before["Score"] > 0
    again = load_demo()
    assert not again.wrote_anything
    assert scoring_rows() == before
