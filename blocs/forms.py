"""Forms of the base records. Field errors are Vietnamese through the catalogue; the services re-check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .fields import BoundedDateFormField, NFCLineFormField, NFCTextFormField
from .models import FIRST_YEAR, LAST_YEAR, Bloc, Council, Deadline, Membership, Notification, Unit, User

# The empty choice of a select, in words instead of Django's "---------". A form names, per field, what
# its empty choice means when it is not "choose one": unknown (a valid answer: the record does not say),
# none (no such seat, no bloc), or a meaning of its own.
CHOOSE = pgettext_lazy("empty choice", "— Choose —")
UNKNOWN = pgettext_lazy("empty choice", "— Unknown —")
NONE = pgettext_lazy("empty choice", "— None —")
ALL = pgettext_lazy("empty choice", "All")  # a filter's empty choice: no filter
BOARD_STAFF = pgettext_lazy("empty choice", "— None: Board staff —")  # a user of no unit is an officer
DJANGO_EMPTY = "---------"  # django.db.models.fields.BLANK_CHOICE_DASH and ModelChoiceField.empty_label


def relabel_empty_choice(field: forms.Field, label: Any) -> None:
    """Put ``label`` in place of Django's "---------" (or of the plain ``CHOOSE`` of a ready-made list
    of options) as ``field``'s empty choice. A form's own empty choice ("Not recorded") is left alone."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY:
            field.empty_label = label  # the choices iterator reads it when it renders
        choices = getattr(field.widget, "choices", None)
        if not isinstance(choices, list):  # the queryset's own options, labelled above
            return
    elif isinstance(field, forms.ChoiceField):
        # A model field's choices come as a lazy iterator (BlankChoiceIterator): read them once (the
        # widget's are the field's, normalised).
        choices = list(getattr(field.widget, "choices", ()))
    else:
        return
    if not choices or choices[0][0] != "":
        return
    if str(choices[0][1]) in (DJANGO_EMPTY, str(CHOOSE)) and str(choices[0][1]) != str(label):
        relabelled = [("", label), *choices[1:]]
        if isinstance(field, forms.ModelChoiceField):
            field.widget.choices = relabelled  # type: ignore[attr-defined]  # a select's options (share_choices)
        else:
            field.choices = relabelled  # the field's own choices too (a template may list them)


class PortalFormMixin(forms.BaseForm):
    """What every form of the portal shares: the empty choice of its selects is Vietnamese words, never
    "---------" (``CHOOSE`` unless ``empty_labels`` names the field's own, ``ALL`` in a filter form).

    Applied when a field is first rendered (``form[name]``), so fields a form adds in its ``__init__``
    and options a formset shares between rows (``meetings.forms.share_choices``) get it too. Dates and
    times need nothing here: every date field is ``blocs.fields.BoundedDateFormField`` (dd/mm/yyyy), every
    time ``HourMinuteFormField``; tests/test_forms_common.py walks the forms for both."""

    empty_labels: ClassVar[Mapping[str, Any]] = {}
    filter_form: ClassVar[bool] = False

    def empty_label_for(self, name: str) -> Any:
        return self.empty_labels.get(name, ALL if self.filter_form else CHOOSE)

    def __getitem__(self, name: str) -> BoundField:
        if name not in self._bound_fields_cache and name in self.fields:
            relabel_empty_choice(self.fields[name], self.empty_label_for(name))
        return super().__getitem__(name)


class PortalForm(PortalFormMixin, forms.Form):
    """The base of the portal's plain forms."""


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """The base of the portal's model forms."""


class CappedFormSet(forms.BaseFormSet):
    """A formset of at most ``max_num`` rows (see ``capped_formset_factory``)."""

    default_error_messages = {"too_many_forms": _("At most %(num)d rows can be sent.")}


