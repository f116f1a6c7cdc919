"""What the awards services tell, in the transaction of the change: a bloc-year's submission tells the
council's officers; a proposal returned, approved, rejected or decided tells the year's seat holders and the
recipient unit (a collective's unit, an individual's unit), never a unit outside the bloc that year, never
an officer of another council; a batch (the review queue's selection, a decision, the conference's own
awards) is one notice per bloc-year, read in queries that do not grow with the proposals; an award entered
from outside tells nobody; a rolled-back change tells nobody; an opt-out keeps the notice, not the mail."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, BLOC_EXEMPLARY_INDIVIDUAL, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal
from awards.services.notices import LISTED, proposals_moved_notify
from blocs.models import Membership, Notification, Seat
from blocs.services import email_opt_outs_set

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..fixtures.awards import ACCLAIMED, pdf_file
from ..notify import NEVER_TOLD, mailed_to, only, told, with_addresses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("awards_checks_only")]

K = Notification.Kind
SEAT_HOLDERS = {"chair", "vice_chair"}


def explained(p: Proposal) -> Proposal:
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


@pytest.fixture
def submitted(proposal, walk):
    """The member's (LHPN) and the farmers' (HND) provincial flags of 2021, submitted together."""

    def make(*codes: str) -> list[Proposal]:
        items = [explained(proposal(code)) for code in codes or ("LHPN", "HND")]
        walk.submit(*items)
        return [Proposal.objects.get(pk=p.pk) for p in items]

    return make


def test_a_submission_tells_the_councils_officers_only(submitted, bloc, users):
    (member, _farmers) = submitted()
    assert set(told(K.SUBMISSION_RECEIVED)) == {"officer"}
    notice = only(K.SUBMISSION_RECEIVED, "officer")
    assert notice.title == f"{bloc.name} trình 2 đề nghị khen thưởng năm {YEAR}"
    assert notice.url == reverse("awards:submission_detail", args=[member.submission_id])
    assert "– Hội Liên hiệp Phụ nữ tỉnh: Cờ thi đua" in notice.body
    assert "– Hội Nông dân tỉnh: Cờ thi đua" in notice.body


def test_a_supplementary_submission_says_its_batch(submitted, proposal, walk, bloc):
    submitted("LHPN")
    walk.submit(explained(proposal("CCB")))
    (_first, second) = told(K.SUBMISSION_RECEIVED)["officer"]
    assert second.title == f"{bloc.name} trình bổ sung 1 đề nghị khen thưởng năm {YEAR} (đợt 2)"


def test_a_return_tells_the_seat_holders_and_the_recipient_unit_with_the_reason(submitted, bloc, users):
    (member, farmers) = submitted()
    services.proposal_return(proposal=member, reason="Bổ sung báo cáo.\nGhi rõ số phiếu.", by=users["officer"])
    assert set(told(K.PROPOSAL_RETURNED)) == SEAT_HOLDERS | {"member"}
    notice = only(K.PROPOSAL_RETURNED, "chair")
    assert notice.title.startswith(f"{bloc.name}, năm {YEAR}: đề nghị Cờ thi đua")
    assert notice.title.endswith("cho Hội Liên hiệp Phụ nữ tỉnh bị trả lại")
    assert notice.body == "Lý do: Bổ sung báo cáo.\nGhi rõ số phiếu."
    assert notice.url == reverse("awards:proposal_detail", args=[member.pk])
    services.proposal_return(proposal=farmers, reason="Thiếu biên bản.", by=users["officer"])
    assert len(told(K.PROPOSAL_RETURNED)["member"]) == 1  # the farmers' proposal is the farmers' news
    assert len(told(K.PROPOSAL_RETURNED)["chair"]) == 2


def test_approve_reject_and_decide_tell_the_same_people(submitted, walk, users, bloc):
    (member, farmers) = submitted()
    services.proposal_approve(proposal=member, by=users["officer"])
    services.proposal_reject(proposal=farmers, reason="Chưa đủ điều kiện.", by=users["officer"])
    walk.decide(Proposal.objects.get(pk=member.pk), number="45/QĐ-UBND", on=date(2022, 3, 1))
    assert set(told(K.PROPOSAL_APPROVED)) == SEAT_HOLDERS | {"member"}
    assert set(told(K.PROPOSAL_REJECTED)) == SEAT_HOLDERS
    assert set(told(K.PROPOSAL_DECIDED)) == SEAT_HOLDERS | {"member"}
    assert only(K.PROPOSAL_APPROVED, "member").title.endswith("đã được duyệt")
    rejected = only(K.PROPOSAL_REJECTED, "chair")
    assert rejected.title.endswith("cho Hội Nông dân tỉnh không được chấp thuận")
    assert rejected.body == "Lý do: Chưa đủ điều kiện."
    decided = only(K.PROPOSAL_DECIDED, "member")
    assert decided.title.startswith(f"{bloc.name}, năm {YEAR}: Hội Liên hiệp Phụ nữ tỉnh đã được khen thưởng Cờ")
    assert decided.body == "Quyết định số 45/QĐ-UBND ngày 01/03/2022."
    assert decided.url == reverse("awards:proposal_detail", args=[member.pk])


def test_nobody_outside_the_bloc_and_no_officer_is_told_of_a_proposal(submitted, walk, users):
    (member, farmers) = submitted()
    services.proposal_review_many(
        proposals=[member, farmers], action="approve", by=users["officer"], council=member.council
    )
    walk.decide(*Proposal.objects.filter(pk__in=[member.pk, farmers.pk]))
    for kind in (K.PROPOSAL_APPROVED, K.PROPOSAL_DECIDED):
        assert not set(told(kind)) & (NEVER_TOLD | {"officer"})
    assert not set(told(K.SUBMISSION_RECEIVED)) & NEVER_TOLD


def test_a_recipient_no_longer_a_member_that_year_is_not_told(submitted, users, units):
    (member, _farmers) = submitted()
    Membership.objects.filter(unit=units["member_unit"]).update(last_year=YEAR - 1)
    services.proposal_return(proposal=member, reason="Bổ sung.", by=users["officer"])
    assert set(told(K.PROPOSAL_RETURNED)) == SEAT_HOLDERS


def test_an_individuals_unit_is_told(proposal, walk, users):
    person = explained(proposal("LHPN", type_code=CHAIRMAN_CERTIFICATE, person="Trần Thị Mai"))
    walk.submit(person)
    services.proposal_approve(proposal=person, by=users["officer"])
    assert set(told(K.PROPOSAL_APPROVED)) == SEAT_HOLDERS | {"member"}
    assert "cho Trần Thị Mai đã được duyệt" in only(K.PROPOSAL_APPROVED, "member").title


def test_a_selection_is_one_notice_per_bloc_year_listing_its_proposals(submitted, bloc, users):
    items = submitted("LHPN", "HND", "CCB")
    services.proposal_review_many(
        proposals=items, action="return", reason="Bổ sung hồ sơ.", by=users["officer"], council=bloc.council
    )
    assert {name: len(notices) for name, notices in told(K.PROPOSAL_RETURNED).items()} == {
        "chair": 1,
        "vice_chair": 1,
        "member": 1,
    }
    notice = only(K.PROPOSAL_RETURNED, "member")
    assert notice.title == f"{bloc.name}, năm {YEAR}: 3 đề nghị khen thưởng bị trả lại"
    assert notice.url == reverse("awards:bloc_year", args=[bloc.pk, YEAR])
    lines = notice.body.split("\n")
    assert [line.split(":")[0] for line in lines[:3]] == [
        "– Hội Liên hiệp Phụ nữ tỉnh",
        "– Hội Nông dân tỉnh",
        "– Hội Cựu chiến binh tỉnh",
    ]
    assert lines[-1] == "Lý do: Bổ sung hồ sơ."


@pytest.fixture
def second_bloc(council, users, awards):
    """Another bloc of the council, with its own member, chair seat of 2021 and chair's user."""
    other = BlocFactory(council=council, name="Khối thi đua các sở, ngành kinh tế", code="KTĐ2")
    unit = UnitFactory(council=council, code="SCT", name="Sở Công Thương tỉnh")
    MembershipFactory(bloc=other, unit=unit, first_year=2018)
    Seat.objects.create(bloc=other, year=YEAR, unit=unit, rank=0)
    UserFactory(username="chair2", council=council, unit=unit)
    item = services.proposal_save(
        bloc=other,
        year=YEAR,
        award_type=awards[PROVINCIAL_FLAG],
        unit=unit,
        tally=ACCLAIMED,
        achievement_report=pdf_file(),
        by=None,
    )
    services.submission_create(bloc=other, year=YEAR, proposals=[explained(item)], by=None)
    return other, Proposal.objects.get(pk=item.pk)


