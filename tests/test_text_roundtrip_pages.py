"""The text pages, posted as a browser posts them and read back from the database: what was typed is
stored NFC, a text area keeps its line breaks, a one-line input every other character (the rule and the
samples: tests/test_text_roundtrip.py).

Each page is first read (GET) and its forms sent back as shown, as a user who changes one field would;
only the field under test (and what it needs, e.g. a recipient kind) then differs. Each (page, field) is
its own test; each sample is posted in a savepoint that is rolled back, so a page that creates a record
starts from the same database for every sample.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from awards import services as awards_services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, BLOC_EXEMPLARY_INDIVIDUAL, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardRule, AwardType, Decision, Proposal, Registration
from blocs.models import Bloc, Council, Deadline, SeatWrite, Unit, User
from meetings import services as meetings_services
from meetings.models import Meeting, MeetingAttendance, MinutesVersion
from pledges.models import PledgeSignatory, PledgeVersion

from .conftest import YEAR
from .fixtures.meetings import PDF
from .test_text_roundtrip import APPS, FORMS, SAMPLES, World, is_multi_line, samples_for, stored_form

pytestmark = pytest.mark.django_db

REDIRECT = 302
# The samples posted to the pages: line breaks, white space, the characters a page might mangle, and a short
# one for short fields. The others (marks typed out of order, CR and U+2028) test the normalisation alone,
# which runs in the form fields whatever the page: tests/test_text_roundtrip.py posts them to every form.
PAGE_SAMPLES = {"crlf-and-paragraph", "tabs-spaces-blank-lines", "punctuation-and-symbols", "short"}
Read = Callable[[World], str]


@dataclass
class Target:
    """A posted field: how its stored value is read back, and what else the post needs for it."""

    read: Read
    extra: Callable[[World], dict] = lambda w: {}


@dataclass
class Page:
    role: str
    url: Callable[[World], str]
    targets: dict[str, Target]
    base: Callable[[World], dict] = lambda w: {}  # what a user fills in besides the field under test
    setup: Callable[[World], object] = lambda w: None
    post_url: Callable[[World], str] | None = None  # a form shown on one page and posted to another
    shows_back: bool = False  # the page shows the stored record again: it is read back through it too


def field_of(model_getter: Callable[[World], object], attr: str) -> Read:
    return lambda w: getattr(model_getter(w), attr)


def newest(model) -> Callable[[World], object]:
    return lambda w: model.objects.latest("pk")


def reloaded(key: str) -> Callable[[World], object]:
    """A fixture's object as the database holds it now."""

    def get(w):
        obj = getattr(w, key)
        return type(obj).objects.get(pk=obj.pk)

    return get


# --- the objects the pages write ----------------------------------------------------------------------


def _council(w) -> Council:
    return Council.objects.get(pk=w.council.pk)


def _member_unit(w) -> Unit:
    return Unit.objects.get(pk=w.units["member_unit"].pk)


def _bloc(w) -> Bloc:
    return Bloc.objects.get(pk=w.bloc.pk)


def _member_user(w) -> User:
    return User.objects.get(pk=w.users["member"].pk)


def _draft(w) -> PledgeVersion:
    return PledgeVersion.objects.get(pk=w.drafting.pk)


def _first_section(w):
    return _draft(w).sections.order_by("position").first()


def _signatory(w) -> PledgeSignatory:
    return PledgeSignatory.objects.get(version=w.signing, unit=w.units["member_unit"])


def _meeting(w) -> Meeting:
    return Meeting.objects.get(pk=w.meeting.pk)


def _new_meeting(w) -> Meeting:
    return Meeting.objects.latest("pk")


def _first_guest(meeting_getter) -> Callable[[World], object]:
    return lambda w: meeting_getter(w).guests.order_by("pk").first()


def _attendance_row(w) -> MeetingAttendance:
    return MeetingAttendance.objects.get(meeting=w.meeting, unit=w.units["chair_unit"])


def _proposal(w) -> Proposal:
    return Proposal.objects.latest("pk")


