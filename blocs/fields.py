"""Model and form fields that put what users type into its stored form, in one place for every app.

Text is stored NFC in one place for every field; multi-line fields keep their line breaks.
Every text column of blocs, pledges, awards, meetings and documents is an ``NFCCharField`` (one line:
``blocs.text.nfc_line``) or an ``NFCTextField`` (several lines: ``blocs.text.nfc_text``); a test walks the
models so that a new field cannot forget. The value is normalised

* in ``to_python`` — so ``full_clean()`` (and with it a model form's unique checks) sees the stored form;
* in ``pre_save`` — so ``save()`` and ``bulk_create()`` store it, and the instance holds what was stored;
* in ``get_db_prep_save`` — so ``QuerySet.update()`` and ``bulk_update()`` store it too;
* in the form field ``formfield()`` returns — so a model form's duplicate and length checks, and its
  ``cleaned_data``, see the stored form. Plain forms use ``NFCLineFormField`` / ``NFCTextFormField``.

Lookups are not normalised (``name__startswith="Khối "`` keeps its space); callers normalise a lookup
value with ``blocs.text.nfc``.

Dates a user types are bounded (``BoundedDateField`` / ``BoundedDateFormField``): 01/01/0001 or
31/12/9999 is a typing slip, not a date of an emulation year.

Every date a user types is a text input written dd/mm/yyyy (``BoundedDateFormField`` with
``DayMonthYearInput``), whatever the browser: ``<input type="date">`` shows mm/dd/yyyy in an English
browser, and a Vietnamese officer reads 05/06/2021 as the 5th of June. Times are typed hh:mm on the 24-hour
clock the same way (``HourMinuteFormField``), never the browser's AM/PM picker.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django import forms
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .text import nfc_line, nfc_text

# The emulation years the portal records: from the founding of the emulation movement to a far future.
FIRST_YEAR = 1945
LAST_YEAR = 2100
FIRST_DATE = datetime.date(FIRST_YEAR, 1, 1)
LAST_DATE = datetime.date(LAST_YEAR, 12, 31)


def validate_date_in_range(value: datetime.date | None) -> None:
    """A date of the portal's years (FIRST_YEAR to LAST_YEAR), or a Vietnamese error next to the field."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Enter a date from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": date_format(FIRST_DATE, "d/m/Y"), "last": date_format(LAST_DATE, "d/m/Y")},
        )


class UsernameValidator(ASCIIUsernameValidator):
    """ASCII usernames (no diacritics), so that a database's lower() folds every letter (blocs.models.User),
    with a message of the portal's catalogue (Django's has no Vietnamese for its own)."""

    message = _("Enter a username of letters without diacritics (a–z, A–Z), digits and @/./+/-/_ only.")


# --- form fields ---------------------------------------------------------------------------------------


class NFCLineFormField(forms.CharField):
    """A one-line text input whose cleaned value is ``nfc_line`` of what was typed."""

    normalise: Callable[[str], str] = staticmethod(nfc_line)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if isinstance(value, str) and value else value


class NFCTextFormField(NFCLineFormField):
    """A text area whose cleaned value is ``nfc_text`` of what was typed (line breaks kept)."""

    widget = forms.Textarea
    normalise = staticmethod(nfc_text)


# dd/mm/yyyy first (and d/m/yyyy, which %d and %m accept); ISO too, for scripts and old bookmarks. Never
# the language's own formats: Django's English ones read 05/06/2021 as May the 6th.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_SHOWN_FORMAT = "%d/%m/%Y"
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh", "%H.%M"]
TIME_SHOWN_FORMAT = "%H:%M"
# A phone's numeric keypad may have no "/" or ":": eight digits are a day, four digits a time.
_DIGITS_DATE = re.compile(r"\d{8}")
_DIGITS_TIME = re.compile(r"\d{4}")


