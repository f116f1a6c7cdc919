"""Every text field of every form keeps what was typed: stored NFC, no character lost, line breaks kept in
multi-line fields.

The rule of the product (docs/architecture.md#cross-cutting-pieces, Text; ``blocs.text``):

* a multi-line field (a ``Textarea``) stores ``nfc_text``: NFC; every line break (CR LF, CR, U+2028 …)
  becomes LF; within a line, runs of white space (tabs too) become one space and the ends are trimmed; a
  run of blank lines becomes one blank line (a paragraph break), none at the start or the end;
* a single-line field (an ``<input>``, which cannot hold a line break in a browser) stores ``nfc_line``:
  NFC, every run of white space (a line break too) one space, the ends trimmed.

Every other character — letters with their marks, in whatever order the marks were typed, punctuation,
quotes, ``<``, ``&``, symbols — is kept. The expected values below are written out by hand rather than
computed with those helpers, so that a change of the helpers is a visible change of the rule.

The forms are found by walking every module of the five apps, so a form added later is covered, or this
module fails until it is given valid data here (``SPECS``) or is listed with its reason (``NOT_STORING``,
``MIXINS``). Each text field of each form is its own test; a model form is also saved the way its view
saves it and read back from the database. The pages themselves are posted in
tests/test_text_roundtrip_pages.py.
"""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import pkgutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.db import transaction

from awards import services as awards_services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardRule, AwardType, Proposal
from blocs.models import Unit
from meetings.models import AttendanceState, MeetingElection

from .conftest import YEAR

