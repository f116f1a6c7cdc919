"""The review queue costs the same number of queries with 3 and with 30 proposals when every row has what
the queue shows: rules that apply, a submission with its cover letter, the year-end conference's final
minutes (through the awards registry), a deadline passed and days late, and the bulk form (as in
tests/scale/test_budgets.py: a row read per proposal would grow with the data)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.catalogue import PROVINCIAL_FLAG
from awards.models import AwardRule, AwardType, Proposal, ProposalEvent, Submission
from blocs import services as blocs_services
from blocs.models import Deadline
from meetings.models import Meeting, Minutes, MinutesVersion

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from .test_budgets import BUDGET, queries

pytestmark = pytest.mark.django_db


def grow_reviewed(council, first: int, count: int) -> None:
    """``count`` blocs, each with a member unit whose proposal of YEAR went out late in a submission, and
    a year-end conference with final minutes."""
    flag = AwardType.objects.get(council=council, code=PROVINCIAL_FLAG)
    for index in range(first, first + count):
        bloc = BlocFactory(council=council, name=f"Khối thi đua số {index:03d}", code=f"K{index:03d}")
        unit = UnitFactory(council=council, name=f"Đơn vị thành viên số {index:03d}", code=f"DV{index:03d}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018)
        submission = Submission.objects.create(bloc=bloc, year=YEAR, sequence=1, submitted_on=date(2022, 2, 1))
        proposal = Proposal.objects.create(
            council=council,
            bloc=bloc,
            year=YEAR,
            award_type=flag,
            unit=unit,
            acclamation=True,
            status=Proposal.Status.SUBMITTED,
            submission=submission,
        )
        ProposalEvent.objects.create(
            proposal=proposal, from_status="draft", to_status="submitted", submission=submission
        )
        meeting = Meeting.objects.create(bloc=bloc, year=YEAR, kind=Meeting.Kind.YEAR_END, date=date(2021, 12, 28))
        minutes = Minutes.objects.create(meeting=meeting)
        MinutesVersion.objects.create(
            minutes=minutes, number=1, state=MinutesVersion.State.FINAL, content={}, finalised_at=timezone.now()
        )


def test_the_review_queue_costs_the_same_with_3_and_with_30_reviewed_rows(client, council, users):
    flag = AwardType.objects.get(council=council, code=PROVINCIAL_FLAG)
    services.award_rule_save(
        rule=AwardRule(
            award_type=flag, kind="threshold", threshold_numerator=2, threshold_denominator=3, base="ballots_cast"
        )
    )
    blocs_services.deadline_set(council=council, year=YEAR, kind=Deadline.Kind.SUBMISSION, due_on=date(2022, 1, 15))
    url = reverse("awards:review_queue")
    grow_reviewed(council, 1, 3)
    small = queries(client, users["officer"], url)
    grow_reviewed(council, 4, 27)
    large = queries(client, users["officer"], url)
    assert (small, large) == (small, small), f"{small} queries with 3, {large} with 30"
    assert large <= BUDGET, f"{large} queries"
    page = client.get(url).content.decode()
    assert page.count("minutes-link") == 25 and page.count("cover-letter-link") == 25  # a full page of rows
    assert page.count("nộp muộn 17 ngày") == 25
