"""The home page costs the same number of queries whatever the number of blocs it lists.

The table pages; seats and badges are read for the rows shown, while the attention list still covers
every bloc listed, through aggregate queries. The blocs added have scoring in every state (not opened,
open with sheets, a final ranking), so the scoring badge is measured too.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blocs.models import Seat
from meetings.models import Meeting
from pledges.scoring.services import DirectEntry, ranking_enter_directly, scoring_open

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UserFactory
from ..fixtures.scoring import build_table

BUDGET = 20


def add_blocs(council, units, first: int, count: int) -> None:
    """``count`` more blocs with the chair's and the member's units as members; every other one has the
    chair unit in its chair seat for YEAR and a year-end conference held, the others neither. Of every three,
    one has scoring of YEAR open (two sheets), one a final ranking (the member's unit first), one nothing."""
    for index in range(first, first + count):
        bloc = BlocFactory(council=council, name=f"Khối thi đua số {index:02d}", code=f"K{index:02d}")
        for unit in (units["chair_unit"], units["member_unit"]):
            MembershipFactory(bloc=bloc, unit=unit, first_year=2018)
        if index % 3 == 0:
            scoring_open(table=build_table(bloc, YEAR), by=None)
        elif index % 3 == 1:
            entries = [DirectEntry(units["member_unit"].pk, 1, "90"), DirectEntry(units["chair_unit"].pk, 2, "85")]
            ranking_enter_directly(bloc=bloc, year=YEAR, entries=entries, by=None)
        if index % 2:
            Seat.objects.create(bloc=bloc, year=YEAR, unit=units["chair_unit"], rank=0)
            Meeting.objects.create(
                bloc=bloc,
                year=YEAR,
                kind=Meeting.Kind.YEAR_END,
                date=date(YEAR, 12, 28),
                status=Meeting.Status.HELD,
                results_recorded_at=timezone.now(),
            )


def home_queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("blocs:home"), {"year": YEAR})
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def superuser(council):
    return UserFactory(username="root", council=None, unit=None, is_superuser=True, is_staff=True)


@pytest.mark.parametrize("role", ["officer", "superuser", "chair", "member"])
def test_the_home_page_costs_the_same_with_3_and_with_30_blocs(role, english_client, council, units, users, superuser):
    user = superuser if role == "superuser" else users[role]
    add_blocs(council, units, 1, 3)
    small, _ = home_queries(english_client, user)
    add_blocs(council, units, 4, 27)
    large, page = home_queries(english_client, user)
    assert small == large <= BUDGET
    assert "Page 1 of 2" in page
    assert page.count("scoring-badge") == 25  # every row shown has its scoring state
    assert "Ranking 2021: final; first: Hội Liên hiệp Phụ nữ tỉnh" in page
    assert "Scoring 2021: 0 of 2 sheets submitted" in page


def test_the_officer_is_told_about_every_bloc_listed_not_only_the_page(english_client, council, units, users):
    add_blocs(council, units, 1, 30)  # 31 blocs with the fixture's: 25 on the first page
    _, page = home_queries(english_client, users["officer"])
    # The 15 blocs without seats, the last of them on the second page, each have their line.
    assert page.count("has no chair for 2021 yet.") == 15
    assert "Khối thi đua số 30 has no chair for 2021 yet." in page
    # One fixture bloc and 15 added have not held their conference: counted over all 31.
    assert "16 of 31 blocs have not recorded their year-end conference of 2021." in page
    assert page.count("meeting-badge") == 25  # badges for the rows shown only


def test_the_chair_is_reminded_of_each_of_its_blocs_on_any_page(english_client, council, units, users):
    add_blocs(council, units, 1, 30)
    _, page = home_queries(english_client, users["chair"])
    # The fixture's bloc (scheduled nothing) is the chair unit's, and so are the 15 added blocs with its seat,
    # all of which held the conference: their minutes are not final.
    assert page.count("minutes of the year-end conference of 2021 are not final yet.") == 15
    assert page.count("the year-end conference of 2021 is not recorded yet.") == 1
    second = english_client.get(reverse("blocs:home"), {"year": YEAR, "page": 2}).content.decode()
    assert second.count("meeting-badge") == 31 - 25
