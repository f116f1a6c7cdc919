"""The scoring table: created, copied, its settings, its groups and criteria (after scoring opened, a
change is made only when confirmed, and never drops an entered score)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocs.fields import FIRST_YEAR, LAST_YEAR
from blocs.history import with_history_user
from blocs.models import Bloc, User
from blocs.text import nfc, nfc_text

from ...models import Pledge
from ..models import (
    Criterion,
    Score,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)
from .common import (
    _lock_table,
    _require_confirmed,
    _require_unlocked,
    group_maximum_errors,
    maximum_parse,
    points_text,
)

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


def _group_fields(name: str, maximum: Decimal | str) -> tuple[str, Decimal]:
    name = nfc(name)
    if not name:
        raise ValidationError({"name": [_("Give the group a name.")]})
    return name, maximum_parse(maximum, "maximum")


def group_add(
    *, table: ScoringTable, name: str, maximum: Decimal | str, by: User | None, confirmed: bool = False
) -> ScoringGroup:
    name, points = _group_fields(name, maximum)
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
    name, points = _group_fields(name, maximum)
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
