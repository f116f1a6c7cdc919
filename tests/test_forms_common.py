"""What every form of the portal shares: one date input (typed and shown dd/mm/yyyy, whatever the
browser's language), one time input (hh:mm, 24-hour clock), and empty choices in words instead of
Django's "---------".

The project-wide checks walk every form class of the apps' form modules (a new form that forgets the
shared base, or brings back ``<input type="date">``, fails here) and render the main form pages as the
users who fill them in.
"""

from __future__ import annotations

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from awards import services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardRule, Proposal
from blocs.fields import BoundedDateFormField, DayMonthYearInput, HourMinuteFormField
from blocs.forms import ALL, CHOOSE, NONE, UNKNOWN, PortalForm, PortalFormMixin, PortalModelForm
from blocs.models import Unit

from .conftest import YEAR
from .fixtures.pledges import make_draft

DATE_MESSAGE = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 28/12/2021."
TIME_MESSAGE = "Nhập giờ theo dạng hh:mm (24 giờ), ví dụ 14:30."
FORM_MODULES = ["blocs.forms", "blocs.excel_views", "pledges.forms", "awards.forms", "meetings.forms"]
BROWSER_DATE = 'type="date"'
BROWSER_TIME = 'type="time"'
DJANGO_EMPTY = "---------"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


# The shared date field --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("28/12/2021", datetime.date(2021, 12, 28)),
        ("1/2/2021", datetime.date(2021, 2, 1)),
        (" 01/02/2021 ", datetime.date(2021, 2, 1)),
        ("28122021", datetime.date(2021, 12, 28)),  # a phone keypad without "/"
        ("2021-12-28", datetime.date(2021, 12, 28)),  # ISO, as scripts post it
    ],
)
def test_the_date_field_reads_day_month_year(typed, expected):
    assert BoundedDateFormField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["2021-13-45", "31/02/2021", "29/02/2021", "12/28/2021", "28/12/21", "hôm qua"])
def test_the_date_field_refuses_anything_else_in_vietnamese(typed):
    with pytest.raises(forms.ValidationError) as refused:
        BoundedDateFormField().clean(typed)
    assert refused.value.messages == [DATE_MESSAGE]


def test_the_date_field_reads_dd_mm_in_english_too():
    """Django's English input formats read 05/06/2021 as the 6th of May; the portal's field does not."""
    with translation.override("en"):
        assert BoundedDateFormField().clean("05/06/2021") == datetime.date(2021, 6, 5)


def test_the_date_field_keeps_the_portal_years():
    with pytest.raises(forms.ValidationError) as refused:
        BoundedDateFormField().clean("01/01/0001")
    assert refused.value.messages == ["Nhập ngày trong khoảng từ 01/01/1945 đến 31/12/2100."]


def test_the_date_input_is_text_shown_day_month_year():
    html = BoundedDateFormField().widget.render("day", datetime.date(2021, 12, 28))
    assert 'type="text"' in html
    assert 'value="28/12/2021"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html


class _DayForm(PortalForm):
    day = BoundedDateFormField(label="Ngày", help_text="Để trống nếu chưa rõ.")
    at = HourMinuteFormField(label="Giờ", required=False)


def test_a_form_shows_the_format_as_help_and_the_error_next_to_the_field():
    unbound = str(_DayForm(initial={"day": datetime.date(2021, 12, 28), "at": datetime.time(8, 5)}))
    assert 'value="28/12/2021"' in unbound
    assert 'value="08:05"' in unbound
    assert "Nhập theo dạng dd/mm/yyyy. Để trống nếu chưa rõ." in unbound
    form = _DayForm(data={"day": "31/02/2021", "at": "25:00"})
    assert not form.is_valid()
    assert form.errors == {"day": [DATE_MESSAGE], "at": [TIME_MESSAGE]}
    html = str(form)
    assert 'value="31/02/2021"' in html  # what was typed stays, to be corrected
    assert DATE_MESSAGE in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:30", datetime.time(14, 30)), ("8h30", datetime.time(8, 30)), ("0830", datetime.time(8, 30))],
)
def test_the_time_field_reads_hours_and_minutes(typed, expected):
    assert HourMinuteFormField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["2:30 PM", "24:00", "14:61"])
def test_the_time_field_refuses_anything_else_in_vietnamese(typed):
    with pytest.raises(forms.ValidationError) as refused:
        HourMinuteFormField().clean(typed)
    assert refused.value.messages == [TIME_MESSAGE]


# Empty choices ----------------------------------------------------------------------------------------


