"""The main lists: one sorting mechanism (a whitelist of ``?sort=`` keys per list, ``-key`` descending, a
tie-breaker on the primary key, anything else ignored), sortable column heads and pagination that keep
every other parameter, and the units list's count, bloc column and Excel export."""

import io
from datetime import date
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import reverse

from awards.models import Decision, Proposal
from blocs.excel import XLSX_CONTENT_TYPE
from blocs.models import Unit

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..roles import EVERYONE, ROLES, check_get

pytestmark = pytest.mark.django_db

# (list, url name, role, its sort keys, the default order's ?sort= value)
LISTS = [
    ("units", "blocs:unit_list", "officer", ["name", "code", "kind", "head"], "name"),
    ("blocs", "blocs:bloc_list", "officer", ["name", "code", "kind", "council", "active"], "council"),
    ("users", "blocs:user_list", "officer", ["login", "name", "unit", "position", "active"], "unit"),
    ("awards", "awards:award_list", "officer", ["number", "recipient", "bloc", "status", "decision"], "number"),
    ("decisions", "awards:decision_list", "officer", ["number", "date", "signer", "count"], "-date"),
    ("meetings", "meetings:overview", "officer", ["date", "bloc", "meeting", "status", "present", "minutes"], "date"),
]
IDS = [row[0] for row in LISTS]


def sort_links(page: str) -> dict[str, str]:
    """The sortable heads' links of a page: the ``sort`` each one asks for -> its query string."""
    links = {}
    for chunk in page.split('class="sort-link')[1:]:
        href = chunk.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        links[parse_qs(urlsplit(href).query)["sort"][0]] = href
    return links


@pytest.mark.parametrize(("name", "url_name", "role", "keys", "default"), LISTS, ids=IDS)
def test_every_key_sorts_both_ways_and_anything_else_is_ignored(client_as, users, name, url_name, role, keys, default):
    client = client_as(role)
    url = reverse(url_name)
    for key in keys:
        for value in (key, f"-{key}"):
            response = client.get(url, {"sort": value, "year": YEAR})
            assert response.status_code == 200, value
            order = response.context["sorting"]
            assert order.param == value, value
            # The tie-breaker comes last, in the direction of the key.
            assert order.order_by[-1] == ("-" if value.startswith("-") else "") + ("id" if name == "awards" else "pk")
    # A column the list does not offer, a lookup, the password, an empty value: the default order.
    for value in ("password", "council__name", "-pk", "--name", "", "name;drop", "sort_name"):
        response = client.get(url, {"sort": value})
        assert response.status_code == 200, value
        assert response.context["sorting"].param == default, value


@pytest.mark.parametrize(("name", "url_name", "role", "keys", "default"), LISTS, ids=IDS)
def test_the_heads_link_to_each_order_keeping_the_filters(
    client_as, users, proposal, name, url_name, role, keys, default
):
    if name == "awards":  # the award list's heads are those of its award types' groups
        Proposal.objects.filter(pk=proposal("LDLD").pk).update(status=Proposal.Status.SUBMITTED)
    client = client_as(role)
    page = client.get(reverse(url_name), {"year": YEAR, "q": "x", "page": "1", "sort": keys[1]}).content.decode()
    links = sort_links(page)
    # The active column links to its reverse, the others to themselves ascending.
    assert set(links) == {f"-{keys[1]}", *(k for k in keys if k != keys[1])}
    for href in links.values():
        params = parse_qs(urlsplit(href).query)
        assert params["year"] == [str(YEAR)] and params["q"] == ["x"]
        assert "page" not in params  # a new order starts on the first page
    assert 'aria-sort="ascending"' in page
    page = client.get(reverse(url_name), {"year": YEAR, "sort": f"-{keys[1]}"}).content.decode()
    assert 'aria-sort="descending"' in page and "▼" in page


def unit_names(client, **params) -> list[str]:
    return [unit.name for unit in client.get(reverse("blocs:unit_list"), params).context["page"]]