APPS = ["blocs", "pledges", "awards", "meetings", "documents"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@dataclass(frozen=True)
class Sample:
    """What a browser may send (decomposed, as some keyboards and pasted PDFs give it) and what each kind
    of field must store."""

    id: str
    typed: str
    text: str  # stored by a multi-line field
    line: str  # stored by a single-line field


SAMPLES = [
    Sample(
        "crlf-and-paragraph",
        nfd("Hội Phụ nữ tỉnh\r\nMặt trận Tổ quốc\n\ndòng ba"),
        "Hội Phụ nữ tỉnh\nMặt trận Tổ quốc\n\ndòng ba",
        "Hội Phụ nữ tỉnh Mặt trận Tổ quốc dòng ba",
    ),
    Sample(
        # The marks of "ộ" typed in the other order (circumflex before dot below): NFC reorders them.
        "marks-out-of-order",
        "Ho\u0302\u0323i " + nfd("Đắk Lắk\r\nƯu"),
        "Hội Đắk Lắk\nƯu",
        "Hội Đắk Lắk Ưu",
    ),
    Sample(
        "tabs-spaces-blank-lines",
        "  " + nfd("Báo cáo\t tổng kết  năm 2021") + " \r\n\r\n \r\n\t" + nfd("Bầu Khối trưởng") + "  \r\n  ",
        "Báo cáo tổng kết năm 2021\n\nBầu Khối trưởng",
        "Báo cáo tổng kết năm 2021 Bầu Khối trưởng",
    ),
    Sample("short", nfd("KTĐ-Ưu\r\nSố 6"), "KTĐ-Ưu\nSố 6", "KTĐ-Ưu Số 6"),
    Sample("cr-and-line-separator", nfd("Một\rHai\u2028Ba"), "Một\nHai\nBa", "Một Hai Ba"),
    Sample(
        # Characters a template, a sanitiser or an ASCII-minded cleaner might drop; x with a dot below has
        # no precomposed form and keeps its combining mark in NFC.
        "punctuation-and-symbols",
        nfd("“Xếp hạng Nhất” <b> & ‘QĐ’ 12/QĐ-UBND; 100% — x̣ ★\r\nNgười ký: Nguyễn Thị Ánh"),
        "“Xếp hạng Nhất” <b> & ‘QĐ’ 12/QĐ-UBND; 100% — x̣ ★\nNgười ký: Nguyễn Thị Ánh",
        "“Xếp hạng Nhất” <b> & ‘QĐ’ 12/QĐ-UBND; 100% — x̣ ★ Người ký: Nguyễn Thị Ánh",
    ),
]


def test_the_samples_are_decomposed_and_their_expected_values_composed():
    for sample in SAMPLES:
        assert sample.typed != sample.text
        for stored in (sample.text, sample.line):
            assert unicodedata.is_normalized("NFC", stored)
        assert "\n" not in sample.line and "\r" not in sample.text


# --- which fields are text ---------------------------------------------------------------------------


def is_text_field(form_field: forms.Field) -> bool:
    """A field a user types free text into: a character field shown as a text input or a text area."""
    return isinstance(form_field, forms.CharField) and isinstance(form_field.widget, (forms.TextInput, forms.Textarea))


def is_multi_line(form_field: forms.Field) -> bool:
    return isinstance(form_field.widget, forms.Textarea)


def stored_form(sample: Sample, form_field: forms.Field) -> str:
    return sample.text if is_multi_line(form_field) else sample.line


def samples_for(form_field: forms.Field) -> list[Sample]:
    """The samples whose stored form fits the field's length."""
    limit = form_field.max_length
    return [s for s in SAMPLES if limit is None or len(stored_form(s, form_field)) <= limit]


# --- discovery ---------------------------------------------------------------------------------------


def app_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name:
                continue
            yield importlib.import_module(info.name)


def label(form_class: type) -> str:
    """A form's name within its app ("meetings.ResultsForm"): it stays when a module is split or moved."""
    return f"{form_class.__module__.split('.')[0]}.{form_class.__name__}"


def discovered_forms() -> dict[str, type]:
    """Every form class defined in the apps, and every form a formset of the apps is built on, by label."""
    found: dict[str, type] = {}
    for module in app_modules():
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                value = value.form
            # A mixin without declared fields (blocs.forms.PortalFormMixin) is not a form of its own.
            if not hasattr(value, "base_fields"):
                continue
            if issubclass(value, forms.BaseForm) and value.__module__.split(".")[0] in APPS:
                assert found.setdefault(label(value), value) is value, f"two forms named {label(value)}"
    return found


FORMS = discovered_forms()


# --- the forms: how each is built and given valid data -------------------------------------------------


class World:
    """The test fixtures, asked for only when a form needs them (tests/conftest.py and the support modules)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return self._request.getfixturevalue(name)


@dataclass
class Spec:
    """How to build a form: its keyword arguments, data that makes it valid (None: it has no text field),
    text fields its ``__init__`` adds (patterns), and how its view stores a model form."""

    kwargs: Callable[[World], dict] = lambda w: {}
    data: Callable[[World], dict] | None = None
    dynamic: list[str] = field(default_factory=list)
    store: Callable | None = None  # (form, world) -> saved instance; a model form's default is form.save()


def _pk(obj) -> str:
    return str(obj.pk)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _award(w, code) -> AwardType:
    return w.awards[code]


def _award_type_store(form, w):
    return awards_services.award_type_save(award_type=form.instance, by=w.users["officer"])


def _award_rule_store(form, w):
    return awards_services.award_rule_save(rule=form.instance, by=w.users["officer"])


def _first_signatory_data(w) -> dict:
    first = w.signing.signatories.order_by("position").first()
    return {"signed_on": "2020-12-29", f"signed_{first.unit_id}": "on"}


def _proposal_data(w) -> dict:
    return {
        "award_type": _pk(_award(w, PROVINCIAL_FLAG)),
        "recipient": "unit",
        "unit": _pk(w.units["member_unit"]),
        "collective_name": "",
        "person_name": "",
        "person_position": "",
        "summary": "",
        "award_reason": "",
        "acclamation": "on",
    }


def _scoring_criteria(w) -> list:
    from pledges.scoring.selectors import sheet_criteria

    return sheet_criteria(w.table)


def _results_data(w) -> dict:
    return {
        "attendance_state": AttendanceState.NOT_RECORDED,
        "election_method": MeetingElection.Method.NOT_RECORDED,
        "flag_received_by": "",
        "report_summary": "",
        "directions": "",
        "movement_text": "",
    }


SPECS: dict[str, Spec] = {
    # blocs
    "blocs.CouncilSettingsForm": Spec(
        kwargs=lambda w: {"instance": _fresh(w.council)},
        data=lambda w: {
            "name": "Hội đồng Thi đua – Khen thưởng tỉnh An Giang",
            "place_name": "An Giang",
            "parent_body": "UBND TỈNH AN GIANG",
            "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
            "current_year": str(YEAR),
        },
    ),
    "blocs.CouncilForm": Spec(
        data=lambda w: {
            "name": "Hội đồng Thi đua – Khen thưởng Trung ương",
            "level": "central",
            "place_name": "Hà Nội",
            "parent_body": "",
            "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TRUNG ƯƠNG",
            "bloc_parent_lines": "",
            "current_year": str(YEAR),
        },
    ),
    # A hidden "confirmed" flag: no text typed.
    "blocs.ConfirmForm": Spec(),
    "blocs.UnitForm": Spec(
        kwargs=lambda w: {"council": w.council},
        data=lambda w: {"code": "SYT", "name": "Sở Y tế tỉnh", "kind": Unit.Kind.AGENCY, "active": "on"},
    ),
    "blocs.BlocForm": Spec(
        kwargs=lambda w: {"council": w.council},
        data=lambda w: {"name": "Khối thi đua số 9", "code": "KTĐ9", "kind": "bloc", "active": "on"},
    ),
    "blocs.MembershipForm": Spec(kwargs=lambda w: {"bloc": w.bloc}),
    # Ticked units, a year and order numbers: no text typed.
    "blocs.MembershipAddForm": Spec(kwargs=lambda w: {"bloc": w.bloc, "year": YEAR}),
    "blocs.SeatsForm": Spec(
        kwargs=lambda w: {"bloc": w.bloc, "year": YEAR, "recorded": True},
        data=lambda w: {"chair": _pk(w.units["chair_unit"]), "reason": "Đổi Khối phó"},
        dynamic=["reason"],
    ),
    "blocs.MergeForm": Spec(kwargs=lambda w: {"council": w.council}),
    "blocs.UnitsImportForm": Spec(),
    "blocs.UserCreateForm": Spec(
        kwargs=lambda w: {"council": w.council},
        data=lambda w: {
            "username": "nguoi_moi",
            "last_name": "Trần",
            "first_name": "Bình",
            "password1": "Cay-xoai-9-nhanh",
            "password2": "Cay-xoai-9-nhanh",
        },
    ),
    "blocs.UserEditForm": Spec(
        kwargs=lambda w: {"instance": _fresh(w.users["member"]), "council": w.council},
        data=lambda w: {"last_name": "Nguyễn Văn", "first_name": "An", "is_active": "on"},
    ),
    "blocs.OfficerSetPasswordForm": Spec(kwargs=lambda w: {"user": w.users["member"]}),
    # pledges
    "pledges.PledgeCreateForm": Spec(kwargs=lambda w: {"bloc": w.bloc, "year": YEAR}),
    "pledges.DraftForm": Spec(data=lambda w: {"revision": "1", "title": "Giao ước thi đua năm 2021"}),
    "pledges.SigningOpenForm": Spec(),
    "pledges.SectionForm": Spec(data=lambda w: {"heading": "Mục tiêu", "body": "Hoàn thành"}),
    "pledges.SignForm": Spec(data=lambda w: {"signatory_name": "Lê Minh Tâm", "signed_on": "2021-01-05"}),
    "pledges.RecordSignaturesForm": Spec(
        kwargs=lambda w: {"signatories": list(w.signing.signatories.order_by("position"))},
        data=_first_signatory_data,
        dynamic=["name_*", "title_*"],
    ),
    "pledges.FinaliseForm": Spec(),
    "pledges.CorrectionForm": Spec(data=lambda w: {"reason": "Sửa lỗi chính tả"}),
    "pledges.ScanUploadForm": Spec(),
    # pledges: scoring (the points fields are numbers, not free text: PointsFormField)
    "pledges.GroupForm": Spec(
        kwargs=lambda w: {"table": w.table}, data=lambda w: {"name": "Công tác chuyên môn", "maximum": "50"}
    ),
    "pledges.CriterionForm": Spec(
        kwargs=lambda w: {"table": w.table},
        data=lambda w: {"text": "Hoàn thành chỉ tiêu", "kind": "base", "maximum": "10", "guide": ""},
    ),
    "pledges.TableCreateForm": Spec(kwargs=lambda w: {"bloc": w.bloc, "year": YEAR}),
    "pledges.SettingsForm": Spec(),
    "pledges.SelfScoresForm": Spec(
        kwargs=lambda w: {"criteria": _scoring_criteria(w), "scores": {}},
        data=lambda w: {f"points_{c.pk}": "0" for c in _scoring_criteria(w)},
        dynamic=["note_*"],
    ),
    "pledges.ReviewScoresForm": Spec(
        kwargs=lambda w: {"criteria": _scoring_criteria(w), "scores": {}},
        data=lambda w: {f"review_{c.pk}": "" for c in _scoring_criteria(w)},
        dynamic=["reason_*"],
    ),
    "pledges.ReasonForm": Spec(data=lambda w: {"reason": "Thiếu minh chứng"}),
    "pledges.EvidenceForm": Spec(kwargs=lambda w: {"criteria": _scoring_criteria(w)}),
    "pledges.AssignmentForm": Spec(kwargs=lambda w: {"units": list(w.units.values())}),
    "pledges.DirectRankingForm": Spec(
        kwargs=lambda w: {"units": [w.units["member_unit"]]}, data=lambda w: {"note": "Biên bản hội nghị"}
    ),
    "pledges.TableImportForm": Spec(),
    # awards
    "awards.AwardTypeForm": Spec(
        kwargs=lambda w: {"council": w.council},
        data=lambda w: {
            "name": "Bằng khen Thử nghiệm",
            "recipient_kind": AwardType.RecipientKind.values[0],
            "level": AwardType.Level.PROVINCE,
            "authority": AwardType.Authority.COUNCIL_CHAIRMAN,
            "order": "1",
            "active": "on",
        },
        store=_award_type_store,
    ),
    "awards.AwardRuleForm": Spec(
        kwargs=lambda w: {"award_type": _award(w, PROVINCIAL_FLAG)},
        data=lambda w: {
            "kind": AwardRule.Kind.THRESHOLD,
            "severity": AwardRule.Severity.ERROR,
            "threshold": "2/3",
            "base": AwardRule.Base.values[0],
            "acclamation_counts": "on",
        },
        store=_award_rule_store,
    ),
    "blocs.DeadlineForm": Spec(
        data=lambda w: {"year": str(YEAR), "kind": "submission", "due_on": "2022-01-15"},
        kwargs=lambda w: {"council": w.council},
    ),
    "awards.RegistrationForm": Spec(
        kwargs=lambda w: {"bloc": w.bloc, "year": YEAR, "units": Unit.objects.filter(pk=w.units["member_unit"].pk)},
        data=lambda w: {"unit": _pk(w.units["member_unit"]), "award_type": _pk(_award(w, PROVINCIAL_FLAG))},
    ),
    "awards.ProposalForm": Spec(kwargs=lambda w: {"bloc": w.bloc, "year": YEAR}, data=_proposal_data),
    "awards.WarningReasonForm": Spec(data=lambda w: {"key": "threshold:1", "reason": "Lý do"}),
    "awards.SubmitForm": Spec(kwargs=lambda w: {"queryset": Proposal.objects.none()}),
    "awards.BlocAwardDecideForm": Spec(kwargs=lambda w: {"queryset": Proposal.objects.none()}),
    "awards.DecisionForm": Spec(
        kwargs=lambda w: {"queryset": Proposal.objects.all()},
        data=lambda w: {"number": "123/QĐ-UBND", "date": "2022-03-01", "proposals": [_pk(w.proposal())]},
    ),
    "awards.DecisionCorrectForm": Spec(data=lambda w: {"number": "123/QĐ-UBND", "reason": "Sửa số"}),
    "awards.ExternalAwardForm": Spec(
        kwargs=lambda w: {"council": w.council},
        data=lambda w: {
            "award_type": _pk(_award(w, CHAIRMAN_CERTIFICATE)),
            "year": str(YEAR - 1),
            "recipient": "unit",
            "unit": _pk(w.units["member_unit"]),
        },
    ),
    "awards.ExcelUploadForm": Spec(),
    "awards.ReviewManyForm": Spec(data=lambda w: {"action": "return", "reason": "Hồ sơ thiếu", "proposals": ["1"]}),
    "awards.ReviewFilterForm": Spec(kwargs=lambda w: {"council": w.council}),
    # meetings
    "meetings.MeetingForm": Spec(
        kwargs=lambda w: {"bloc": w.bloc},
        data=lambda w: {"kind": "year_end", "year": str(YEAR), "date": "2021-12-28"},
    ),
    "meetings.GuestForm": Spec(data=lambda w: {"organisation": "Ban Thi đua – Khen thưởng"}),
    "meetings.AttendanceForm": Spec(
        kwargs=lambda w: {"units": Unit.objects.filter(pk=w.units["member_unit"].pk)},
        data=lambda w: {"unit": _pk(w.units["member_unit"]), "present": "on"},
    ),
    "meetings.VoteForm": Spec(
        kwargs=lambda w: {"award_types": AwardType.objects.all(), "units": Unit.objects.all()},
        data=lambda w: {
            "award_type": _pk(_award(w, CHAIRMAN_CERTIFICATE)),
            "unit": _pk(w.units["farmers"]),
            "acclamation": "on",
        },
    ),
    "meetings.BlocAwardForm": Spec(
        kwargs=lambda w: {"award_types": AwardType.objects.all(), "units": Unit.objects.all()},
        data=lambda w: {"award_type": _pk(_award(w, BLOC_EXEMPLARY_COLLECTIVE)), "unit": _pk(w.units["farmers"])},
    ),
    "meetings.ResultsForm": Spec(
        kwargs=lambda w: {"bloc": w.bloc, "year": YEAR, "next_year": YEAR + 1}, data=_results_data
    ),
    "meetings.AwardsHandedOverForm": Spec(kwargs=lambda w: {"choices": Proposal.objects.none()}),
    "meetings.CorrectionForm": Spec(data=lambda w: {"reason": "Sửa số phiếu"}),
    "meetings.ScanUploadForm": Spec(),
}

# Forms that store no text a user types: they are not given data here, and why.
NOT_STORING: dict[str, str] = {
    "blocs.LoginForm": "signs a user in; the username is ASCII and folded, the password is never text stored",
    "blocs.OwnPasswordChangeForm": "changes the user's own password; a password is never text stored",
    "blocs.PasswordResetRequestForm": "sends a reset link to an e-mail address; it stores nothing",
    "blocs.ResetSetPasswordForm": "sets the password from a reset link; a password is never text stored",
    "blocs.EmailSettingsForm": "ticks the kinds of notice sent by e-mail: choices, no text",
}

# Form classes that are never used alone; their fields are tested through the forms built on them.
MIXINS: dict[str, list[str]] = {
    "blocs.PortalForm": ["blocs.SeatsForm"],
    "blocs.PortalModelForm": ["blocs.UnitForm"],
    "awards.TallyMixin": ["awards.ProposalForm"],
    "awards.RecipientMixin": ["awards.ProposalForm", "awards.ExternalAwardForm"],
    "meetings._AwardRowForm": ["meetings.VoteForm", "meetings.BlocAwardForm"],
    "pledges.TableChangeForm": ["pledges.GroupForm", "pledges.CriterionForm"],
}

# Text inputs that hold a key or a number, not free text, and why they may refuse the samples.
NOT_FREE_TEXT: dict[tuple[str, str], str] = {
    ("blocs.UserCreateForm", "username"): "a login name: ASCII letters, digits and @.+-_ only, by design",
    ("awards.AwardRuleForm", "threshold"): "a fraction or percentage, parsed into two numbers",
}


def text_fields_of_class(form_class: type) -> list[str]:
    return [name for name, f in form_class.base_fields.items() if is_text_field(f)]


CASES = [
    pytest.param(key, name, id=f"{key}.{name}")
    for key, spec in SPECS.items()
    if spec.data is not None and key in FORMS
    for name in [*text_fields_of_class(FORMS[key]), *spec.dynamic]
    if (key, name) not in NOT_FREE_TEXT
]


@pytest.fixture
def world(request, db) -> World:
    return World(request)


def test_every_form_of_the_apps_is_covered_or_listed_with_its_reason():
    listed = set(SPECS) | set(NOT_STORING) | set(MIXINS)
    assert set(FORMS) - listed == set(), "a new form: give it valid data in SPECS, or list it with its reason"
    assert listed - set(FORMS) == set(), "a listed form is gone: remove it from this module"
    assert {key for key, _name in NOT_FREE_TEXT} <= set(SPECS)
    for mixin, users in MIXINS.items():
        for key in users:
            assert issubclass(FORMS[key], FORMS[mixin]) and key in SPECS
        assert set(FORMS[mixin].base_fields) <= set().union(*(FORMS[key].base_fields for key in users))


def _instance_text_fields(form: forms.BaseForm) -> set[str]:
    return {name for name, f in form.fields.items() if is_text_field(f)}


@pytest.mark.parametrize("key", list(SPECS))
def test_the_text_fields_tested_are_those_the_form_has(key, world):
    """A field added in ``__init__`` (not on the class) is tested too, once listed in its spec."""
    spec, form_class = SPECS[key], FORMS[key]
    form = form_class(**spec.kwargs(world))
    fields = _instance_text_fields(form)
    if spec.data is None:
        assert fields == set(), f"{form_class.__name__} has text fields: give it valid data in SPECS"
        return
    patterns = [*text_fields_of_class(form_class), *spec.dynamic]
    assert all(any(fnmatch.fnmatchcase(name, p) for p in patterns) for name in fields)
    assert all(any(fnmatch.fnmatchcase(name, p) for name in fields) for p in patterns)


def _resolve(form: forms.BaseForm, pattern: str) -> str:
    return sorted(name for name in form.fields if fnmatch.fnmatchcase(name, pattern))[0]


def _read_back(form, spec: Spec, world: World, name: str):
    saved = spec.store(form, world) if spec.store else form.save()
    return getattr(type(saved).objects.get(pk=saved.pk), name)


@pytest.mark.parametrize(("key", "pattern"), CASES)
def test_a_text_field_keeps_every_typed_character(key, pattern, world):
    spec, form_class = SPECS[key], FORMS[key]
    base = spec.data(world)
    baseline = form_class(data=base, **spec.kwargs(world))
    assert baseline.is_valid(), baseline.errors
    name = _resolve(baseline, pattern)
    form_field = baseline.fields[name]
    chosen = samples_for(form_field)
    assert len(chosen) >= 3, f"{name} is too short for the samples"
    for sample in chosen:
        expected = stored_form(sample, form_field)
        form = form_class(data={**base, name: sample.typed}, **spec.kwargs(world))
        assert form.is_valid(), (sample.id, form.errors)
        assert form.cleaned_data[name] == expected, sample.id
        if isinstance(form, forms.ModelForm) and name in form._meta.model._meta._forward_fields_map:
            with transaction.atomic():
                assert _read_back(form, spec, world, name) == expected, sample.id
                transaction.set_rollback(True)