def _person(w):
    return _proposal(w).person


def _vote_proposal(w) -> Proposal:
    return _meeting(w).votes.get().proposal


def _bloc_award_proposal(w) -> Proposal:
    return _meeting(w).bloc_awards.get().proposal


# --- what a page needs first --------------------------------------------------------------------------


def _conference_proposal(w) -> Proposal:
    """LHPN's provincial flag: the chair's draft with its achievement report (registered for: an unregistered
    title needs a reason), then voted by the year-end conference, whose minutes are final: ready to submit."""
    flag = w.awards[PROVINCIAL_FLAG]
    awards_services.registration_add(bloc=w.bloc, year=YEAR, unit=w.units["member_unit"], award_type=flag, by=None)
    draft = w.proposal("member_unit")
    _final_minutes(w)
    return Proposal.objects.get(pk=draft.pk)


def _approved(w) -> Proposal:
    item = _conference_proposal(w)
    w.walk.submit(item)
    w.walk.approve(item)
    return item


def _decided(w) -> Decision:
    return w.walk.to_decided(_conference_proposal(w))


def _final_minutes(w) -> None:
    w.record()
    version = meetings_services.minutes_finalise(meeting=w.meeting, by=w.users["chair"], issue_pdf=False)
    meetings_services.minutes_scan_upload(
        version=version, file=SimpleUploadedFile("bien-ban.pdf", PDF), by=w.users["chair"]
    )


# --- the pages ----------------------------------------------------------------------------------------


def _named(getter, names) -> dict[str, Target]:
    return {name: Target(field_of(getter, name)) for name in names}


UNIT_TEXT = ["code", "name", "short_name", "abbreviations", "head_name", "head_title", "contact"]
BLOC_TEXT = ["name", "code", "description", "issuing_lines", "signer_lines"]
USER_TEXT = ["last_name", "first_name", "position"]
MEETING_TEXT = [
    "title",
    "place",
    "date_line_place",
    "presiding_name",
    "presiding_title",
    "secretary_name",
    "secretary_title",
    "agenda",
]
GUEST_TEXT = ["name", "position", "organisation"]


def _guests(meeting_getter) -> dict[str, Target]:
    return {f"guests-0-{name}": Target(field_of(_first_guest(meeting_getter), name)) for name in GUEST_TEXT}


def _schedule_base(w) -> dict:
    return {"kind": "mid_year", "year": str(YEAR), "date": "2021-07-15", "guests-0-organisation": "Sở Nội vụ"}


def _as_person(w) -> dict:
    return {"recipient": "person", "award_type": str(w.awards[CHAIRMAN_CERTIFICATE].pk), "person_name": "Trần Mai"}


def _recipient_targets() -> dict[str, Target]:
    return {
        "collective_name": Target(field_of(_proposal, "collective_name"), lambda w: {"recipient": "collective"}),
        "person_name": Target(field_of(_person, "name"), _as_person),
        "person_position": Target(field_of(_person, "position"), _as_person),
    }


def _proposal_base(w) -> dict:
    return {
        "award_type": str(w.awards[CHAIRMAN_CERTIFICATE].pk),
        "recipient": "unit",
        "unit": str(w.units["member_unit"].pk),
        "acclamation": "on",
    }


def _vote(w) -> dict:
    return {
        "votes-0-award_type": str(w.awards[CHAIRMAN_CERTIFICATE].pk),
        "votes-0-unit": str(w.units["farmers"].pk),
        "votes-0-acclamation": "on",
    }


def _bloc_award(w) -> dict:
    return {
        "awards-0-award_type": str(w.awards[BLOC_EXEMPLARY_INDIVIDUAL].pk),
        "awards-0-unit": str(w.units["veterans"].pk),
        "awards-0-person_name": "Phạm Văn Long",
    }


def _handover(w) -> dict:
    return {
        "handover_recorded": "on",
        "handover_outgoing": str(w.units["chair_unit"].pk),
        "handover_incoming": str(w.units["vice_unit"].pk),
        "handover_flag": "on",
    }


