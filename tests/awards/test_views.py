"""Award pages: every view with the six roles and another council's officer (GET and POST, refused
requests change nothing), the chair's and the officer's journeys through the forms, the home page,
unit, person and bloc pages, and query counts that stay flat as data grows."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import excel, services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, GOVERNMENT_FLAG, PROVINCIAL_FLAG
from awards.models import (
    AwardRule,
    AwardType,
    Decision,
    DecisionCorrection,
    Person,
    Proposal,
    ProposalEvent,
    Registration,
    Submission,
)
from awards.views.submissions import submit_confirmation
from blocs import access
from blocs import services as blocs_services
from blocs.models import Deadline, Seat
from documents.models import FileJob, IssuedDocument

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..fixtures.awards import ACCLAIMED, pdf_file, proposal_form_data, reload
from ..roles import (
    CONFIRMED,
    COUNCIL_OFFICERS,
    EVERYONE,
    FORBIDDEN,
    MANAGERS,
    NOT_FOUND,
    OFFICER_OBJECT,
    OFFICERS_ONLY,
    OK,
    READERS,
    REDIRECT,
    ROLES,
    check_get,
    check_post,
    expect,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]

EN: dict = {}  # English is chosen by the language cookie: see the autouse fixture below


@pytest.fixture(autouse=True)
def english(english_client):
    """These tests assert English messages; the Vietnamese ones are checked by the catalogue tests."""
    return english_client


REVIEWERS = OFFICERS_ONLY  # the Board reviews; the bloc's seat holders see the proposal, not the review


def explained(p):
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


@pytest.fixture
def objs(bloc, units, seats, users, awards, proposal, walk, rule, council):
    """One of everything the pages show, in the fixture bloc's 2021."""
    draft = explained(proposal("LHPN"))
    submitted = explained(proposal("HND"))
    approved = explained(proposal("CCB", type_code=CHAIRMAN_CERTIFICATE))
    decided = explained(proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE))
    submission = walk.submit(submitted, approved, decided)
    walk.approve(approved, decided)
    decision = walk.decide(decided)
    own = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE, collective_name="Ban Tổ chức", report=False)
    person = services.person_get_or_create(unit=units["member_unit"], name="Trần Thị Bình", position="Chuyên viên")
    registration = services.registration_add(
        bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=awards[CHAIRMAN_CERTIFICATE], by=None
    )
    return {
        "bloc": bloc,
        "units": units,
        "users": users,
        "awards": awards,
        "council": council,
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "decided": decided,
        "own": own,
        "submission": submission,
        "decision": decision,
        "person": person,
        "registration": registration,
        "rule": rule(GOVERNMENT_FLAG, "quota", quota_number=1),
        "type": awards[PROVINCIAL_FLAG],
    }


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


GET_MATRIX = [
    ("index", lambda o: url("index"), EVERYONE),
    ("catalogue", lambda o: url("catalogue"), COUNCIL_OFFICERS),
    ("type_create", lambda o: url("type_create"), COUNCIL_OFFICERS),
    ("type_edit", lambda o: url("type_edit", o["type"].pk), OFFICER_OBJECT),
    ("rule_create", lambda o: url("rule_create", o["type"].pk), OFFICER_OBJECT),
    ("rule_edit", lambda o: url("rule_edit", o["rule"].pk), OFFICER_OBJECT),
    ("bloc_year", lambda o: url("bloc_year", o["bloc"].pk, YEAR), READERS),
    ("bloc_year_past", lambda o: url("bloc_year", o["bloc"].pk, 2019), READERS),
    # Not one of the bloc's years (blocs.web.bloc_year_span), even for an officer.
    ("bloc_year_before_membership", lambda o: url("bloc_year", o["bloc"].pk, 2017), expect(officer=NOT_FOUND)),
    ("proposal_create", lambda o: url("proposal_create", o["bloc"].pk, YEAR), MANAGERS),
    ("submission_create", lambda o: url("submission_create", o["bloc"].pk, YEAR), MANAGERS),
    (
        "submission_preview_pdf",
        lambda o: url("submission_preview_pdf", o["bloc"].pk, YEAR) + f"?proposals={o['draft'].pk}",
        MANAGERS,
    ),
    (
        "submission_preview_docx",
        lambda o: url("submission_preview_docx", o["bloc"].pk, YEAR) + f"?proposals={o['draft'].pk}",
        MANAGERS,
    ),
    ("bloc_award_decide", lambda o: url("bloc_award_decide", o["bloc"].pk, YEAR), MANAGERS),
    ("registrations", lambda o: url("registrations", o["bloc"].pk, YEAR), READERS),
    ("proposal_detail", lambda o: url("proposal_detail", o["submitted"].pk), READERS),
    ("proposal_edit", lambda o: url("proposal_edit", o["draft"].pk), MANAGERS),
    ("proposal_report", lambda o: url("proposal_report", o["draft"].pk), READERS),
    ("submission_detail", lambda o: url("submission_detail", o["submission"].pk), READERS),
    ("submission_cover_pdf", lambda o: url("submission_cover_pdf", o["submission"].pk), READERS),
    ("submission_cover_docx", lambda o: url("submission_cover_docx", o["submission"].pk), READERS),
    ("review_queue", lambda o: url("review_queue"), COUNCIL_OFFICERS),
    ("decision_list", lambda o: url("decision_list"), COUNCIL_OFFICERS),
    ("decision_create", lambda o: url("decision_create"), COUNCIL_OFFICERS),
    ("decision_detail", lambda o: url("decision_detail", o["decision"].pk), OFFICER_OBJECT),
    ("external_create", lambda o: url("external_create"), COUNCIL_OFFICERS),
    ("external_import", lambda o: url("external_import"), COUNCIL_OFFICERS),
    ("external_import_template", lambda o: url("external_import_template"), COUNCIL_OFFICERS),
    ("award_list", lambda o: url("award_list") + f"?year={YEAR}", COUNCIL_OFFICERS),
    ("award_list_xlsx", lambda o: url("award_list_xlsx") + f"?year={YEAR}", COUNCIL_OFFICERS),
    ("person_detail", lambda o: url("person_detail", o["person"].pk), READERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "link", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, objs, role, name, link, expected):
    check_get(client_as(role), link(objs), expected, role, name=name)


def state() -> tuple:
    """Everything a POST could change."""
    return (
        tuple(Proposal.objects.order_by("pk").values_list("pk", "status", "summary", "warning_reasons")),
        ProposalEvent.objects.count(),
        Submission.objects.count(),
        Decision.objects.count(),
        tuple(Decision.objects.order_by("pk").values_list("number", "date")),
        DecisionCorrection.objects.count(),
        Registration.objects.count(),
        tuple(AwardRule.objects.order_by("pk").values_list("pk", "kind", "severity", "quota_number")),
        AwardType.objects.count(),
        tuple(AwardType.objects.order_by("pk").values_list("name")),
        Deadline.objects.count(),
        IssuedDocument.objects.count(),
        Person.objects.count(),
        FileJob.objects.count(),
    )


def proposal_form(o, **overrides):
    return proposal_form_data(o["awards"][CHAIRMAN_CERTIFICATE], o["units"]["farmers"], **overrides)


def import_sheet():
    book = openpyxl.Workbook()
    book.active.append([c.title for c in excel.COLUMNS])
    book.active.append([2019, "Giấy khen", "LDLD", "", "", "", "", "1/QĐ", "01/02/2020", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("a.xlsx", buffer.getvalue())


POST_MATRIX = [
    (
        # Starts the PDF's background job (documents.jobs) and sends the officer to its page.
        "award_list_pdf",
        lambda o: url("award_list_pdf") + f"?year={YEAR}",
        lambda o: {},
        # The other council's officer gets their own council's list (the council is the officer's).
        {**COUNCIL_OFFICERS, "officer": REDIRECT, "other_officer": REDIRECT},
    ),
    (
        "award_list_docx",  # the same list as a Word file, made by its own background job
        lambda o: url("award_list_docx") + f"?year={YEAR}",
        lambda o: {},
        {**COUNCIL_OFFICERS, "officer": REDIRECT, "other_officer": REDIRECT},
    ),
    (
        "proposal_create",
        lambda o: url("proposal_create", o["bloc"].pk, YEAR),
        proposal_form,
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "proposal_edit",
        lambda o: url("proposal_edit", o["draft"].pk),
        lambda o: proposal_form(
            o, award_type=o["awards"][PROVINCIAL_FLAG].pk, unit=o["units"]["member_unit"].pk, summary="Sửa lại."
        ),
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "proposal_delete",
        lambda o: url("proposal_delete", o["draft"].pk),
        lambda o: CONFIRMED,
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "proposal_reason",
        lambda o: url("proposal_reason", o["draft"].pk),
        lambda o: {"key": "registration", "reason": "Lý do mới."},
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "proposal_return",
        lambda o: url("proposal_return", o["submitted"].pk),
        lambda o: {"reason": "Bổ sung."},
        {**REVIEWERS, "officer": REDIRECT},
    ),
    (
        "proposal_approve",
        lambda o: url("proposal_approve", o["submitted"].pk),
        lambda o: {},
        {**REVIEWERS, "officer": REDIRECT},
    ),
    (
        "proposal_reject",
        lambda o: url("proposal_reject", o["submitted"].pk),
        lambda o: {"reason": "Không đạt."},
        {**REVIEWERS, "officer": REDIRECT},
    ),
    (
        "submission_create_preview",
        lambda o: url("submission_create", o["bloc"].pk, YEAR),
        lambda o: {"proposals": [o["draft"].pk]},
        expect(member=FORBIDDEN, vice_chair=OK, chair=OK, officer=OK),
    ),  # the confirm step: the draft cover letter to check, nothing submitted yet
    (
        "submission_create",
        lambda o: url("submission_create", o["bloc"].pk, YEAR),
        lambda o: {
            "proposals": [o["draft"].pk],
            "confirm": submit_confirmation(o["bloc"], YEAR, [o["draft"]]),
        },
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "bloc_award_decide",
        lambda o: url("bloc_award_decide", o["bloc"].pk, YEAR),
        lambda o: {"conference_date": "27/12/2021", "proposals": [o["own"].pk]},
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "registrations",
        lambda o: url("registrations", o["bloc"].pk, YEAR),
        lambda o: {"unit": o["units"]["member_unit"].pk, "award_type": o["awards"][PROVINCIAL_FLAG].pk},
        expect(member=REDIRECT, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "registration_delete",
        lambda o: url("registration_delete", o["registration"].pk),
        lambda o: CONFIRMED,
        expect(member=REDIRECT, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "submission_cover_issue",
        lambda o: url("submission_cover_issue", o["submission"].pk),
        lambda o: CONFIRMED,
        expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT),
    ),
    (
        "type_create",
        lambda o: url("type_create"),
        lambda o: {
            "name": "Bằng khen của Bộ trưởng",
            "recipient_kind": "any",
            "level": "state",
            "authority": "other",
            "order": "200",
            "active": "on",
        },
        expect(officer=REDIRECT, other_officer=REDIRECT),
    ),
    (
        "type_edit",
        lambda o: url("type_edit", o["type"].pk),
        lambda o: {
            "name": "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "recipient_kind": "collective",
            "level": "province",
            "authority": "council_chairman",
            "order": "30",
            "active": "on",
        },
        expect(officer=REDIRECT),
    ),
    (
        "rule_create",
        lambda o: url("rule_create", o["type"].pk),
        lambda o: {
            "kind": "threshold",
            "severity": "error",
            "threshold": "2/3",
            "base": "ballots_cast",
            "acclamation_counts": "on",
        },
        expect(officer=REDIRECT),
    ),
    ("rule_delete", lambda o: url("rule_delete", o["rule"].pk), lambda o: CONFIRMED, expect(officer=REDIRECT)),
    (
        "rule_edit",
        lambda o: url("rule_edit", o["rule"].pk),
        lambda o: {"kind": "quota", "severity": "warning", "quota_number": "2"},
        expect(officer=REDIRECT),
    ),
    (
        "external_import",
        lambda o: url("external_import"),
        lambda o: {"file": import_sheet()},
        expect(officer=OK, other_officer=OK),  # the preview: nothing is written before the confirmation
    ),
    (
        "decision_create",
        lambda o: url("decision_create"),
        lambda o: {"number": "200/QĐ-UBND", "date": "01/03/2022", "signer": "", "proposals": [o["approved"].pk]},
        expect(officer=REDIRECT, other_officer=OK),
    ),  # not among their council's approved proposals: a form error
    (
        "decision_correct",
        lambda o: url("decision_correct", o["decision"].pk),
        lambda o: {"number": "124/QĐ-UBND", "date": "01/03/2022", "signer": "", "reason": "Nhầm số."},
        expect(officer=REDIRECT),
    ),
    (
        "external_create",
        lambda o: url("external_create"),
        lambda o: {
            "award_type": o["awards"][PROVINCIAL_FLAG].pk,
            "year": "2019",
            "recipient": "unit",
            "unit": o["units"]["vice_unit"].pk,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "20/03/2020",
        },
        expect(officer=REDIRECT, other_officer=OK),
    ),  # not a unit of their council: a form error
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "link", "data", "expected"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX])
def test_post_permissions_and_refusals_change_nothing(client_as, objs, role, name, link, data, expected):
    check_post(client_as(role), link(objs), data(objs), expected, role, state=state, name=name)


@pytest.mark.parametrize(
    ("role", "reads_2021", "reads_2017", "registers_own", "registers_other"),
    [
        ("outsider", False, False, False, False),
        ("member", True, False, True, False),
        ("vice_chair", True, False, True, True),
        ("chair", True, False, True, True),
        ("officer", True, True, True, True),
        ("other_officer", False, False, False, False),
    ],
)
def test_award_predicates(objs, role, reads_2021, reads_2017, registers_own, registers_other):
    user, bloc, units = objs["users"][role], objs["bloc"], objs["units"]
    assert access.can_read_bloc_year(user, bloc, YEAR) is reads_2021
    assert access.can_read_bloc_year(user, bloc, 2017) is reads_2017  # before the bloc had these members
    own = user.unit if user.unit_id else units["member_unit"]
    assert access.can_register_titles(user, bloc, YEAR, own) is registers_own
    assert access.can_register_titles(user, bloc, YEAR, units["farmers"]) is registers_other


# --- The chair's pages ---------------------------------------------------------------------------------------


def test_chair_records_a_proposal_with_a_person_tally_and_report(client_as, objs, pdf_upload):
    o = objs
    data = proposal_form(
        o,
        recipient="person",
        unit=o["units"]["vice_unit"].pk,
        person_name="Lê Văn Tám",
        person_position="Trưởng ban",
        acclamation="",
        members_present="5",
        ballots_cast="5",
        votes_for="4",
        achievement_report=pdf_upload("bao-cao-ca-nhan.pdf"),
    )
    response = client_as("chair").post(url("proposal_create", o["bloc"].pk, YEAR), data)
    created = Proposal.objects.get(person__name="Lê Văn Tám")
    assert response.url == url("proposal_detail", created.pk)
    assert (created.votes_for, created.ballots_cast, created.unit) == (4, 5, o["units"]["vice_unit"])
    assert created.person.position == "Trưởng ban" and created.achievement_report


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"acclamation": "on", "ballots_cast": "5", "votes_for": "5"}, "acclamation"),
        ({"acclamation": "", "ballots_cast": "4", "votes_for": "5"}, "votes_for"),
        ({"acclamation": "", "members_present": "3", "ballots_cast": "4", "votes_for": "4"}, "ballots_cast"),
        ({"members_present": "9"}, "members_present"),
        ({"recipient": "person", "person_name": ""}, "person_name"),
        ({"recipient": "collective", "collective_name": ""}, "collective_name"),
        ({"award_type": "__flag__", "recipient": "person", "person_name": "Lê Văn Tám"}, "recipient"),
        ({"unit": "__outside__"}, "unit"),
    ],
)
def test_bad_proposal_input_is_refused_field_by_field_and_saves_nothing(client_as, objs, overrides, field):
    o = objs
    overrides = {
        key: {"__flag__": o["awards"][PROVINCIAL_FLAG].pk, "__outside__": o["units"]["outside_unit"].pk}.get(v, v)
        for key, v in overrides.items()
    }
    before = state()
    response = client_as("chair").post(url("proposal_create", o["bloc"].pk, YEAR), proposal_form(o, **overrides), **EN)
    assert response.status_code == OK
    assert field in response.context["form"].errors, response.context["form"].errors
    assert state() == before


def test_recording_a_recipient_twice_says_so(client_as, objs):
    o = objs
    data = proposal_form(o, award_type=o["awards"][PROVINCIAL_FLAG].pk, unit=o["units"]["farmers"].pk)
    response = client_as("chair").post(url("proposal_create", o["bloc"].pk, YEAR), data, **EN)
    # HND's flag is proposed already: the "new proposal" form says so next to the field, changing nothing.
    assert response.status_code == OK
    assert "is already proposed for" in " ".join(response.context["form"].errors["award_type"])


def test_bloc_year_page_shows_every_proposal_with_its_live_findings(client_as, objs, rule):
    rule(PROVINCIAL_FLAG, "quota", quota_number=1)
    page = client_as("member").get(url("bloc_year", objs["bloc"].pk, YEAR), **EN).content.decode()
    assert "Hội Liên hiệp Phụ nữ tỉnh" in page and "Hội Nông dân tỉnh" in page
    assert "The bloc proposes 2 for Cờ thi đua của UBND tỉnh in 2021; at most 1 are allowed" in page
    assert "New proposal" not in page  # a member reads, the chair writes


def test_chair_page_offers_the_actions(client_as, objs):
    page = client_as("chair").get(url("bloc_year", objs["bloc"].pk, YEAR), **EN).content.decode()
    for text in ["New proposal", "Submit proposals", "Record the bloc's own awards", "Registrations"]:
        assert text in page


def test_the_chair_of_a_year_keeps_its_proposals_after_the_next_seats_exist(client_as, objs, units, bloc, users):
    Seat.objects.create(bloc=bloc, year=YEAR + 1, unit=units["farmers"], rank=0)
    response = client_as("chair").get(url("proposal_edit", objs["draft"].pk))
    assert response.status_code == OK
    next_chair = UserFactory(username="next_chair", council=bloc.council, unit=units["farmers"])

    client = Client()
    client.force_login(next_chair)
    assert client.get(url("proposal_edit", objs["draft"].pk)).status_code == FORBIDDEN
    assert client.get(url("proposal_create", bloc.pk, YEAR + 1)).status_code == OK


def test_editing_a_submitted_proposal_is_refused_with_a_message(client_as, objs):
    before = state()
    response = client_as("chair").get(url("proposal_edit", objs["submitted"].pk), follow=True, **EN)
    assert "can no longer be changed" in response.content.decode()
    assert state() == before


def test_warning_reason_is_written_on_the_proposal_page(client_as, objs, proposal):
    p = proposal("MTTQ", type_code=CHAIRMAN_CERTIFICATE)  # MTTQ registered nothing
    page = client_as("chair").get(url("proposal_detail", p.pk), **EN).content.decode()
    assert "Warning: needs a reason" in page and 'name="key" value="registration"' in page
    client_as("chair").post(url("proposal_reason", p.pk), {"key": "registration", "reason": "Đăng ký muộn."})
    assert reload(p).warning_reasons == {"registration": "Đăng ký muộn."}
    assert "Warning, explained" in client_as("chair").get(url("proposal_detail", p.pk), **EN).content.decode()


def test_submitting_lists_every_problem_and_submits_nothing(client_as, objs, proposal):
    bad = proposal("MTTQ", type_code=CHAIRMAN_CERTIFICATE, report=False)
    before = state()
    response = client_as("chair").post(
        url("submission_create", objs["bloc"].pk, YEAR), {"proposals": [bad.pk, objs["draft"].pk]}, **EN
    )
    page = response.content.decode()
    assert response.status_code == OK
    assert "the achievement report is not attached" in page and "a warning needs a written reason" in page
    assert state() == before


def test_member_registers_only_its_own_unit(client_as, objs):
    o = objs
    before = state()
    response = client_as("member").post(
        url("registrations", o["bloc"].pk, YEAR),
        {"unit": o["units"]["farmers"].pk, "award_type": o["awards"][PROVINCIAL_FLAG].pk},
    )
    assert response.status_code == FORBIDDEN and state() == before
    form = client_as("member").get(url("registrations", o["bloc"].pk, YEAR)).context["form"]
    assert list(form.fields["unit"].queryset) == [o["units"]["member_unit"]]


def test_member_cannot_remove_another_units_registration(client_as, objs, units, bloc, awards):
    other = services.registration_add(
        bloc=bloc, year=YEAR, unit=units["farmers"], award_type=awards[PROVINCIAL_FLAG], by=None
    )
    assert client_as("member").post(url("registration_delete", other.pk)).status_code == FORBIDDEN
    assert Registration.objects.filter(pk=other.pk).exists()


def test_chair_records_the_blocs_own_awards_at_the_conference(client_as, objs):
    response = client_as("chair").post(
        url("bloc_award_decide", objs["bloc"].pk, YEAR),
        {"conference_date": "27/12/2021", "proposals": [objs["own"].pk]},
    )
    assert response.status_code == REDIRECT
    own = reload(objs["own"])
    assert (own.status, own.conference_date) == (Proposal.Status.DECIDED, date(2021, 12, 27))


# --- The officer's pages ----------------------------------------------------------------------------------


def test_officer_returns_with_a_reason_and_the_chair_sees_it(client_as, objs):
    p = objs["submitted"]
    response = client_as("officer").post(url("proposal_return", p.pk), {"reason": ""}, follow=True, **EN)
    assert "Write the reason" in response.content.decode() and reload(p).status == Proposal.Status.SUBMITTED
    client_as("officer").post(url("proposal_return", p.pk), {"reason": "Thiếu biên bản."})
    assert reload(p).status == Proposal.Status.RETURNED
    page = client_as("chair").get(url("bloc_year", objs["bloc"].pk, YEAR)).content.decode()
    assert "Thiếu biên bản." in page


def test_approving_a_draft_is_refused_with_a_message(client_as, objs):
    response = client_as("officer").post(url("proposal_approve", objs["draft"].pk), follow=True, **EN)
    assert "cannot become" in response.content.decode()
    assert reload(objs["draft"]).status == Proposal.Status.DRAFT


def test_officer_records_a_decision_for_many_approved_proposals(client_as, objs, proposal, walk):
    second = explained(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE))
    walk.submit(second)
    walk.approve(second)
    response = client_as("officer").post(
        url("decision_create"),
        {
            "number": "300/QĐ-UBND",
            "date": "10/03/2022",
            "signer": "Nguyễn Văn Bình",
            "proposals": [objs["approved"].pk, second.pk],
        },
    )
    decision = Decision.objects.get(number="300/QĐ-UBND")
    assert response.url == url("decision_detail", decision.pk)
    assert {reload(objs["approved"]).decision, reload(second).decision} == {decision}


def test_officer_corrects_a_decision_with_a_reason(client_as, objs):
    d = objs["decision"]
    response = client_as("officer").post(
        url("decision_correct", d.pk), {"number": d.number, "date": "02/03/2022", "signer": d.signer, "reason": ""}
    )
    assert response.status_code == OK and "reason" in response.context["form"].errors
    client_as("officer").post(
        url("decision_correct", d.pk),
        {"number": d.number, "date": "02/03/2022", "signer": d.signer, "reason": "Sai ngày."},
    )
    d.refresh_from_db()
    assert d.date == date(2022, 3, 2)
    page = client_as("officer").get(url("decision_detail", d.pk)).content.decode()
    assert "Sai ngày." in page and "01/03/2022" in page


def test_review_queue_shows_submitted_proposals_by_default_and_filters(client_as, objs):
    response = client_as("officer").get(url("review_queue"))
    assert [p.pk for p in response.context["page"]] == [objs["submitted"].pk]
    response = client_as("officer").get(url("review_queue"), {"status": "approved"})
    assert [p.pk for p in response.context["page"]] == [objs["approved"].pk]
    response = client_as("officer").get(
        url("review_queue"), {"status": "", "award_type": objs["awards"][CHAIRMAN_CERTIFICATE].pk}
    )
    assert {p.pk for p in response.context["page"]} == {objs["approved"].pk, objs["decided"].pk}
    response = client_as("officer").get(url("review_queue"), {"year": 2019, "status": ""})
    assert list(response.context["page"]) == []
    other = BlocFactory(council=objs["council"])
    response = client_as("officer").get(url("review_queue"), {"bloc": other.pk, "status": ""})
    assert list(response.context["page"]) == []
    response = client_as("officer").get(url("review_queue"), {"year": "abc", "bloc": "x"})  # bad filters ignored
    assert response.status_code == OK


def test_review_queue_flags_late_blocs_against_the_deadline(client_as, objs, council):
    blocs_services.deadline_set(
        council=council, year=YEAR, kind=Deadline.Kind.SUBMISSION, due_on=date(2000, 1, 1)
    )  # long passed
    other = BlocFactory(council=council, name="Khối thi đua các sở")
    MembershipFactory(bloc=other, unit=UnitFactory(council=council), first_year=2018)
    response = client_as("officer").get(url("review_queue"), {"year": YEAR}, **EN)
    # The fixture bloc still holds a draft; the other bloc, a member that year, submitted nothing.
    late = {(item["bloc"].pk, item.get("unsent", 0)) for item in response.context["late_blocs"]}
    assert late == {(objs["bloc"].pk, 1), (other.pk, 0)}
    assert all(p.days_late for p in response.context["page"])  # each row: submitted after the deadline
    page = response.content.decode()
    assert "nothing submitted by the deadline" in page and "1 proposal not submitted yet" in page


def test_review_queue_is_paginated(client_as, objs, settings, proposal, walk):
    settings.PAGE_SIZE = 2
    extra = [explained(proposal(code, type_code=CHAIRMAN_CERTIFICATE)) for code in ("LHPN", "MTTQ")]
    walk.submit(*extra)
    response = client_as("officer").get(url("review_queue"))
    assert response.context["page"].paginator.num_pages == 2


def test_officer_enters_an_external_award(client_as, objs):
    o = objs
    response = client_as("officer").post(
        url("external_create"),
        {
            "award_type": o["awards"][CHAIRMAN_CERTIFICATE].pk,
            "year": "2019",
            "recipient": "person",
            "unit": o["units"]["member_unit"].pk,
            "person_name": "Trần Thị Bình",
            "person_position": "Phó Chủ tịch",
            "decision_number": "88/QĐ-UBND",
            "decision_date": "01/04/2020",
            "signer": "Chủ tịch UBND tỉnh",
        },
    )
    p = Proposal.objects.get(source="external")
    assert response.url == url("proposal_detail", p.pk)
    assert p.person == o["person"] and p.person.position == "Phó Chủ tịch"  # the same person, promoted


def test_catalogue_lists_types_and_rules_in_words(client_as, objs, rule):
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast")
    page = client_as("officer").get(url("catalogue"), **EN).content.decode()
    assert "Cờ thi đua của Chính phủ" in page and "at least 2/3 of ballots cast; acclamation counts" in page


def test_officer_adds_a_threshold_rule_as_a_percentage(client_as, objs):
    client_as("officer").post(
        url("rule_create", objs["type"].pk),
        {
            "kind": "threshold",
            "severity": "warning",
            "threshold": "70%",
            "base": "members_present",
            "acclamation_counts": "on",
            "bloc": objs["bloc"].pk,
        },
    )
    item = AwardRule.objects.get(award_type=objs["type"], kind="threshold")
    assert (item.threshold_numerator, item.threshold_denominator, item.bloc, item.severity) == (
        70,
        100,
        objs["bloc"],
        "warning",
    )


def test_a_rule_form_says_what_is_missing(client_as, objs):
    response = client_as("officer").post(
        url("rule_create", objs["type"].pk), {"kind": "quota", "severity": "error"}, **EN
    )
    assert response.status_code == OK and "quota_number" in response.context["form"].errors


# --- Home, unit, person and bloc pages ------------------------------------------------------------------------


def test_home_shows_each_bloc_proposals_by_status(client_as, objs):
    response = client_as("member").get(reverse("blocs:home"), **EN)
    (bloc,) = response.context["blocs"]
    assert any(
        badge.startswith("Awards 2021:") and "1 submitted" in badge and "1 decided" in badge for badge in bloc.badges
    ), bloc.badges


def test_home_tells_officers_what_to_review(client_as, objs):
    attention = [i.text for i in client_as("officer").get(reverse("blocs:home"), **EN).context["attention"]]
    assert any("1 proposal for 2021 is waiting for your review" in text for text in attention), attention
    other = [i.text for i in client_as("other_officer").get(reverse("blocs:home"), **EN).context["attention"]]
    assert not any("review" in text for text in other)


def test_home_tells_chairs_about_returned_proposals(client_as, objs, walk):
    services.proposal_return(proposal=objs["submitted"], reason="Bổ sung.", by=walk.officer)
    attention = [i.text for i in client_as("chair").get(reverse("blocs:home"), **EN).context["attention"]]
    assert any("was returned" in text for text in attention), attention
    member = [i.text for i in client_as("member").get(reverse("blocs:home"), **EN).context["attention"]]
    assert not any("returned" in text for text in member)


def test_unit_page_shows_the_award_history(client_as, objs):
    page = (
        client_as("member")
        .get(reverse("blocs:unit_detail", args=[objs["units"]["vice_unit"].pk]), **EN)
        .content.decode()
    )
    assert "Award history" in page and "Bằng khen của Chủ tịch UBND tỉnh" in page
    assert "Decision 123/QĐ-UBND of 01/03/2022" in page


def test_person_page_shows_the_award_history(client_as, objs, council, units, awards):
    services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=2019,
        person=objs["person"],
        decision_number="7/QĐ-UBND",
        decision_date=date(2020, 2, 2),
        by=None,
    )
    page = client_as("member").get(url("person_detail", objs["person"].pk), **EN).content.decode()
    assert "Trần Thị Bình" in page and "Decision 7/QĐ-UBND of 02/02/2020" in page


def test_bloc_page_links_to_the_years_proposals(client_as, objs):
    page = (
        client_as("member").get(reverse("blocs:bloc_detail", args=[objs["bloc"].pk]) + f"?year={YEAR}").content.decode()
    )
    assert url("bloc_year", objs["bloc"].pk, YEAR) in page


def test_award_list_groups_by_award_type(client_as, objs):
    response = client_as("officer").get(url("award_list"), {"year": YEAR})
    groups = response.context["groups"]
    assert [g.award_type.name for g in groups] == ["Cờ thi đua của UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"]
    assert [g.numeral for g in groups] == ["I", "II"]


# --- Query counts stay flat as data grows --------------------------------------------------------------------


def grow(council, awards, blocs: int, per_bloc: int):
    """More blocs, each with members, seats and submitted proposals of 2021."""
    for _ in range(blocs):
        bloc = BlocFactory(council=council)
        units = [UnitFactory(council=council) for _ in range(per_bloc)]
        for order, unit in enumerate(units):
            MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=order)
        Seat.objects.create(bloc=bloc, year=YEAR, unit=units[0], rank=0)
        proposals = []
        for unit in units:
            p = services.proposal_save(
                bloc=bloc,
                year=YEAR,
                award_type=awards[PROVINCIAL_FLAG],
                unit=unit,
                tally=ACCLAIMED,
                achievement_report=pdf_file(),
                by=None,
            )
            proposals.append(explained(p))
        services.submission_create(bloc=bloc, year=YEAR, proposals=proposals, by=None)


def count_queries(client, link) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(link).status_code == OK
    return len(queries)


@pytest.mark.parametrize(
    ("role", "link"),
    [
        ("officer", lambda o: url("review_queue")),
        ("officer", lambda o: url("review_queue") + "?status="),
        ("chair", lambda o: url("bloc_year", o["bloc"].pk, YEAR)),
        ("officer", lambda o: reverse("blocs:home")),
        ("chair", lambda o: reverse("blocs:home")),
        ("officer", lambda o: url("award_list") + f"?year={YEAR}"),
        ("officer", lambda o: url("decision_create")),
    ],
    ids=["review_queue", "review_queue_all", "bloc_year", "home_officer", "home_chair", "award_list", "decision"],
)
def test_query_counts_stay_flat_as_data_grows(client_as, objs, council, awards, rule, proposal, role, link):
    rule(GOVERNMENT_FLAG, "eligibility", requires=PROVINCIAL_FLAG)
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=1, threshold_denominator=2, base="all_members")
    client = client_as(role)
    client.get(link(objs))  # warm caches (content types, sessions)
    small = count_queries(client, link(objs))
    grow(council, awards, blocs=3, per_bloc=4)
    for code in ("MTTQ", "LDLD"):
        proposal(code, type_code=GOVERNMENT_FLAG)
    large = count_queries(client, link(objs))
    assert large == small, f"{small} queries before, {large} after"
    assert large <= 20