def test_a_selection_over_two_blocs_tells_each_bloc_its_own(submitted, second_bloc, bloc, users):
    other, theirs = second_bloc
    ours = submitted()
    services.proposal_review_many(
        proposals=[*ours, theirs], action="approve", by=users["officer"], council=bloc.council
    )
    assert set(told(K.PROPOSAL_APPROVED)) == SEAT_HOLDERS | {"member", "chair2"}
    assert only(K.PROPOSAL_APPROVED, "chair").title.startswith(f"{bloc.name}, năm {YEAR}: 2 đề nghị")
    assert only(K.PROPOSAL_APPROVED, "chair2").title.startswith(f"{other.name}, năm {YEAR}: đề nghị")
    assert "Sở Công Thương" not in only(K.PROPOSAL_APPROVED, "chair").body
    assert set(told(K.SUBMISSION_RECEIVED)) == {"officer"}


def test_telling_a_batch_costs_the_same_queries_for_2_and_for_6_proposals(proposal, walk):
    items = [explained(proposal(code)) for code in ("LHPN", "HND")]
    items += [explained(proposal(code, type_code=CHAIRMAN_CERTIFICATE)) for code in ("LHPN", "HND", "CCB", "LDLD")]
    walk.submit(*items)

    def cost(count: int) -> int:
        batch = list(
            Proposal.objects.filter(pk__in=[p.pk for p in items[:count]]).select_related(
                "award_type", "unit", "person", "bloc"
            )
        )
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            proposals_moved_notify(proposals=batch, to=Proposal.Status.APPROVED)
        return len(queries)

    assert cost(2) == cost(6)


