"""The Board's review queue: approving or returning a selection at once (all or nothing, one reason, officers
of the council only), the rules that apply to each row, the links to a proposal's papers, and the deadline
warnings that are shown only while they are true and something can still be done (``selectors.Lateness``)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardType, Proposal, ProposalEvent
from blocs import services as blocs_services
from blocs.models import Deadline
from meetings.models import Meeting, Minutes, MinutesVersion

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..roles import NOT_FOUND, OK, REDIRECT, ROLES, check_post, expect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("awards_checks_only")]

QUEUE = reverse("awards:review_queue")
MANY = reverse("awards:review_many")


def explained(p):
    return services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)


@pytest.fixture
def submitted(proposal, walk):
    """Three proposals of the fixture bloc's 2021, submitted together."""
    items = [explained(proposal(code)) for code in ("HND", "CCB", "LHPN")]
    walk.submit(*items)
    return [Proposal.objects.get(pk=p.pk) for p in items]


def state() -> tuple:
    return (
        tuple(Proposal.objects.order_by("pk").values_list("pk", "status", "status_reason")),
        ProposalEvent.objects.count(),
    )


def statuses(items) -> list[str]:
    return [Proposal.objects.get(pk=p.pk).status for p in items]


def test_the_officer_approves_several_at_once(client_as, submitted):
    response = client_as("officer").post(MANY, {"action": "approve", "proposals": [p.pk for p in submitted]})
    assert response.status_code == REDIRECT and response.url == QUEUE
    assert statuses(submitted) == ["approved"] * 3
    assert ProposalEvent.objects.filter(to_status="approved").count() == 3


def test_the_officer_returns_several_with_one_reason(client_as, submitted):
    data = {"action": "return", "reason": "Bổ sung báo cáo thành tích.", "proposals": [p.pk for p in submitted[:2]]}
    data["next"] = QUEUE + "?year=2021"
    response = client_as("officer").post(MANY, data)
    assert response.status_code == REDIRECT and response.url == QUEUE + "?year=2021"
    assert statuses(submitted) == ["returned", "returned", "submitted"]
    assert set(Proposal.objects.filter(status="returned").values_list("status_reason", flat=True)) == {
        "Bổ sung báo cáo thành tích."
    }


def test_a_return_needs_its_reason_next_to_the_field(client_as, submitted):
    before = state()
    response = client_as("officer").post(MANY, {"action": "return", "reason": "  ", "proposals": [submitted[0].pk]})
    assert response.status_code == OK
    assert state() == before
    page = response.content.decode()
    error = page.split('id="review-many-reason-error"')[1].split("</div>")[0]
    assert "Vui lòng ghi lý do." in error  # Vietnamese, under the reason's field
    assert f'value="{submitted[0].pk}" form="review-many" checked' in page  # the selection stays ticked


def test_nothing_changes_when_one_selected_proposal_cannot_move(client_as, submitted, walk):
    walk.approve(submitted[1])  # approved meanwhile, by another officer
    before = state()
    response = client_as("officer").post(MANY, {"action": "approve", "proposals": [p.pk for p in submitted]})
    assert response.status_code == OK
    assert state() == before
    errors = response.content.decode().split('id="review-many-errors"')[1].split("</div></div>")[0]
    assert submitted[1].recipient_name in errors and "Đã duyệt" in errors  # which one, and its state
    assert submitted[0].recipient_name not in errors
    assert "Không có thay đổi nào được lưu." in errors


def test_nothing_selected_says_so(client_as, submitted):
    response = client_as("officer").post(MANY, {"action": "approve"})
    assert response.status_code == OK and response.context["bulk"].non_field_errors()
    response = client_as("officer").post(MANY, {"action": "approve", "proposals": ["1 OR 1=1"]})
    assert response.status_code == OK and response.context["bulk"].non_field_errors()


@pytest.fixture
def foreign(other_council):
    """A submitted proposal of another council's bloc."""
    bloc = BlocFactory(council=other_council, name="Khối thi đua các huyện", code="KTĐ1")
    unit = UnitFactory(council=other_council, code="HBB", name="Ủy ban nhân dân huyện Ba Bể")
    MembershipFactory(bloc=bloc, unit=unit, first_year=2018)
    flag = AwardType.objects.get(council=other_council, code=PROVINCIAL_FLAG)
    return Proposal.objects.create(
        council=other_council, bloc=bloc, year=YEAR, award_type=flag, unit=unit, acclamation=True, status="submitted"
    )


