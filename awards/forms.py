"""Forms of the awards pages. They parse and check input; the services check it again and write.

Field errors are English msgids translated through the catalogue (Vietnamese by default).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocs.fields import BoundedDateFormField, NFCLineFormField, NFCTextFormField
from blocs.forms import NONE, PortalForm, PortalModelForm, YearField
from blocs.models import Bloc, Council, Unit

from .models import AwardRule, AwardType, Proposal, fraction_text

RECIPIENT_UNIT = "unit"
RECIPIENT_COLLECTIVE = "collective"
RECIPIENT_PERSON = "person"
RECIPIENT_CHOICES = [
    (RECIPIENT_UNIT, _("A member unit")),
    (RECIPIENT_COLLECTIVE, _("A collective inside a unit")),
    (RECIPIENT_PERSON, _("A person")),
]

_FRACTION = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


def parse_threshold(text: str) -> tuple[int, int]:
    """ "2/3" → (2, 3); "70%" or "70" → (70, 100); "66,5%" → (665, 1000). Raises ValueError."""
    match = _FRACTION.match(text or "")
    if match:
        numerator, denominator = int(match.group(1)), int(match.group(2))
    else:
        match = _PERCENT.match(text or "")
        if not match:
            raise ValueError(text)
        value = Decimal(match.group(1).replace(",", "."))
        numerator, denominator = int(value * 100), 10000
        # Keep the fraction small and readable: 7000/10000 → 70/100.
        while denominator > 100 and numerator % 10 == 0:
            numerator, denominator = numerator // 10, denominator // 10
    if denominator == 0 or numerator > denominator:
        raise ValueError(text)
    return numerator, denominator


class AwardTypeForm(PortalModelForm):
    class Meta:
        model = AwardType
        fields = ["name", "recipient_kind", "level", "authority", "order", "active"]

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = AwardType.objects.filter(council=self.instance.council, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The council already has an award type with this name."))
        return name


class ScoreFormField(forms.DecimalField):
    """A score typed the Vietnamese way or the other ("92,5" or "92.5"); checked like the model's column."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("−", "-")
        return super().to_python(value)


