"""The generated dataset (``manage.py generate_dataset``) at demo scale: what it makes, that a seed gives
the same data, that every row passes the models' own validation and constraints, that the scoring it
makes keeps the scoring rules (scores within bounds, states, rankings as ``ranking_compute`` ranks), and
that the main pages render for its users."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client

from awards.models import Proposal
from blocs.dataset import LAST_YEAR, SCALES, bench_actors
from blocs.management.commands.generate_dataset import dataset_modules
from blocs.models import Bloc, Council, Membership, Seat, Unit, User
from meetings.models import Meeting, MeetingAttendance, MinutesVersion
from pledges.models import Pledge, PledgeSignatory, PledgeVersion
from pledges.scoring.models import Criterion, Ranking, RankingEntry, Score, ScoreSheet, ScoringTable
from pledges.scoring.selectors import ranking_compute

pytestmark = pytest.mark.django_db

DEMO = SCALES["demo"]
# Rows of a model checked by full_clean(), spread over the table: only the scores are more (one query or
# more per row and constraint), and a spread sample of them shows the same.
CLEAN_SAMPLE = 500


def generate(seed: int = 1, *extra: str) -> str:
    out = StringIO()
    call_command("generate_dataset", "--scale", "demo", "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


class Rollback(Exception):
    pass


def snapshot(seed: int) -> dict:
    """The names and counts a seed gives, the data rolled back afterwards."""
    result = {}
    try:
        with transaction.atomic():
            generate(seed)
            result = {
                "units": list(Unit.objects.order_by("code").values_list("code", "name", "head_name")),
                "blocs": list(Bloc.objects.order_by("code").values_list("code", "name")),
                "users": sorted(User.objects.values_list("username", "last_name", "first_name")),
                "memberships": sorted(Membership.objects.values_list("unit__code", "first_year", "last_year")),
                "seats": sorted(Seat.objects.values_list("bloc__code", "year", "rank", "unit__code")),
                "proposals": sorted(Proposal.objects.values_list("bloc__code", "year", "award_type__code", "status")),
                "signatures": PledgeSignatory.objects.exclude(signed_on=None).count(),
                "meetings": sorted(Meeting.objects.values_list("bloc__code", "year", "date", "status")),
                "sheets": sorted(
                    ScoreSheet.objects.values_list("table__bloc__code", "table__year", "unit__code", "state")
                ),
                "scores": sorted(
                    Score.objects.values_list(
                        "sheet__table__bloc__code",
                        "sheet__table__year",
                        "sheet__unit__code",
                        "criterion__group__position",
                        "criterion__position",
                        "self_points",
                        "review_points",
                    )
                ),
                "ranks": sorted(
                    RankingEntry.objects.values_list(
                        "ranking__bloc__code", "ranking__year", "unit__code", "rank", "final_score", "not_ranked"
                    )
                ),
            }
            raise Rollback
    except Rollback:
        pass
    return result


def test_demo_scale_makes_every_kind_of_record():
    report = generate()
    assert "Generated scale demo" in report
    assert Council.objects.count() == DEMO.councils
    assert Bloc.objects.count() == DEMO.blocs
    assert Unit.objects.count() == DEMO.units
    years = range(LAST_YEAR - DEMO.years + 1, LAST_YEAR + 1)
    assert Pledge.objects.filter(year__in=years).count() == DEMO.blocs * DEMO.years
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert Meeting.objects.filter(status="held").count() == DEMO.blocs * (DEMO.years - 1)
    assert Meeting.objects.filter(status="scheduled", year=LAST_YEAR).count() == DEMO.blocs
    assert MinutesVersion.objects.filter(state="final").count() == DEMO.blocs * (DEMO.years - 1)
    assert PledgeVersion.objects.filter(state="final").exists()
    # History rows are written with the rows, as a save would.
    assert Unit.history.count() == Unit.objects.count()
    assert Proposal.history.count() == Proposal.objects.count()
    assert User.objects.filter(unit=None, is_superuser=False).count() == DEMO.councils
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.exclude(unit=None).count() == DEMO.units


def test_a_seed_gives_the_same_data_and_another_seed_other_names():
    first, again, other = snapshot(1), snapshot(1), snapshot(2)
    assert first and first == again
    assert other["units"] != first["units"]


def test_refuses_a_database_with_councils_unless_appending():
    generate()
    with pytest.raises(CommandError, match="--append"):
        generate(2)
    generate(2, "--append")
    assert Council.objects.count() == 2 * DEMO.councils
    with pytest.raises(CommandError, match="already in the database"):
        generate(2, "--append")
    assert Council.objects.count() == 2 * DEMO.councils


def test_every_row_passes_the_models_validation_and_constraints():
    generate()
    checked = 0
    for module in dataset_modules():
        app = module.__name__.split(".")[0]
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            rows = list(model._default_manager.order_by("pk"))
            for obj in rows[:: max(1, len(rows) // CLEAN_SAMPLE)]:
                obj.full_clean()
                checked += 1
    assert checked > 500


def test_rules_that_span_tables_hold():
    generate()
    for seat in Seat.objects.select_related("bloc"):
        assert seat.bloc.memberships.covering(seat.year).filter(unit=seat.unit_id).exists()
    for signatory in PledgeSignatory.objects.select_related("version__pledge"):
        pledge = signatory.version.pledge
        assert Membership.objects.filter(bloc=pledge.bloc_id, unit=signatory.unit_id).covering(pledge.year).exists()
    for row in MeetingAttendance.objects.select_related("meeting"):
        meeting = row.meeting
        assert Membership.objects.filter(bloc=meeting.bloc_id, unit=row.unit_id).covering(meeting.year).exists()
    for version in PledgeVersion.objects.filter(state="final"):
        signatories = version.signatories.all()
        assert signatories and all(s.is_signed for s in signatories)


def test_main_pages_render_for_the_datasets_users():
    generate()
    actors = bench_actors()
    assert all(actors.users.values()), actors.users
    clients = {}
    for role, user in actors.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    pages = [page for module in dataset_modules() for page in module.bench_pages(actors=actors)]
    assert len(pages) >= 14
    for page in pages:
        for role in page.roles:
            response = clients[role].get(page.url)
            assert response.status_code == 200, (page.label, role, page.url, response.status_code)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics are PostgreSQL's")
def test_the_generator_leaves_the_planner_statistics_of_the_data_it_wrote():
    generate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Unit._meta.db_table])
        (estimated,) = cursor.fetchone()
    assert estimated == Unit.objects.count()


def test_scoring_keeps_the_scoring_rules():
    report = generate()
    tables = list(ScoringTable.objects.select_related("bloc"))
    assert tables
    assert f"{Score.objects.count():10,d}  pledges.Score" in report
    # Every past year's table is finalised; this year's are not.
    past = ScoringTable.objects.filter(year__lt=LAST_YEAR)
    assert Ranking.objects.filter(method="computed").count() == past.count() > 0
    actors = bench_actors()
    # The bench's bloc scores: last year finalised, this year open (its ranking live, its sheets in work).
    assert ScoringTable.objects.filter(bloc=actors.bloc, year=actors.year, state="open").exists()
    assert Ranking.objects.filter(bloc=actors.bloc, year=actors.year - 1, state="final").exists()
    assert not Ranking.objects.filter(year=LAST_YEAR).exists()
    for table in tables:
        criteria = list(Criterion.objects.filter(group__table=table).select_related("group"))
        assert 36 <= len(criteria) <= 42 and table.groups.count() == 5
        base = {}
        for criterion in criteria:
            if criterion.kind == "base":
                base[criterion.group] = base.get(criterion.group, 0) + criterion.maximum
        assert sum(base.values()) == 100 and all(total <= group.maximum for group, total in base.items())
        members = {m.unit_id for m in table.bloc.members(table.year)}
        sheets = set(table.sheets.values_list("unit_id", flat=True))
        assert sheets == (members if table.state == "open" else set()), table
    for score in Score.objects.select_related("criterion"):
        criterion = score.criterion
        assert score.self_points is not None and criterion.lowest <= score.self_points <= criterion.highest
        if score.review_points is not None:
            assert criterion.lowest <= score.review_points <= criterion.highest
            assert score.review_points == score.self_points or score.review_reason
    sheet_states_hold()
    for ranking in Ranking.objects.filter(method="computed"):
        table = ScoringTable.objects.get(bloc=ranking.bloc_id, year=ranking.year)
        computed = [
            (row.unit.pk, row.rank, row.self_total, row.final_score, row.gap_to_next, row.not_ranked)
            for row in ranking_compute(table=table)
        ]
        stored = list(
            ranking.entries.values_list("unit_id", "rank", "self_total", "final_score", "gap_to_next", "not_ranked")
        )
        assert stored == computed, ranking


def sheet_states_hold():
    """A submitted, returned or reviewed sheet is scored in full; only a reviewed one is reviewed in full,
    never by its own unit; a draft or returned one has no review scores."""
    for sheet in ScoreSheet.objects.select_related("table", "reviewed_by").annotate(
        criteria=Count("table__groups__criteria", distinct=True),
        scored=Count("scores", distinct=True),
        reviewed=Count("scores", filter=Q(scores__review_points__isnull=False), distinct=True),
    ):
        if sheet.state != "draft":
            assert sheet.scored == sheet.criteria and sheet.submitted_at, sheet
        if sheet.state == "reviewed":
            assert sheet.reviewed == sheet.criteria and sheet.reviewed_by.unit_id != sheet.unit_id, sheet
        if sheet.state in ("draft", "returned"):
            assert sheet.reviewed == 0, sheet
        if sheet.state == "returned":
            assert sheet.return_reason, sheet


def test_rankings_entered_directly_rank_every_member_once():
    generate(1, "--years", "10")
    direct = list(Ranking.objects.filter(method="direct"))
    assert direct
    for ranking in direct:
        assert not ScoringTable.objects.filter(bloc=ranking.bloc_id, year=ranking.year).exists()
        entries = list(ranking.entries.order_by("position"))
        members = dict(
            Membership.objects.filter(bloc=ranking.bloc_id).covering(ranking.year).values_list("unit_id", "first_year")
        )
        assert {e.unit_id for e in entries} == set(members)
        assert [e.rank for e in entries] == list(range(1, len(entries) + 1))
        assert all(e.joined_during_year == (members[e.unit_id] == ranking.year) for e in entries)
        scores = [e.final_score for e in entries]
        assert scores == [None] * len(entries) or scores == sorted(scores, reverse=True)