def _results_targets() -> dict[str, Target]:
    return {
        **_named(_meeting, ["report_summary", "directions"]),
        "movement_text": Target(field_of(_meeting, "movement_text"), lambda w: {"movement_launched": "on"}),
        "flag_received_by": Target(lambda w: _meeting(w).handover.flag_received_by, _handover),
        "attendance-0-representatives": Target(
            field_of(_attendance_row, "representatives"),
            lambda w: {"attendance_state": "list", "attendance-0-present": "on"},
        ),
        "votes-0-collective_name": Target(field_of(_vote_proposal, "collective_name"), _vote),
        "votes-0-person_name": Target(lambda w: _vote_proposal(w).person.name, _vote),
        "votes-0-person_position": Target(
            lambda w: _vote_proposal(w).person.position, lambda w: {**_vote(w), "votes-0-person_name": "Lê Thu"}
        ),
        "awards-0-collective_name": Target(
            field_of(_bloc_award_proposal, "collective_name"),
            lambda w: {
                **_bloc_award(w),
                "awards-0-award_type": str(w.awards[BLOC_EXEMPLARY_COLLECTIVE].pk),
                "awards-0-person_name": "",
            },
        ),
        "awards-0-person_name": Target(lambda w: _bloc_award_proposal(w).person.name, _bloc_award),
        "awards-0-person_position": Target(lambda w: _bloc_award_proposal(w).person.position, _bloc_award),
    }


def _signatory_key(w, name: str) -> str:
    return f"{name}_{w.units['member_unit'].pk}"