def capped_formset_factory(form, *, max_num: int, **kwargs):
    """``formset_factory`` with a hard cap, for every formset of the portal: however many rows a post
    claims (TOTAL_FORMS), at most ``max_num`` are built, and more get a Vietnamese error above the rows
    instead of a page of two thousand (Django's own cap is max_num + 1000)."""
    return forms.formset_factory(
        form, formset=CappedFormSet, max_num=max_num, absolute_max=max_num, validate_max=True, **kwargs
    )


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(**kwargs)


class CouncilSettingsForm(PortalModelForm):
    class Meta:
        model = Council
        fields = ["name", "place_name", "parent_body", "issuing_body", "bloc_parent_lines", "current_year"]
        widgets = {"bloc_parent_lines": forms.Textarea(attrs={"rows": 2})}


class CouncilForm(PortalModelForm):
    """A council as the portal's administrator creates or edits it (its officers keep ``CouncilSettingsForm``,
    without the level)."""

    class Meta:
        model = Council
        fields = [
            "name",
            "level",
            "place_name",
            "parent_body",
            "issuing_body",
            "bloc_parent_lines",
            "current_year",
        ]
        widgets = {"bloc_parent_lines": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "level": _(
                "A provincial council starts with the provincial award catalogue, the central council with the "
                "central one. Changing the level later does not change the catalogue the council already has."
            )
        }


class UnitForm(PortalModelForm):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "abbreviations",
            "kind",
            "head_name",
            "head_title",
            "contact",
            "active",
        ]

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council