def test_a_long_batch_lists_its_first_proposals(proposal, walk, bloc):
    items = [explained(proposal(code)) for code in ("LHPN", "HND")]
    walk.submit(*items)
    batch = list(Proposal.objects.filter(pk__in=[p.pk for p in items]).select_related("award_type", "unit", "bloc"))
    proposals_moved_notify(proposals=batch * (LISTED + 1), to=Proposal.Status.APPROVED)
    body = only(K.PROPOSAL_APPROVED, "chair").body
    assert body.split("\n")[LISTED] == "… và 22 đề nghị khác"


def test_the_conferences_own_awards_tell_their_units(proposal, walk, bloc):
    collective = proposal("LDLD", type_code=BLOC_EXEMPLARY_COLLECTIVE, collective_name="Ban Tổ chức", report=False)
    person = proposal("LHPN", type_code=BLOC_EXEMPLARY_INDIVIDUAL, person="Trần Thị Bình", report=False)
    services.bloc_award_decide(proposals=[collective, person], conference_date=date(2021, 12, 27), by=walk.chair)
    assert set(told(K.PROPOSAL_DECIDED)) == SEAT_HOLDERS | {"member"}
    notice = only(K.PROPOSAL_DECIDED, "member")
    assert notice.title == f"{bloc.name}, năm {YEAR}: đã quyết định khen thưởng 2 đề nghị"
    assert notice.body.endswith("Quyết định tại hội nghị của khối, cụm ngày 27/12/2021.")
    assert "– Ban Tổ chức, Liên đoàn Lao động tỉnh:" in notice.body


def test_an_award_entered_from_outside_tells_nobody(council, units, awards, bloc):
    services.award_enter_external(
        council=council,
        award_type=awards[PROVINCIAL_FLAG],
        year=2019,
        unit=units["member_unit"],
        bloc=bloc,
        decision_number="1520/QĐ-UBND",
        decision_date=date(2020, 3, 20),
        by=None,
    )
    assert not Notification.objects.exists()


def test_an_opt_out_keeps_the_notice_but_sends_no_mail(
    submitted, users, mailoutbox, django_capture_on_commit_callbacks
):
    (member, _farmers) = submitted()
    with_addresses(users)
    email_opt_outs_set(user=users["chair"], muted_kinds=[K.PROPOSAL_RETURNED])
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_return(proposal=member, reason="Bổ sung báo cáo.", by=users["officer"])
    assert only(K.PROPOSAL_RETURNED, "chair").email == Notification.Email.OFF
    assert mailed_to(mailoutbox) == {"vice_chair", "member"}
    message = mailoutbox[0]
    assert "bị trả lại" in message.subject
    assert "Lý do: Bổ sung báo cáo." in message.body
    assert reverse("awards:proposal_detail", args=[member.pk]) in message.body


def test_a_submission_mails_the_officer_after_the_commit(
    proposal, walk, users, mailoutbox, django_capture_on_commit_callbacks
):
    with_addresses(users)
    item = explained(proposal("LHPN"))
    with django_capture_on_commit_callbacks(execute=True):
        walk.submit(item)
    assert mailed_to(mailoutbox) == {"officer"}


def test_a_change_rolled_back_tells_nobody(submitted, users, mailoutbox, django_capture_on_commit_callbacks):
    (member, farmers) = submitted()
    Notification.objects.all().delete()
    with_addresses(users)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.proposal_return(proposal=member, reason="Bổ sung.", by=users["officer"])
            services.proposal_review_many(
                proposals=[farmers], action="approve", by=users["officer"], council=member.council
            )
            raise RuntimeError("the caller fails after the review")
    assert not Notification.objects.exists()
    assert mailoutbox == []
    assert Proposal.objects.get(pk=member.pk).status == Proposal.Status.SUBMITTED
