"""The form renderer writes the input and select widgets in Python (blocs/renderers.py): the markup must
be exactly what Django's templates write, for every kind of widget, value and attribute."""

from datetime import date, time

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from blocs.models import Unit
from blocs.renderers import FastWidgetRenderer
from meetings.forms import GuestForm, MeetingForm

TEMPLATES = DjangoTemplates()
FAST = FastWidgetRenderer()

TRICKY = 'Hội "Phụ nữ" <tỉnh> & Đoàn\'s'
CHOICES = [("", "---------"), (1, "Một"), (2021, 2021), ("x", TRICKY), ("lazy", gettext_lazy("Present"))]
GROUPED = [("Nhóm <1>", [(1, "Một"), (2, "Hai")]), ("Khác", [("k", "Khác")]), (3, "Ba")]

WIDGETS = [
    (forms.TextInput(), TRICKY),
    (forms.TextInput(attrs={"class": "form-control", "required": True, "disabled": False, "maxlength": 500}), ""),
    (forms.TextInput(), None),
    (forms.TextInput(), mark_safe("<b>an already safe value</b>")),
    (forms.NumberInput(attrs={"min": 0}), 1234567),
    (forms.EmailInput(), "a@b.vn"),
    (forms.URLInput(), "https://x.vn/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "mật khẩu"),
    (forms.HiddenInput(), 49),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
    (forms.DateInput(), date(2021, 12, 28)),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), date(2021, 12, 28)),
    (forms.TimeInput(), time(14, 0)),
    (forms.Select(choices=CHOICES), 2021),
    (forms.Select(choices=CHOICES, attrs={"aria-label": TRICKY}), None),
    (forms.Select(choices=GROUPED), 2),
    (forms.SelectMultiple(choices=CHOICES), [1, "x"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("widget", "value"), WIDGETS, ids=[f"{type(w).__name__}-{i}" for i, (w, _) in enumerate(WIDGETS)]
)
def test_a_widget_renders_as_the_templates_render_it(widget, value, language):
    with translation.override(language):
        expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=TEMPLATES)
        assert widget.render("field", value, attrs={"id": "id_field"}, renderer=FAST) == expected


def test_a_radio_select_still_renders_through_its_templates():
    widget = forms.RadioSelect(choices=CHOICES)
    assert widget.render("f", 1, renderer=FAST) == widget.render("f", 1, renderer=TEMPLATES)


@pytest.mark.django_db
def test_whole_forms_render_the_same(bloc, units):
    data = {"kind": "nonsense", "year": "abc", "date": "31/02/2021", "name": TRICKY}
    for form_class, kwargs in ((MeetingForm, {"bloc": bloc}), (GuestForm, {})):
        for bound in (None, data):
            with translation.override("vi"):
                fast = form_class(bound, renderer=FAST, **kwargs)
                slow = form_class(bound, renderer=TEMPLATES, **kwargs)
                assert str(fast.as_div()) == str(slow.as_div())


@pytest.mark.django_db
def test_a_model_choice_select_renders_the_same(units):
    field = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"))
    widget = field.widget
    widget.choices = field.choices
    pk = units["member_unit"].pk
    assert widget.render("unit", pk, renderer=FAST) == widget.render("unit", pk, renderer=TEMPLATES)
