"""Opening scoring, the cross-review assignment, and the sheets: self scores with evidence, submission,
review, return for correction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocs.history import with_history_user
from blocs.models import Unit, User
from blocs.text import nfc_text
from documents.uploads import scan_store

from ..models import (
    Criterion,
    ReviewerAssignment,
    Score,
    ScoreEvidence,
    ScoreSheet,
    ScoringTable,
)
from ..selectors import sheet_criteria
from .common import (
    _lock_sheet,
    _lock_table,
    _require_open,
    points_parse,
    score_bounds_error,
)
from .table import scoring_settings_save


@dataclass(frozen=True)
class SelfScoreInput:
    """A unit's own score of one criterion as the sheet's form sends it (``points`` None: left empty)."""

    points: Decimal | str | None
    note: str = ""


@dataclass(frozen=True)
class ReviewScoreInput:
    """A reviewer's score of one criterion, with the reason where it differs from the unit's own."""

    points: Decimal | str | None
    reason: str = ""


# Opening and reviewers -----------------------------------------------------------------------------------


def scoring_open(
    *, table: ScoringTable, by: User | None, review_mode: str | None = None, tie_rule: str | None = None
) -> ScoringTable:
    """Open scoring of the year: every member unit of the year gets a draft sheet. The table needs at least
    one active criterion; a cross-review needs every member assigned a reviewer first."""
    if review_mode is not None or tie_rule is not None:
        scoring_settings_save(
            table=table, review_mode=review_mode or table.review_mode, tie_rule=tie_rule or table.tie_rule, by=by
        )
    with transaction.atomic():
        table = _lock_table(table)
        if table.is_open:
            raise ValidationError(_("Scoring of %(year)s is already open.") % {"year": table.year}, code="state")
        if not Criterion.objects.filter(group__table=table, group__active=True, active=True).exists():
            raise ValidationError(_("Add at least one criterion before opening scoring."), code="empty")
        members = [m.unit for m in table.bloc.members(table.year)]
        if table.review_mode == ScoringTable.ReviewMode.CROSS:
            assigned = set(table.assignments.values_list("reviewed_id", flat=True))
            missing = [unit.display_name for unit in members if unit.pk not in assigned]
            if missing:
                raise ValidationError(
                    {"review_mode": [_("These units have no reviewer yet: %(units)s.") % {"units": ", ".join(missing)}]}
                )
        table.state = ScoringTable.State.OPEN
        table.opened_by = by
        table.opened_at = timezone.now()
        with_history_user(table, by).save()
        existing = set(table.sheets.values_list("unit_id", flat=True))
        sheets = [ScoreSheet(table=table, unit=unit) for unit in members if unit.pk not in existing]
        if sheets:
            bulk_create_with_history(sheets, ScoreSheet, default_user=by)
    return table


def score_sheet_create(*, table: ScoringTable, unit: Unit, by: User | None) -> ScoreSheet:
    """A sheet for a unit that joined the bloc after scoring opened (it must be a member of the year)."""
    with transaction.atomic():
        table = _lock_table(table)
        _require_open(table)
        if not table.bloc.memberships.covering(table.year).filter(unit=unit).exists():
            raise ValidationError(
                {"unit": [_("This unit is not a member of the bloc in %(year)s.") % {"year": table.year}]}
            )
        sheet, _created = ScoreSheet.objects.get_or_create(table=table, unit=unit)
    return sheet


def review_assignment_propose(*, table: ScoringTable) -> list[tuple[Unit, Unit]]:
    """A suggested cross-review, as (reviewer, reviewed) pairs in protocol order: each member unit reviews
    the next one in protocol order and the last reviews the first, so no unit reviews itself and every unit
    reviews exactly one sheet (the load is even). A suggestion only: ``review_assignment_set`` saves it."""
    units = [m.unit for m in table.bloc.members(table.year)]
    if len(units) < 2:
        raise ValidationError(_("A cross-review needs at least two member units."), code="too_few")
    return [(units[index], units[(index + 1) % len(units)]) for index in range(len(units))]


def review_assignment_set(*, table: ScoringTable, pairs: Mapping[int, int], by: User | None) -> None:
    """Save the cross-review: ``pairs`` maps each reviewed unit's id to its reviewer's id (both members of the
    year, never the same unit). Replaces the table's assignment; the history keeps the old one."""
    with transaction.atomic():
        table = _lock_table(table)
        members = set(table.bloc.memberships.covering(table.year).values_list("unit_id", flat=True))
        errors: list[str] = []
        if any(reviewed == reviewer for reviewed, reviewer in pairs.items()):
            errors.append(_("A unit cannot review its own sheet."))
        if not set(pairs) | set(pairs.values()) <= members:
            errors.append(
                _("Every unit of the assignment must be a member of the bloc in %(year)s.") % {"year": table.year}
            )
        started = set(table.sheets.filter(state=ScoreSheet.State.REVIEWED).values_list("unit_id", flat=True))
        current = dict(table.assignments.values_list("reviewed_id", "reviewer_id"))
        if any(current.get(unit) != pairs.get(unit) for unit in started):
            errors.append(_("A sheet already reviewed keeps its reviewer."))
        if errors:
            raise ValidationError({"assignment": errors})
        for row in table.assignments.all():
            with_history_user(row, by).delete()
        rows = [
            ReviewerAssignment(table=table, reviewed_id=reviewed, reviewer_id=reviewer)
            for reviewed, reviewer in pairs.items()
        ]
        if rows:
            bulk_create_with_history(rows, ReviewerAssignment, default_user=by)


