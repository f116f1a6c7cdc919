"""Award services: the proposal states (``awards.services.states.TRANSITIONS``: every allowed move,
every other one refused with a message and nothing changed), submissions and their dossier check,
decisions and corrections, the bloc's own awards, awards entered from outside, and the upsert the
meetings app relies on."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import registry, services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, BLOC_EXEMPLARY_INDIVIDUAL, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Decision, DecisionCorrection, Person, Proposal, ProposalEvent, Submission
from blocs import services as blocs_services
from blocs.models import Deadline

from ..conftest import YEAR
from ..fixtures.awards import ACCLAIMED, PDF_BYTES, ballot, pdf_file, reload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]
S = Proposal.Status


def explained(p: Proposal) -> Proposal:
    """The fixture's units register nothing: explain the registration warning so the proposal can go."""
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


@pytest.fixture
def ready(proposal):
    """``ready("LDLD")``: a draft that can be submitted (tally, report, warning explained)."""

    def make(unit="LDLD", **kwargs):
        return explained(proposal(unit, **kwargs))

    return make


def statuses(*proposals) -> list[str]:
    return [reload(p).status for p in proposals]


def events(p: Proposal) -> list[tuple[str, str, str]]:
    return [
        (e.from_status, e.to_status, e.reason) for e in ProposalEvent.objects.filter(proposal=p).order_by("at", "id")
    ]


# --- The whole walk -----------------------------------------------------------------------------------


def test_a_proposal_walks_from_draft_to_decision_and_keeps_every_step(ready, walk, users):
    p = ready("LDLD")
    first = walk.submit(p)
    services.proposal_return(proposal=p, reason="Thiếu xác nhận của cấp trên.", by=walk.officer)
    assert reload(p).status_reason == "Thiếu xác nhận của cấp trên."
    services.proposal_save(
        bloc=p.bloc,
        year=p.year,
        award_type=p.award_type,
        unit=p.unit,
        achievement_report=pdf_file("moi.pdf"),
        by=walk.chair,
    )
    second = walk.submit(p)
    walk.approve(p)
    decision = walk.decide(p)

    p = reload(p)
    assert p.status == S.DECIDED and p.decision == decision and p.submission == second
    assert (first.sequence, second.sequence) == (1, 2) and second.is_supplementary
    assert events(p) == [
        ("", S.DRAFT, ""),
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.RETURNED, "Thiếu xác nhận của cấp trên."),
        (S.RETURNED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.APPROVED, ""),
        (S.APPROVED, S.DECIDED, ""),
    ]
    by = [e.by for e in ProposalEvent.objects.filter(proposal=p).order_by("at", "id")]
    assert by[2:] == [users["officer"], users["chair"], users["officer"], users["officer"]]


def test_reject_from_submitted_and_from_approved_with_a_reason(ready, walk):
    a, b = ready("LDLD"), ready("LHPN", type_code=CHAIRMAN_CERTIFICATE)
    walk.submit(a, b)
    walk.approve(b)
    services.proposal_reject(proposal=a, reason="Không đủ tiêu chuẩn.", by=walk.officer)
    services.proposal_reject(proposal=b, reason="Cấp trên không đồng ý.", by=walk.officer)
    assert statuses(a, b) == [S.REJECTED, S.REJECTED]
    assert events(b)[-1] == (S.APPROVED, S.REJECTED, "Cấp trên không đồng ý.")


# --- Every move not in TRANSITIONS is refused and changes nothing -----------------------------------------


def _to(status, p, walk):
    if status == S.DRAFT:
        return p
    walk.submit(p)
    if status == S.RETURNED:
        services.proposal_return(proposal=p, reason="Bổ sung hồ sơ.", by=walk.officer)
    elif status in (S.APPROVED, S.DECIDED):
        walk.approve(p)
        if status == S.DECIDED:
            walk.decide(p)
    elif status == S.REJECTED:
        services.proposal_reject(proposal=p, reason="Không đạt.", by=walk.officer)
    return p


