"""Chấm điểm, xếp hạng: every change of a scoring table, its sheets and its ranking.

Keyword-only, typed, atomic functions taking the acting user as ``by`` (the history author); they raise
``ValidationError`` with Vietnamese messages keyed to form fields and leave nothing half-saved. Who may call
them is decided by ``pledges.scoring.access`` in the view; the states (scoring open, a sheet's state, a
final ranking that locks the bloc-year) are checked here, whoever calls. The rules: docs/domain.md,
"Scoring and ranking".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocs.fields import FIRST_YEAR, LAST_YEAR
from blocs.history import with_history_user
from blocs.models import Bloc, Unit, User
from blocs.text import nfc, nfc_text
from documents.uploads import scan_store

from ..models import Pledge
from .models import (
    Criterion,
    Ranking,
    RankingEntry,
    ReviewerAssignment,
    Score,
    ScoreEvidence,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)
from .selectors import RankingRow, ranking_compute, sheet_criteria


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


@dataclass(frozen=True)
class DirectEntry:
    """A line of a ranking decided outside the portal: the unit, its rank and, if known, its score."""

    unit_id: int
    rank: int | None
    score: Decimal | str | None = None


# Numbers ------------------------------------------------------------------------------------------------


def points_text(value: Decimal) -> str:
    """10, 2,5, −3,25: a score as a Vietnamese message shows it (no trailing zeros)."""
    text = number_format(value.quantize(Decimal("0.01")), decimal_pos=2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text.replace("-", "−")


def points_parse(value: Decimal | str | int | None) -> Decimal | None:
    """A score as given (a Decimal, an int, or the form's text, with "," or "." as the decimal mark):
    None for empty; ValidationError (Vietnamese) for anything but a number with at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = (
            Decimal(value.strip().replace(",", ".").replace("−", "-")) if isinstance(value, str) else Decimal(value)
        )
    except InvalidOperation as error:
        raise ValidationError(_("Enter the points as a number."), code="invalid") from error
    if not number.is_finite():
        raise ValidationError(_("Enter the points as a number."), code="invalid")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Points have at most two decimal places."), code="decimals")
    return number.quantize(Decimal("0.01"))


def maximum_parse(value: Decimal | str | int, field: str) -> Decimal:
    try:
        number = points_parse(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    if number is None or number <= 0:
        raise ValidationError({field: [_("The maximum must be more than 0.")]})
    if number > Decimal("999.99"):
        raise ValidationError({field: [_("The maximum can be at most 999.99 points.")]})
    return number


def score_bounds_error(criterion: Criterion, points: Decimal) -> str | None:
    """Why ``points`` do not fit ``criterion`` (None: they do). Base and bonus 0…maximum, penalty −maximum…0."""
    if criterion.lowest <= points <= criterion.highest:
        return None
    words = {"max": points_text(criterion.maximum)}
    if criterion.kind == Criterion.Kind.PENALTY:
        return _("A penalty is between −%(max)s and 0 points.") % words
    if criterion.kind == Criterion.Kind.BONUS:
        return _("Bonus points are between 0 and %(max)s.") % words
    return _("The score is between 0 and the criterion's maximum, %(max)s.") % words


def group_maximum_errors(*, group: ScoringGroup, criterion: Criterion | None, maximum: Decimal) -> str | None:
    """Why a base criterion of ``maximum`` points (``criterion``: the one being edited, None: a new one) does
    not fit its group: the active base criteria of a group add up to at most the group's maximum."""
    others = group.criteria.filter(active=True, kind=Criterion.Kind.BASE)
    if criterion is not None and criterion.pk:
        others = others.exclude(pk=criterion.pk)
    used = others.aggregate(total=Sum("maximum"))["total"] or Decimal(0)
    if used + maximum <= group.maximum:
        return None
    return _(
        "The base criteria of “%(group)s” would add up to %(total)s points, more than the group's maximum of %(max)s."
    ) % {"group": group.name, "total": points_text(used + maximum), "max": points_text(group.maximum)}


# States -------------------------------------------------------------------------------------------------


def _require_unlocked(bloc: Bloc | int, year: int) -> None:
    if Ranking.objects.filter(bloc=bloc, year=year, state=Ranking.State.FINAL).exists():
        raise ValidationError(
            _("The %(year)s ranking is final: nothing of that year's scoring changes unless an officer reopens it.")
            % {"year": year},
            code="locked",
        )


def _lock_table(table: ScoringTable) -> ScoringTable:
    locked = ScoringTable.objects.select_for_update().select_related("bloc__council").get(pk=table.pk)
    _require_unlocked(locked.bloc_id, locked.year)
    return locked


def _require_confirmed(table: ScoringTable, confirmed: bool) -> None:
    """After scoring opened, a change of the table's lines is made only when the user confirmed it."""
    if table.is_open and not confirmed:
        raise ValidationError(
            {
                "confirmed": [
                    _(
                        "Scoring has started: units may have scored this already. Confirm the change; scores "
                        "already entered are kept."
                    )
                ]
            },
            code="confirm",
        )


def _require_open(table: ScoringTable) -> None:
    if not table.is_open:
        raise ValidationError(_("Scoring of %(year)s is not open yet.") % {"year": table.year}, code="state")


def _lock_sheet(sheet: ScoreSheet, states: Sequence[str], message: str) -> ScoreSheet:
    locked = ScoreSheet.objects.select_for_update().select_related("table__bloc", "unit").get(pk=sheet.pk)
    _require_unlocked(locked.table.bloc_id, locked.table.year)
    _require_open(locked.table)
    if locked.state not in states:
        raise ValidationError(message, code="state")
    return locked


# The table ----------------------------------------------------------------------------------------------


def scoring_table_create(*, bloc: Bloc, year: int, by: User | None, pledge: Pledge | None = None) -> ScoringTable:
    """Start the bloc-year's scoring table (empty, being prepared), optionally linked to that year's pledge."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": [_("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}
        )
    if pledge is not None and (pledge.bloc_id != bloc.pk or pledge.year != year):
        raise ValidationError({"pledge": [_("The scoring table can only be linked to the same bloc-year's pledge.")]})
    _require_unlocked(bloc, year)
    message = _("%(bloc)s already has a scoring table for %(year)s.") % {"bloc": bloc.name, "year": year}
    if ScoringTable.objects.filter(bloc=bloc, year=year).exists():
        raise ValidationError({"year": [message]})
    table = ScoringTable(bloc=bloc, year=year, pledge=pledge, created_by=by)
    try:
        with transaction.atomic():
            with_history_user(table, by).save()
    except IntegrityError as error:
        raise ValidationError({"year": [message]}) from error
    return table


def scoring_table_copy(
    *, source: ScoringTable, year: int, by: User | None, pledge: Pledge | None = None
) -> ScoringTable:
    """Year ``year``'s table of the same bloc, starting from ``source`` (usually last year's): its active
    groups and criteria in order, its review mode and tie rule. Nothing is scored; the new table is prepared."""
    with transaction.atomic():
        table = scoring_table_create(bloc=source.bloc, year=year, by=by, pledge=pledge)
        table.copied_from = source
        table.review_mode = source.review_mode
        table.tie_rule = source.tie_rule
        with_history_user(table, by).save()
        groups = list(source.groups.filter(active=True).prefetch_related("criteria").order_by("position", "id"))
        new_groups = [
            ScoringGroup(table=table, position=index, name=group.name, maximum=group.maximum)
            for index, group in enumerate(groups, start=1)
        ]
        bulk_create_with_history(new_groups, ScoringGroup, default_user=by)
        created = list(table.groups.order_by("position"))
        criteria = [
            Criterion(
                group=target,
                position=index,
                text=criterion.text,
                maximum=criterion.maximum,
                kind=criterion.kind,
                guide=criterion.guide,
            )
            for group, target in zip(groups, created, strict=True)
            for index, criterion in enumerate(
                sorted((c for c in group.criteria.all() if c.active), key=lambda c: (c.position, c.pk)), start=1
            )
        ]
        if criteria:
            bulk_create_with_history(criteria, Criterion, default_user=by)
    return table


def scoring_settings_save(*, table: ScoringTable, review_mode: str, tie_rule: str, by: User | None) -> ScoringTable:
    """The bloc-year's review mode and tie rule. The review mode stays once a sheet has been reviewed."""
    errors: dict[str, list[str]] = {}
    if review_mode not in ScoringTable.ReviewMode.values:
        errors["review_mode"] = [_("Choose a review mode from the list.")]
    if tie_rule not in ScoringTable.TieRule.values:
        errors["tie_rule"] = [_("Choose a tie rule from the list.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        table = _lock_table(table)
        reviewed = table.sheets.filter(state=ScoreSheet.State.REVIEWED).exists()
        if review_mode != table.review_mode and reviewed:
            raise ValidationError(
                {"review_mode": [_("Sheets have already been reviewed: the review mode can no longer change.")]}
            )
        table.review_mode = review_mode
        table.tie_rule = tie_rule
        with_history_user(table, by).save()
    return table


def group_add(
    *, table: ScoringTable, name: str, maximum: Decimal | str, by: User | None, confirmed: bool = False
) -> ScoringGroup:
    name = nfc(name)
    if not name:
        raise ValidationError({"name": [_("Give the group a name.")]})
    points = maximum_parse(maximum, "maximum")
    with transaction.atomic():
        table = _lock_table(table)
        _require_confirmed(table, confirmed)
        last = table.groups.order_by("-position").values_list("position", flat=True).first() or 0
        group = ScoringGroup(table=table, position=last + 1, name=name, maximum=points)
        with_history_user(group, by).save()
    return group


def group_edit(
    *, group: ScoringGroup, name: str, maximum: Decimal | str, by: User | None, confirmed: bool = False
) -> ScoringGroup:
    name = nfc(name)
    if not name:
        raise ValidationError({"name": [_("Give the group a name.")]})
    points = maximum_parse(maximum, "maximum")
    with transaction.atomic():
        _lock_table(group.table)
        group = ScoringGroup.objects.select_related("table").get(pk=group.pk)
        _require_confirmed(group.table, confirmed)
        used = group.criteria.filter(active=True, kind=Criterion.Kind.BASE).aggregate(t=Sum("maximum"))["t"] or 0
        if used > points:
            raise ValidationError(
                {
                    "maximum": [
                        _("The group's base criteria already add up to %(total)s points; the maximum cannot be less.")
                        % {"total": points_text(Decimal(used))}
                    ]
                }
            )
        group.name = name
        group.maximum = points
        with_history_user(group, by).save()
    return group


def _has_scores(criteria: Q) -> bool:
    return Score.objects.filter(criteria).filter(Q(self_points__isnull=False) | Q(review_points__isnull=False)).exists()


def group_remove(*, group: ScoringGroup, by: User | None, confirmed: bool = False) -> None:
    """Remove a group: deleted while nothing of it was scored, otherwise deactivated with its criteria
    (their scores stay in the record, out of the totals)."""
    with transaction.atomic():
        table = _lock_table(group.table)
        _require_confirmed(table, confirmed)
        group = ScoringGroup.objects.get(pk=group.pk)
        if Score.objects.filter(criterion__group=group).exists():
            criteria = list(group.criteria.filter(active=True))
            for criterion in criteria:
                criterion.active = False
            bulk_update_with_history(criteria, Criterion, ["active"], default_user=by)
            group.active = False
            with_history_user(group, by).save()
        else:
            with_history_user(group, by).delete()


def groups_reorder(*, table: ScoringTable, order: Sequence[int], by: User | None) -> None:
    """Put the table's groups in ``order`` (their ids, every group once)."""
    with transaction.atomic():
        table = _lock_table(table)
        groups = {g.pk: g for g in table.groups.all()}
        if sorted(order) != sorted(groups):
            raise ValidationError({"order": [_("The new order must list every group once.")]})
        for position, pk in enumerate(order, start=1):
            groups[pk].position = position
        bulk_update_with_history(list(groups.values()), ScoringGroup, ["position"], default_user=by)


def _criterion_fields(text: str, maximum: Decimal | str, kind: str, guide: str) -> tuple[str, Decimal, str, str]:
    errors: dict[str, list[str]] = {}
    text = nfc_text(text)
    if not text:
        errors["text"] = [_("Write the criterion.")]
    if kind not in Criterion.Kind.values:
        errors["kind"] = [_("Choose base, bonus or penalty points.")]
    try:
        points = maximum_parse(maximum, "maximum")
    except ValidationError as error:
        errors.update(error.message_dict)
        points = Decimal(0)
    if errors:
        raise ValidationError(errors)
    return text, points, kind, nfc_text(guide)


def criterion_add(
    *,
    group: ScoringGroup,
    text: str,
    maximum: Decimal | str,
    kind: str = Criterion.Kind.BASE,
    guide: str = "",
    by: User | None,
    confirmed: bool = False,
) -> Criterion:
    text, points, kind, guide = _criterion_fields(text, maximum, kind, guide)
    with transaction.atomic():
        table = _lock_table(group.table)
        _require_confirmed(table, confirmed)
        group = ScoringGroup.objects.get(pk=group.pk)
        if not group.active:
            raise ValidationError({"group": [_("This group has been removed.")]})
        criterion = Criterion(group=group, text=text, maximum=points, kind=kind, guide=guide)
        if kind == Criterion.Kind.BASE:
            message = group_maximum_errors(group=group, criterion=None, maximum=points)
            if message:
                raise ValidationError({"maximum": [message]})
        last = group.criteria.order_by("-position").values_list("position", flat=True).first() or 0
        criterion.position = last + 1
        with_history_user(criterion, by).save()
    return criterion


def criterion_edit(
    *,
    criterion: Criterion,
    text: str,
    maximum: Decimal | str,
    kind: str,
    guide: str = "",
    by: User | None,
    confirmed: bool = False,
) -> Criterion:
    """Change a criterion. After scoring opened the user confirms; points already entered must fit the new
    maximum and kind (the change is refused otherwise, so no score is ever dropped or cut silently)."""
    text, points, kind, guide = _criterion_fields(text, maximum, kind, guide)
    with transaction.atomic():
        table = _lock_table(criterion.group.table)
        _require_confirmed(table, confirmed)
        criterion = Criterion.objects.select_related("group").get(pk=criterion.pk)
        if kind == Criterion.Kind.BASE:
            message = group_maximum_errors(group=criterion.group, criterion=criterion, maximum=points)
            if message:
                raise ValidationError({"maximum": [message]})
        criterion.text, criterion.maximum, criterion.kind, criterion.guide = text, points, kind, guide
        lowest, highest = criterion.lowest, criterion.highest
        outside = Score.objects.filter(criterion=criterion).filter(
            Q(self_points__lt=lowest)
            | Q(self_points__gt=highest)
            | Q(review_points__lt=lowest)
            | Q(review_points__gt=highest)
        )
        count = outside.count()
        if count:
            raise ValidationError(
                {
                    "maximum": [
                        _(
                            "%(count)s score(s) already entered do not fit the new maximum or kind. Correct those "
                            "scores first: entered scores are never changed silently."
                        )
                        % {"count": count}
                    ]
                }
            )
        with_history_user(criterion, by).save()
    return criterion


def criterion_remove(*, criterion: Criterion, by: User | None, confirmed: bool = False) -> None:
    """Remove a criterion: deleted while no sheet has a line for it, otherwise deactivated — kept with its
    scores in the record, out of the totals and of what a sheet must fill."""
    with transaction.atomic():
        table = _lock_table(criterion.group.table)
        _require_confirmed(table, confirmed)
        criterion = Criterion.objects.get(pk=criterion.pk)
        if Score.objects.filter(criterion=criterion).exists():
            criterion.active = False
            with_history_user(criterion, by).save()
        else:
            with_history_user(criterion, by).delete()


def criteria_reorder(*, group: ScoringGroup, order: Sequence[int], by: User | None) -> None:
    """Put a group's criteria in ``order`` (their ids, every criterion of the group once)."""
    with transaction.atomic():
        _lock_table(group.table)
        criteria = {c.pk: c for c in group.criteria.all()}
        if sorted(order) != sorted(criteria):
            raise ValidationError({"order": [_("The new order must list every criterion of the group once.")]})
        for position, pk in enumerate(order, start=1):
            criteria[pk].position = position
        bulk_update_with_history(list(criteria.values()), Criterion, ["position"], default_user=by)


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