# Sheets ------------------------------------------------------------------------------------------------


def _scores_by_criterion(sheet: ScoreSheet) -> dict[int, Score]:
    return {score.criterion_id: score for score in sheet.scores.all()}


def self_scores_save(*, sheet: ScoreSheet, scores: Mapping[int, SelfScoreInput], by: User | None) -> ScoreSheet:
    """Save the unit's own scores (criterion id → points and note) of a draft or returned sheet. Every error
    is keyed ``points_<criterion id>``; nothing is saved if one score is refused."""
    with transaction.atomic():
        sheet = _lock_sheet(
            sheet,
            (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED),
            _("This sheet has been submitted: its self scores no longer change."),
        )
        criteria = {c.pk: c for c in sheet_criteria(sheet.table)}
        existing = _scores_by_criterion(sheet)
        errors: dict[str, list[str]] = {}
        changed: list[Score] = []
        created: list[Score] = []
        for criterion_id, given in scores.items():
            criterion = criteria.get(criterion_id)
            field = f"points_{criterion_id}"
            if criterion is None:
                errors[field] = [_("This criterion is not on the table.")]
                continue
            try:
                points = points_parse(given.points)
            except ValidationError as error:
                errors[field] = error.messages
                continue
            message = None if points is None else score_bounds_error(criterion, points)
            if message:
                errors[field] = [message]
                continue
            score = existing.get(criterion_id)
            note = nfc_text(given.note)
            if score is None:
                created.append(Score(sheet=sheet, criterion=criterion, self_points=points, note=note))
            elif (score.self_points, score.note) != (points, note):
                score.self_points, score.note = points, note
                changed.append(score)
        if errors:
            raise ValidationError(errors)
        if created:
            bulk_create_with_history(created, Score, default_user=by)
        if changed:
            bulk_update_with_history(changed, Score, ["self_points", "note"], default_user=by)
    return sheet


def score_evidence_add(*, score: Score, file: UploadedFile, by: User | None) -> ScoreEvidence:
    """Attach evidence to a self score (checked by content and size like every upload) while the sheet's
    self scores may still change."""
    with transaction.atomic():
        _lock_sheet(
            score.sheet,
            (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED),
            _("This sheet has been submitted: its evidence no longer changes."),
        )
        return scan_store(scan=ScoreEvidence(score=score), file=file, by=by)


def score_evidence_attach(
    *, sheet: ScoreSheet, criterion: Criterion, file: UploadedFile, by: User | None
) -> ScoreEvidence:
    """Attach evidence to a criterion of the sheet, starting the criterion's line (still unscored) if the
    unit has not scored it yet: evidence often comes before the points."""
    with transaction.atomic():
        locked = _lock_sheet(
            sheet,
            (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED),
            _("This sheet has been submitted: its evidence no longer changes."),
        )
        if criterion.pk not in {c.pk for c in sheet_criteria(locked.table)}:
            raise ValidationError({"criterion": [_("This criterion is not on the table.")]})
        score = Score.objects.filter(sheet=locked, criterion=criterion).first()
        if score is None:
            score = with_history_user(Score(sheet=locked, criterion=criterion), by)
            score.save()
        return score_evidence_add(score=score, file=file, by=by)


