"""Every main page costs the same number of queries with 3 and with 30 of each kind of item it lists
(member units, proposals, meetings), and no more than BUDGET: a page that reads a row per item (an N+1)
would grow with the data.

The data grows around the fixtures of tests/conftest.py: ``grow`` adds member units to the bloc (from
2018), proposals of those units for YEAR (half submitted, half approved) and meetings of the bloc.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.catalogue import PROVINCIAL_FLAG
from awards.forms import DECISION_CHOICES_CAP
from awards.models import AwardType, Decision, Proposal
from meetings.models import Meeting

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory

BUDGET = 20


def grow(bloc, first: int, count: int) -> None:
    flag = AwardType.objects.get(council=bloc.council, code=PROVINCIAL_FLAG)
    for index in range(first, first + count):
        unit = UnitFactory(council=bloc.council, name=f"Đơn vị thành viên số {index:03d}", code=f"DV{index:03d}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=100 + index)
        Proposal.objects.create(
            council=bloc.council,
            bloc=bloc,
            year=YEAR,
            award_type=flag,
            unit=unit,
            acclamation=True,
            status=Proposal.Status.SUBMITTED if index % 2 else Proposal.Status.APPROVED,
        )
        Meeting.objects.create(
            bloc=bloc, year=YEAR, kind=Meeting.Kind.OTHER, date=date(YEAR, 1, 1) + timedelta(days=index)
        )


def queries(client, user, url: str, params: dict | None = None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def a_proposal(bloc) -> Proposal:
    return Proposal.objects.filter(bloc=bloc).order_by("id").first()


# (name, role, url builder taking the fixtures, GET parameters)
PAGES = [
    ("home", "officer", lambda f: reverse("blocs:home"), {"year": YEAR}),
    ("home", "chair", lambda f: reverse("blocs:home"), {"year": YEAR}),
    ("home", "member", lambda f: reverse("blocs:home"), {"year": YEAR}),
    ("bloc page", "chair", lambda f: reverse("blocs:bloc_detail", args=[f["bloc"].pk]), {"year": YEAR}),
    ("bloc list", "officer", lambda f: reverse("blocs:bloc_list"), {}),
    ("unit page", "officer", lambda f: reverse("blocs:unit_detail", args=[f["units"]["member_unit"].pk]), {}),
    ("unit list", "officer", lambda f: reverse("blocs:unit_list"), {}),
    # Sorted, searched and in a year: the blocs of the year are one prefetch for the page's units.
    ("unit list", "member", lambda f: reverse("blocs:unit_list"), {"sort": "-code", "year": YEAR, "q": "don vi"}),
    ("units export", "officer", lambda f: reverse("blocs:units_export"), {"sort": "-name", "year": YEAR}),
    ("user list", "officer", lambda f: reverse("blocs:user_list"), {"sort": "-unit"}),
    ("bloc list sorted", "officer", lambda f: reverse("blocs:bloc_list"), {"sort": "-code"}),
    # The search's six groups (two for a unit's user fewer): a query or two each, whatever they match.
    ("search", "officer", lambda f: reverse("blocs:search"), {"q": "don vi"}),
    ("search", "member", lambda f: reverse("blocs:search"), {"q": "hoi nghi"}),
    ("search meetings", "officer", lambda f: reverse("blocs:search"), {"q": "hoi nghi", "in": "meeting"}),
    ("awards index", "chair", lambda f: reverse("awards:index"), {}),
    ("bloc year", "chair", lambda f: reverse("awards:bloc_year", args=[f["bloc"].pk, YEAR]), {}),
    ("award list", "officer", lambda f: reverse("awards:award_list"), {"year": YEAR}),
    ("award list sorted", "officer", lambda f: reverse("awards:award_list"), {"year": YEAR, "sort": "-recipient"}),
    ("review queue", "officer", lambda f: reverse("awards:review_queue"), {}),
    ("decision form", "officer", lambda f: reverse("awards:decision_create"), {}),
    ("decision list", "officer", lambda f: reverse("awards:decision_list"), {}),
    ("decision list sorted", "officer", lambda f: reverse("awards:decision_list"), {"sort": "count"}),
    ("proposal detail", "officer", lambda f: reverse("awards:proposal_detail", args=[a_proposal(f["bloc"]).pk]), {}),
    ("bloc meetings", "chair", lambda f: reverse("meetings:bloc_meetings", args=[f["bloc"].pk]), {}),
    ("meetings overview", "officer", lambda f: reverse("meetings:overview"), {}),
    ("meetings overview sorted", "officer", lambda f: reverse("meetings:overview"), {"year": YEAR, "sort": "-present"}),
    ("meeting detail", "chair", lambda f: reverse("meetings:meeting_detail", args=[f["meeting"].pk]), {}),
    # Next year's seats are read once, for the record and the access checks (blocs.access.seats_read).
    ("meeting results form", "chair", lambda f: reverse("meetings:meeting_results", args=[f["meeting"].pk]), {}),
    ("pledge page", "chair", lambda f: reverse("pledges:pledge_detail", args=[f["bloc"].pk, YEAR]), {}),
    ("pledge sign form", "chair", lambda f: reverse("pledges:pledge_sign", args=[f["signing"].pledge_id]), {}),
]


@pytest.mark.parametrize(
    ("name", "role", "url", "params"),
    [
        page if isinstance(page, type(pytest.param())) else pytest.param(*page, id=f"{page[0]}-{page[1]}")
        for page in PAGES
    ],
)
def test_the_page_costs_the_same_with_3_and_with_30_of_each(
    name, role, url, params, client, bloc, units, users, meeting, signing
):
    fixtures = {"bloc": bloc, "units": units, "meeting": meeting, "signing": signing}
    grow(bloc, 1, 3)
    small = queries(client, users[role], url(fixtures), params)
    grow(bloc, 4, 27)
    large = queries(client, users[role], url(fixtures), params)
    assert (small, large) == (small, small), f"{name}: {small} queries with 3, {large} with 30"
    assert large <= BUDGET, f"{name}: {large} queries"


# The award pages that grow with the data page or cap what they list.


def test_the_award_list_pages_and_its_exports_take_every_proposal(english_client, bloc, units, users):
    grow(bloc, 1, 30)
    english_client.force_login(users["officer"])
    page = english_client.get(reverse("awards:award_list"), {"year": YEAR, "page": 2}).content.decode()
    assert "Page 2 of 2" in page
    assert "Proposals 26–30 of 30; the exports list them all." in page
    assert f"{reverse('awards:award_list_xlsx')}?year={YEAR}&quot;" not in page  # the query keeps the filters
    assert "page=2" not in page.split('id="export-xlsx"')[1].split(">")[0]


def test_the_decision_form_caps_its_boxes_and_still_decides_many(english_client, bloc, units, users, awards):
    grow(bloc, 1, 2 * DECISION_CHOICES_CAP + 2)  # half approved: one more than the cap
    approved = list(Proposal.objects.filter(status=Proposal.Status.APPROVED).order_by("id"))
    assert len(approved) == DECISION_CHOICES_CAP + 1
    english_client.force_login(users["officer"])
    url = reverse("awards:decision_create")
    page = english_client.get(url).content.decode()
    assert 'id="decision-capped"' in page
    assert page.count('name="proposals"') == DECISION_CHOICES_CAP
    # The search narrows the boxes to the proposals of the units it names.
    found = english_client.get(url, {"q": "số 002"}).content.decode()
    assert found.count('name="proposals"') == 1 and 'id="decision-capped"' not in found
    # Every approved proposal can be decided at once, those beyond the shown boxes too.
    data = {"number": "12/QĐ-UBND", "date": "01/03/2022", "signer": "", "proposals": [p.pk for p in approved]}
    response = english_client.post(url, data)
    decision = Decision.objects.get(number="12/QĐ-UBND")
    assert response.status_code == 302
    assert decision.proposals.count() == DECISION_CHOICES_CAP + 1