ACTIONS = {
    "submit": lambda p, walk: walk.submit(p),
    "return": lambda p, walk: services.proposal_return(proposal=p, reason="Lý do.", by=walk.officer),
    "approve": lambda p, walk: services.proposal_approve(proposal=p, by=walk.officer),
    "reject": lambda p, walk: services.proposal_reject(proposal=p, reason="Lý do.", by=walk.officer),
    "decide": lambda p, walk: walk.decide(p, number="999/QĐ-UBND"),
    "decide_at_conference": lambda p, walk: services.bloc_award_decide(
        proposals=[p], conference_date=date(2021, 12, 27), by=walk.chair
    ),
}
ALLOWED = {
    (S.DRAFT, "submit"),
    (S.RETURNED, "submit"),
    (S.SUBMITTED, "return"),
    (S.SUBMITTED, "approve"),
    (S.SUBMITTED, "reject"),
    (S.APPROVED, "reject"),
    (S.APPROVED, "decide"),
}
REFUSED = [(status, action) for status in S.values for action in ACTIONS if (status, action) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_every_other_move_is_refused_with_a_message_and_changes_nothing(ready, walk, status, action):
    p = _to(status, ready("LDLD"), walk)
    before = (reload(p).status, ProposalEvent.objects.count(), Submission.objects.count(), Decision.objects.count())
    with pytest.raises(ValidationError) as error:
        ACTIONS[action](reload(p), walk)
    assert error.value.messages and all(error.value.messages)
    after = (reload(p).status, ProposalEvent.objects.count(), Submission.objects.count(), Decision.objects.count())
    assert after == before


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_need_a_reason(ready, walk, action):
    p = ready("LDLD")
    walk.submit(p)
    call = services.proposal_return if action == "return" else services.proposal_reject
    with pytest.raises(ValidationError, match="Write the reason"):
        call(proposal=p, reason="  ", by=walk.officer)
    assert reload(p).status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.APPROVED, S.DECIDED, S.REJECTED])
def test_a_proposal_out_of_the_chairs_hands_cannot_be_edited(ready, walk, status):
    p = _to(status, ready("LDLD"), walk)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.proposal_save(
            bloc=p.bloc, year=p.year, award_type=p.award_type, unit=p.unit, tally=ballot(5, 5, 5), by=walk.chair
        )
    with pytest.raises(ValidationError):
        services.proposal_reason_set(proposal=p, key="registration", reason="Khác.", by=walk.chair)
    assert reload(p).acclamation


def test_only_a_draft_never_submitted_can_be_deleted(ready, walk):
    p = ready("LDLD")
    walk.submit(p)
    services.proposal_return(proposal=p, reason="Sửa lại.", by=walk.officer)
    with pytest.raises(ValidationError):
        services.proposal_delete(proposal=p, by=walk.chair)
    draft = ready("LHPN")
    services.proposal_delete(proposal=draft, by=walk.chair)
    assert not Proposal.objects.filter(pk=draft.pk).exists()


# --- proposal_save: create or update, never a duplicate --------------------------------------------------


def test_proposal_save_upserts_by_bloc_year_type_and_recipient(bloc, units, awards):
    kwargs = dict(bloc=bloc, year=YEAR, award_type=awards[PROVINCIAL_FLAG], unit=units["vice_unit"], by=None)
    first = services.proposal_save(tally=ballot(5, 5, 3), **kwargs)
    again = services.proposal_save(tally=ballot(5, 5, 5), summary="Dẫn đầu khối.", **kwargs)
    assert again.pk == first.pk and Proposal.objects.count() == 1
    assert (again.votes_for, again.summary) == (5, "Dẫn đầu khối.")
    kept = services.proposal_save(**kwargs)  # nothing given: nothing changed
    assert (kept.votes_for, kept.summary) == (5, "Dẫn đầu khối.")
    assert ProposalEvent.objects.filter(proposal=first).count() == 1  # created once


def test_proposal_save_upserts_people_and_named_collectives(bloc, units, awards):
    person = services.person_get_or_create(unit=units["vice_unit"], name="Nguyễn Văn An", position="Chuyên viên")
    kwargs = dict(bloc=bloc, year=YEAR, award_type=awards[CHAIRMAN_CERTIFICATE], by=None)
    a = services.proposal_save(person=person, **kwargs)
    b = services.proposal_save(person=person, tally=ACCLAIMED, **kwargs)
    c = services.proposal_save(unit=units["vice_unit"], collective_name="Ban Tổ chức", **kwargs)
    d = services.proposal_save(unit=units["vice_unit"], collective_name="Ban Tổ chức", tally=ACCLAIMED, **kwargs)
    assert a.pk == b.pk and c.pk == d.pk and Proposal.objects.count() == 2
    assert b.unit == units["vice_unit"]  # an individual keeps the person's unit at the time