def sheet_submit(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """Submit a complete sheet (every active criterion scored). A resubmitted sheet's review starts again:
    the review scores of the earlier round are cleared (the history keeps them)."""
    with transaction.atomic():
        sheet = _lock_sheet(
            sheet,
            (ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED),
            _("This sheet has already been submitted."),
        )
        scored = set(sheet.scores.filter(self_points__isnull=False).values_list("criterion_id", flat=True))
        empty = [c for c in sheet_criteria(sheet.table) if c.pk not in scored]
        if empty:
            raise ValidationError(
                {
                    "__all__": [
                        _("%(count)s criteria are not scored yet; score every criterion before submitting.")
                        % {"count": len(empty)}
                    ]
                },
                code="incomplete",
            )
        if sheet.state == ScoreSheet.State.RETURNED:
            reviewed = list(sheet.scores.filter(Q(review_points__isnull=False) | ~Q(review_reason="")))
            for score in reviewed:
                score.review_points, score.review_reason = None, ""
            if reviewed:
                bulk_update_with_history(reviewed, Score, ["review_points", "review_reason"], default_user=by)
        sheet.state = ScoreSheet.State.SUBMITTED
        sheet.return_reason = ""
        sheet.submitted_by, sheet.submitted_at = by, timezone.now()
        with_history_user(sheet, by).save()
    return sheet


def review_scores_save(*, sheet: ScoreSheet, scores: Mapping[int, ReviewScoreInput], by: User | None) -> ScoreSheet:
    """Save review scores beside the self scores of a submitted sheet; where one differs from the unit's own,
    its reason is required (errors keyed ``review_<id>`` and ``reason_<id>``)."""
    with transaction.atomic():
        sheet = _lock_sheet(sheet, (ScoreSheet.State.SUBMITTED,), _("Only a submitted sheet is reviewed."))
        criteria = {c.pk: c for c in sheet_criteria(sheet.table)}
        existing = _scores_by_criterion(sheet)
        errors: dict[str, list[str]] = {}
        changed: list[Score] = []
        for criterion_id, given in scores.items():
            criterion, score = criteria.get(criterion_id), existing.get(criterion_id)
            if criterion is None or score is None:
                errors[f"review_{criterion_id}"] = [_("This criterion is not on the table.")]
                continue
            try:
                points = points_parse(given.points)
            except ValidationError as error:
                errors[f"review_{criterion_id}"] = error.messages
                continue
            message = None if points is None else score_bounds_error(criterion, points)
            if message:
                errors[f"review_{criterion_id}"] = [message]
                continue
            reason = nfc_text(given.reason)
            if points is not None and points != score.self_points and not reason:
                errors[f"reason_{criterion_id}"] = [_("Say why the review score differs from the unit's own.")]
                continue
            score.review_points, score.review_reason = points, reason
            changed.append(score)
        if errors:
            raise ValidationError(errors)
        if changed:
            bulk_update_with_history(changed, Score, ["review_points", "review_reason"], default_user=by)
    return sheet


def sheet_review_finish(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """Mark a submitted sheet reviewed once every active criterion has its review score."""
    with transaction.atomic():
        sheet = _lock_sheet(sheet, (ScoreSheet.State.SUBMITTED,), _("Only a submitted sheet is reviewed."))
        reviewed = set(sheet.scores.filter(review_points__isnull=False).values_list("criterion_id", flat=True))
        missing = [c for c in sheet_criteria(sheet.table) if c.pk not in reviewed]
        if missing:
            raise ValidationError(
                {"__all__": [_("%(count)s criteria have no review score yet.") % {"count": len(missing)}]},
                code="incomplete",
            )
        sheet.state = ScoreSheet.State.REVIEWED
        sheet.reviewed_by, sheet.reviewed_at = by, timezone.now()
        with_history_user(sheet, by).save()
    return sheet


def sheet_return(*, sheet: ScoreSheet, reason: str, by: User | None) -> ScoreSheet:
    """Return a submitted (or reviewed) sheet to its unit for correction (trả lại để chỉnh sửa), with a reason."""
    reason = nfc_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the sheet is returned.")]})
    with transaction.atomic():
        sheet = _lock_sheet(
            sheet,
            (ScoreSheet.State.SUBMITTED, ScoreSheet.State.REVIEWED),
            _("Only a submitted or reviewed sheet can be returned."),
        )
        sheet.state = ScoreSheet.State.RETURNED
        sheet.return_reason = reason
        sheet.reviewed_by, sheet.reviewed_at = None, None
        with_history_user(sheet, by).save()
    return sheet
