"""The final ranking on the base app's pages, through the pledges app's providers: the home page's scoring
state per bloc (not opened, x of n sheets submitted, reviewing, final with the unit ranked first, reopened)
and a unit's page listing its ranks by year. Both cost the same queries whatever the number of rankings.

The fixture bloc has five members from 2018; ``sheets`` opens scoring of 2021 (``tests/fixtures/scoring.py``),
``ranked`` enters the standard ranking of 2021 (LĐLĐ 1, MTTQ 2, LHPN 3, HND 4, CCB not entered).
"""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.scoring.services import sheet_submit

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory, UserFactory
from ..fixtures.scoring import fill, scored
from ..roles import OK

pytestmark = pytest.mark.django_db


def badges(client) -> list[str]:
    page = client.get(reverse("blocs:home"), {"year": YEAR}).content.decode()
    return [html.unescape(text) for text in re.findall(r'class="[^"]*scoring-badge"[^>]*>(.*?)</a>', page)]


def scoring_badge(client) -> str:
    (badge,) = badges(client)
    return badge


# --- Home ------------------------------------------------------------------------------------------------


def test_a_bloc_year_without_scoring_says_it_is_not_opened(client_as, bloc):
    assert scoring_badge(client_as("officer")) == "Chấm điểm 2021: chưa mở"


def test_a_table_being_prepared_is_not_opened_either(client_as, table):
    assert scoring_badge(client_as("chair")) == "Chấm điểm 2021: chưa mở"


def test_open_scoring_counts_the_sheets_submitted_then_reviewed(client_as, sheets):
    client = client_as("member")
    assert scoring_badge(client) == "Chấm điểm 2021: 0/5 phiếu đã nộp"
    scored(sheets["vice_unit"])
    fill(sheets["farmers"], {})
    sheet_submit(sheet=sheets["farmers"], by=None)
    assert scoring_badge(client) == "Chấm điểm 2021: 2/5 phiếu đã nộp"
    for key in ("chair_unit", "member_unit", "veterans"):
        fill(sheets[key], {})
        sheet_submit(sheet=sheets[key], by=None)
    assert scoring_badge(client) == "Chấm điểm 2021: đang thẩm định, 1/5 phiếu đã thẩm định"


def test_a_final_ranking_names_the_unit_ranked_first(client_as, ranked, bloc):
    client = client_as("member")
    assert scoring_badge(client) == "Xếp hạng 2021: đã chốt; hạng Nhất: Liên đoàn Lao động tỉnh"
    page = client.get(reverse("blocs:home"), {"year": YEAR}).content.decode()
    assert f'href="{reverse("scoring:scoring_detail", args=[bloc.pk, YEAR])}"' in page


def test_a_computed_ranking_names_its_first_too(client_as, computed_ranking):
    assert scoring_badge(client_as("officer")) == "Xếp hạng 2021: đã chốt; hạng Nhất: Liên đoàn Lao động tỉnh"


def test_a_shared_first_rank_names_the_first_in_protocol_order_and_counts_the_others(client_as, enter_ranking):
    enter_ranking({"LDLD": (1, "90"), "HND": (1, "90"), "MTTQ": (1, "90"), "LHPN": (4, "70")})
    assert scoring_badge(client_as("chair")) == (
        "Xếp hạng 2021: đã chốt; hạng Nhất: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và 2 đơn vị khác"
    )


def test_a_reopened_ranking_is_said_to_be_reopened(client_as, reopened):
    assert scoring_badge(client_as("chair")) == "Xếp hạng 2021: đã mở lại"


def test_the_badge_is_of_the_year_shown(client_as, enter_ranking):
    enter_ranking(year=2020)
    client = client_as("officer")
    assert scoring_badge(client) == "Chấm điểm 2021: chưa mở"
    page = client.get(reverse("blocs:home"), {"year": 2020}).content.decode()
    assert "Xếp hạng 2020: đã chốt; hạng Nhất: Liên đoàn Lao động tỉnh" in page


# --- The unit's page -------------------------------------------------------------------------------------


def unit_ranks(client, unit) -> list[tuple[str, ...]]:
    response = client.get(reverse("blocs:unit_detail", args=[unit.pk]))
    assert response.status_code == OK
    page = response.content.decode()
    if 'id="unit-ranks"' not in page:
        return []
    table = page.split('id="unit-ranks"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="unit-rank">(.*?)</tr>', table, re.S)
    return [
        tuple(
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", cell))).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in rows
    ]


def test_the_unit_page_lists_its_ranks_by_year(client_as, units, enter_ranking, bloc):
    enter_ranking(year=2021)
    enter_ranking({"LHPN": (2, "91"), "LDLD": (1, None)}, year=2020)
    name = bloc.name
    assert unit_ranks(client_as("member"), units["member_unit"]) == [
        ("2021", name, "3", "88,25"),
        ("2020", name, "2", "91"),
    ]
    assert unit_ranks(client_as("officer"), units["vice_unit"]) == [
        ("2021", name, "1", "95,5"),
        ("2020", name, "1", "—"),
    ]
    # A member without a line in a ranking entered directly: not ranked, and why.
    not_entered = ("Chưa xếp hạng — Chưa nhập thứ hạng", "—")
    assert unit_ranks(client_as("officer"), units["veterans"]) == [
        ("2021", name, *not_entered),
        ("2020", name, *not_entered),
    ]


def test_a_unit_not_ranked_from_its_sheets_is_told_why(client_as, units, computed_ranking):
    (row,) = unit_ranks(client_as("officer"), units["farmers"])
    assert row[2] == "Chưa xếp hạng — Phiếu chưa được thẩm định"
    (row,) = unit_ranks(client_as("officer"), units["vice_unit"])
    assert row[2:] == ("1", "80")


def test_a_reopened_ranking_is_not_listed(client_as, units, reopened):
    assert unit_ranks(client_as("officer"), units["member_unit"]) == []


def test_a_viewer_sees_the_ranks_of_the_bloc_years_it_reads(client_as, client, council, bloc, units, enter_ranking):
    enter_ranking(year=2021)
    enter_ranking(year=2020)
    newcomer = UnitFactory(council=council, name="Hội Người cao tuổi tỉnh")
    MembershipFactory(bloc=bloc, unit=newcomer, first_year=2021, display_order=9)
    client.force_login(UserFactory(username="newcomer", council=council, unit=newcomer))
    # A member since 2021 reads 2021 of the bloc, not 2020.
    assert [row[0] for row in unit_ranks(client, units["member_unit"])] == ["2021"]


def _unit_page_queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("blocs:unit_detail", args=[unit.pk])).status_code == OK
    return len(captured)


def test_the_unit_page_costs_the_same_with_one_ranking_or_four(client_as, units, enter_ranking):
    client = client_as("member")
    enter_ranking(year=2021)
    one = _unit_page_queries(client, units["member_unit"])
    for year in (2018, 2019, 2020):
        enter_ranking(year=year)
    assert _unit_page_queries(client, units["member_unit"]) == one
    assert len(unit_ranks(client, units["member_unit"])) == 4