PAGES: dict[str, Page] = {
    "blocs.council_settings": Page(
        "officer",
        lambda w: reverse("blocs:council_settings"),
        _named(_council, ["name", "place_name", "parent_body", "issuing_body", "bloc_parent_lines"]),
        shows_back=True,
    ),
    "blocs.unit_create": Page(
        "officer",
        lambda w: reverse("blocs:unit_create"),
        _named(newest(Unit), UNIT_TEXT),
        base=lambda w: {"code": "SYT", "name": "Sở Y tế tỉnh", "kind": Unit.Kind.AGENCY, "active": "on"},
    ),
    "blocs.unit_edit": Page(
        "officer",
        lambda w: reverse("blocs:unit_edit", args=[w.units["member_unit"].pk]),
        _named(_member_unit, UNIT_TEXT),
        shows_back=True,
    ),
    "blocs.bloc_create": Page(
        "officer",
        lambda w: reverse("blocs:bloc_create"),
        _named(newest(Bloc), BLOC_TEXT),
        base=lambda w: {"name": "Khối thi đua số 9", "code": "KTĐ9", "kind": "bloc", "active": "on"},
    ),
    "blocs.bloc_edit": Page(
        "officer", lambda w: reverse("blocs:bloc_edit", args=[w.bloc.pk]), _named(_bloc, BLOC_TEXT), shows_back=True
    ),
    "blocs.seats_edit": Page(
        "officer",
        lambda w: reverse("blocs:seats_edit", args=[w.bloc.pk, YEAR]),
        {"reason": Target(field_of(newest(SeatWrite), "reason"))},
        base=lambda w: {"vice_1": str(w.units["member_unit"].pk)},  # a change: only a change keeps its reason
    ),
    "blocs.user_create": Page(
        "officer",
        lambda w: reverse("blocs:user_create"),
        _named(newest(User), USER_TEXT),
        base=lambda w: {
            "username": "nguoi_moi",
            "last_name": "Trần",
            "first_name": "Bình",
            "password1": "Cay-xoai-9-nhanh",
            "password2": "Cay-xoai-9-nhanh",
        },
    ),
    "blocs.user_edit": Page(
        "officer",
        lambda w: reverse("blocs:user_edit", args=[w.users["member"].pk]),
        _named(_member_user, USER_TEXT),
        shows_back=True,
    ),
    "pledges.pledge_edit": Page(
        "chair",
        lambda w: reverse("pledges:pledge_edit", args=[w.drafting.pledge_id]),
        {
            **_named(_draft, ["title", "signing_place", "preamble"]),
            "sections-0-heading": Target(field_of(_first_section, "heading")),
            "sections-0-body": Target(field_of(_first_section, "body")),
        },
        shows_back=True,
    ),
    "pledges.pledge_sign": Page(
        "member",
        lambda w: reverse("pledges:pledge_sign", args=[w.signing.pledge_id]),
        _named(_signatory, ["signatory_name", "signatory_title"]),
    ),
    "pledges.pledge_signatures_record": Page(
        "chair",
        lambda w: reverse("pledges:pledge_signatures_record", args=[w.signing.pledge_id]),
        {
            "name_{member_unit}": Target(field_of(_signatory, "signatory_name")),
            "title_{member_unit}": Target(field_of(_signatory, "signatory_title")),
        },
        base=lambda w: {_signatory_key(w, "signed"): "on"},
    ),
    "pledges.pledge_correction": Page(
        "chair",
        lambda w: reverse("pledges:pledge_correction", args=[w.final.pledge_id]),
        {"reason": Target(field_of(newest(PledgeVersion), "reason"))},
    ),
    "awards.type_create": Page(
        "officer",
        lambda w: reverse("awards:type_create"),
        {"name": Target(field_of(newest(AwardType), "name"))},
        base=lambda w: {
            "name": "Bằng khen Thử nghiệm",
            "recipient_kind": "any",
            "level": "province",
            "authority": "council_chairman",
            "order": "1",
            "active": "on",
        },
    ),
    "awards.type_edit": Page(
        "officer",
        lambda w: reverse("awards:type_edit", args=[w.awards[PROVINCIAL_FLAG].pk]),
        {"name": Target(lambda w: AwardType.objects.get(pk=w.awards[PROVINCIAL_FLAG].pk).name)},
        shows_back=True,
    ),
    "awards.rule_create": Page(
        "officer",
        lambda w: reverse("awards:rule_create", args=[w.awards[PROVINCIAL_FLAG].pk]),
        {"note": Target(field_of(newest(AwardRule), "note"))},
        base=lambda w: {
            "kind": AwardRule.Kind.THRESHOLD,
            "severity": AwardRule.Severity.ERROR,
            "threshold": "2/3",
            "base": AwardRule.Base.values[0],
        },
    ),
    "blocs.deadlines": Page(
        "officer",
        lambda w: reverse("blocs:deadlines"),
        {"note": Target(field_of(newest(Deadline), "note"))},
        base=lambda w: {"year": str(YEAR), "kind": "submission", "due_on": "2022-01-15"},
    ),
    "awards.registrations": Page(
        "chair",
        lambda w: reverse("awards:registrations", args=[w.bloc.pk, YEAR]),
        {"note": Target(field_of(newest(Registration), "note"))},
        base=lambda w: {"unit": str(w.units["member_unit"].pk), "award_type": str(w.awards[PROVINCIAL_FLAG].pk)},
    ),
    "awards.proposal_create": Page(
        "chair",
        lambda w: reverse("awards:proposal_create", args=[w.bloc.pk, YEAR]),
        {**_named(_proposal, ["summary", "award_reason"]), **_recipient_targets()},
        base=_proposal_base,
    ),
    "awards.proposal_edit": Page(
        "chair",
        lambda w: reverse("awards:proposal_edit", args=[w.edited.pk]),
        {**_named(_proposal, ["summary", "award_reason"]), **_recipient_targets()},
        setup=lambda w: setattr(w, "edited", w.proposal(type_code=CHAIRMAN_CERTIFICATE)),
        shows_back=True,
    ),
    "awards.decision_create": Page(
        "officer",
        lambda w: reverse("awards:decision_create"),
        _named(newest(Decision), ["number", "signer"]),
        base=lambda w: {"number": "123/QĐ-UBND", "date": "2022-03-01", "proposals": [str(w.approved.pk)]},
        setup=lambda w: setattr(w, "approved", _approved(w)),
    ),
    "awards.decision_correct": Page(
        "officer",
        lambda w: reverse("awards:decision_detail", args=[w.decided.pk]),
        {
            **_named(newest(Decision), ["number", "signer"]),
            "reason": Target(lambda w: Decision.objects.latest("pk").corrections.latest("pk").reason),
        },
        base=lambda w: {"number": "124/QĐ-UBND", "reason": "Sửa số"},
        setup=lambda w: setattr(w, "decided", _decided(w)),
        post_url=lambda w: reverse("awards:decision_correct", args=[w.decided.pk]),
    ),
    "awards.external_create": Page(
        "officer",
        lambda w: reverse("awards:external_create"),
        {
            **_named(_proposal, ["summary", "award_reason"]),
            **_recipient_targets(),
            "decision_number": Target(lambda w: _proposal(w).decision.number),
            "signer": Target(lambda w: _proposal(w).decision.signer),
        },
        base=lambda w: {**_proposal_base(w), "year": str(YEAR - 1), "decision_number": "45/QĐ-UBND"},
    ),
    "meetings.meeting_schedule": Page(
        "chair",
        lambda w: reverse("meetings:meeting_schedule", args=[w.bloc.pk]),
        {**_named(_new_meeting, MEETING_TEXT), **_guests(_new_meeting)},
        base=_schedule_base,
        setup=lambda w: w.seats,
    ),
    "meetings.meeting_edit": Page(
        "chair",
        lambda w: reverse("meetings:meeting_edit", args=[w.meeting.pk]),
        {**_named(_meeting, MEETING_TEXT), **_guests(_meeting)},
        shows_back=True,
    ),
    "meetings.meeting_results": Page(
        "chair", lambda w: reverse("meetings:meeting_results", args=[w.meeting.pk]), _results_targets(), shows_back=True
    ),
    "meetings.minutes_correction": Page(
        "chair",
        lambda w: reverse("meetings:minutes_correction", args=[w.meeting.pk]),
        {"reason": Target(field_of(newest(MinutesVersion), "reason"))},
        setup=_final_minutes,
    ),
}