def test_another_councils_proposal_posted_by_hand_is_refused(client_as, submitted, foreign):
    before = state()
    response = client_as("officer").post(MANY, {"action": "approve", "proposals": [submitted[0].pk, foreign.pk]})
    assert response.status_code == NOT_FOUND
    assert state() == before
    # And the other council's officer cannot review this council's proposals by their ids.
    response = client_as("other_officer").post(MANY, {"action": "approve", "proposals": [submitted[0].pk]})
    assert response.status_code == NOT_FOUND
    assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_bulk_review_permissions(client_as, submitted, role):
    check_post(
        client_as(role),
        MANY,
        {"action": "return", "reason": "Bổ sung.", "proposals": [p.pk for p in submitted]},
        expect(officer=REDIRECT),
        role,
        state=state,
        name="review_many",
    )


def test_each_row_shows_the_rules_that_apply_and_whether_they_hold(client_as, submitted, rule):
    rule(PROVINCIAL_FLAG, "threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast")
    rule(PROVINCIAL_FLAG, "quota", quota_number=2, severity="warning")  # three proposed: it fails
    response = client_as("officer").get(QUEUE)
    row = next(p for p in response.context["page"] if p.pk == submitted[0].pk)
    assert [(c.kind_label, c.holds) for c in row.rule_checks] == [
        ("Chỉ tiêu mỗi khối, cụm trong năm", False),
        ("Ngưỡng tỷ lệ phiếu", True),  # acclaimed, and acclamation counts
        ("Đăng ký thi đua", False),
    ]
    assert row.rule_checks[2].finding.has_reason  # the registration warning, explained before submitting
    cell = response.content.decode().split(f'data-proposal="{submitted[0].pk}"')[1].split("</tr>")[0]
    assert cell.count('data-holds="1"') == 1 and cell.count('data-holds="0"') == 2
    assert all(check.text in cell for check in row.rule_checks)
    assert "Đạt" in cell and "Cảnh báo: cần nêu lý do" in cell and "Cảnh báo, đã nêu lý do" in cell


def test_a_proposal_no_rule_applies_to_says_so(client_as, proposal, walk):
    collective = proposal("HND", collective_name="Phòng Tổng hợp")  # the registration check is the unit's own
    walk.submit(collective)
    response = client_as("officer").get(QUEUE)
    assert response.context["page"][0].rule_checks == []
    assert "Không có quy tắc nào áp dụng." in response.content.decode()


def test_rows_and_the_proposal_page_link_to_the_cover_letter_and_the_minutes(client_as, submitted, bloc):
    meeting = Meeting.objects.create(bloc=bloc, year=YEAR, kind=Meeting.Kind.YEAR_END, date=date(2021, 12, 28))
    response = client_as("officer").get(QUEUE)
    cell = response.content.decode().split(f'data-proposal="{submitted[0].pk}"')[1].split("</tr>")[0]
    submission = Proposal.objects.get(pk=submitted[0].pk).submission
    assert reverse("awards:submission_detail", args=[submission.pk]) in cell
    assert reverse("awards:submission_cover_pdf", args=[submission.pk]) in cell
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in cell  # minutes not final: the meeting

    minutes = Minutes.objects.create(meeting=meeting)
    MinutesVersion.objects.create(
        minutes=minutes, number=1, state=MinutesVersion.State.FINAL, content={}, finalised_at=timezone.now()
    )
    minutes_pdf = reverse("meetings:minutes_pdf", args=[meeting.pk, 1])
    cell = client_as("officer").get(QUEUE).content.decode().split(f'data-proposal="{submitted[0].pk}"')[1]
    assert minutes_pdf in cell.split("</tr>")[0]
    page = client_as("chair").get(reverse("awards:proposal_detail", args=[submitted[0].pk])).content.decode()
    links = page.split('id="proposal-links"')[1].split("</dd>")[0]
    assert reverse("awards:submission_cover_pdf", args=[submission.pk]) in links and minutes_pdf in links


# Lateness -----------------------------------------------------------------------------------------------