class AwardRuleForm(PortalModelForm):
    threshold = NFCLineFormField(
        label=_("Threshold"),
        required=False,
        help_text=_("A fraction or a percentage of the votes, e.g. 2/3, 1/2 or 70%."),
    )

    class Meta:
        model = AwardRule
        fields = [
            "kind",
            "bloc",
            "severity",
            "threshold",
            "threshold_strict",
            "base",
            "acclamation_counts",
            "quota_number",
            "quota_percent",
            "requires_type",
            "rank_at_most",
            "minimum_score",
            "note",
        ]
        field_classes = {"minimum_score": ScoreFormField}
        # A text box: a typed "92,5" reaches the field as typed (a number box would drop it).
        widgets = {"minimum_score": forms.TextInput(attrs={"inputmode": "decimal"})}

    # An empty bloc is a rule of the council, for every bloc (the field's help says so).
    empty_labels = {"bloc": pgettext_lazy("empty choice", "— Every bloc —")}

    def __init__(self, *args, award_type: AwardType, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.award_type = award_type
        self.fields["bloc"].queryset = Bloc.objects.filter(council=award_type.council_id).order_by("sort_name")
        self.fields["requires_type"].queryset = AwardType.objects.filter(council=award_type.council_id).exclude(
            pk=award_type.pk
        )
        if self.instance.pk and self.instance.threshold_denominator:
            self.initial["threshold"] = fraction_text(
                self.instance.threshold_numerator, self.instance.threshold_denominator
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == AwardRule.Kind.THRESHOLD:
            text = cleaned.get("threshold") or ""
            if not text.strip():
                self.add_error("threshold", _("Give the threshold, e.g. 2/3 or 70%."))
            else:
                try:
                    numerator, denominator = parse_threshold(text)
                except ValueError:
                    self.add_error("threshold", _("Write the threshold as a fraction (2/3) or a percentage (70%)."))
                else:
                    self.instance.threshold_numerator = numerator
                    self.instance.threshold_denominator = denominator
            if not cleaned.get("base"):
                self.add_error("base", _("Say what the votes are counted against."))
        elif kind == AwardRule.Kind.QUOTA:
            if (cleaned.get("quota_number") is None) == (cleaned.get("quota_percent") is None):
                self.add_error("quota_number", _("Give either a number or a share of the members, not both."))
        elif kind == AwardRule.Kind.ELIGIBILITY and not cleaned.get("requires_type"):
            self.add_error("requires_type", _("Choose the award the recipient must already have."))
        elif kind == AwardRule.Kind.RANK and self._missing("rank_at_most"):
            self.add_error("rank_at_most", _("Give the lowest rank that qualifies, e.g. 1 or 3."))
        elif kind == AwardRule.Kind.SCORE and self._missing("minimum_score"):
            self.add_error("minimum_score", _("Give the lowest final score that qualifies, e.g. 90."))
        return cleaned

    def _missing(self, name: str) -> bool:
        """Left empty (a value that could not be read already has its error)."""
        return self.cleaned_data.get(name) is None and name not in self.errors

    def _post_clean(self):
        # The services clear the other kinds' fields before the model's checks run.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class RegistrationForm(PortalForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("Title aimed for"))
    note = NFCLineFormField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, bloc: Bloc, year: int, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        self.fields["award_type"].queryset = AwardType.objects.filter(council=bloc.council_id, active=True).exclude(
            authority=AwardType.Authority.BLOC
        )


class TallyMixin(PortalForm):
    acclamation = forms.BooleanField(
        label=_("Decided by acclamation (thống nhất)"),
        required=False,
        help_text=_("Leave ballots cast and votes for empty."),
    )
    members_present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=999, required=False)
    ballots_cast = forms.IntegerField(label=_("Ballots cast"), min_value=0, max_value=999, required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=999, required=False)

    def clean_tally(self, cleaned):
        acclamation = cleaned.get("acclamation")
        cast, votes, present = cleaned.get("ballots_cast"), cleaned.get("votes_for"), cleaned.get("members_present")
        if acclamation and (cast is not None or votes is not None):
            self.add_error(
                "acclamation", _("By acclamation there are no ballots: leave ballots cast and votes for empty.")
            )
        if votes is not None and cast is not None and votes > cast:
            self.add_error(
                "votes_for",
                _("Votes for (%(for)s) cannot exceed ballots cast (%(cast)s).") % {"for": votes, "cast": cast},
            )
        if cast is not None and present is not None and cast > present:
            self.add_error(
                "ballots_cast",
                _("Ballots cast (%(cast)s) cannot exceed members present (%(present)s).")
                % {"cast": cast, "present": present},
            )


class RecipientMixin(PortalForm):
    recipient = forms.ChoiceField(
        label=_("Recipient"), choices=RECIPIENT_CHOICES, initial=RECIPIENT_UNIT, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    collective_name = NFCLineFormField(
        label=_("Collective"),
        max_length=255,
        required=False,
        help_text=_("For a collective inside the unit, e.g. “Phòng Tổng hợp”."),
    )
    person_name = NFCLineFormField(label=_("Person's full name"), max_length=150, required=False)
    person_position = NFCLineFormField(label=_("Person's position"), max_length=200, required=False)

    def clean_recipient_fields(self, cleaned):
        recipient = cleaned.get("recipient")
        award_type = cleaned.get("award_type")
        if recipient == RECIPIENT_COLLECTIVE and not (cleaned.get("collective_name") or "").strip():
            self.add_error("collective_name", _("Name the collective inside the unit."))
        if recipient == RECIPIENT_PERSON and not (cleaned.get("person_name") or "").strip():
            self.add_error("person_name", _("Give the person's full name."))
        if award_type is not None and recipient:
            if recipient == RECIPIENT_PERSON and not award_type.allows_individual:
                self.add_error(
                    "recipient", _("%(type)s is awarded to collectives, not to a person.") % {"type": award_type.name}
                )
            if recipient != RECIPIENT_PERSON and not award_type.allows_collective:
                self.add_error(
                    "recipient", _("%(type)s is awarded to individuals: name the person.") % {"type": award_type.name}
                )


class ProposalForm(RecipientMixin, TallyMixin, PortalForm):
    """A bloc-year's proposal: award type, recipient, achievement summary, tally and achievement report."""

    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("Award type"))
    summary = NFCTextFormField(label=_("Achievement summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    award_reason = NFCTextFormField(
        label=_("Reason for the award"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Optional, e.g. a ranking: “xếp hạng Nhất trong Khối năm 2020”."),
    )
    achievement_report = forms.FileField(
        label=_("Achievement report (PDF or scan)"),
        required=False,
        help_text=_("Báo cáo thành tích. PDF, JPEG or PNG; it replaces the one attached before."),
    )

    field_order = [
        "award_type",
        "recipient",
        "unit",
        "collective_name",
        "person_name",
        "person_position",
        "summary",
        "award_reason",
        "acclamation",
        "members_present",
        "ballots_cast",
        "votes_for",
        "achievement_report",
    ]

    def __init__(self, *args, bloc: Bloc, year: int, proposal: Proposal | None = None, **kwargs):
        if proposal is not None and "initial" not in kwargs:
            kwargs["initial"] = proposal_initial(proposal)
        super().__init__(*args, **kwargs)
        types = AwardType.objects.filter(council=bloc.council_id)
        if proposal is None:
            types = types.filter(active=True)
        self.fields["award_type"].queryset = types
        # Filtering through the membership join keeps the protocol order.
        self.fields["unit"].queryset = Unit.objects.filter(memberships__in=bloc.memberships.covering(year)).order_by(
            "memberships__display_order", "sort_name"
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_recipient_fields(cleaned)
        self.clean_tally(cleaned)
        return cleaned


def proposal_initial(proposal: Proposal) -> dict:
    if proposal.person_id:
        recipient = RECIPIENT_PERSON
    elif proposal.collective_name:
        recipient = RECIPIENT_COLLECTIVE
    else:
        recipient = RECIPIENT_UNIT
    return {
        "award_type": proposal.award_type_id,
        "recipient": recipient,
        "unit": proposal.person.unit_id if proposal.person_id else proposal.unit_id,
        "collective_name": proposal.collective_name,
        "person_name": proposal.person.name if proposal.person_id else "",
        "person_position": proposal.person.position if proposal.person_id else "",
        "summary": proposal.summary,
        "award_reason": proposal.award_reason,
        "acclamation": proposal.acclamation,
        "members_present": proposal.members_present,
        "ballots_cast": proposal.ballots_cast,
        "votes_for": proposal.votes_for,
    }


class WarningReasonForm(PortalForm):
    key = forms.CharField(widget=forms.HiddenInput)  # a finding's key, not text
    reason = NFCTextFormField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProposalChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, proposal):
        return f"{proposal.award_type.name} — {proposal.recipient_name}"


class SubmitForm(PortalForm):
    proposals = ProposalChoiceField(queryset=Proposal.objects.none(), label=_("Proposals to submit"))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = queryset


class BlocAwardDecideForm(PortalForm):
    conference_date = BoundedDateFormField(label=_("Conference date"))
    proposals = ProposalChoiceField(queryset=Proposal.objects.none(), label=_("Awards the conference decided"))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = queryset


# The most approved proposals the decision form shows as boxes at once (see DecisionForm).
DECISION_CHOICES_CAP = 200


class DecisionForm(PortalForm):
    number = NFCLineFormField(label=_("Decision number"), max_length=60, help_text=_("As printed, e.g. “123/QĐ-UBND”."))
    date = BoundedDateFormField(label=_("Date"))
    signer = NFCLineFormField(label=_("Signed by"), max_length=200, required=False, help_text=_("Name and title."))
    proposals = ProposalChoiceField(queryset=Proposal.objects.none(), label=_("Approved proposals it decides"))

    def __init__(self, *args, queryset, cap: int = DECISION_CHOICES_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["proposals"]
        # Every proposal of the filters is accepted (one query, by id); only the first ``cap`` are shown as
        # boxes, so a council with thousands of approved proposals gets a page that stays small. The
        # filters and the search narrow the boxes to what one decision covers.
        field.queryset = queryset
        self.shown = list(queryset[: cap + 1])
        self.capped = len(self.shown) > cap
        del self.shown[cap:]
        field.widget.choices = [(p.pk, field.label_from_instance(p)) for p in self.shown]


class DecisionCorrectForm(PortalForm):
    # Not required: a decision decided outside the portal may keep its number or date unknown; the
    # service refuses an empty number for a decision recorded in the portal, and an empty date keeps it.
    number = NFCLineFormField(label=_("Decision number"), max_length=60, required=False)
    date = BoundedDateFormField(label=_("Date"), required=False)
    signer = NFCLineFormField(label=_("Signed by"), max_length=200, required=False)
    reason = NFCTextFormField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class ExternalAwardForm(RecipientMixin, PortalForm):
    """An award decided outside the portal, entered by an officer."""

    empty_labels = {"bloc": NONE}  # not an award of, or proposed by, a bloc

    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("Award type"))
    year = YearField(label=_("Year of achievement"))
    bloc = forms.ModelChoiceField(
        queryset=Bloc.objects.none(),
        label=_("Bloc"),
        required=False,
        help_text=_("Optional; required for an award of the bloc itself."),
    )
    # Unknown is a valid answer: left empty, the award shows "chưa rõ số quyết định", never a made-up number.
    decision_number = NFCLineFormField(
        label=_("Decision number"),
        max_length=60,
        required=False,
        help_text=_("Leave empty if unknown: the award then shows the number as unknown."),
    )
    decision_date = BoundedDateFormField(
        label=_("Decision date"), required=False, help_text=_("Leave empty if unknown.")
    )
    signer = NFCLineFormField(label=_("Signed by"), max_length=200, required=False)
    conference_date = BoundedDateFormField(
        label=_("Conference date"), required=False, help_text=_("For an award of the bloc itself.")
    )
    summary = NFCTextFormField(label=_("Achievement summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    award_reason = NFCTextFormField(
        label=_("Reason for the award"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Optional, e.g. a ranking: “xếp hạng Nhất trong Khối năm 2020”."),
    )

    field_order = [
        "award_type",
        "year",
        "recipient",
        "unit",
        "collective_name",
        "person_name",
        "person_position",
        "bloc",
        "decision_number",
        "decision_date",
        "signer",
        "conference_date",
        "summary",
        "award_reason",
    ]

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = AwardType.objects.filter(council=council)
        self.fields["unit"].queryset = Unit.objects.filter(council=council).order_by("sort_name")
        self.fields["bloc"].queryset = Bloc.objects.filter(council=council).order_by("sort_name")

    def clean(self):
        cleaned = super().clean()
        self.clean_recipient_fields(cleaned)
        return cleaned


class ExcelUploadForm(PortalForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The first sheet is read; its first row holds the column titles of the template."),
    )


class ReviewFilterForm(PortalForm):
    """The review queue's filters (GET). Bad values are ignored rather than failing the page."""

    filter_form = True

    # Bounded like every year a user types (blocs.web.query_year): a 20-digit year is ignored, not sent to
    # the database. The ids of the two selects are looked up by primary key, which Django bounds itself.
    year = YearField(label=_("Year"), required=False)
    bloc = forms.ModelChoiceField(queryset=Bloc.objects.none(), label=_("Bloc"), required=False)
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("Award type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, council: Council, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bloc"].queryset = Bloc.objects.filter(council=council).order_by("sort_name")
        self.fields["award_type"].queryset = AwardType.objects.filter(council=council)
        self.fields["status"].choices = [("", _("Any status")), *(statuses or Proposal.Status.choices)]

    def value(self, name):
        if not self.is_bound:
            return None
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class ReviewManyForm(PortalForm):
    """The review queue's bulk action (POST): the ticked proposals, approve or return, one reason for a
    return. The service checks the rest (the reason, each proposal's state and council)."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("approve", _("Approve the selected")), ("return", _("Return the selected"))]
    )
    reason = NFCTextFormField(label=_("Reason for returning"), required=False)

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        raw = getlist("proposals") if getlist else list(self.data.get("proposals", []))
        # Ids are primary keys: digits only and bounded, so a hand-made value never reaches the database.
        valid = [value for value in raw if value.isdigit() and len(value) <= 18]
        if len(valid) != len(raw):
            raise forms.ValidationError(_("The selection could not be read; reload the page."))
        ids = list(dict.fromkeys(int(value) for value in valid))
        if not ids:
            raise forms.ValidationError(_("Select the proposals first."))
        cleaned["proposals"] = ids
        return cleaned