def test_changing_a_recipient_onto_an_existing_proposal_is_refused(proposal, bloc, awards, units):
    proposal("LDLD")
    other = proposal("LHPN")
    with pytest.raises(ValidationError, match="already proposed"):
        services.proposal_save(
            bloc=bloc, year=YEAR, award_type=awards[PROVINCIAL_FLAG], unit=units["vice_unit"], proposal=other, by=None
        )
    assert reload(other).unit == units["member_unit"]


def test_an_inactive_award_type_takes_no_new_proposals(proposal, awards):
    awards[PROVINCIAL_FLAG].active = False
    awards[PROVINCIAL_FLAG].save()
    with pytest.raises(ValidationError, match="no longer in use"):
        proposal("LDLD")


def test_an_attachment_that_is_not_a_pdf_or_scan_is_refused(bloc, units, awards):
    with pytest.raises(ValidationError) as error:
        services.proposal_save(
            bloc=bloc,
            year=YEAR,
            award_type=awards[PROVINCIAL_FLAG],
            unit=units["vice_unit"],
            achievement_report=SimpleUploadedFile("bao-cao.pdf", b"MZ not a pdf"),
            by=None,
        )
    assert "achievement_report" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_the_attachment_keeps_its_checksum(proposal):
    assert proposal("LDLD").achievement_report_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_people_are_found_again_by_name_without_case_or_diacritics(units):
    first = services.person_get_or_create(unit=units["vice_unit"], name="Nguyễn Văn An", position="Chuyên viên")
    again = services.person_get_or_create(unit=units["vice_unit"], name="nguyen van an", position="Trưởng phòng")
    assert again.pk == first.pk and again.position == "Trưởng phòng" and Person.objects.count() == 1
    other_unit = services.person_get_or_create(unit=units["member_unit"], name="Nguyễn Văn An")
    assert other_unit.pk != first.pk


# --- Submissions and the dossier ---------------------------------------------------------------------------


def test_the_dossier_needs_an_achievement_report_and_a_tally_or_why_it_is_unknown(proposal, rule, walk):
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast")
    no_tally = explained(proposal("LDLD", tally=services.Tally()))
    no_report = explained(proposal("LHPN", report=False))
    with pytest.raises(ValidationError) as error:
        walk.submit(no_tally, no_report)
    text = " ".join(error.value.messages)
    assert "Liên đoàn Lao động tỉnh (Cờ thi đua của UBND tỉnh): the tally was not recorded" in text
    assert "Hội Liên hiệp Phụ nữ tỉnh (Cờ thi đua của UBND tỉnh): the achievement report is not attached" in text
    assert statuses(no_tally, no_report) == [S.DRAFT, S.DRAFT] and not Submission.objects.exists()


def test_registered_dossier_checks_take_part_in_the_submission(ready, walk, bloc):
    seen = {}

    def minutes_final(*, bloc, year, proposals):
        seen.update(bloc=bloc, year=year, count=len(proposals))
        return ["The minutes of the year-end conference are not final yet."]

    registry.register_dossier_check(minutes_final)
    try:
        p = ready("LDLD")
        with pytest.raises(ValidationError, match="minutes of the year-end conference"):
            walk.submit(p)
        assert seen == {"bloc": bloc, "year": YEAR, "count": 1}
        assert reload(p).status == S.DRAFT
        assert registry.dossier_checks[-1] is minutes_final
    finally:
        registry.unregister_dossier_check(minutes_final)


def test_the_registry_has_no_way_to_skip_the_checks():
    """A page, a service or the demo cannot switch another app's check off: only a test fixture can."""
    assert not hasattr(registry, "dossier_checks_suspended")


def test_registering_a_dossier_check_twice_keeps_one():
    def check(**kwargs):
        return []

    registry.register_dossier_check(check)
    registry.register_dossier_check(check)
    try:
        assert registry.dossier_checks.count(check) == 1
    finally:
        registry.unregister_dossier_check(check)


def test_the_blocs_own_awards_are_not_submitted(proposal, walk):
    own = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE)
    with pytest.raises(ValidationError, match="decided at the conference"):
        walk.submit(own)


def test_a_submission_takes_only_its_bloc_year(ready, walk):
    p = ready("LDLD", year=YEAR - 1)
    with pytest.raises(ValidationError, match="another bloc-year"):
        walk.submit(p)  # submitted as the 2021 batch