def _with_help(format_help, help_text) -> object:
    """The format's help, then the field's own (if any)."""
    return format_lazy("{} {}", format_help, help_text) if help_text else format_help


class DayMonthYearInput(forms.DateInput):
    """A text input showing a date as dd/mm/yyyy (never the browser's picker and its locale's order)."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format or DATE_SHOWN_FORMAT)


class HourMinuteInput(forms.TimeInput):
    """A text input showing a time as hh:mm on the 24-hour clock."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        defaults = {"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format or TIME_SHOWN_FORMAT)


class BoundedDateFormField(forms.DateField):
    """The portal's one date field: typed dd/mm/yyyy (also d/m/yyyy), shown dd/mm/yyyy, within the portal's
    years; anything else, an impossible day like 31/02/2021 too, gets one Vietnamese message."""

    widget = DayMonthYearInput
    input_formats = DATE_INPUT_FORMATS
    default_validators = [validate_date_in_range]
    default_error_messages = {"invalid": _("Enter the date as dd/mm/yyyy, e.g. 28/12/2021.")}

    def __init__(self, *, help_text="", format_help: bool = True, **kwargs):
        """``format_help=False``: a table cell without help lines (its placeholder still shows the format)."""
        if format_help:
            help_text = _with_help(_("Written dd/mm/yyyy."), help_text)
        super().__init__(help_text=help_text, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and _DIGITS_DATE.fullmatch(value.strip()):
            value = value.strip()
            value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
        return super().to_python(value)


class HourMinuteFormField(forms.TimeField):
    """The portal's one time field: typed and shown hh:mm on the 24-hour clock (8h30 and 08.30 are read too)."""

    widget = HourMinuteInput
    input_formats = TIME_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter the time as hh:mm (24-hour clock), e.g. 14:30.")}

    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=_with_help(_("Written hh:mm, 24-hour clock."), help_text), **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and _DIGITS_TIME.fullmatch(value.strip()):
            value = value.strip()
            value = f"{value[:2]}:{value[2:]}"
        return super().to_python(value)


# --- model fields --------------------------------------------------------------------------------------


class _NormalisedText:
    """The normalising behaviour shared by the two text fields (mixed in before the Django field)."""

    normalise: Callable[[str], str]
    form_class: type[forms.Field]
    schema_path: str

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = self.normalise(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = self.normalise(value)
        return super().get_db_prep_save(value, connection)

    def formfield(self, **kwargs):
        # With choices Django builds its own choice field and ignores form_class: a choice is a key.
        kwargs.setdefault("form_class", self.form_class)
        return super().formfield(**kwargs)

    def deconstruct(self):
        # Normalisation is behaviour, not schema: migrations see the plain Django field, so switching a
        # column to (or from) these classes needs no migration in any app.
        name, _path, args, kwargs = super().deconstruct()
        return name, self.schema_path, args, kwargs


# The ignore below: the mixin's untyped formfield(**kwargs) passes Field's own arguments on.
class NFCCharField(_NormalisedText, models.CharField):  # type: ignore[misc]
    """A one-line text column stored as ``blocs.text.nfc_line`` (NFC, white space collapsed, trimmed)."""

    normalise = staticmethod(nfc_line)
    form_class = NFCLineFormField
    schema_path = "django.db.models.CharField"


# The ignore below: the mixin's untyped formfield(**kwargs) passes Field's own arguments on.
class NFCTextField(_NormalisedText, models.TextField):  # type: ignore[misc]
    """A multi-line text column stored as ``blocs.text.nfc_text`` (NFC, line breaks kept)."""

    normalise = staticmethod(nfc_text)
    form_class = NFCTextFormField
    schema_path = "django.db.models.TextField"


class BoundedDateField(models.DateField):
    """A date column a user types, within the portal's years (checked by ``full_clean`` and its form)."""

    # default_validators (unlike validators=[…]) are not part of deconstruct(): no migration either.
    default_validators = [validate_date_in_range]

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", BoundedDateFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs
