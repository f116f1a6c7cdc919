"""Forms of the pledge pages. They parse and check input; the services re-check and do the work."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocs.fields import BoundedDateFormField, DayMonthYearInput, NFCLineFormField, NFCTextFormField
from blocs.forms import PortalForm, capped_formset_factory

from .models import Pledge, PledgeSignatory, PledgeVersion
from .services import SectionText


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The signing date cannot be in the future."))
    return value


class PledgeCreateForm(PortalForm):
    """Start a year's pledge, blank or from an earlier pledge of the same bloc."""

    empty_labels = {"copy_from": pgettext_lazy("empty choice", "— A blank pledge —")}

    copy_from = forms.ModelChoiceField(queryset=Pledge.objects.none(), required=False, label=_("Start from"))

    def __init__(self, *args, bloc, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = Pledge.objects.filter(bloc=bloc, year__lt=year)


def _text_attached_field() -> forms.BooleanField:
    """The tick saying the bloc signs a paper text not entered in the portal (the draft editor and the
    opening of signing both offer it)."""
    return forms.BooleanField(
        label=_("The text is attached"),
        required=False,
        help_text=_("The bloc signs a paper text that is not entered here; the printed pledge says it is attached."),
    )


class DraftForm(PortalForm):
    """The pledge's own text; the sections come in ``SectionFormSet``."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = NFCLineFormField(label=pgettext_lazy("document", "Title"), max_length=255)
    signing_date = BoundedDateFormField(label=_("Signing date"), required=False)
    signing_place = NFCLineFormField(label=_("Signing place"), max_length=255, required=False)
    preamble = NFCTextFormField(
        label=_("Preamble"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One paragraph per line."),
    )
    text_attached = _text_attached_field()

    @classmethod
    def initial_for(cls, version: PledgeVersion) -> dict:
        return {
            "text_attached": version.text_attached,
            "revision": version.revision,
            "title": version.title,
            "signing_date": version.signing_date,
            "signing_place": version.signing_place,
            "preamble": version.preamble,
        }


class SigningOpenForm(PortalForm):
    """Open signing; a draft without sections may say here that its text is attached."""

    text_attached = _text_attached_field()


class SectionForm(PortalForm):
    heading = NFCLineFormField(label=_("Heading"), max_length=255, required=False)
    body = NFCTextFormField(
        label=_("Commitments and targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One commitment or target per line."),
    )

    def clean(self):
        data = super().clean()
        if data.get("body", "").strip() and not data.get("heading", "").strip():
            self.add_error("heading", _("Give the section a heading."))
        return data


SectionFormSet = capped_formset_factory(SectionForm, max_num=40, extra=1, can_delete=True, can_order=True)


def sections_from(formset) -> list[SectionText]:
    """The sections of a valid formset in the order the user chose, without deleted or blank ones."""
    return [
        SectionText(heading=form.cleaned_data.get("heading", ""), body=form.cleaned_data.get("body", ""))
        for form in formset.ordered_forms
        if form.cleaned_data.get("heading") or form.cleaned_data.get("body")
    ]


class SignForm(PortalForm):
    """A member unit confirms or corrects its signatory and signs."""

    signatory_name = NFCLineFormField(label=_("Name of the person who signs"), max_length=100)
    signatory_title = NFCLineFormField(label=pgettext_lazy("position", "Title"), max_length=150, required=False)
    signed_on = BoundedDateFormField(label=_("Signed on"), validators=[_not_future])


class RecordSignaturesForm(PortalForm):
    """The signatures of a paper ceremony: one row per unsigned signatory (signed? date, name, title)."""

    signed_on = BoundedDateFormField(
        label=_("Date of the signing"),
        validators=[_not_future],
        help_text=_("Used for every ticked unit without a date of its own."),
    )

    def __init__(self, *args, signatories: list[PledgeSignatory], **kwargs):
        super().__init__(*args, **kwargs)
        self.signatories = [s for s in signatories if not s.is_signed]
        for s in self.signatories:
            self.fields[f"signed_{s.unit_id}"] = forms.BooleanField(label=s.unit_name, required=False)
            self.fields[f"date_{s.unit_id}"] = BoundedDateFormField(
                label=_("Own date"),
                required=False,
                format_help=False,
                validators=[_not_future],
                widget=DayMonthYearInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"name_{s.unit_id}"] = NFCLineFormField(
                label=_("Name"), max_length=100, required=False, initial=s.signatory_name
            )
            self.fields[f"title_{s.unit_id}"] = NFCLineFormField(
                label=pgettext_lazy("position", "Title"), max_length=150, required=False, initial=s.signatory_title
            )

    def rows(self):
        """(signatory, signed field, date field, name field, title field) for the template; a date the
        form refused is marked invalid (the table shows the widget itself, without crispy)."""
        for s in self.signatories:
            if self.is_bound and self[f"date_{s.unit_id}"].errors:
                widget = self.fields[f"date_{s.unit_id}"].widget
                widget.attrs["class"] = "form-control form-control-sm is-invalid"
        return [
            (s, *(self[f"{field}_{s.unit_id}"] for field in ("signed", "date", "name", "title")))
            for s in self.signatories
        ]

    def clean(self):
        data = super().clean()
        if self.signatories and not any(data.get(f"signed_{s.unit_id}") for s in self.signatories):
            raise forms.ValidationError(_("Tick at least one unit that signed."))
        return data

    def ticked(self) -> list[int]:
        return [s.unit_id for s in self.signatories if self.cleaned_data.get(f"signed_{s.unit_id}")]

    def dates(self) -> dict:
        return {
            unit_id: self.cleaned_data[f"date_{unit_id}"]
            for unit_id in self.ticked()
            if self.cleaned_data.get(f"date_{unit_id}")
        }

    def names(self) -> dict:
        return {
            unit_id: (self.cleaned_data.get(f"name_{unit_id}", ""), self.cleaned_data.get(f"title_{unit_id}", ""))
            for unit_id in self.ticked()
        }


class FinaliseForm(PortalForm):
    """Closing signing before every unit signed needs an explicit tick."""

    confirm = forms.BooleanField(
        label=_("Close signing now; units that have not signed stay unsigned."), required=False
    )


class CorrectionForm(PortalForm):
    reason = NFCTextFormField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the new version; the current version and its signatures stay readable."),
    )


class ScanUploadForm(PortalForm):
    file = forms.FileField(
        label=_("Scanned signed copy"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