def test_submission_records_its_date(ready, walk):
    submission = walk.submit(ready("LDLD"), on=date(2022, 1, 10))
    assert submission.submitted_on == date(2022, 1, 10) and submission.sequence == 1


# --- Decisions ---------------------------------------------------------------------------------------------


def test_a_decision_covers_many_approved_proposals(ready, walk):
    a, b = ready("LDLD"), ready("LHPN", type_code=CHAIRMAN_CERTIFICATE)
    walk.submit(a, b)
    walk.approve(a, b)
    decision = walk.decide(a, b, number="123/QĐ-UBND")
    assert list(decision.proposals.order_by("id")) == [reload(a), reload(b)]
    assert decision.number == "123/QĐ-UBND" and decision.signer.startswith("Nguyễn Văn Bình")


def test_a_decision_number_is_used_once_a_year(ready, walk):
    a, b = ready("LDLD"), ready("LHPN", type_code=CHAIRMAN_CERTIFICATE)
    walk.submit(a, b)
    walk.approve(a, b)
    walk.decide(a, number="123/QĐ-UBND", on=date(2022, 3, 1))
    with pytest.raises(ValidationError, match="already recorded"):
        walk.decide(b, number="123/QĐ-UBND", on=date(2022, 5, 1))
    assert reload(b).status == S.APPROVED
    walk.decide(b, number="123/QĐ-UBND", on=date(2023, 3, 1))  # numbers restart each year


def test_a_decision_of_another_council_is_refused(ready, walk, other_council):
    p = ready("LDLD")
    walk.submit(p)
    walk.approve(p)
    with pytest.raises(ValidationError, match="another council"):
        services.decision_record(
            council=other_council, number="1/QĐ-UBND", date=date(2022, 1, 1), signer="", proposals=[p], by=None
        )


def test_correcting_a_decision_records_the_old_values_and_the_reason(ready, walk, users):
    p = ready("LDLD")
    decision = walk.to_decided(p)
    services.decision_correct(
        decision=decision,
        number="124/QĐ-UBND",
        date=decision.date,
        signer=decision.signer,
        reason="Nhập nhầm số quyết định.",
        by=users["officer"],
    )
    decision.refresh_from_db()
    assert decision.number == "124/QĐ-UBND"
    correction = DecisionCorrection.objects.get(decision=decision)
    assert correction.changes == [["number", "123/QĐ-UBND", "124/QĐ-UBND"]]
    assert correction.reason == "Nhập nhầm số quyết định." and correction.by == users["officer"]
    assert decision.history.first().history_change_reason == "Nhập nhầm số quyết định."


def test_a_correction_needs_a_reason_and_a_change(ready, walk):
    decision = walk.to_decided(ready("LDLD"))
    with pytest.raises(ValidationError, match="Write the reason"):
        services.decision_correct(decision=decision, number="124/QĐ-UBND", reason="", by=None)
    with pytest.raises(ValidationError, match="Nothing to correct"):
        services.decision_correct(decision=decision, number=decision.number, reason="Kiểm tra.", by=None)
    assert not DecisionCorrection.objects.exists()


# --- The bloc's own awards ---------------------------------------------------------------------------------


def test_the_chair_decides_the_blocs_own_awards_at_the_conference(proposal, walk):
    collective = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE, collective_name="Ban Tổ chức", report=False)
    person = proposal("LHPN", type_code=BLOC_EXEMPLARY_INDIVIDUAL, person="Trần Thị Bình", report=False)
    services.bloc_award_decide(
        proposals=[collective, person], conference_date=date(2021, 12, 27), by=walk.chair, meeting_ref="meeting:7"
    )
    for p in (collective, person):
        p = reload(p)
        assert (p.status, p.conference_date, p.meeting_ref, p.decision) == (
            S.DECIDED,
            date(2021, 12, 27),
            "meeting:7",
            None,
        )
        assert events(p)[-1][:2] == (S.DRAFT, S.DECIDED)


def test_only_the_blocs_own_awards_are_decided_at_the_conference(ready, walk):
    p = ready("LDLD")
    with pytest.raises(ValidationError, match="only the bloc's own awards"):
        services.bloc_award_decide(proposals=[p], conference_date=date(2021, 12, 27), by=walk.chair)
    assert reload(p).status == S.DRAFT


