"""What the scoring services share: reading and printing points, and the states every change checks
(a final ranking locks its bloc-year; scoring open; a sheet's state)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from blocs.models import Bloc

from ..models import (
    Criterion,
    Ranking,
    ScoreSheet,
    ScoringGroup,
    ScoringTable,
)

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
