"""Forms of the scoring pages. They parse what a field can parse alone; the services check the rules
(maxima, bounds, states) and their errors come back next to the fields (``blocs.web.form_attempt``).

Points are text fields: a user types "2,5" or "2.5", and ``services.points_parse`` reads both and says in
Vietnamese what is wrong with anything else, the same for the page and for an Excel import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocs.fields import NFCLineFormField, NFCTextFormField
from blocs.forms import CHOOSE, PortalForm
from blocs.models import Unit

from . import services
from .models import Criterion, Score, ScoringTable
from .selectors import RankingRow
from .services import points_text

_SELECT = forms.Select(attrs={"class": "form-select"})
POINTS_MAX_LENGTH = 12  # "−999,99" and a little room: longer is never a score


class PointsFormField(forms.Field):
    """A score or a maximum as typed ("2,5", "2.5", "-3"): a number with at most two decimals (None when
    empty), read by ``services.points_parse`` as the services and the Excel import read it. Not free text:
    nothing of it is stored but the number."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "maxlength": POINTS_MAX_LENGTH, "class": "form-control form-control-sm"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if len(text) > POINTS_MAX_LENGTH:
            raise forms.ValidationError(_("Enter the points as a number."), code="invalid")
        return services.points_parse(text)


def points_field(label, *, required: bool = False) -> PointsFormField:
    return PointsFormField(label=label, required=required)


def points_initial(value: Decimal | None) -> str:
    """A stored score as the field shows it again ("2,5"; empty for none)."""
    return "" if value is None else points_text(value).replace("−", "-")


def _confirm_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I confirm the change: scoring has started, and scores already entered are kept."), required=False
    )


class TableChangeForm(PortalForm):
    """What every change of the table's lines shares: after scoring opened, the user confirms it."""

    def __init__(self, *args, table: ScoringTable, **kwargs):
        super().__init__(*args, **kwargs)
        if table.is_open:
            self.fields["confirmed"] = _confirm_field()


class GroupForm(TableChangeForm):
    """Nhóm tiêu chí: a group's name and maximum."""

    name = NFCLineFormField(label=_("Group"), max_length=255)
    maximum = points_field(_("Maximum points"), required=True)