class _ChoiceForm(PortalForm):
    empty_labels = {"host": UNKNOWN, "vice": NONE}

    unit = forms.ModelChoiceField(queryset=Unit.objects.none())
    host = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    vice = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(choices=[("", DJANGO_EMPTY), ("a", "A")])
    told = forms.ChoiceField(choices=[("", "Không ghi nhận"), ("a", "A")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A field added in __init__, and a select given ready-made options (as formset rows are).
        self.fields["late"] = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
        self.fields["shared"] = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
        self.fields["shared"].widget.choices = [("", DJANGO_EMPTY), (1, "Một")]


class _FilterForm(PortalForm):
    filter_form = True

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)


def _options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


@pytest.mark.django_db
def test_empty_choices_say_what_they_mean():
    html = str(_ChoiceForm())
    assert DJANGO_EMPTY not in html
    assert '<option value="" selected>— Chọn —</option>' in _options(html, "unit")
    assert "— Không rõ —" in _options(html, "host")
    assert "— Không có —" in _options(html, "vice")
    assert "— Chọn —" in _options(html, "kind")
    assert "Không ghi nhận" in _options(html, "told")  # a form's own empty choice stays
    assert "— Chọn —" in _options(html, "late")
    assert "— Chọn —" in _options(html, "shared")
    assert "— Tất cả —" not in html
    assert '<option value="" selected>Tất cả</option>' in _options(str(_FilterForm()), "unit")
    assert [str(label) for label in (CHOOSE, UNKNOWN, NONE, ALL)] == [
        "— Chọn —",
        "— Không rõ —",
        "— Không có —",
        "Tất cả",
    ]


# Every form of the apps ---------------------------------------------------------------------------------


BASES = {PortalFormMixin, PortalForm, PortalModelForm}  # the shared bases themselves, not forms of a page


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _attr, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name and value not in BASES:
                found.append(value)
    return found


FORM_CLASSES = _form_classes()


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"DecisionForm", "SignForm", "MeetingForm", "SeatsForm", "ReviewFilterForm", "UnitsImportForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_shares_the_portal_base(form_class):
    assert issubclass(form_class, PortalFormMixin), f"{form_class.__name__}: derive it from blocs.forms.PortalForm"
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            assert isinstance(field, BoundedDateFormField), f"{name}: use blocs.fields.BoundedDateFormField"
            assert isinstance(field.widget, DayMonthYearInput), name
        if isinstance(field, forms.TimeField):
            assert isinstance(field, HourMinuteFormField), f"{name}: use blocs.fields.HourMinuteFormField"
        assert getattr(field.widget, "input_type", None) not in ("date", "time", "datetime-local"), name


@pytest.fixture
def form_arguments(council, bloc, units, seats, users, signing, awards):
    """The keyword arguments the forms' __init__ take, from the fixture council: a new form that needs one
    more adds it here."""
    flag = awards[PROVINCIAL_FLAG]
    return {
        "council": council,
        "bloc": bloc,
        "year": YEAR,
        "next_year": YEAR + 1,
        "units": Unit.objects.filter(council=council),
        "award_type": flag,
        "queryset": Proposal.objects.filter(bloc=bloc),
        "choices": Proposal.objects.filter(bloc=bloc),
        "signatories": list(signing.signatories.all()),
        "user": users["member"],
        "request": None,
    }


def _instantiate(form_class, arguments):
    signature = inspect.signature(form_class.__init__)
    kwargs = {}
    for name, parameter in signature.parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is not parameter.empty and name not in ("request",):
            continue
        assert name in arguments, f"{form_class.__name__} needs {name!r}: add it to form_arguments"
        kwargs[name] = arguments[name]
    if "user" in kwargs and list(signature.parameters)[1] == "user":
        return form_class(kwargs.pop("user"), **kwargs)  # SetPasswordForm(user, data=None)
    return form_class(**kwargs)


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_renders_text_dates_and_worded_empty_choices(form_class, form_arguments, awards):
    form = _instantiate(form_class, form_arguments)
    dates = [name for name, field in form.fields.items() if isinstance(field, forms.DateField)]
    for name in dates:
        form.initial[name] = datetime.date(2021, 12, 28)
    html = str(form)
    assert BROWSER_DATE not in html
    assert BROWSER_TIME not in html
    assert DJANGO_EMPTY not in html
    for name in dates:
        assert 'value="28/12/2021"' in str(form[name]), name


def _filled_pages(bloc, units, users, meeting, awards, proposal, walk):
    """(role, url) of every main page with a form, on data like the demo's."""
    flag = awards[PROVINCIAL_FLAG]
    decided = proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE)
    # The unit did not register for it: the chair says why, as the dossier checks ask.
    services.proposal_reason_set(proposal=decided, key="registration", reason="Đăng ký bổ sung.", by=None)
    decision = walk.to_decided(decided)
    rule = AwardRule.objects.create(
        award_type=flag, kind=AwardRule.Kind.ELIGIBILITY, requires_type=awards[CHAIRMAN_CERTIFICATE]
    )
    draft_2022 = make_draft(bloc, year=YEAR + 1, by=users["officer"])
    return [
        ("officer", reverse("blocs:council_settings")),
        ("officer", reverse("blocs:bloc_create")),
        ("officer", reverse("blocs:bloc_edit", args=[bloc.pk])),
        ("officer", reverse("blocs:membership_create", args=[bloc.pk])),
        ("officer", reverse("blocs:seats_edit", args=[bloc.pk, YEAR])),
        ("officer", reverse("blocs:unit_create")),
        ("officer", reverse("blocs:unit_edit", args=[units["farmers"].pk])),
        ("officer", reverse("blocs:unit_merge")),
        ("officer", reverse("blocs:units_import")),
        ("officer", reverse("blocs:user_create")),
        ("officer", reverse("blocs:user_edit", args=[users["member"].pk])),
        ("officer", reverse("blocs:user_password_reset", args=[users["member"].pk])),
        ("officer", reverse("pledges:pledge_edit", args=[draft_2022.pledge.pk])),
        ("officer", reverse("awards:type_create")),
        ("officer", reverse("awards:type_edit", args=[flag.pk])),
        ("officer", reverse("awards:rule_create", args=[flag.pk])),
        ("officer", reverse("awards:rule_edit", args=[rule.pk])),
        ("officer", reverse("blocs:deadlines")),
        ("chair", reverse("awards:proposal_create", args=[bloc.pk, YEAR])),
        ("chair", reverse("awards:registrations", args=[bloc.pk, YEAR])),
        ("officer", reverse("awards:bloc_award_decide", args=[bloc.pk, YEAR])),
        ("officer", reverse("awards:review_queue")),
        ("officer", reverse("awards:decision_create")),
        ("officer", reverse("awards:decision_detail", args=[decision.pk])),
        ("officer", reverse("awards:external_create")),
        ("chair", reverse("meetings:meeting_schedule", args=[bloc.pk])),
        ("chair", reverse("meetings:meeting_edit", args=[meeting.pk])),
        ("chair", reverse("meetings:meeting_results", args=[meeting.pk])),
        ("officer", reverse("meetings:meeting_awards_handed_over", args=[meeting.pk])),
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("awards_checks_only")  # the pages, not the meetings app's dossier check
def test_the_form_pages_show_text_dates_and_worded_empty_choices(
    client_as, bloc, units, seats, users, meeting, awards, proposal, walk
):
    for role, url in _filled_pages(bloc, units, users, meeting, awards, proposal, walk):
        response = client_as(role).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert BROWSER_DATE not in html, url
        assert BROWSER_TIME not in html, url
        assert DJANGO_EMPTY not in html, url
    edit = client_as("chair").get(reverse("meetings:meeting_edit", args=[meeting.pk])).content.decode()
    assert 'value="28/12/2021"' in edit
    assert 'value="14:00"' in edit
    assert 'placeholder="dd/mm/yyyy"' in edit


@pytest.mark.django_db
def test_the_signing_pages_show_text_dates(client_as, signing, heads):
    pledge = signing.pledge
    sign = client_as("member").get(reverse("pledges:pledge_sign", args=[pledge.pk]))
    record = client_as("chair").get(reverse("pledges:pledge_signatures_record", args=[pledge.pk]))
    for response in (sign, record):
        assert response.status_code == 200
        html = response.content.decode()
        assert BROWSER_DATE not in html
        assert DJANGO_EMPTY not in html
        assert 'placeholder="dd/mm/yyyy"' in html
    assert html.count('placeholder="dd/mm/yyyy"') == 1 + len(signing.signatories.all())


@pytest.mark.django_db
def test_a_refused_own_date_is_marked_next_to_its_unit(client_as, signing, heads, units):
    pledge = signing.pledge
    unit = units["farmers"]
    response = client_as("chair").post(
        reverse("pledges:pledge_signatures_record", args=[pledge.pk]),
        {"signed_on": "29/12/2020", f"signed_{unit.pk}": "on", f"date_{unit.pk}": "31/02/2021"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert DATE_MESSAGE in html
    assert 'value="31/02/2021"' in html
    assert "is-invalid" in html
