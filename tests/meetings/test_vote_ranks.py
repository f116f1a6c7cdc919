"""The conference's votes beside each unit's rank in the final ranking of the year reviewed: the results
page and the meeting's page. Only a final ranking is shown; without one the column says nothing and the
page says why (none yet, or reopened). A person's or a named collective's row has no rank: the ranking
ranks units. The pages cost the same queries with a ranking and without.

The meeting reviews 2021; ``record`` votes the flag for LHPN and certificates for HND and CCB. The standard
ranking of 2021 (``tests/fixtures/ranking.py``): LĐLĐ 1, MTTQ 2, LHPN 3, HND 4, CCB not entered.
"""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from meetings import services

from ..roles import OK

pytestmark = pytest.mark.django_db


def rank_cells(page: str) -> list[tuple[str, str]]:
    """Each vote row's rank cell as (text, title), in the table's order (the blank row's included)."""
    table = page.split('id="votes-table"', 1)[1].split("</table>", 1)[0]
    return [
        (html.unescape(text).strip(), html.unescape(title or ""))
        for title, text in re.findall(r'<td class="cell-rank"(?: title="([^"]*)")?>(.*?)</td>', table, re.S)
    ]


def results(client, meeting) -> str:
    response = client.get(reverse("meetings:meeting_results", args=[meeting.pk]))
    assert response.status_code == OK
    return response.content.decode()


def detail(client, meeting) -> str:
    response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == OK
    return response.content.decode()


def test_the_results_page_shows_each_voted_units_rank(client_as, meeting, record, ranked, units):
    record()
    page = results(client_as("chair"), meeting)
    # LHPN 3, HND 4, CCB not ranked (its reason as the title), the blank row for a new candidate: nothing.
    assert rank_cells(page) == [("3", ""), ("4", ""), ("chưa xếp hạng", "Chưa nhập thứ hạng"), ("", "")]
    assert "Xếp hạng: thứ hạng của đơn vị trong xếp hạng đã chốt năm 2021." in page
    ranks = json.loads(html.unescape(re.search(r'id="votes-table" data-ranks="([^"]*)"', page).group(1)))
    assert ranks[str(units["vice_unit"].pk)] == ["1", ""]  # the column follows a unit chosen in a new row


def test_the_drafted_proposals_offered_on_the_results_page_show_their_rank(client_as, meeting, proposal, ranked):
    proposal("LDLD")
    proposal("MTTQ", type_code=CHAIRMAN_CERTIFICATE)
    assert rank_cells(results(client_as("chair"), meeting))[:2] == [("1", ""), ("2", "")]


def test_the_meetings_page_shows_the_rank_beside_each_recorded_vote(client_as, meeting, record, ranked):
    record()
    page = detail(client_as("member"), meeting)
    assert rank_cells(page) == [("3", ""), ("4", ""), ("chưa xếp hạng", "Chưa nhập thứ hạng")]


def test_a_person_or_a_named_collective_has_no_rank(client_as, meeting, record, awards, units, ranked):
    record(
        votes=[
            services.VoteEntry(award_type=awards[PROVINCIAL_FLAG], unit=units["vice_unit"], acclamation=True),
            services.VoteEntry(
                award_type=awards[CHAIRMAN_CERTIFICATE],
                unit=units["vice_unit"],
                person_name="Nguyễn Văn Hùng",
                person_position="Chủ tịch",
                acclamation=True,
            ),
            services.VoteEntry(
                award_type=awards[CHAIRMAN_CERTIFICATE],
                unit=units["vice_unit"],
                collective_name="Ban Tuyên giáo",
                acclamation=True,
            ),
        ]
    )
    client = client_as("chair")
    assert rank_cells(detail(client, meeting)) == [("1", ""), ("", ""), ("", "")]
    assert rank_cells(results(client, meeting))[:3] == [("1", ""), ("", ""), ("", "")]


def test_without_a_final_ranking_no_rank_is_shown_and_the_page_says_why(client_as, meeting, record):
    record()
    client = client_as("chair")
    for page in (results(client, meeting), detail(client, meeting)):
        assert {text for text, _title in rank_cells(page)} == {""}
        assert (
            "Khối thi đua các tổ chức chính trị - xã hội chưa chốt xếp hạng năm 2021: không có thứ hạng để hiển thị."
            in page
        )
        assert "data-ranks=" not in page


def test_a_reopened_ranking_shows_no_rank(client_as, meeting, record, reopened):
    record()
    client = client_as("chair")
    for page in (results(client, meeting), detail(client, meeting)):
        assert {text for text, _title in rank_cells(page)} == {""}
        assert "đã được mở lại: chưa hiển thị thứ hạng cho đến khi chốt lại." in page


def test_the_ranking_of_another_year_is_not_shown(client_as, meeting, record, enter_ranking):
    enter_ranking(year=2020)
    record()
    assert {text for text, _title in rank_cells(detail(client_as("chair"), meeting))} == {""}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == OK
    return len(captured)


def test_the_rank_costs_the_same_queries_with_a_ranking_and_without(client_as, meeting, record, enter_ranking):
    record()
    client = client_as("chair")
    urls = [reverse(name, args=[meeting.pk]) for name in ("meetings:meeting_results", "meetings:meeting_detail")]
    without = [_queries(client, url) for url in urls]
    enter_ranking()
    assert [_queries(client, url) for url in urls] == without