def test_a_past_year_fully_decided_shows_no_warning_but_its_rows_say_how_late(client_as, council, proposal, walk):
    past = YEAR - 1
    blocs_services.deadline_set(council=council, year=past, kind=Deadline.Kind.SUBMISSION, due_on=date(2021, 2, 1))
    items = [explained(proposal(code, year=past)) for code in ("HND", "CCB")]
    walk.submit(*items, on=date(2021, 2, 11), year=past)  # ten days late
    walk.approve(items[0])
    walk.decide(items[0])
    services.proposal_reject(proposal=items[1], reason="Không đủ điều kiện.", by=walk.officer)
    for params in ({}, {"year": past}, {"year": past, "status": ""}):
        response = client_as("officer").get(QUEUE, params)
        assert response.context["late_blocs"] == [], params
        assert 'id="late-blocs"' not in response.content.decode()
    response = client_as("officer").get(QUEUE, {"year": past, "status": ""})
    assert {p.days_late for p in response.context["page"]} == {10}
    assert "nộp muộn 10 ngày" in response.content.decode()


def test_the_current_year_past_its_deadline_warns_while_something_is_pending(client_as, council, bloc, proposal, walk):
    blocs_services.deadline_set(council=council, year=YEAR, kind=Deadline.Kind.SUBMISSION, due_on=date(2022, 1, 15))
    sent = explained(proposal("HND"))
    walk.submit(sent, on=date(2022, 1, 10))  # on time
    explained(proposal("CCB"))  # a draft still not submitted
    quiet = BlocFactory(council=council, name="Khối thi đua các sở", code="KTĐ2")
    MembershipFactory(bloc=quiet, unit=UnitFactory(council=council, code="SYT", name="Sở Y tế"), first_year=2018)
    BlocFactory(council=council, name="Khối mới", code="KTĐ9")  # no members that year: nothing to owe

    response = client_as("officer").get(QUEUE)
    rows = {(item["bloc"].pk, item.get("unsent", 0)) for item in response.context["late_blocs"]}
    assert rows == {(bloc.pk, 1), (quiet.pk, 0)}
    page = response.content.decode()
    assert "1 đề nghị chưa được trình" in page and "không nộp hồ sơ trước hạn nộp 15/01/2022" in page
    assert [p.days_late for p in response.context["page"]] == [0]

    # Once the draft goes out (late) and the quiet bloc sends its own, the banner is gone.
    walk.submit(Proposal.objects.get(bloc=bloc, status="draft"), on=date(2022, 2, 1))
    other = Proposal.objects.create(
        council=council,
        bloc=quiet,
        year=YEAR,
        award_type=AwardType.objects.get(council=council, code=CHAIRMAN_CERTIFICATE),
        unit=quiet.memberships.get().unit,
        acclamation=True,
        status="submitted",
    )
    response = client_as("officer").get(QUEUE)
    assert response.context["late_blocs"] == []
    assert {p.pk: p.days_late for p in response.context["page"]}[other.pk] == 0
    assert sorted(p.days_late for p in response.context["page"]) == [0, 0, 17]


def test_an_old_year_with_nothing_submitted_is_history_not_a_warning(client_as, council):
    blocs_services.deadline_set(council=council, year=2019, kind=Deadline.Kind.SUBMISSION, due_on=date(2020, 1, 15))
    response = client_as("officer").get(QUEUE, {"year": 2019})
    assert response.context["late_blocs"] == []


def _queue_recipients(client, query: str) -> list[int]:
    import re

    page = client.get(reverse("awards:review_queue") + query).content.decode()
    return [int(pk) for pk in re.findall(r'name="proposals" value="(\d+)"', page)]


def test_the_queue_sorts_by_recipient_both_ways_and_keeps_the_sort_in_its_filters(client_as, submitted):
    client = client_as("officer")
    by_name = sorted(submitted, key=lambda p: (p.unit.sort_name, p.pk))
    assert _queue_recipients(client, "?sort=recipient") == [p.pk for p in by_name]
    assert _queue_recipients(client, "?sort=-recipient") == [p.pk for p in reversed(by_name)]
    # An unknown key is ignored: the default order, never an error.
    assert sorted(_queue_recipients(client, "?sort=status__in")) == sorted(p.pk for p in submitted)
    page = client.get(reverse("awards:review_queue") + "?sort=-recipient").content.decode()
    filters = page.split('id="review-filters"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="sort" value="-recipient">' in filters
    assert 'aria-sort="descending"' in page
