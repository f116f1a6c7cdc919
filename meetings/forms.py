"""Forms of the meetings pages. They parse and check the shape of the input; the services check the rules
(membership, the election, tallies against the record) and the views put the services' errors next to
the fields they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models import AwardType
from blocs.fields import BoundedDateFormField, HourMinuteFormField, NFCLineFormField, NFCTextFormField
from blocs.forms import CHOOSE, NONE, UNKNOWN, PortalForm, YearField, capped_formset_factory
from blocs.models import Bloc, Unit

from .models import AttendanceState, Meeting, MeetingElection

VICE_SEATS = 3  # vice-chair fields on the results page (a cluster may have two; room for one more)


def choices_of(queryset) -> list:
    """A select's options read once, to be shared by every row of a formset (one query, not one per row)."""
    return list(iter(forms.ModelChoiceField(queryset=queryset, empty_label=CHOOSE).choices))  # iter(): no COUNT


def choices_from(objects) -> list:
    """Select options from objects already read (no query): the empty choice, then (pk, name). A field
    whose empty choice means something else gets its own label when it renders (``PortalFormMixin``)."""
    return [("", CHOOSE), *((obj.pk, str(obj)) for obj in objects)]


def share_choices(form, choices: dict | None, known: dict | None = None) -> None:
    """Render the named selects from ready-made options (``choices``) and validate them against objects
    already read (``known``: {name: {pk: object}}), so a formset's rows cost no query each."""
    for name, options in (choices or {}).items():
        form.fields[name].widget.choices = options
    for name, objects in (known or {}).items():
        form.fields[name].known = objects


class ReadOnceModelChoiceField(forms.ModelChoiceField):
    """A model choice that may be given its valid objects already read (``known``, {pk: object}): each row
    of a formset then validates without a query of its own. Without ``known`` it checks its queryset."""

    known: dict | None = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[int(getattr(value, "pk", value))]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


def _units(bloc: Bloc, years: list[int]):
    """The bloc's member units in any of ``years``, in protocol order of the first."""
    condition = Q()
    for year in years:
        condition |= Q(memberships__first_year__lte=year) & (
            Q(memberships__last_year__isnull=True) | Q(memberships__last_year__gte=year)
        )
    return Unit.objects.filter(Q(memberships__bloc=bloc) & condition).distinct().order_by("sort_name")


class MeetingForm(PortalForm):
    """The schedule of a meeting: kind, year reviewed, when and where, who presides and writes the
    minutes, the agenda."""

    empty_labels = {"host_unit": UNKNOWN}  # an article may not say which unit hosted

    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    year = YearField(label=_("Year under review"))
    title = NFCLineFormField(
        label=pgettext_lazy("document", "Title"),
        required=False,
        max_length=255,
        help_text=_(
            "Printed under “BIÊN BẢN”. Empty: the usual title of the kind, e.g. “Hội nghị tổng kết công tác thi "
            "đua, khen thưởng năm 2020”."
        ),
    )
    date = BoundedDateFormField(label=_("Date"))
    # Optional facts (unknown is a valid answer): an article may not say when or where; the minutes then say
    # nothing of it.
    start_time = HourMinuteFormField(label=_("Start time"), required=False)
    end_time = HourMinuteFormField(label=_("End time"), required=False)
    # Yes or not recorded, never a default yes: the minutes say they were approved only when someone said so.
    minutes_approved = forms.TypedChoiceField(
        label=_("Minutes read and approved at the meeting"),
        choices=[("", _("Not recorded")), ("True", _("yes"))],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )
    place = NFCLineFormField(label=_("Place"), max_length=255, required=False)
    date_line_place = NFCLineFormField(
        label=_("Place name of the date line"),
        max_length=100,
        required=False,
        help_text=_("As in “<place>, ngày … tháng … năm …”. Empty: the council's place name."),
    )
    host_unit = forms.ModelChoiceField(label=_("Host unit"), queryset=Unit.objects.none(), required=False)
    presiding_name = NFCLineFormField(label=_("Presiding person"), max_length=100, required=False)
    presiding_title = NFCLineFormField(label=_("Presiding person's title"), max_length=200, required=False)
    secretary_name = NFCLineFormField(label=_("Secretary"), max_length=100, required=False)
    secretary_title = NFCLineFormField(label=_("Secretary's title"), max_length=200, required=False)
    agenda = NFCTextFormField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One item per line.")
    )

    def __init__(self, *args, bloc: Bloc, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = Unit.objects.filter(memberships__bloc=bloc).distinct().order_by("sort_name")


class GuestForm(PortalForm):
    name = NFCLineFormField(label=_("Name"), max_length=150, required=False)
    position = NFCLineFormField(label=_("Position"), max_length=200, required=False)
    organisation = NFCLineFormField(label=_("Organisation"), max_length=255, required=False)

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(name) for name in ("name", "position", "organisation"))


GuestFormSet = capped_formset_factory(GuestForm, max_num=50, extra=1, can_delete=True)


