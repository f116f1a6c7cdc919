"""Scoring pages: every view with the six roles and another council's officer (GET and POST; a refusal
changes nothing), the table built through its pages, a sheet filled, submitted, reviewed, returned and
corrected, the ranking finalised, reopened and entered directly, bad input at the field, and the ranking
page's query count, flat whatever the number of units and criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.scoring.models import Criterion, Ranking, Score, ScoreEvidence, ScoreSheet, ScoringGroup, ScoringTable
from pledges.scoring.services import ranking_finalise, score_evidence_attach, sheet_submit

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..fixtures.scoring import build_table, criteria_of, fill, scored
from ..roles import (
    CONFIRMED,
    FORBIDDEN,
    MANAGERS,
    OFFICERS_ONLY,
    OK,
    READERS,
    REDIRECT,
    ROLES,
    check_get,
    check_post,
    expect,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

OWN_UNIT = expect(member=OK, vice_chair=FORBIDDEN, chair=FORBIDDEN, officer=FORBIDDEN)
"""What only the sheet's own unit does (the member's sheet): self scores, evidence, submission."""
REVIEWER = expect(member=FORBIDDEN, vice_chair=FORBIDDEN, chair=OK)
"""Chair review: the chair's unit and the officers review the member's sheet."""


@pytest.fixture
def world(request, bloc, units, users):
    """The bloc-year in the state a matrix row names: "none" (no table), "table" (being prepared),
    "open", "submitted" (the member's sheet), "final" (a finalised ranking)."""
    state = request.param
    found = {"bloc": bloc, "units": units, "users": users}
    if state == "none":
        return found
    table = build_table(bloc, YEAR, users["chair"])
    found["table"] = table
    if state == "table":
        return found
    from pledges.scoring.services import scoring_open

    scoring_open(table=table, by=users["chair"])
    sheets = {s.unit_id: s for s in table.sheets.all()}
    found["sheet"] = sheets[units["member_unit"].pk]
    if state == "open":
        return found
    fill(found["sheet"], {}, by=users["member"])
    score = found["sheet"].scores.first()
    score_evidence_attach(
        sheet=found["sheet"], criterion=score.criterion, file=SimpleUploadedFile("mc.pdf", PDF), by=users["member"]
    )
    sheet_submit(sheet=found["sheet"], by=users["member"])
    if state == "submitted":
        return found
    from pledges.scoring.services import review_scores_save, sheet_review_finish  # noqa: F401

    from ..fixtures.scoring import review_as_self

    review_as_self(found["sheet"], by=users["chair"])
    found["ranking"] = ranking_finalise(table=table, by=users["chair"])
    return found


def _scoring(f):
    return reverse("scoring:scoring_detail", args=[f["bloc"].pk, YEAR])


def _group(f) -> ScoringGroup:
    return f["table"].groups.order_by("position").first()


def _criterion(f) -> Criterion:
    return Criterion.objects.filter(group__table=f["table"]).order_by("group__position", "position").first()


def _evidence(f) -> ScoreEvidence:
    return ScoreEvidence.objects.get(score__sheet=f["sheet"])


GET_MATRIX = [
    ("scoring_without_table", "none", _scoring, READERS),
    ("scoring_preparing", "table", _scoring, READERS),
    ("scoring_open", "open", _scoring, READERS),
    ("group_add", "table", lambda f: reverse("scoring:group_add", args=[f["table"].pk]), MANAGERS),
    ("group_edit", "table", lambda f: reverse("scoring:group_edit", args=[_group(f).pk]), MANAGERS),
    ("group_remove", "table", lambda f: reverse("scoring:group_remove", args=[_group(f).pk]), MANAGERS),
    ("criterion_add", "table", lambda f: reverse("scoring:criterion_add", args=[_group(f).pk]), MANAGERS),
    ("criterion_edit", "table", lambda f: reverse("scoring:criterion_edit", args=[_criterion(f).pk]), MANAGERS),
    ("criterion_remove", "table", lambda f: reverse("scoring:criterion_remove", args=[_criterion(f).pk]), MANAGERS),
    ("open", "table", lambda f: reverse("scoring:scoring_open", args=[f["table"].pk]), MANAGERS),
    ("reviewers", "table", lambda f: reverse("scoring:reviewers", args=[f["table"].pk]), MANAGERS),
    ("sheet", "open", lambda f: reverse("scoring:sheet_detail", args=[f["sheet"].pk]), READERS),
    ("sheet_submitted", "submitted", lambda f: reverse("scoring:sheet_detail", args=[f["sheet"].pk]), READERS),
    ("sheet_submit", "open", lambda f: reverse("scoring:sheet_submit", args=[f["sheet"].pk]), OWN_UNIT),
    ("sheet_return", "submitted", lambda f: reverse("scoring:sheet_return", args=[f["sheet"].pk]), REVIEWER),
    ("evidence", "submitted", lambda f: reverse("scoring:evidence_download", args=[_evidence(f).pk]), READERS),
    ("ranking_none", "none", lambda f: reverse("scoring:ranking_detail", args=[f["bloc"].pk, YEAR]), READERS),
    ("ranking_open", "open", lambda f: reverse("scoring:ranking_detail", args=[f["bloc"].pk, YEAR]), READERS),
    ("ranking_final", "final", lambda f: reverse("scoring:ranking_detail", args=[f["bloc"].pk, YEAR]), READERS),
    ("finalise", "submitted", lambda f: reverse("scoring:ranking_finalise", args=[f["table"].pk]), MANAGERS),
    ("reopen", "final", lambda f: reverse("scoring:ranking_reopen", args=[f["ranking"].pk]), OFFICERS_ONLY),
    ("enter", "none", lambda f: reverse("scoring:ranking_enter", args=[f["bloc"].pk, YEAR]), MANAGERS),
    # After finalisation nothing of the year changes: the chair and vice-chair are refused too.
    (
        "group_add_final",
        "final",
        lambda f: reverse("scoring:group_add", args=[f["table"].pk]),
        OFFICERS_ONLY | {"officer": FORBIDDEN},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "world", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX], indirect=["world"]
)
def test_get_permissions(client_as, world, role, name, url, expected):
    check_get(client_as(role), url(world), expected, role, name=name)


def _state(f):
    """Everything the scoring POSTs can change."""
    return (
        list(ScoringTable.objects.values_list("pk", "state", "review_mode", "tie_rule")),
        list(ScoringGroup.objects.values_list("pk", "name", "maximum", "position", "active")),
        list(Criterion.objects.values_list("pk", "text", "maximum", "kind", "position", "active")),
        list(ScoreSheet.objects.values_list("pk", "state", "return_reason")),
        list(Score.objects.values_list("pk", "self_points", "note", "review_points", "review_reason")),
        list(ScoreEvidence.objects.values_list("pk")),
        list(Ranking.objects.values_list("pk", "state")),
    )


def _self_data(f, points="15"):
    data = {"self": "save"}
    for criterion in criteria_of(f["table"]).values():
        data[f"points_{criterion.pk}"] = points if criterion.kind == "base" else "0"
        data[f"note_{criterion.pk}"] = "Đạt"
    return data


def _review_data(f):
    data = {"review": "save"}
    for score in f["sheet"].scores.all():
        data[f"review_{score.criterion_id}"] = str(score.self_points)
        data[f"reason_{score.criterion_id}"] = ""
    return data


def _direct_data(f):
    data = {"note": "Biên bản hội nghị tổng kết"}
    for rank, unit in enumerate(f["bloc"].members(YEAR), start=1):
        data[f"rank_{unit.unit_id}"] = str(rank)
        data[f"score_{unit.unit_id}"] = ""
    return data


POST_MATRIX = [
    ("create", "none", lambda f: reverse("scoring:table_create", args=[f["bloc"].pk, YEAR]), lambda f: {}, MANAGERS),
    (
        "settings",
        "table",
        lambda f: reverse("scoring:settings_save", args=[f["table"].pk]),
        lambda f: {"review_mode": "board", "tie_rule": "protocol"},
        MANAGERS,
    ),
    (
        "group_add",
        "table",
        lambda f: reverse("scoring:group_add", args=[f["table"].pk]),
        lambda f: {"name": "Nhóm mới", "maximum": "10"},
        MANAGERS,
    ),
    (
        "group_edit",
        "table",
        lambda f: reverse("scoring:group_edit", args=[_group(f).pk]),
        lambda f: {"name": "Công tác chuyên môn (sửa)", "maximum": "60"},
        MANAGERS,
    ),
    (
        "group_remove",
        "table",
        lambda f: reverse("scoring:group_remove", args=[_group(f).pk]),
        lambda f: CONFIRMED,
        MANAGERS,
    ),
    (
        "group_move",
        "table",
        lambda f: reverse("scoring:group_move", args=[_group(f).pk]),
        lambda f: {"direction": "down"},
        MANAGERS,
    ),
    (
        "criterion_add",
        "table",
        lambda f: reverse("scoring:criterion_add", args=[_group(f).pk]),
        lambda f: {"text": "Tiêu chí thưởng", "kind": "bonus", "maximum": "2", "guide": ""},
        MANAGERS,
    ),
    (
        "criterion_edit",
        "table",
        lambda f: reverse("scoring:criterion_edit", args=[_criterion(f).pk]),
        lambda f: {"text": "Hoàn thành chỉ tiêu", "kind": "base", "maximum": "15", "guide": "Theo báo cáo"},
        MANAGERS,
    ),
    (
        "criterion_remove",
        "table",
        lambda f: reverse("scoring:criterion_remove", args=[_criterion(f).pk]),
        lambda f: CONFIRMED,
        MANAGERS,
    ),
    (
        "criterion_move",
        "table",
        lambda f: reverse("scoring:criterion_move", args=[_criterion(f).pk]),
        lambda f: {"direction": "down"},
        MANAGERS,
    ),
    ("open", "table", lambda f: reverse("scoring:scoring_open", args=[f["table"].pk]), lambda f: CONFIRMED, MANAGERS),
    ("self_scores", "open", lambda f: reverse("scoring:sheet_detail", args=[f["sheet"].pk]), _self_data, OWN_UNIT),
    (
        "evidence",
        "open",
        lambda f: reverse("scoring:evidence_upload", args=[f["sheet"].pk]),
        lambda f: {"criterion": str(_criterion(f).pk), "file": SimpleUploadedFile("mc.pdf", PDF)},
        OWN_UNIT,
    ),
    ("review", "submitted", lambda f: reverse("scoring:sheet_detail", args=[f["sheet"].pk]), _review_data, REVIEWER),
    (
        "return",
        "submitted",
        lambda f: reverse("scoring:sheet_return", args=[f["sheet"].pk]),
        lambda f: {"reason": "Thiếu minh chứng\ncho tiêu chí 1"},
        REVIEWER,
    ),
    ("finalise", "submitted", lambda f: _finalise_url(f), lambda f: CONFIRMED, MANAGERS),
    (
        "reopen",
        "final",
        lambda f: reverse("scoring:ranking_reopen", args=[f["ranking"].pk]),
        lambda f: {"reason": "Sai sót khi cộng điểm"},
        OFFICERS_ONLY,
    ),
    ("enter", "none", lambda f: reverse("scoring:ranking_enter", args=[f["bloc"].pk, YEAR]), _direct_data, MANAGERS),
]


def _finalise_url(f):
    # A reviewed sheet first, so there is a ranking to finalise.
    from ..fixtures.scoring import review_as_self

    review_as_self(f["sheet"], by=f["users"]["chair"])
    return reverse("scoring:ranking_finalise", args=[f["table"].pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "world", "url", "data", "allowed"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX], indirect=["world"]
)
def test_post_permissions(client_as, world, role, name, url, data, allowed):
    expected = {r: (REDIRECT if status == OK else status) for r, status in allowed.items()}
    target = url(world)
    check_post(client_as(role), target, data(world), expected, role, state=lambda: _state(world), name=name)


# Journeys ------------------------------------------------------------------------------------------------


def test_chair_builds_the_table_through_its_pages(client_as, bloc, users):
    client = client_as("chair")
    response = client.post(reverse("scoring:table_create", args=[bloc.pk, YEAR]))
    table = ScoringTable.objects.get(bloc=bloc, year=YEAR)
    assert response.status_code == REDIRECT
    client.post(reverse("scoring:group_add", args=[table.pk]), {"name": "I. Nhiệm vụ chính trị", "maximum": "60"})
    group = table.groups.get()
    text = "Hoàn thành chỉ tiêu\nkế hoạch năm"
    client.post(
        reverse("scoring:criterion_add", args=[group.pk]),
        {"text": text, "kind": "base", "maximum": "40,5", "guide": "Theo báo cáo\ncó số liệu"},
    )
    criterion = group.criteria.get()
    assert (criterion.text, criterion.maximum, criterion.guide) == (text, Decimal("40.50"), "Theo báo cáo\ncó số liệu")
    # Too many base points for the group: the message at the field, nothing saved.
    response = client.post(
        reverse("scoring:criterion_add", args=[group.pk]), {"text": "Khác", "kind": "base", "maximum": "30"}
    )
    assert response.status_code == OK
    assert "tối đa" in response.context["form"].errors["maximum"][0]
    assert group.criteria.count() == 1
    page = client.get(reverse("scoring:scoring_detail", args=[bloc.pk, YEAR]))
    assert "Hoàn thành chỉ tiêu<br>kế hoạch năm" in page.content.decode()
    assert "40,5" in page.content.decode()


def test_table_starts_from_last_years(client_as, bloc, users):
    build_table(bloc, YEAR - 1, users["officer"])
    source = ScoringTable.objects.get(bloc=bloc, year=YEAR - 1)
    client = client_as("chair")
    client.post(reverse("scoring:table_create", args=[bloc.pk, YEAR]), {"copy_from": source.pk})
    copied = ScoringTable.objects.get(bloc=bloc, year=YEAR)
    assert copied.copied_from == source
    assert Criterion.objects.filter(group__table=copied).count() == 5


def test_changing_an_open_table_asks_for_confirmation(client_as, open_table):
    client = client_as("chair")
    url = reverse("scoring:group_add", args=[open_table.pk])
    response = client.post(url, {"name": "Nhóm bổ sung", "maximum": "5"})
    assert response.status_code == OK
    assert response.context["form"].errors["confirmed"]
    assert not open_table.groups.filter(name="Nhóm bổ sung").exists()
    client.post(url, {"name": "Nhóm bổ sung", "maximum": "5", "confirmed": "on"})
    assert open_table.groups.filter(name="Nhóm bổ sung").exists()


def test_member_fills_its_sheet_with_errors_at_the_field_and_nothing_saved(client_as, sheets, users):
    sheet = sheets["member_unit"]
    criteria = criteria_of(sheet.table)
    client = client_as("member")
    url = reverse("scoring:sheet_detail", args=[sheet.pk])
    data = {
        "self": "save",
        f"points_{criteria['c1'].pk}": "18,5",
        f"note_{criteria['c1'].pk}": "Vượt chỉ tiêu\n(xem báo cáo)",
        f"points_{criteria['c2'].pk}": "31",  # over its maximum of 30
        f"points_{criteria['penalty'].pk}": "2",  # a penalty is negative
        f"points_{criteria['bonus'].pk}": "1,234",  # three decimals
    }
    response = client.post(url, data)
    assert response.status_code == OK
    form = response.context["self_form"]
    assert "30" in form.errors[f"points_{criteria['c2'].pk}"][0]
    assert form.errors[f"points_{criteria['penalty'].pk}"]
    assert form.errors[f"points_{criteria['bonus'].pk}"]
    assert not Score.objects.filter(sheet=sheet).exists()
    # What was typed is shown again, line breaks included.
    body = response.content.decode()
    assert "18,5" in body and "Vượt chỉ tiêu\n(xem báo cáo)" in body

    data.update(
        {
            f"points_{criteria['c2'].pk}": "30",
            f"points_{criteria['penalty'].pk}": "-2",
            f"points_{criteria['bonus'].pk}": "1,25",
        }
    )
    response = client.post(url, data)
    assert response.status_code == REDIRECT
    saved = {s.criterion_id: s for s in sheet.scores.all()}
    assert saved[criteria["c1"].pk].self_points == Decimal("18.50")
    assert saved[criteria["c1"].pk].note == "Vượt chỉ tiêu\n(xem báo cáo)"
    page = client.get(url)
    assert page.context["totals"].self_total == Decimal("47.75")
    assert [c.pk for c in page.context["totals"].empty] == [criteria["c3"].pk]
    # Submitting with an empty criterion is refused with the reason; the sheet stays a draft.
    response = client.post(reverse("scoring:sheet_submit", args=[sheet.pk]), CONFIRMED, follow=True)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.DRAFT
    assert any("chưa" in str(m) for m in response.context["messages"])


def test_chair_reviews_returns_and_the_unit_corrects(client_as, sheets, users):
    sheet = sheets["member_unit"]
    fill(sheet, {"c1": "20"}, by=users["member"])
    sheet_submit(sheet=sheet, by=users["member"])
    criteria = criteria_of(sheet.table)
    chair = client_as("chair")
    url = reverse("scoring:sheet_detail", args=[sheet.pk])
    data = {"review": "save"}
    for criterion in criteria.values():
        data[f"review_{criterion.pk}"] = str(sheet.scores.get(criterion=criterion).self_points)
    data[f"review_{criteria['c1'].pk}"] = "15"
    response = chair.post(url, data)
    assert response.status_code == OK
    assert response.context["review_form"].errors[f"reason_{criteria['c1'].pk}"]
    chair.post(reverse("scoring:sheet_return", args=[sheet.pk]), {"reason": "Thiếu minh chứng tiêu chí 1"})
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.RETURNED
    member = client_as("member")
    page = member.get(url)
    assert "Thiếu minh chứng tiêu chí 1" in page.content.decode()
    assert page.context["self_form"] is not None
    member.post(url, _self_data({"table": sheet.table}, points="10") | {"self": "submit"})
    member.post(reverse("scoring:sheet_submit", args=[sheet.pk]), CONFIRMED)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED
    data = {"review": "finish"}
    for score in sheet.scores.all():
        data[f"review_{score.criterion_id}"] = str(score.self_points)
    response = client_as("chair").post(url, data, follow=True)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.REVIEWED, [str(m) for m in response.context["messages"]]


def test_finalised_ranking_is_shown_and_locked_until_an_officer_reopens_it(client_as, bloc, sheets, users):
    scored(sheets["member_unit"], {"c1": "20"}, by=users["chair"])
    scored(sheets["farmers"], {"c1": "10"}, by=users["chair"])
    chair = client_as("chair")
    chair.post(reverse("scoring:ranking_finalise", args=[sheets["member_unit"].table.pk]), CONFIRMED)
    ranking = Ranking.objects.get(bloc=bloc, year=YEAR)
    assert ranking.is_final
    page = chair.get(reverse("scoring:ranking_detail", args=[bloc.pk, YEAR]))
    rows = page.context["rows"]
    assert [(r.name, r.rank) for r in rows[:2]] == [
        (sheets["member_unit"].unit.name, 1),
        (sheets["farmers"].unit.name, 2),
    ]
    assert rows[0].gap_to_next == Decimal("10.00")
    body = page.content.decode()
    assert "<svg" in body and 'id="tie-rule"' in body
    for name in ("ranking_pdf", "ranking_docx", "ranking_xlsx"):  # the files of a final ranking, linked
        assert reverse(f"scoring:{name}", args=[bloc.pk, YEAR]) in body
    assert all(r.not_ranked for r in rows[2:])  # no sheet reviewed: not ranked, never zero
    # Nothing changes now, whoever asks.
    response = client_as("member").post(
        reverse("scoring:sheet_detail", args=[sheets["member_unit"].pk]), {"self": "save"}
    )
    assert response.status_code == FORBIDDEN
    officer = client_as("officer")
    officer.post(reverse("scoring:ranking_reopen", args=[ranking.pk]), {"reason": "Cộng sai điểm\nkhối"})
    ranking.refresh_from_db()
    assert ranking.state == Ranking.State.REOPENED and ranking.reopen_reason == "Cộng sai điểm\nkhối"
    history = officer.get(reverse("scoring:ranking_detail", args=[bloc.pk, YEAR])).content.decode()
    assert "Cộng sai điểm" in history


def test_ranking_entered_directly(client_as, bloc, units, users):
    client = client_as("officer")
    url = reverse("scoring:ranking_enter", args=[bloc.pk, YEAR - 1])
    data = {"note": "Biên bản hội nghị\nngày 20/12/2020"}
    data[f"rank_{units['farmers'].pk}"] = "1"
    data[f"score_{units['farmers'].pk}"] = "abc"
    response = client.post(url, data)
    assert response.status_code == OK
    assert response.context["form"].errors[f"score_{units['farmers'].pk}"]
    assert not Ranking.objects.exists()
    data[f"score_{units['farmers'].pk}"] = "95,5"
    client.post(url, data)
    ranking = Ranking.objects.get(bloc=bloc, year=YEAR - 1)
    assert ranking.method == Ranking.Method.DIRECT and ranking.note == "Biên bản hội nghị\nngày 20/12/2020"
    page = client.get(reverse("scoring:ranking_detail", args=[bloc.pk, YEAR - 1]))
    assert page.context["rows"][0].rank == 1
    assert "95,5" in page.content.decode()


def test_reviewers_page_proposes_but_saves_only_on_save(client_as, table, units):
    table.review_mode = ScoringTable.ReviewMode.CROSS
    table.save()
    client = client_as("chair")
    url = reverse("scoring:reviewers", args=[table.pk])
    page = client.get(url + "?propose=1")
    assert page.context["proposed"]
    assert not table.assignments.exists()
    data = {name: value for name, value in page.context["form"].initial.items()}
    response = client.post(url, data)
    assert response.status_code == REDIRECT
    pairs = dict(table.assignments.values_list("reviewed_id", "reviewer_id"))
    assert len(pairs) == 5 and all(a != b for a, b in pairs.items())
    # A unit reviewing itself is refused at the form; the saved assignment stays.
    data[f"reviewer_{units['farmers'].pk}"] = units["farmers"].pk
    response = client.post(url, data)
    assert response.status_code == OK
    assert dict(table.assignments.values_list("reviewed_id", "reviewer_id")) == pairs


# Query counts --------------------------------------------------------------------------------------------


def _scored_bloc(bloc, users, *, extra_units: int, extra_groups: int, per_group: int) -> ScoringTable:
    """The bloc's YEAR table opened and every sheet reviewed, with that many more units and criteria."""
    from pledges.scoring.services import scoring_open

    for index in range(extra_units):
        unit = UnitFactory(council=bloc.council, code=f"{bloc.code}-U{index}", name=f"Đơn vị thêm {index}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=10 + index)
    table = build_table(bloc, YEAR, users["officer"], groups=extra_groups + 1, per_group=per_group)
    scoring_open(table=table, by=users["officer"])
    for sheet in table.sheets.all():
        scored(sheet, by=users["officer"])
    return table


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == OK
    return len(queries)


@pytest.fixture
def small_and_big(bloc, units, users):
    """The base bloc (5 units, 5 criteria) and a bloc of 14 units and 40 criteria, both fully reviewed."""
    from ..factories import BlocFactory

    small = _scored_bloc(bloc, users, extra_units=0, extra_groups=0, per_group=0)
    big_bloc = BlocFactory(council=bloc.council, name="Khối thi đua các sở, ngành", code="KTĐ7")
    big = _scored_bloc(big_bloc, users, extra_units=14, extra_groups=5, per_group=7)
    assert Criterion.objects.filter(group__table=big).count() == 40
    assert big.sheets.count() == 14
    return small, big


@pytest.mark.parametrize("final", [False, True], ids=["provisional", "final"])
def test_ranking_page_queries_do_not_grow_with_units_or_criteria(client_as, users, small_and_big, final):
    """A bloc of 14 units and 40 criteria costs the officer the same queries as one of 5 and 5."""
    client = client_as("officer")
    counts = []
    for table in small_and_big:
        if final:
            ranking_finalise(table=table, by=users["officer"])
        counts.append(_count(client, reverse("scoring:ranking_detail", args=[table.bloc_id, YEAR])))
    assert counts[0] == counts[1]
    assert counts[1] <= 20


def test_scoring_and_sheet_pages_queries_do_not_grow(client_as, small_and_big):
    client = client_as("officer")
    counts = []
    for table in small_and_big:
        sheet = table.sheets.order_by("pk").first()
        counts.append(
            (
                _count(client, reverse("scoring:scoring_detail", args=[table.bloc_id, YEAR])),
                _count(client, reverse("scoring:sheet_detail", args=[sheet.pk])),
            )
        )
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 25


def test_this_years_chair_builds_next_years_table_before_its_seats_exist(client_as, bloc, users):
    """As with the pledge: the year has no seats yet, so the seat holders of the year before prepare it."""
    client = client_as("chair")
    assert client.get(reverse("scoring:scoring_detail", args=[bloc.pk, YEAR + 1])).context["create_form"]
    client.post(reverse("scoring:table_create", args=[bloc.pk, YEAR + 1]))
    table = ScoringTable.objects.get(bloc=bloc, year=YEAR + 1)
    response = client.post(reverse("scoring:group_add", args=[table.pk]), {"name": "Nhóm I", "maximum": "100"})
    assert response.status_code == REDIRECT
    assert table.groups.get().name == "Nhóm I"
    # Opening it is the new year's managers' (or an officer's): not last year's chair.
    assert client.get(reverse("scoring:scoring_open", args=[table.pk])).status_code == FORBIDDEN
    assert client_as("member").post(reverse("scoring:table_create", args=[bloc.pk, YEAR + 1])).status_code == (
        FORBIDDEN
    )