class BlocForm(PortalModelForm):
    class Meta:
        model = Bloc
        fields = ["name", "code", "kind", "description", "issuing_lines", "signer_lines", "active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "issuing_lines": forms.Textarea(attrs={"rows": 3}),
            "signer_lines": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council

    # A code that differs only by letter case from another's is refused by Bloc.clean() (on every database).

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Bloc.objects.filter(council=self.instance.council, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another bloc of this council already has this name."))
        return name


class MembershipForm(PortalModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "first_year", "last_year", "display_order"]

    def __init__(self, *args, bloc: Bloc, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.bloc = bloc
        self.fields["unit"].queryset = Unit.objects.filter(council=bloc.council_id)
        if self.instance.pk:
            self.fields["unit"].disabled = True


class MembershipAddForm(PortalForm):
    """Several units join a bloc at once: the units ticked, one first year, and their protocol order.

    The units offered are the council's active units that are not members of the bloc in ``year`` (the
    year the user is looking at) or later. Each has an order field (``order_<unit id>``, typed without
    JavaScript, renumbered when rows are dragged): the ticked units join in the order of their numbers,
    after the bloc's members. ``cleaned_data["units_in_order"]`` is that order. Any unit of the council
    may be posted, so that the service's rules (a period overlapping the unit's own) give their message.
    """

    ORDER_MAX = 999

    first_year = YearField(label=_("From year"))
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Units to add"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one unit.")},
    )

    def __init__(self, *args, bloc: Bloc, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_year"].initial = year
        self.fields["units"].queryset = Unit.objects.filter(council=bloc.council_id)
        self.candidates = list(
            Unit.objects.filter(council=bloc.council_id, active=True, successor__isnull=True)
            .exclude(pk__in=bloc.memberships.overlapping(year, None).values("unit_id"))
            .order_by("sort_name", "pk")
        )
        for position, unit in enumerate(self.candidates, start=1):
            self.fields[f"order_{unit.pk}"] = forms.IntegerField(
                label=_("Order of %(unit)s") % {"unit": unit.name},
                required=False,
                min_value=1,
                max_value=self.ORDER_MAX,
                initial=position,
            )

    def rows(self) -> list[tuple[Unit, bool, forms.BoundField]]:
        """(unit, ticked, its order field) per unit offered; a form sent back keeps the order typed."""
        ticked = {str(pk) for pk in (self["units"].value() or [])}
        rows = [(unit, str(unit.pk) in ticked, self[f"order_{unit.pk}"]) for unit in self.candidates]
        if self.is_bound:
            rows.sort(key=lambda row: _order_key(row[2].value()))
        return rows

    def clean(self):
        cleaned = super().clean()
        units = list(cleaned.get("units") or [])
        numbers: dict[int, int] = {}
        for position, unit in enumerate(units):
            name = f"order_{unit.pk}"
            number = cleaned.get(name) if name in self.fields else None
            if name in self.errors:
                continue
            if number is not None and number in numbers.values():
                self.add_error(name, _("Another unit ticked has the same order number."))
            numbers[unit.pk] = number if number is not None else self.ORDER_MAX + 1 + position
        cleaned["units_in_order"] = sorted(units, key=lambda unit: numbers.get(unit.pk, self.ORDER_MAX))
        return cleaned


def _order_key(value) -> int:
    """A typed order number for sorting rows; anything else goes last."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return MembershipAddForm.ORDER_MAX + 1


class SeatsForm(PortalForm):
    """The chair and up to three ordered vice-chairs of a bloc-year, chosen among that year's members."""

    VICE_SEATS = 3
    empty_labels = {f"vice_{rank}": NONE for rank in range(1, VICE_SEATS + 1)}  # no such vice-chair

    chair = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Chair"))

    def __init__(self, *args, bloc: Bloc, year: int, recorded: bool = False, **kwargs):
        """``recorded``: the bloc-year has seats already, so a change must say why (every change to
        recorded seats keeps its reason)."""
        super().__init__(*args, **kwargs)
        # Filtering through the membership join keeps that membership's protocol order for sorting.
        members = Unit.objects.filter(memberships__in=bloc.memberships.covering(year)).order_by(
            "memberships__display_order", "sort_name"
        )
        self.fields["chair"].queryset = members
        self.fields["chair"].label = bloc.seat_label(0)
        for rank in range(1, self.VICE_SEATS + 1):
            self.fields[f"vice_{rank}"] = forms.ModelChoiceField(
                queryset=members, required=False, label=bloc.seat_label(rank, vice_count=self.VICE_SEATS)
            )
        self.fields["reason"] = NFCTextFormField(
            label=_("Reason for the change") if recorded else _("Reason (optional)"),
            required=recorded,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Kept in the bloc's seat history with your name."),
        )
        self.fields["reason"].error_messages["required"] = _(
            "The %(seats)s of %(year)s are already recorded: say why they change."
        ) % {"seats": bloc.seats_word, "year": year}

    def clean(self):
        cleaned = super().clean()
        vices = [cleaned.get(f"vice_{rank}") for rank in range(1, self.VICE_SEATS + 1)]
        # Gaps are closed up: the order of the filled fields is the order of the seats.
        cleaned["vice_chairs"] = [unit for unit in vices if unit is not None]
        chosen = [cleaned.get("chair"), *cleaned["vice_chairs"]]
        seen = set()
        for unit in chosen:
            if unit is None:
                continue
            if unit.pk in seen:
                raise forms.ValidationError(_("A unit cannot hold two seats in the same year."))
            seen.add(unit.pk)
        return cleaned


class MergeForm(PortalForm):
    predecessors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Merging units"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    successor = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Successor unit"))
    year = YearField(label=_("Effective from year"))

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = Unit.objects.filter(council=council, successor__isnull=True)
        self.fields["successor"].queryset = Unit.objects.filter(council=council, successor__isnull=True)
        self.fields["year"].initial = council.current_year


