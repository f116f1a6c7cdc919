"""Score sheets: self scores within bounds, running totals with bonus and penalty, the empty criteria,
submitting only a complete sheet, review scores with reasons, returning and resubmitting, the history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from pledges.scoring.models import ReviewerAssignment, Score, ScoreSheet
from pledges.scoring.selectors import sheet_totals
from pledges.scoring.services import (
    ReviewScoreInput,
    SelfScoreInput,
    review_scores_save,
    score_evidence_add,
    score_sheet_create,
    self_scores_save,
    sheet_return,
    sheet_review_finish,
    sheet_submit,
)
from tests.factories import MembershipFactory
from tests.fixtures.scoring import criteria_of, fill, review_as_self, total


def test_totals_with_bonus_and_penalty(sheets):
    sheet = sheets["member_unit"]
    c = criteria_of(sheet.table)
    self_scores_save(
        sheet=sheet,
        scores={
            c["c1"].pk: SelfScoreInput("18,5", "Đạt 95% chỉ tiêu"),
            c["bonus"].pk: SelfScoreInput("3"),
            c["penalty"].pk: SelfScoreInput("-2,25"),
        },
        by=None,
    )
    totals = sheet_totals(sheet)
    assert totals.self_total == total("19.25")
    assert totals.self_by_kind == {"base": total("18.5"), "bonus": total("3"), "penalty": total("-2.25")}
    assert [x.pk for x in totals.empty] == [c["c2"].pk, c["c3"].pk]
    assert not totals.complete
    assert Score.objects.get(sheet=sheet, criterion=c["c1"]).note == "Đạt 95% chỉ tiêu"
    # Emptying a score again is allowed while drafting.
    self_scores_save(sheet=sheet, scores={c["bonus"].pk: SelfScoreInput("")}, by=None)
    assert sheet_totals(sheet).self_total == total("16.25")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("c1", "20,01", "Điểm chấm nằm trong khoảng từ 0 đến điểm tối đa của tiêu chí là 20."),
        ("c1", "-1", "Điểm chấm nằm trong khoảng từ 0 đến điểm tối đa của tiêu chí là 20."),
        ("bonus", "6", "Điểm thưởng nằm trong khoảng từ 0 đến 5."),
        ("penalty", "1", "Điểm trừ nằm trong khoảng từ −10 đến 0."),
        ("penalty", "-10,5", "Điểm trừ nằm trong khoảng từ −10 đến 0."),
        ("c2", "2,555", "Điểm chỉ được có tối đa hai chữ số thập phân."),
        ("c2", "mười", "Nhập điểm bằng một con số."),
    ],
)
def test_score_bounds_and_decimals(sheets, key, value, message):
    sheet = sheets["member_unit"]
    c = criteria_of(sheet.table)
    with pytest.raises(ValidationError) as error:
        self_scores_save(
            sheet=sheet, scores={c["c3"].pk: SelfScoreInput("10"), c[key].pk: SelfScoreInput(value)}, by=None
        )
    assert error.value.message_dict == {f"points_{c[key].pk}": [message]}
    assert not Score.objects.filter(sheet=sheet).exists()  # nothing half-saved


def test_bounds_at_the_edges_are_allowed(sheets):
    sheet = sheets["member_unit"]
    fill(sheet, {"c1": "20", "bonus": "5", "penalty": "-10"})
    assert sheet_totals(sheet).self_total == total("20") + 30 + 25 + 5 - 10


def test_submit_only_when_complete(sheets, users):
    sheet = sheets["member_unit"]
    c = criteria_of(sheet.table)
    self_scores_save(sheet=sheet, scores={c["c1"].pk: SelfScoreInput("10")}, by=None)
    with pytest.raises(ValidationError) as error:
        sheet_submit(sheet=sheet, by=users["member"])
    assert "4 tiêu chí chưa được chấm" in error.value.messages[0]
    fill(sheet, {})
    sheet = sheet_submit(sheet=sheet, by=users["member"])
    assert sheet.state == ScoreSheet.State.SUBMITTED and sheet.submitted_by == users["member"]
    with pytest.raises(ValidationError):
        self_scores_save(sheet=sheet, scores={c["c1"].pk: SelfScoreInput("1")}, by=None)
    with pytest.raises(ValidationError):
        sheet_submit(sheet=sheet, by=None)


def test_review_flow_return_resubmit_review(sheets, users):
    sheet = sheets["member_unit"]
    c = criteria_of(sheet.table)
    fill(sheet, {"c1": "19", "bonus": "4", "penalty": "-1"})
    with pytest.raises(ValidationError):
        review_scores_save(sheet=sheet, scores={c["c1"].pk: ReviewScoreInput("18")}, by=None)  # not submitted
    sheet_submit(sheet=sheet, by=users["member"])

    # A review score that differs needs its reason; one equal to the unit's own does not.
    with pytest.raises(ValidationError) as error:
        review_scores_save(sheet=sheet, scores={c["c1"].pk: ReviewScoreInput("17")}, by=users["chair"])
    assert error.value.message_dict == {f"reason_{c['c1'].pk}": ["Nêu lý do điểm thẩm định khác điểm tự chấm."]}
    review_scores_save(
        sheet=sheet,
        scores={c["c1"].pk: ReviewScoreInput("17", "Thiếu minh chứng"), c["c2"].pk: ReviewScoreInput("30")},
        by=users["chair"],
    )
    with pytest.raises(ValidationError) as error:
        sheet_review_finish(sheet=sheet, by=users["chair"])
    assert "3 tiêu chí chưa có điểm thẩm định" in error.value.messages[0]

    with pytest.raises(ValidationError) as error:
        sheet_return(sheet=sheet, reason="  ", by=users["chair"])
    assert "reason" in error.value.message_dict
    sheet = sheet_return(sheet=sheet, reason="Bổ sung minh chứng tiêu chí 1", by=users["chair"])
    assert sheet.state == ScoreSheet.State.RETURNED and sheet.return_reason == "Bổ sung minh chứng tiêu chí 1"

    # The unit corrects and resubmits; the review starts again.
    self_scores_save(sheet=sheet, scores={c["c1"].pk: SelfScoreInput("17", "Đã bổ sung")}, by=users["member"])
    sheet = sheet_submit(sheet=sheet, by=users["member"])
    assert sheet.return_reason == ""
    assert not Score.objects.filter(sheet=sheet, review_points__isnull=False).exists()
    sheet = review_as_self(sheet, by=users["chair"], changes={"bonus": "2"})
    assert sheet.state == ScoreSheet.State.REVIEWED and sheet.reviewed_by == users["chair"]
    totals = sheet_totals(sheet)
    assert (totals.self_total, totals.review_total) == (total("75"), total("73"))

    states = list(sheet.history.order_by("history_date", "history_id").values_list("state", flat=True))
    assert states == ["draft", "submitted", "returned", "submitted", "reviewed"]
    reasons = set(sheet.history.values_list("return_reason", flat=True))
    assert "Bổ sung minh chứng tiêu chí 1" in reasons  # kept in the history after the resubmission
    score = Score.objects.get(sheet=sheet, criterion=c["c1"])
    assert "Thiếu minh chứng" in set(score.history.values_list("review_reason", flat=True))


def test_a_reviewed_sheet_can_be_returned(sheets, users):
    sheet = sheets["farmers"]
    fill(sheet, {})
    sheet_submit(sheet=sheet, by=None)
    review_as_self(sheet)
    sheet = sheet_return(sheet=sheet, reason="Sai số liệu", by=users["chair"])
    assert sheet.state == "returned" and sheet.reviewed_at is None


def test_database_holds_the_review_reason_and_states(sheets):
    sheet = sheets["member_unit"]
    c = criteria_of(sheet.table)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(sheet=sheet, criterion=c["c1"], self_points=Decimal("5"), review_points=Decimal("4"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.filter(pk=sheet.pk).update(state="returned")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewerAssignment.objects.create(table=sheet.table, reviewer=sheet.unit, reviewed=sheet.unit)


def test_evidence_through_the_upload_rules(sheets, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sheet = sheets["member_unit"]
    fill(sheet, {})
    score = Score.objects.filter(sheet=sheet).first()
    evidence = score_evidence_add(score=score, file=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 test"), by=None)
    assert evidence.kind == "pdf" and len(evidence.sha256) == 64
    assert evidence.file.name.startswith("scoring/2021/")
    with pytest.raises(ValidationError):
        score_evidence_add(score=score, file=SimpleUploadedFile("a.pdf", b"not a pdf"), by=None)
    sheet_submit(sheet=sheet, by=None)
    with pytest.raises(ValidationError):
        score_evidence_add(score=score, file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"), by=None)


def test_a_late_member_gets_a_sheet(open_table, bloc):
    late = MembershipFactory(bloc=bloc, first_year=2021)
    sheet = score_sheet_create(table=open_table, unit=late.unit, by=None)
    assert sheet.state == "draft"
    outsider = MembershipFactory(bloc=bloc, first_year=2023).unit
    with pytest.raises(ValidationError):
        score_sheet_create(table=open_table, unit=outsider, by=None)