# --- posting a page as the browser does ---------------------------------------------------------------


def _forms_of(response) -> list:
    """The forms and formsets the page was rendered with, each once."""
    found, seen = [], set()
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, (forms.BaseForm, forms.BaseFormSet)) and id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
    return found


def _shown(form: forms.BaseForm) -> dict:
    """A form's fields as the page shows them: what a browser sends back unchanged."""
    data: dict = {}
    for name, form_field in form.fields.items():
        if isinstance(form_field, forms.FileField):
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(form_field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        elif isinstance(value, (datetime.date, datetime.time)):
            data[key] = value.isoformat()
        else:
            data[key] = "" if value is None else str(value)
    return data


def page_data(response) -> tuple[dict, dict[str, forms.Field]]:
    """What the page posts back unchanged, and each posted name's form field."""
    data: dict = {}
    fields: dict[str, forms.Field] = {}
    for item in _forms_of(response):
        shown = [item.management_form, *item.forms] if isinstance(item, forms.BaseFormSet) else [item]
        for form in shown:
            data.update(_shown(form))
            fields.update({form.add_prefix(name): f for name, f in form.fields.items()})
    return data, fields


def _errors(response) -> dict:
    if response.context is None:
        return {"status": response.status_code}
    found = {}
    for item in _forms_of(response):
        errors = item.errors if isinstance(item, forms.BaseForm) else [item.non_form_errors(), *item.errors]
        if errors:
            found[repr(type(item))] = errors
    return found


# The pages' multi-line fields (text areas): their line breaks are kept. Every other field is one line.
MULTI_LINE = {
    "description",
    "issuing_lines",
    "bloc_parent_lines",
    "signer_lines",
    "reason",
    "preamble",
    "body",
    "summary",
    "award_reason",
    "agenda",
    "report_summary",
    "directions",
    "movement_text",
}

CASES = [pytest.param(page, key, id=f"{page}.{key}") for page, spec in PAGES.items() for key in spec.targets]


@pytest.fixture
def world(request, db) -> World:
    return World(request)


@pytest.mark.parametrize(("page", "template"), CASES)
def test_a_page_stores_what_was_typed(page, template, world, client_as):
    spec = PAGES[page]
    spec.setup(world)
    client = client_as(spec.role)
    response = client.get(spec.url(world))
    assert response.status_code == 200
    shown, fields = page_data(response)
    key = template.format(**{name: unit.pk for name, unit in world.units.items()})
    target = spec.targets[template]
    form_field = fields[key]
    assert is_multi_line(form_field) == (template.split("-")[-1] in MULTI_LINE), "a text area became an input?"
    for sample in [s for s in samples_for(form_field) if s.id in PAGE_SAMPLES]:
        data = {**shown, **spec.base(world), **target.extra(world), key: sample.typed}
        with transaction.atomic():
            response = client.post((spec.post_url or spec.url)(world), data)
            assert response.status_code == REDIRECT, (sample.id, _errors(response))
            expected = stored_form(sample, form_field)
            assert target.read(world) == expected, sample.id
            if spec.shows_back:
                again = client.get(spec.url(world))
                assert page_data(again)[0][key] == expected, sample.id
                assert escape(expected) in again.content.decode(), sample.id
            transaction.set_rollback(True)


def test_a_warning_reason_is_stored_as_typed(world, client_as):
    """The reason for a rule's warning is a text area of the proposal page, posted on its own."""
    item = world.proposal()  # LĐLĐ never registered for the flag: a warning that needs a reason
    client = client_as("chair")
    detail = reverse("awards:proposal_detail", args=[item.pk])
    finding = next(f for f in client.get(detail).context["proposal"].findings if f.is_warning)
    form_field = FORMS["awards.WarningReasonForm"].base_fields["reason"]
    assert is_multi_line(form_field)
    for sample in samples_for(form_field):
        with transaction.atomic():
            posted = {"key": finding.key, "reason": sample.typed}
            assert client.post(reverse("awards:proposal_reason", args=[item.pk]), posted).status_code == REDIRECT
            assert Proposal.objects.get(pk=item.pk).warning_reasons[finding.key] == sample.text, sample.id
            assert escape(sample.text) in client.get(detail).content.decode(), sample.id
            transaction.set_rollback(True)


# --- text fields written by hand in a template (no form class renders them) -----------------------------

TEXT_ELEMENT = re.compile(r"<(textarea|input)\b([^>]*)>")

# Every text input and text area a template writes by hand, and where its text goes. A new one fails
# test_every_hand_written_text_field_is_listed until it is listed here (and, if it stores text, tested).
HAND_WRITTEN: dict[tuple[str, str], str] = {
    ("awards/proposal_detail.html", "reason"): "return and reject reasons: test_a_review_reason_is_stored_as_typed",
    ("awards/review_queue.html", "reason"): "the bulk return's reason: test_a_bulk_return_reason_is_stored_as_typed",
    ("awards/_findings.html", "reason"): "WarningReasonForm's field: test_a_warning_reason_is_stored_as_typed",
    ("blocs/seats_form.html", "reason"): "the reason to accept the suggestion: test_an_accepted_suggestion_keeps…",
    ("pledges/record.html", "{{ name.html_name }}"): "RecordSignaturesForm's name field (page pledges.record)",
    ("pledges/record.html", "{{ title.html_name }}"): "RecordSignaturesForm's title field (page pledges.record)",
    ("scoring/sheet_detail.html", "{{ p.html_name }}"): "SelfScoresForm's points: a number, not free text",
    ("scoring/sheet_detail.html", "{{ r.html_name }}"): "ReviewScoresForm's points: a number, not free text",
    ("scoring/sheet_detail.html", "{{ n.html_name }}"): "SelfScoresForm's note_* field: test_member_fills_its_sheet…",
    ("scoring/sheet_detail.html", "{{ why.html_name }}"): "ReviewScoresForm's reason_* field (page scoring.sheet)",
    ("meetings/meeting_news.html", ""): "the news draft to copy, never posted (no name)",
    ("base.html", "q"): "the search box: a GET query, nothing stored",
    ("blocs/calendar.html", ""): "the calendar feed's address shown to copy, read-only (no name): never posted",
    ("blocs/search.html", "q"): "the search box: a GET query, nothing stored",
    ("blocs/membership_add.html", ""): "narrows the units offered in the browser (no name): never posted",
    ("includes/search_bar.html", "q"): "the unit, bloc and user lists' filter: a GET query, nothing stored",
    ("awards/decision_form.html", "q"): "narrows the approved proposals shown: a GET query, nothing stored",
}


def hand_written_text_fields() -> set[tuple[str, str]]:
    """(template, name) of every text input or text area typed into a template of the project or an app."""
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [Path(config.path) / "templates" for config in apps.get_app_configs() if config.name in APPS]
    found = set()
    for root in (r for r in roots if r.is_dir()):
        for path in root.rglob("*.html"):
            for tag, attrs in TEXT_ELEMENT.findall(path.read_text(encoding="utf-8")):
                kind = re.search(r'type="([^"]*)"', attrs)
                if tag == "input" and kind and kind.group(1) not in ("text", "search"):
                    continue
                name = re.search(r'name="([^"]*)"', attrs)
                found.add((path.relative_to(root).as_posix(), name.group(1) if name else ""))
    return found


def test_every_hand_written_text_field_is_listed():
    assert hand_written_text_fields() == set(HAND_WRITTEN)


def _post_each_sample(client, url: str, data: dict, read: Read, world: World, shown_at: str | None = None):
    """Post every multi-line sample as the hand-written text area ``reason``; each is read back."""
    for sample in SAMPLES:
        with transaction.atomic():
            response = client.post(url, {**data, "reason": sample.typed})
            assert response.status_code == REDIRECT, sample.id
            assert read(world) == sample.text, sample.id
            if shown_at:
                assert escape(sample.text) in client.get(shown_at).content.decode(), sample.id
            transaction.set_rollback(True)


@pytest.mark.parametrize("action", ["proposal_return", "proposal_reject"])
def test_a_review_reason_is_stored_as_typed(action, world, client_as):
    item = _conference_proposal(world)
    world.walk.submit(item)
    client = client_as("officer")
    url = reverse(f"awards:{action}", args=[item.pk])

    def read(w) -> str:
        stored = Proposal.objects.get(pk=item.pk)
        assert stored.events.latest("pk").reason == stored.status_reason
        return stored.status_reason

    _post_each_sample(client, url, {}, read, world, shown_at=reverse("awards:proposal_detail", args=[item.pk]))


def test_a_bulk_return_reason_is_stored_as_typed(world, client_as):
    """The review queue returns the ticked proposals with one hand-written reason."""
    item = _conference_proposal(world)
    world.walk.submit(item)

    def read(w) -> str:
        stored = Proposal.objects.get(pk=item.pk)
        assert stored.events.latest("pk").reason == stored.status_reason
        return stored.status_reason

    data = {"action": "return", "proposals": [str(item.pk)]}
    _post_each_sample(client_as("officer"), reverse("awards:review_many"), data, read, world)


def test_an_accepted_suggestion_keeps_the_reason_as_typed(world, client_as):
    """Accepting the rotation suggestion over recorded seats asks for a reason in a hand-written text area."""
    from blocs import services as blocs_services

    units = world.units
    blocs_services.seats_set(bloc=world.bloc, year=YEAR + 1, chair=units["farmers"], vice_chairs=[], by=None)
    client = client_as("officer")
    url = reverse("blocs:seats_edit", args=[world.bloc.pk, YEAR + 1])
    assert 'id="id_accept_reason"' in client.get(url).content.decode()
    _post_each_sample(client, url, {"accept_suggestion": "1"}, field_of(newest(SeatWrite), "reason"), world)