class UserCreateForm(PortalModelForm):
    empty_labels = {"unit": BOARD_STAFF}
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password confirmation"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "unit", "position"]
        help_texts = {"unit": _("Leave empty for Board staff (an officer of the council).")}

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["unit"].queryset = Unit.objects.filter(council=council, active=True)
        self.fields["unit"].required = False

    def clean_username(self):
        # Also a database constraint; checked here so the message stands next to the field. Usernames are
        # ASCII (User.username_validator), so iexact compares every letter on SQLite and PostgreSQL alike.
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A user with this username already exists (letter case does not matter)."))
        return username

    def clean_password2(self):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two password fields didn’t match."))
        return p2

    def _post_clean(self):
        # The password is checked once the instance carries the username, names and e-mail typed in this
        # form (ModelForm._post_clean copies them), so that the similarity check compares against them:
        # in clean_password2 the new user has none of them yet. Django's own UserCreationForm does the same.
        super()._post_clean()
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password2", error)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        user.must_change_password = True  # an officer chose it: the user chooses their own at first login
        if commit:
            user.save()
        return user


class UserEditForm(PortalModelForm):
    empty_labels = {"unit": BOARD_STAFF}

    class Meta:
        model = User
        fields = ["last_name", "first_name", "email", "unit", "position", "is_active"]
        help_texts = {
            "unit": _("Leave empty for Board staff (an officer of the council)."),
            "is_active": _("Untick to deactivate the account; its history stays."),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(council=council)
        self.fields["unit"].required = False


class LoginForm(PortalFormMixin, AuthenticationForm):
    # Django's stock wording ("Vui lòng điền vào tên đăng nhập và mật khẩu chính xác…") reads as a machine
    # translation; officers read this one.
    error_messages = {
        "invalid_login": _(
            "The user name or the password is not right. Passwords distinguish capital and small letters."
        ),
        "inactive": _("This account is locked. Ask the council's emulation office to open it again."),
    }

    def clean_username(self):
        # One spelling of a username for the login and for the failed-login throttle (django-axes counts
        # failures per username as given), so "OFFICER" and "officer" share one count; the user manager
        # finds the account whatever its case.
        return (self.cleaned_data.get("username") or "").lower()


class OwnPasswordChangeForm(PortalFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("The current password is not right. Type it again."),
    }


class OfficerSetPasswordForm(PortalFormMixin, SetPasswordForm):
    """An officer sets a new password for a user who forgot theirs (no e-mail server is assumed)."""

    def save(self, commit=True):
        # The officer knows this password: the user chooses their own at the next login.
        self.user.must_change_password = True
        return super().save(commit=commit)


class DeadlineForm(PortalForm):
    """An officer sets one deadline: for every bloc of the council, or one bloc's own."""

    year = YearField(label=_("Emulation year"))
    kind = forms.ChoiceField(label=_("What is due"), choices=[("", CHOOSE), *Deadline.Kind.choices])
    bloc = forms.ModelChoiceField(
        queryset=Bloc.objects.none(),
        required=False,
        label=_("Bloc"),
        help_text=_("Leave empty for every bloc of the council; a bloc's own deadline counts instead."),
    )
    due_on = BoundedDateFormField(label=_("Due on"))
    note = NFCLineFormField(label=_("Note"), max_length=255, required=False)
    empty_labels: ClassVar[Mapping[str, Any]] = {"bloc": _("Every bloc of the council")}

    def __init__(self, *args: Any, council: Council, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["bloc"].queryset = Bloc.objects.filter(council=council, active=True).order_by("sort_name", "pk")


class EmailSettingsForm(PortalForm):
    """The kinds of notice the user wants by e-mail (all by default)."""

    kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PasswordResetRequestForm(PortalFormMixin, PasswordResetForm):
    """Quên mật khẩu: the account's e-mail address. Django's form sends the link only to active accounts of
    that address with a usable password, and the page that follows is the same whether one exists or not."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Django's message, sent after the request's commit by a background job (blocs.notifications)."""
        from django.core.mail import EmailMultiAlternatives
        from django.template import loader

        from .notifications import message_on_commit

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject, loader.render_to_string(email_template_name, context), from_email, [to_email]
        )
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        message_on_commit(message)


class ResetSetPasswordForm(PortalFormMixin, SetPasswordForm):
    """The new password chosen from a reset link: the user's own, so no change is asked at the next login."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)