def test_the_units_sort_by_name_code_and_kind(client_as, units):
    client = client_as("officer")
    names = unit_names(client)
    assert names[0] == "Hội Cựu chiến binh tỉnh" and names[-1] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert unit_names(client, sort="-name") == names[::-1]
    codes = [unit.code for unit in client.get(reverse("blocs:unit_list"), {"sort": "code"}).context["page"]]
    assert codes == sorted(codes, key=str.casefold)
    descending = [unit.code for unit in client.get(reverse("blocs:unit_list"), {"sort": "-code"}).context["page"]]
    assert descending == codes[::-1]
    assert unit_names(client, sort="password") == names


def test_equal_values_keep_one_order_by_their_id(client_as, council, units):
    extra = [UnitFactory(council=council, kind=Unit.Kind.ENTERPRISE, code=f"DN{i}", name="Công ty") for i in range(3)]
    client = client_as("officer")
    rows = [u.pk for u in client.get(reverse("blocs:unit_list"), {"q": "cong ty", "sort": "name"}).context["page"]]
    assert rows == [u.pk for u in extra]
    rows = [u.pk for u in client.get(reverse("blocs:unit_list"), {"q": "cong ty", "sort": "-name"}).context["page"]]
    assert rows == [u.pk for u in extra][::-1]


def test_the_decisions_sort_by_number_date_and_count(client_as, council):
    for number, day in [
        ("412/QĐ-UBND", date(2022, 3, 1)),
        ("12/QĐ-UBND", date(2022, 5, 1)),
        ("7/QĐ-UBND", date(2021, 1, 4)),
    ]:
        Decision.objects.create(council=council, number=number, date=day, signer="Chủ tịch")
    client = client_as("officer")

    def numbers(sort):
        return [d.number for d in client.get(reverse("awards:decision_list"), {"sort": sort}).context["page"]]

    assert numbers("") == ["12/QĐ-UBND", "412/QĐ-UBND", "7/QĐ-UBND"]  # newest first, as before
    assert numbers("date") == ["7/QĐ-UBND", "412/QĐ-UBND", "12/QĐ-UBND"]
    assert numbers("number") == ["12/QĐ-UBND", "412/QĐ-UBND", "7/QĐ-UBND"]
    assert numbers("-number") == ["7/QĐ-UBND", "412/QĐ-UBND", "12/QĐ-UBND"]


def test_the_award_list_sorts_inside_each_award_type(client_as, proposal, awards):
    made = [proposal(code) for code in ("LDLD", "HND", "CCB")]
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update(status=Proposal.Status.SUBMITTED)
    client = client_as("officer")

    def recipients(sort):
        response = client.get(reverse("awards:award_list"), {"year": YEAR, "sort": sort})
        return [p.unit.code for group in response.context["groups"] for p in group.proposals]

    assert recipients("recipient") == ["CCB", "HND", "LDLD"]
    assert recipients("-recipient") == ["LDLD", "HND", "CCB"]
    assert recipients("") == ["LDLD", "HND", "CCB"]  # as entered, the order the exports number
    assert recipients("-number") == ["CCB", "HND", "LDLD"]


# --- Pagination and filter forms keep the order and the filters ---------------------------------------


def page_links(page: str) -> list[dict[str, list[str]]]:
    found = []
    for chunk in page.split('class="page-link"')[1:]:
        if chunk.startswith(" rel=") or 'href="' in chunk.split(">", 1)[0]:
            href = chunk.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
            found.append(parse_qs(urlsplit(href).query, keep_blank_values=True))
    return found