# The results page -------------------------------------------------------------------------------------


class AttendanceForm(PortalForm):
    """One member unit of the year: present or not, and its representatives.

    The unit is a hidden field, so only a tampered page sends another; its choices are the bloc's members
    of the year reviewed (``units``), and the refusal names no unit: a unit id of another council must not
    bring that council's unit name onto this page.
    """

    unit = ReadOnceModelChoiceField(
        queryset=Unit.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This unit is not one of the members of the year under review.")},
    )
    present = forms.BooleanField(label=_("Present"), required=False)
    representatives = NFCLineFormField(label=_("Representatives"), max_length=500, required=False)

    def __init__(self, *args, units=None, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        share_choices(self, None, known)


AttendanceFormSet = capped_formset_factory(AttendanceForm, max_num=200, extra=0)  # a row per member unit


class _AwardRowForm(PortalForm):
    """A row naming an award for a unit, a collective inside it or a person: the fields and checks that a
    vote and a bloc award share (a row left empty is skipped; a filled one needs the award and the unit)."""

    award_type = ReadOnceModelChoiceField(label=_("Award"), queryset=AwardType.objects.none(), required=False)
    unit = ReadOnceModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    collective_name = NFCLineFormField(label=_("Collective within the unit"), max_length=255, required=False)
    person_name = NFCLineFormField(label=_("Person"), max_length=150, required=False)
    person_position = NFCLineFormField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args, award_types=None, units=None, choices=None, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        if award_types is not None:
            self.fields["award_type"].queryset = award_types
        if units is not None:
            self.fields["unit"].queryset = units
        share_choices(self, choices, known)

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return bool(data.get("award_type") or data.get("unit") or data.get("person_name"))

    def clean(self):
        data = super().clean()
        if self.has_content() and not data.get("DELETE"):
            if not data.get("award_type"):
                self.add_error("award_type", _("Choose the award."))
            if not data.get("unit"):
                self.add_error("unit", _("Choose the unit (for a person: the person's unit)."))
        return data


class VoteForm(_AwardRowForm):
    """A candidate the conference voted on, with the tally or acclamation."""

    members_present = forms.IntegerField(label=_("Members present"), min_value=0, required=False)
    ballots_cast = forms.IntegerField(label=_("Ballots cast"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    acclamation = forms.BooleanField(label=_("By acclamation"), required=False)


class BlocAwardForm(_AwardRowForm):
    """An award the bloc gives itself: a collective (a unit, or a named collective inside one) or a person."""


VoteFormSet = capped_formset_factory(VoteForm, max_num=100, extra=1, can_delete=True)
BlocAwardFormSet = capped_formset_factory(BlocAwardForm, max_num=100, extra=1, can_delete=True)


class ResultsForm(PortalForm):
    """The single fields of the results page: report, directions, election, handover, pledge, movement.
    What the record may not say (attendance, how the election was made, who received the flag, "all
    units completed their tasks") is optional, and its empty choice is "not recorded"."""

    empty_labels = {f"election_vice_{rank}": NONE for rank in range(1, VICE_SEATS + 1)}  # no such vice-chair

    attendance_state = forms.ChoiceField(
        label=_("What is known of the attendance"),
        choices=AttendanceState.choices,
        initial=AttendanceState.NOT_RECORDED,
        widget=forms.RadioSelect,
        required=False,  # the page always sends one; a post without it (a script) sends the ticks as a list
    )
    all_units_completed = forms.BooleanField(
        label=_("The conference stated that all member units completed their tasks"), required=False
    )
    election_method = forms.ChoiceField(
        label=_("How the election was made"),
        choices=MeetingElection.Method.choices,
        initial=MeetingElection.Method.NOT_RECORDED,
        required=False,
    )
    flag_received_by = NFCLineFormField(
        label=_("Received the flag on the incoming unit's behalf"),
        max_length=255,
        required=False,
        help_text=_("E.g. “Ông Nguyễn Văn A, Phó Chủ tịch”. Empty: the minutes name no one."),
    )
    report_summary = NFCTextFormField(
        label=_("The year's results (report summary)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    directions = NFCTextFormField(
        label=_("Next year's directions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    election_chair = forms.ModelChoiceField(label=_("Chair elected"), queryset=Unit.objects.none(), required=False)
    election_ballots = forms.IntegerField(
        label=_("Valid ballots"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Secret ballot only. Empty: not recorded, and the minutes give no count."),
    )
    election_chair_votes = forms.IntegerField(label=_("Votes"), min_value=0, max_value=32767, required=False)
    handover_recorded = forms.BooleanField(label=_("The chair role was handed over at the meeting"), required=False)
    handover_outgoing = forms.ModelChoiceField(label=_("Outgoing chair"), queryset=Unit.objects.none(), required=False)
    handover_incoming = forms.ModelChoiceField(label=_("Incoming chair"), queryset=Unit.objects.none(), required=False)
    handover_flag = forms.BooleanField(
        label=_("The rotating flag (cờ luân lưu) was handed over"),
        required=False,
        help_text=_("Tick only if it happened: the minutes mention the flag only then."),
    )
    pledge_signed = forms.BooleanField(label=_("The pledge was signed at the meeting"), required=False)
    pledge_year = YearField(label=_("Pledge of the year"), required=False)
    movement_launched = forms.BooleanField(label=_("Next year's emulation movement was launched"), required=False)
    movement_text = NFCTextFormField(
        label=_("Movement launched"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        bloc: Bloc,
        year: int,
        next_year: int,
        year_choices: list | None = None,
        next_year_choices: list | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        next_members = _units(bloc, [next_year])
        self.fields["election_chair"].queryset = next_members
        for rank in range(1, VICE_SEATS + 1):
            self.fields[f"election_vice_{rank}"] = forms.ModelChoiceField(
                label=bloc.seat_label(rank, VICE_SEATS), queryset=next_members, required=False
            )
            self.fields[f"election_vice_{rank}_votes"] = forms.IntegerField(
                label=_("Votes"), min_value=0, max_value=32767, required=False
            )
        # Labels in the bloc's own words: Khối trưởng … or Cụm trưởng, Cụm phó thứ nhất …, never a slash form.
        words = self._words = {"chair": bloc.chair_word, "vices": bloc.vice_word}
        self.fields["election_chair"].label = bloc.seat_label(0)  # the seat's name: Khối trưởng, Cụm trưởng
        self.fields["handover_recorded"].label = _("The %(chair)s role was handed over at the meeting") % words
        self.fields["handover_outgoing"].label = _("Outgoing %(chair)s") % words
        self.fields["handover_incoming"].label = _("Incoming %(chair)s") % words
        self.fields["handover_outgoing"].queryset = _units(bloc, [year])
        self.fields["handover_incoming"].queryset = next_members
        # The chair, vice-chair and incoming selects list the same units: read them once (or not at all, when
        # the page has already read next year's members).
        next_choices = choices_of(next_members) if next_year_choices is None else next_year_choices
        share_choices(
            self,
            {
                "election_chair": next_choices,
                "handover_incoming": next_choices,
                **{f"election_vice_{rank}": next_choices for rank in range(1, VICE_SEATS + 1)},
                **({"handover_outgoing": year_choices} if year_choices is not None else {}),
            },
        )

    def clean_attendance_state(self) -> str:
        # A post without the choice (not the page: a script) means the ticks it sends, as before.
        return self.cleaned_data.get("attendance_state") or AttendanceState.LIST

    @property
    def vice_fields(self):
        return [self[f"election_vice_{rank}"] for rank in range(1, VICE_SEATS + 1)]

    @property
    def seat_rows(self):
        """Each seat's field, chair first, with the field of its votes beside it."""
        names = ["election_chair", *(f"election_vice_{rank}" for rank in range(1, VICE_SEATS + 1))]
        return [(self[name], self[f"{name}_votes"]) for name in names]

    def clean(self):
        data = super().clean()
        vices = [data.get(f"election_vice_{rank}") for rank in range(1, VICE_SEATS + 1)]
        if any(vices) and not data.get("election_chair"):
            self.add_error(
                "election_chair", _("Choose the unit elected %(chair)s, or leave the %(vices)s empty.") % self._words
            )
        for name in ["election_chair", *(f"election_vice_{rank}" for rank in range(1, VICE_SEATS + 1))]:
            if data.get(f"{name}_votes") is not None and not data.get(name):
                self.add_error(f"{name}_votes", _("Choose the unit these votes elected, or leave the votes empty."))
        if data.get("handover_recorded"):
            if not data.get("handover_outgoing"):
                self.add_error("handover_outgoing", _("Choose the outgoing %(chair)s.") % self._words)
            if not data.get("handover_incoming"):
                self.add_error("handover_incoming", _("Choose the incoming %(chair)s.") % self._words)
        if data.get("pledge_signed") and not data.get("pledge_year"):
            self.add_error("pledge_year", _("Say which year's pledge was signed."))
        return data


class CorrectionForm(PortalForm):
    reason = NFCTextFormField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ScanUploadForm(PortalForm):
    file = forms.FileField(label=_("Scanned signed minutes (PDF, JPEG or PNG)"))


class AwardChoiceField(forms.ModelMultipleChoiceField):
    """A decided award as the officer recognises it: year, award, recipient and its decision."""

    def label_from_instance(self, obj) -> str:
        decision = obj.decision.reference_text if obj.decision_id else ""
        recipient = ", ".join(part for part in (obj.recipient_name, obj.recipient_detail) if part)
        return " · ".join(part for part in (str(obj.year), obj.award_type.name, recipient, decision) if part)


class AwardsHandedOverForm(PortalForm):
    """Which of the council's decided awards were handed over at the meeting (trao khen thưởng)."""

    proposals = AwardChoiceField(
        label=_("Awards handed over at the meeting"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Awards decided earlier (by the council's authority or outside the portal) and handed over here."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = choices
