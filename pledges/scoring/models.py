"""The tables of scoring and ranking (bảng chấm điểm thi đua, phiếu chấm điểm, xếp hạng).

Invariants the database holds: one table per bloc-year, one sheet per unit per table, one score per
criterion per sheet, one reviewer per reviewed unit and never the unit itself, one ranking per
bloc-year and one entry per unit in it; maxima positive, points with at most two decimals (the column's
``decimal_places``) and within ±999.99; a returned sheet carries its reason; a review that differs from
the self score carries its reason; a ranked entry has a rank and no "not ranked" reason and the other way
round. What spans two tables (a score within its criterion's maximum, a group's base criteria within the
group maximum) is checked by ``pledges.scoring.services`` and ``clean()``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.fields import NFCCharField, NFCTextField
from blocs.models import Bloc, Unit, year_validators
from documents.models import Scan

POINTS_LIMIT = Decimal("999.99")


def _user_fk() -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class ScoringTable(models.Model):
    """Bảng chấm điểm thi đua of one bloc-year: groups of criteria, the review mode and the tie rule."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        OPEN = "open", _("Scoring open")

    class ReviewMode(models.TextChoices):
        CHAIR = "chair", _("Reviewed by the chair")
        CROSS = "cross", _("Cross-review between units")
        BOARD = "board", _("Reviewed by the Board")

    class TieRule(models.TextChoices):
        # docs/domain.md, "Scoring and ranking": what decides between equal final scores.
        SHARED = "shared", _("Equal scores share the rank")
        BASE_PENALTY_SHARED = "base_penalty_shared", _("More base points, then fewer penalty points, else shared")
        BASE_PENALTY_PROTOCOL = (
            "base_penalty_protocol",
            _("More base points, then fewer penalty points, then protocol order"),
        )
        PROTOCOL = "protocol", _("Protocol order")

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="scoring_tables", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    pledge = models.ForeignKey(
        "pledges.Pledge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scoring_tables",
        verbose_name=_("pledge"),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PREPARING)
    review_mode = models.CharField(
        _("review mode"), max_length=10, choices=ReviewMode.choices, default=ReviewMode.CHAIR
    )
    tie_rule = models.CharField(_("tie rule"), max_length=30, choices=TieRule.choices, default=TieRule.SHARED)
    created_by = _user_fk()
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opened_by = _user_fk()
    opened_at = models.DateTimeField(_("scoring opened at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="scoring_table_one_per_bloc_year"),
            models.CheckConstraint(condition=Q(state__in=["preparing", "open"]), name="scoring_table_state_valid"),
            models.CheckConstraint(
                condition=Q(review_mode__in=["chair", "cross", "board"]), name="scoring_table_review_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(tie_rule__in=["shared", "base_penalty_shared", "base_penalty_protocol", "protocol"]),
                name="scoring_table_tie_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="preparing") | Q(opened_at__isnull=False), name="scoring_table_opened_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc.code} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ScoringGroup(models.Model):
    """Nhóm tiêu chí: a group of criteria with its maximum (the sum of its base criteria stays within it)."""

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="groups", verbose_name=_("table"))
    position = models.PositiveSmallIntegerField(_("position"))
    name = NFCCharField(_("name"), max_length=255)
    maximum = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["table", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(maximum__gt=0), name="scoring_group_maximum_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """Tiêu chí: a line of the table with its maximum, its kind and a short guide (hướng dẫn chấm).

    A base criterion scores 0…maximum within its group's maximum; a bonus one 0…maximum on top of it; a
    penalty one −maximum…0. A removed criterion that was scored stays, inactive, with its scores.
    """

    class Kind(models.TextChoices):
        BASE = "base", _("Base points")
        BONUS = "bonus", _("Bonus points")
        PENALTY = "penalty", _("Penalty points")

    group = models.ForeignKey(ScoringGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = NFCTextField(_("criterion"))
    maximum = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BASE)
    guide = NFCTextField(_("scoring guide"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(maximum__gt=0), name="criterion_maximum_positive"),
            models.CheckConstraint(condition=Q(kind__in=["base", "bonus", "penalty"]), name="criterion_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def lowest(self) -> Decimal:
        return -self.maximum if self.kind == self.Kind.PENALTY else Decimal(0)

    @property
    def highest(self) -> Decimal:
        return Decimal(0) if self.kind == self.Kind.PENALTY else self.maximum

    def clean(self) -> None:
        from .services import group_maximum_errors

        if self.group_id and self.kind == self.Kind.BASE and self.maximum is not None:
            message = group_maximum_errors(group=self.group, criterion=self, maximum=self.maximum)
            if message:
                raise ValidationError({"maximum": message})


class ScoreSheet(models.Model):
    """Phiếu chấm điểm of one member unit: draft → submitted → returned → submitted … → reviewed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        REVIEWED = "reviewed", _("Reviewed")

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("table"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("unit"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    return_reason = NFCTextField(_("reason for returning"), blank=True)
    submitted_by = _user_fk()
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = _user_fk()
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["table", "unit__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["table", "unit"], name="score_sheet_one_per_unit"),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "returned", "reviewed"]), name="score_sheet_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="score_sheet_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False), name="score_sheet_submitted_at"
            ),
            models.CheckConstraint(
                condition=~Q(state="reviewed") | Q(reviewed_at__isnull=False), name="score_sheet_reviewed_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.unit}"

    @property
    def state_tone(self) -> str:
        """The colour of its state badge (``includes/status_badge.html``)."""
        return {"draft": "secondary", "submitted": "primary", "returned": "warning", "reviewed": "success"}[self.state]


class Score(models.Model):
    """A criterion's points on a sheet: the unit's own (tự chấm) with a note, and the review's (điểm thẩm
    định) with the reason where it differs."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("sheet"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    self_points = models.DecimalField(_("self score"), null=True, blank=True, max_digits=5, decimal_places=2)
    note = NFCTextField(_("note"), blank=True)
    review_points = models.DecimalField(_("review score"), null=True, blank=True, max_digits=5, decimal_places=2)
    review_reason = NFCTextField(_("reason for the review score"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet", "criterion__group__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True)
                | Q(self_points__gte=-POINTS_LIMIT, self_points__lte=POINTS_LIMIT),
                name="score_self_points_range",
            ),
            models.CheckConstraint(
                condition=Q(review_points__isnull=True)
                | Q(review_points__gte=-POINTS_LIMIT, review_points__lte=POINTS_LIMIT),
                name="score_review_points_range",
            ),
            # A review score that differs from the unit's own says why.
            models.CheckConstraint(
                condition=Q(review_points__isnull=True) | Q(review_points=F("self_points")) | ~Q(review_reason=""),
                name="score_review_difference_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet}: {self.criterion}"


class ScoreEvidence(Scan):
    """Evidence (minh chứng) of a self score: a PDF, JPEG or PNG, checked and stored as every upload is
    (``documents.uploads.scan_store``)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("score"))
    history = HistoricalRecords()

    class Meta(Scan.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["score", "-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["pdf", "jpeg", "png"]), name="score_evidence_kind_valid"),
        ]

    @property
    def version(self) -> Score:  # type: ignore[override]  # Scan names what it belongs to "version"
        return self.score

    def __str__(self) -> str:
        return f"{self.score} evidence"

    def upload_path(self, extension: str) -> str:
        sheet = self.score.sheet
        return f"scoring/{sheet.table.year}/sheet-{sheet.pk}-score-{self.score_id}.{extension}"


class ReviewerAssignment(models.Model):
    """Cross-review: ``reviewer`` reviews the sheet of ``reviewed`` (never its own)."""

    table = models.ForeignKey(
        ScoringTable, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("table")
    )
    reviewer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewing unit"))
    reviewed = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed unit"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["table", "reviewed"], name="reviewer_assignment_one_per_unit"),
            models.CheckConstraint(condition=~Q(reviewer=F("reviewed")), name="reviewer_assignment_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.reviewed}"


class Ranking(models.Model):
    """Xếp hạng of a bloc-year, as finalised (chốt kết quả): computed from the sheets, or entered directly
    (a ranking decided outside the portal). Reopening (mở lại) is an officer's, with a reason."""

    class State(models.TextChoices):
        FINAL = "final", _("Final")
        REOPENED = "reopened", _("Reopened")

    class Method(models.TextChoices):
        COMPUTED = "computed", _("Computed from the score sheets")
        DIRECT = "direct", _("Entered directly")

    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="rankings", verbose_name=_("bloc"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FINAL)
    method = models.CharField(_("how it was made"), max_length=10, choices=Method.choices, default=Method.COMPUTED)
    tie_rule = models.CharField(_("tie rule"), max_length=30, choices=ScoringTable.TieRule.choices, blank=True)
    note = NFCTextField(_("note"), blank=True)
    finalised_by = _user_fk()
    finalised_at = models.DateTimeField(_("finalised at"), default=timezone.now)
    reopened_by = _user_fk()
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = NFCTextField(_("reason for reopening"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="ranking_one_per_bloc_year"),
            models.CheckConstraint(condition=Q(state__in=["final", "reopened"]), name="ranking_state_valid"),
            models.CheckConstraint(condition=Q(method__in=["computed", "direct"]), name="ranking_method_valid"),
            models.CheckConstraint(
                condition=~Q(state="reopened") | (~Q(reopen_reason="") & Q(reopened_at__isnull=False)),
                name="ranking_reopened_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc.code} {self.year}"

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL


class RankingEntry(models.Model):
    """A unit's line of a finalised ranking, kept as finalised whatever changes later."""

    class NotRanked(models.TextChoices):
        LEFT = "left", _("Left the bloc before the year ended")
        NO_SHEET = "no_sheet", _("No score sheet")
        DRAFT = "draft", _("Sheet not submitted")
        RETURNED = "returned", _("Sheet returned for correction and not resubmitted")
        NOT_REVIEWED = "not_reviewed", _("Sheet not reviewed yet")
        NOT_ENTERED = "not_entered", _("No rank entered")

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries", verbose_name=_("ranking"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ranking_entries", verbose_name=_("unit"))
    position = models.PositiveSmallIntegerField(_("position"))
    unit_name = NFCCharField(_("unit name"), max_length=255)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    self_total = models.DecimalField(_("self total"), max_digits=7, decimal_places=2, null=True, blank=True)
    review_total = models.DecimalField(_("review total"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=7, decimal_places=2, null=True, blank=True)
    gap_to_next = models.DecimalField(_("gap to the next"), max_digits=7, decimal_places=2, null=True, blank=True)
    joined_during_year = models.BooleanField(_("joined during the year"), default=False)
    not_ranked = models.CharField(_("not ranked because"), max_length=15, choices=NotRanked.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["ranking", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "unit"], name="ranking_entry_one_per_unit"),
            models.UniqueConstraint(fields=["ranking", "position"], name="ranking_entry_position_unique"),
            models.CheckConstraint(
                condition=(
                    Q(rank__isnull=False, rank__gte=1, not_ranked="") | Q(rank__isnull=True) & ~Q(not_ranked="")
                ),
                name="ranking_entry_ranked_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ranking}: {self.unit_name} {self.rank or '—'}"