class CriterionForm(TableChangeForm):
    """Tiêu chí: the criterion, its kind, maximum and guide."""

    text = NFCTextFormField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Criterion.Kind.choices, initial=Criterion.Kind.BASE)
    maximum = points_field(_("Maximum points"), required=True)
    guide = NFCTextFormField(
        label=_("Guide"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the criterion is scored and what evidence is expected."),
    )


class TableCreateForm(PortalForm):
    """Start the year's table: blank or from an earlier year's table of the bloc."""

    empty_labels = {"copy_from": pgettext_lazy("empty choice", "— A blank table —")}

    copy_from = forms.ModelChoiceField(
        queryset=ScoringTable.objects.none(), required=False, label=_("Start from"), widget=_SELECT
    )

    def __init__(self, *args, bloc, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["copy_from"])
        field.queryset = ScoringTable.objects.filter(bloc=bloc, year__lt=year).order_by("-year")
        field.label_from_instance = lambda table: str(table.year)  # type: ignore[method-assign,assignment]  # the year says it


class SettingsForm(PortalForm):
    """The bloc-year's review mode and tie rule."""

    review_mode = forms.ChoiceField(label=_("Review"), choices=ScoringTable.ReviewMode.choices, widget=_SELECT)
    tie_rule = forms.ChoiceField(label=_("Tie rule"), choices=ScoringTable.TieRule.choices, widget=_SELECT)


def _bounds_errors(form: forms.Form, prefix: str, criteria: Sequence[Criterion]) -> None:
    """Every score outside its criterion's range, at its field, together with the fields that are not
    numbers at all (the service checks the same again)."""
    for criterion in criteria:
        points = form.cleaned_data.get(f"{prefix}_{criterion.pk}")
        message = None if points is None else services.score_bounds_error(criterion, points)
        if message:
            form.add_error(f"{prefix}_{criterion.pk}", message)


class SelfScoresForm(PortalForm):
    """A unit's own scores: ``points_<criterion>`` and ``note_<criterion>`` for every criterion of the sheet."""

    def __init__(self, *args, criteria: Sequence[Criterion], scores: dict[int, Score], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = points_field(_("Self score"))
            self.fields[f"note_{criterion.pk}"] = NFCTextFormField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            if score is not None:
                self.initial[f"points_{criterion.pk}"] = points_initial(score.self_points)
                self.initial[f"note_{criterion.pk}"] = score.note

    def clean(self):
        _bounds_errors(self, "points", self.criteria)
        return super().clean()

    def entries(self) -> dict[int, tuple[Decimal | None, str]]:
        """Criterion id → (points, note), for ``services.self_scores_save``."""
        data = self.cleaned_data
        return {c.pk: (data.get(f"points_{c.pk}"), data.get(f"note_{c.pk}") or "") for c in self.criteria}


class ReviewScoresForm(PortalForm):
    """A reviewer's scores: ``review_<criterion>`` and ``reason_<criterion>`` beside the unit's own."""

    def __init__(self, *args, criteria: Sequence[Criterion], scores: dict[int, Score], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            self.fields[f"review_{criterion.pk}"] = points_field(_("Review score"))
            self.fields[f"reason_{criterion.pk}"] = NFCTextFormField(
                label=_("Reason where it differs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            if score is not None:
                self.initial[f"review_{criterion.pk}"] = points_initial(score.review_points)
                self.initial[f"reason_{criterion.pk}"] = score.review_reason

    def clean(self):
        _bounds_errors(self, "review", self.criteria)
        return super().clean()

    def entries(self) -> dict[int, tuple[Decimal | None, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"review_{c.pk}"), data.get(f"reason_{c.pk}") or "") for c in self.criteria}


class ReasonForm(PortalForm):
    """Why: returning a sheet for correction, reopening a final ranking."""

    reason = NFCTextFormField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(PortalForm):
    """Minh chứng: a file for one criterion of the sheet."""

    criterion = forms.TypedChoiceField(label=_("Criterion"), coerce=int)
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, criteria: Iterable[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["criterion"]).choices = [("", CHOOSE)] + [(c.pk, c.text) for c in criteria]


class AssignmentForm(PortalForm):
    """Cross-review: for every member unit (``reviewer_<unit>``), the unit that reviews its sheet."""

    def __init__(self, *args, units: Sequence[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        choices = [("", CHOOSE)] + [(u.pk, u.display_name) for u in self.units]
        for unit in self.units:
            self.fields[f"reviewer_{unit.pk}"] = forms.TypedChoiceField(
                label=unit.display_name,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def pairs(self) -> dict[int, int]:
        """Reviewed unit id → reviewer id, for the units given a reviewer."""
        data = self.cleaned_data
        return {u.pk: data[f"reviewer_{u.pk}"] for u in self.units if data.get(f"reviewer_{u.pk}")}


class DirectRankingForm(PortalForm):
    """A ranking decided outside the portal: per member unit its rank (``rank_<unit>``) and, if known, its
    score (``score_<unit>``); an empty rank: not ranked."""

    note = NFCTextFormField(
        label=_("Where the ranking comes from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("For example: the bloc's conference minutes of 15/12/2020, or the scores kept on paper."),
    )

    def __init__(self, *args, units: Sequence[Unit], stored: Sequence[RankingRow] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            self.fields[f"rank_{unit.pk}"] = forms.IntegerField(
                label=_("Rank"),
                required=False,
                min_value=1,
                max_value=999,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"score_{unit.pk}"] = points_field(_("Score"))
        for row in stored:
            self.initial[f"rank_{row.unit.pk}"] = row.rank
            self.initial[f"score_{row.unit.pk}"] = points_initial(row.final_score)

    def entries(self) -> list[tuple[int, int | None, Decimal | None]]:
        data = self.cleaned_data
        return [(u.pk, data.get(f"rank_{u.pk}"), data.get(f"score_{u.pk}")) for u in self.units]