def test_the_blocs_own_awards_follow_their_rules_too(proposal, rule, walk, bloc):
    rule(BLOC_EXEMPLARY_COLLECTIVE, "quota", quota_number=1, bloc=bloc)
    a = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE)
    b = proposal("LHPN", type_code=BLOC_EXEMPLARY_COLLECTIVE)
    with pytest.raises(ValidationError, match="at most 1"):
        services.bloc_award_decide(proposals=[a, b], conference_date=date(2021, 12, 27), by=walk.chair)
    assert statuses(a, b) == [S.DRAFT, S.DRAFT]


def test_a_conference_decision_needs_its_date(proposal, walk):
    p = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE)
    with pytest.raises(ValidationError, match="date of the conference"):
        services.bloc_award_decide(proposals=[p], conference_date=None, by=walk.chair)


# --- Awards decided outside the portal ------------------------------------------------------------------------


def test_an_external_award_is_recorded_as_decided_with_its_decision(council, units, awards):
    p = services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2019,
        unit=units["vice_unit"],
        decision_number="1520/QĐ-UBND",
        decision_date=date(2020, 3, 20),
        signer="Chủ tịch UBND tỉnh",
        by=None,
    )
    assert (p.status, p.source, p.bloc, p.decision.number) == (S.DECIDED, "external", None, "1520/QĐ-UBND")
    assert p.decision.external
    second = services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=2019,
        unit=units["member_unit"],
        decision_number="1520/QĐ-UBND",
        decision_date=date(2020, 3, 20),
        by=None,
    )
    assert second.decision == p.decision  # the same decision, by number and date


def test_an_external_award_needs_its_decision_or_conference(council, units, awards, bloc):
    # The decision's number and date may be unknown: the award is decided by a decision of unknown
    # number and date, never refused so that someone invents them.
    unknown = services.award_enter_external(
        council=council, award_type=awards[PROVINCIAL_FLAG], year=2019, unit=units["vice_unit"], by=None
    )
    assert (unknown.decision.number, unknown.decision.date) == ("", None)
    with pytest.raises(ValidationError) as error:
        services.award_enter_external(
            council=council, award_type=awards[BLOC_EXEMPLARY_COLLECTIVE], year=2019, unit=units["vice_unit"], by=None
        )
    assert set(error.value.message_dict) == {"bloc", "conference_date"}
    own = services.award_enter_external(
        council=council,
        award_type=awards[BLOC_EXEMPLARY_COLLECTIVE],
        year=2019,
        unit=units["vice_unit"],
        bloc=bloc,
        conference_date=date(2019, 12, 20),
        by=None,
    )
    assert own.conference_date == date(2019, 12, 20) and own.decision is None


def test_an_external_award_recorded_twice_is_refused(council, units, awards):
    kwargs = dict(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2019,
        unit=units["vice_unit"],
        decision_number="1/QĐ-UBND",
        decision_date=date(2020, 1, 2),
        by=None,
    )
    services.award_enter_external(**kwargs)
    with pytest.raises(ValidationError, match="already has a record"):
        services.award_enter_external(**kwargs)
    assert Proposal.objects.count() == 1


def test_deadline_is_set_once_per_council_year(council):
    blocs_services.deadline_set(council=council, year=2021, kind=Deadline.Kind.SUBMISSION, due_on=date(2022, 1, 15))
    item = blocs_services.deadline_set(
        council=council, year=2021, kind=Deadline.Kind.SUBMISSION, due_on=date(2022, 1, 31), note="Gia hạn"
    )
    assert (item.due_on, item.note) == (date(2022, 1, 31), "Gia hạn")
    assert council.deadlines.count() == 1


def test_registration_is_for_members_once_per_title(bloc, units, awards):
    first = services.registration_add(
        bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=awards[PROVINCIAL_FLAG], by=None
    )
    # The same registration again is the one there (a double submit); with another note it is refused.
    again = services.registration_add(
        bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=awards[PROVINCIAL_FLAG], by=None
    )
    assert again == first
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_add(
            bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=awards[PROVINCIAL_FLAG], note="Khác", by=None
        )
    with pytest.raises(ValidationError, match="not a member"):
        services.registration_add(
            bloc=bloc, year=YEAR, unit=units["outside_unit"], award_type=awards[PROVINCIAL_FLAG], by=None
        )