def test_the_page_links_keep_the_search_the_filters_and_the_sort(client_as, council, units, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        UnitFactory(council=council, code=f"HOI{i}", name=f"Hội Khuyến học số {i}", kind=Unit.Kind.ASSOCIATION)
    params = {"q": "hoi", "kind": "association", "inactive": "1", "sort": "-name", "year": str(YEAR)}
    page = client_as("officer").get(reverse("blocs:unit_list"), {**params, "page": "2"}).content.decode()
    links = page_links(page)
    assert [link["page"] for link in links] == [["1"], ["3"]]
    for link in links:
        assert {key: value for key, value in link.items() if key != "page"} == {k: [v] for k, v in params.items()}


def test_the_page_links_keep_every_value_of_a_repeated_filter(client_as, proposal, settings):
    settings.PAGE_SIZE = 1
    made = [proposal(code) for code in ("LDLD", "HND", "CCB")]
    Proposal.objects.filter(pk=made[0].pk).update(status=Proposal.Status.SUBMITTED)
    Proposal.objects.filter(pk__in=[p.pk for p in made[1:]]).update(status=Proposal.Status.APPROVED)
    query = f"year={YEAR}&status=submitted&status=approved&sort=-recipient"
    page = client_as("officer").get(f"{reverse('awards:award_list')}?{query}").content.decode()
    (link,) = page_links(page)
    assert link["status"] == ["submitted", "approved"] and link["sort"] == ["-recipient"] and link["page"] == ["2"]


def test_the_filter_forms_send_the_sort_back(client_as, users):
    client = client_as("officer")
    for url_name in ("blocs:unit_list", "blocs:bloc_list", "blocs:user_list", "awards:award_list"):
        page = client.get(reverse(url_name), {"sort": "-name" if url_name != "awards:award_list" else "-bloc"})
        assert 'type="hidden" name="sort" value="-' in page.content.decode(), url_name
        # The default order is not repeated in the URL.
        assert 'name="sort"' not in client.get(reverse(url_name)).content.decode(), url_name
    page = client.get(reverse("meetings:overview"), {"sort": "-bloc"}).content.decode()
    assert '<input type="hidden" name="sort" value="-bloc">' in page  # the year picker keeps it


# --- The units list: count, blocs of the year, export ---------------------------------------------------


def test_the_units_list_counts_what_it_lists(client_as, units, settings):
    settings.PAGE_SIZE = 2
    page = client_as("officer").get(reverse("blocs:unit_list")).content.decode()
    assert "6 đơn vị" in page  # every page's units, not this page's two
    page = client_as("officer").get(reverse("blocs:unit_list"), {"q": "hoi"}).content.decode()
    assert "3 đơn vị" in page


def test_the_units_list_shows_each_units_blocs_of_the_year(client_as, council, bloc, units):
    cluster = BlocFactory(council=council, code="CTĐ2", name="Cụm thi đua số 2")
    MembershipFactory(bloc=cluster, unit=units["farmers"], first_year=2019, last_year=2020)
    MembershipFactory(bloc=cluster, unit=units["veterans"], first_year=2019)
    client = client_as("officer")
    rows = {
        u.code: [m.bloc.code for m in u.year_memberships]
        for u in client.get(reverse("blocs:unit_list"), {"year": YEAR}).context["page"]
    }
    assert rows["CCB"] == ["CTĐ2", "KTĐ6"] and rows["HND"] == ["KTĐ6"] and rows["SNV"] == []
    rows = {
        u.code: [m.bloc.code for m in u.year_memberships]
        for u in client.get(reverse("blocs:unit_list"), {"year": 2020}).context["page"]
    }
    assert rows["HND"] == ["CTĐ2", "KTĐ6"]
    page = client.get(reverse("blocs:unit_list"), {"year": YEAR}).content.decode()
    assert f'href="{reverse("blocs:bloc_detail", args=[cluster.pk])}?year={YEAR}"' in page


def test_a_unit_user_sees_only_the_blocs_it_may_open_in_the_column(client_as, council, bloc, units):
    secret = BlocFactory(council=council, code="CTĐ9", name="Cụm thi đua số 9")
    MembershipFactory(bloc=secret, unit=units["farmers"], first_year=2019)
    rows = {
        u.code: [m.bloc.code for m in u.year_memberships]
        for u in client_as("member").get(reverse("blocs:unit_list"), {"year": YEAR}).context["page"]
    }
    assert rows["HND"] == ["KTĐ6"]


def export_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_export_has_the_units_as_filtered_and_sorted(client_as, council, units, settings):
    settings.PAGE_SIZE = 2  # the export takes every page
    cluster = BlocFactory(council=council, code="CTĐ2", name="Cụm thi đua số 2")
    MembershipFactory(bloc=cluster, unit=units["veterans"], first_year=2019)
    rows = export_rows(
        client_as("officer").get(reverse("blocs:units_export"), {"q": "hoi", "sort": "-name", "year": YEAR})
    )
    assert rows[0] == (
        "Mã đơn vị",
        "Tên đầy đủ",
        "Tên viết tắt",
        "Loại",
        f"Khối, cụm năm {YEAR}",
        "Chức vụ thủ trưởng",
        "Họ tên thủ trưởng",
        "Đang hoạt động",
    )
    assert [row[0] for row in rows[1:]] == ["HND", "LHPN", "CCB"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["CCB"][1] == "Hội Cựu chiến binh tỉnh" and by_code["CCB"][4] == "CTĐ2, KTĐ6"
    assert by_code["LHPN"][2] == "Hội LHPN tỉnh" and by_code["LHPN"][7] == "có"
    everything = export_rows(client_as("officer").get(reverse("blocs:units_export")))
    assert len(everything) == 1 + 6


def test_the_page_links_its_export_with_its_filters(client_as, units):
    page = (
        client_as("officer")
        .get(reverse("blocs:unit_list"), {"q": "hoi", "sort": "-code", "page": "1"})
        .content.decode()
    )
    link = page.split('id="units-export" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query) == {"q": ["hoi"], "sort": ["-code"]}


@pytest.mark.parametrize("role", ROLES)
def test_the_export_follows_the_lists_rule(client_as, role):
    check_get(client_as(role), reverse("blocs:units_export"), EVERYONE, role, name="units_export")


def test_the_export_holds_only_the_units_the_user_may_open(client_as, council, other_council, units):
    UnitFactory(council=other_council, code="LHPN", name="Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn")
    assert [row[0] for row in export_rows(client_as("outsider").get(reverse("blocs:units_export")))[1:]] == ["SNV"]
    member = {row[0] for row in export_rows(client_as("member").get(reverse("blocs:units_export")))[1:]}
    assert member == {"MTTQ", "LDLD", "LHPN", "HND", "CCB"}
    other = export_rows(client_as("other_officer").get(reverse("blocs:units_export")))[1:]
    assert [(row[0], row[1]) for row in other] == [("LHPN", "Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn")]


# --- Query counts stay flat (tests/scale/test_budgets.py grows units, proposals and meetings) ------------


def count_queries(client, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_decisions_and_users_lists_cost_the_same_with_3_and_30(client_as, council, units):
    client = client_as("officer")

    def add(first, count):
        for i in range(first, first + count):
            Decision.objects.create(council=council, number=f"{i}/QĐ-UBND", date=date(2022, 1, 1), signer="Chủ tịch")
            UserFactory(username=f"user{i}", council=council, unit=units["farmers"], position=f"Cán bộ {i}")

    add(1, 3)
    small = {
        sort: (
            count_queries(client, reverse("awards:decision_list"), {"sort": sort}),
            count_queries(client, reverse("blocs:user_list"), {"sort": sort, "q": "user"}),
        )
        for sort in ("-count", "name", "number")
    }
    add(4, 27)
    large = {
        sort: (
            count_queries(client, reverse("awards:decision_list"), {"sort": sort}),
            count_queries(client, reverse("blocs:user_list"), {"sort": sort, "q": "user"}),
        )
        for sort in ("-count", "name", "number")
    }
    assert small == large
