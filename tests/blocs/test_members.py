"""Entering a bloc's members: several units at once in a protocol order (``membership_add_many`` and its
page), the year the forms start from (the year the bloc page shows), and how a membership's years read."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs import services
from blocs.models import Membership

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..roles import OFFICERS_ONLY, REDIRECT, ROLES, check_get, check_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def joining(council):
    """Three units of the council that are not members of the bloc, in alphabetical order."""
    return [
        UnitFactory(council=council, code="DTN", name="Đoàn Thanh niên tỉnh"),
        UnitFactory(council=council, code="SGD", name="Sở Giáo dục và Đào tạo tỉnh"),
        UnitFactory(council=council, code="SYT", name="Sở Y tế tỉnh"),
    ]


def _url(bloc, year=None) -> str:
    url = reverse("blocs:membership_create", args=[bloc.pk])
    return f"{url}?year={year}" if year else url


def _post_data(units, orders=None, first_year=YEAR) -> dict:
    data = {"first_year": first_year, "units": [unit.pk for unit in units]}
    for unit, order in zip(units, orders or range(1, len(units) + 1), strict=True):
        data[f"order_{unit.pk}"] = order
    return data


def _joined(bloc) -> list[tuple[str, int, int, int | None]]:
    return list(
        Membership.objects.filter(bloc=bloc, display_order__gt=5)
        .order_by("display_order")
        .values_list("unit__code", "display_order", "first_year", "last_year")
    )


def _memberships(bloc):
    return lambda: sorted(Membership.objects.filter(bloc=bloc).values_list("unit_id", "first_year", "display_order"))


# The service ------------------------------------------------------------------------------------------


def test_service_adds_the_units_in_order_after_the_members(bloc, units, joining, users):
    added = services.membership_add_many(
        bloc=bloc, units_in_order=[joining[2], joining[0], joining[1]], from_year=2022, by=users["officer"]
    )
    assert [m.unit.code for m in added] == ["SYT", "DTN", "SGD"]
    assert _joined(bloc) == [("SYT", 6, 2022, None), ("DTN", 7, 2022, None), ("SGD", 8, 2022, None)]
    assert [m.unit.code for m in bloc.members(2022)][-3:] == ["SYT", "DTN", "SGD"]
    assert Membership.history.filter(unit=joining[0]).get().history_user == users["officer"]


def test_service_adds_all_or_nothing_and_names_each_refused_unit(bloc, units, joining, other_council):
    foreign = UnitFactory(council=other_council, name="Sở Tài chính tỉnh Bắc Kạn")
    with pytest.raises(ValidationError) as error:
        services.membership_add_many(
            bloc=bloc, units_in_order=[joining[0], units["member_unit"], foreign, joining[1]], from_year=YEAR, by=None
        )
    messages = error.value.message_dict["units"]
    assert len(messages) == 2
    assert messages[0].startswith("Hội LHPN tỉnh: ") and "2018" in messages[0]
    assert messages[1].startswith("Sở Tài chính tỉnh Bắc Kạn: ")
    assert _joined(bloc) == []
    assert not Membership.objects.filter(unit__in=[*joining, foreign]).exists()


def test_service_refuses_no_unit_a_unit_twice_and_a_year_out_of_range(bloc, units, joining):
    cases = [([], YEAR, "units"), ([joining[0], joining[0]], YEAR, "units"), ([joining[0]], 1900, "first_year")]
    for chosen, year, field in cases:
        with pytest.raises(ValidationError) as error:
            services.membership_add_many(bloc=bloc, units_in_order=chosen, from_year=year, by=None)
        assert field in error.value.message_dict
    assert _joined(bloc) == []


def test_service_places_new_members_after_those_of_later_years_too(bloc, units, joining):
    MembershipFactory(bloc=bloc, unit=joining[0], first_year=YEAR + 1, display_order=40)
    services.membership_add_many(bloc=bloc, units_in_order=[joining[1]], from_year=YEAR, by=None)
    assert Membership.objects.get(unit=joining[1]).display_order == 41


def test_a_still_open_membership_is_named_since_not_to_an_ellipsis(bloc, units):
    with pytest.raises(ValidationError) as error:
        services.membership_save(membership=Membership(bloc=bloc, unit=units["farmers"], first_year=YEAR))
    assert error.value.message_dict["first_year"] == ["Đơn vị này đã là thành viên của khối, cụm từ năm 2018 đến nay."]


# The page ---------------------------------------------------------------------------------------------


def test_officer_adds_three_units_in_the_order_of_their_numbers(client_as, bloc, units, joining):
    client = client_as("officer")
    response = client.post(_url(bloc, YEAR), _post_data(joining, orders=[3, 1, 2]))
    assert response.status_code == REDIRECT
    assert response.url == f"{bloc.get_absolute_url()}?year={YEAR}"
    assert _joined(bloc) == [("SGD", 6, YEAR, None), ("SYT", 7, YEAR, None), ("DTN", 8, YEAR, None)]
    page = client.get(response.url)
    assert "Đã thêm 3 thành viên." in page.content.decode()


def test_units_without_a_number_follow_those_numbered_in_the_listed_order(client_as, bloc, units, joining):
    data = _post_data(joining, orders=["", 1, ""])
    assert client_as("officer").post(_url(bloc), data).status_code == REDIRECT
    assert [row[0] for row in _joined(bloc)] == ["SGD", "DTN", "SYT"]


def test_the_page_offers_only_units_not_members_that_year(client_as, bloc, units, joining, council):
    left = UnitFactory(council=council, code="STP", name="Sở Tư pháp tỉnh")
    MembershipFactory(bloc=bloc, unit=left, first_year=2015, last_year=2019, display_order=50)
    UnitFactory(council=council, code="CU", name="Sở đã giải thể", active=False)
    form = client_as("officer").get(_url(bloc, YEAR)).context["form"]
    offered = [unit.code for unit, _ticked, _order in form.rows()]
    assert offered == ["DTN", "SGD", "SNV", "STP", "SYT"]
    assert [order.value() for _unit, _ticked, order in form.rows()] == [1, 2, 3, 4, 5]


def test_one_refused_unit_saves_nothing_and_its_error_stands_next_to_the_units(client_as, bloc, units, joining):
    data = _post_data([joining[0], units["member_unit"], joining[1]])
    response = client_as("officer").post(_url(bloc, YEAR), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["units"]
    assert errors == ["Hội LHPN tỉnh: Đơn vị này đã là thành viên của khối, cụm từ năm 2018 đến nay."]
    html = response.content.decode()
    assert 'id="units-errors"' in html and "Hội LHPN tỉnh: Đơn vị này đã là thành viên" in html
    assert _joined(bloc) == []
    # The page shown again keeps what was ticked.
    ticked = [unit.code for unit, is_ticked, _order in response.context["form"].rows() if is_ticked]
    assert ticked == ["DTN", "SGD"]


def test_two_units_with_one_number_get_the_error_next_to_the_number(client_as, bloc, units, joining):
    response = client_as("officer").post(_url(bloc), _post_data(joining, orders=[1, 2, 2]))
    assert response.status_code == 200
    form = response.context["form"]
    duplicated = [name for name in form.errors if name.startswith("order_")]
    assert len(duplicated) == 1 and form.errors[duplicated[0]] == ["Số thứ tự này trùng với một đơn vị khác đã chọn."]
    assert "is-invalid" in response.content.decode()
    assert _joined(bloc) == []


def test_nothing_ticked_or_a_bad_year_is_an_error_in_vietnamese(client_as, bloc, units, joining):
    client = client_as("officer")
    response = client.post(_url(bloc), {"first_year": YEAR})
    assert response.context["form"].errors["units"] == ["Vui lòng chọn ít nhất một đơn vị."]
    response = client.post(_url(bloc), _post_data(joining[:1], first_year="năm"))
    assert "first_year" in response.context["form"].errors
    assert _joined(bloc) == []


def test_a_unit_of_another_council_cannot_be_posted(client_as, bloc, units, other_council):
    foreign = UnitFactory(council=other_council)
    response = client_as("officer").post(_url(bloc), {"first_year": YEAR, "units": [foreign.pk]})
    assert response.status_code == 200 and "units" in response.context["form"].errors
    assert not Membership.objects.filter(unit=foreign).exists()


@pytest.mark.parametrize("role", ROLES)
def test_get_permissions(client_as, bloc, units, users, role):
    check_get(client_as(role), _url(bloc, YEAR), OFFICERS_ONLY, role, name="membership_create")


@pytest.mark.parametrize("role", ROLES)
def test_post_permissions(client_as, bloc, units, users, joining, role):
    expected = OFFICERS_ONLY | {"officer": REDIRECT}
    check_post(
        client_as(role),
        _url(bloc, YEAR),
        _post_data(joining),
        expected,
        role,
        state=_memberships(bloc),
        name="membership_create",
    )


# The year the forms start from --------------------------------------------------------------------------


def test_the_bloc_page_links_carry_the_year_it_shows(client_as, bloc, units, seats):
    html = client_as("officer").get(f"{bloc.get_absolute_url()}?year=2019").content.decode()
    assert f'href="{_url(bloc, 2019)}"' in html
    membership = Membership.objects.get(bloc=bloc, unit=units["farmers"])
    assert f'href="{reverse("blocs:membership_edit", args=[membership.pk])}?year=2019"' in html
    assert f'href="{reverse("blocs:seats_edit", args=[bloc.pk, 2019])}"' in html


def test_the_add_form_starts_from_the_year_shown_not_the_current_one(client_as, bloc, units, council):
    council.current_year = 2024
    council.save()
    client = client_as("officer")
    assert client.get(_url(bloc, 2019)).context["form"]["first_year"].value() == 2019
    assert client.get(_url(bloc)).context["form"]["first_year"].value() == 2024
    # A year that is no year falls back to the council's current year.
    assert client.get(_url(bloc) + "?year=abc").context["form"]["first_year"].value() == 2024


def test_membership_edit_goes_back_to_the_year_shown(client_as, bloc, units):
    membership = Membership.objects.get(bloc=bloc, unit=units["farmers"])
    url = reverse("blocs:membership_edit", args=[membership.pk]) + "?year=2019"
    client = client_as("officer")
    assert f'href="{bloc.get_absolute_url()}?year=2019"' in client.get(url).content.decode()
    data = {"first_year": 2018, "last_year": 2022, "display_order": membership.display_order}
    response = client.post(url, data)
    assert response.status_code == REDIRECT and response.url == f"{bloc.get_absolute_url()}?year=2019"
    membership.refresh_from_db()
    assert membership.last_year == 2022


# How a membership's years read -------------------------------------------------------------------------


def test_bloc_page_heads_the_years_column_by_what_it_holds(client_as, bloc, units, seats, council):
    left = UnitFactory(council=council, name="Sở Tư pháp tỉnh")
    MembershipFactory(bloc=bloc, unit=left, first_year=2018, last_year=2020, display_order=50)
    once = UnitFactory(council=council, name="Sở Xây dựng tỉnh")
    MembershipFactory(bloc=bloc, unit=once, first_year=2019, last_year=2019, display_order=51)
    page = client_as("officer").get(bloc.get_absolute_url()).content.decode()
    html = page[page.index('id="memberships-title"') : page.index('id="seats-title"')]
    assert "<th>Các năm</th>" in html
    assert "Đến năm" not in html and "Thời gian" not in html and "…" not in html
    assert '<td class="membership-years">2018 – nay</td>' in html
    assert '<td class="membership-years">2018 – 2020</td>' in html
    assert '<td class="membership-years">2019</td>' in html


def test_unit_page_says_since_when_for_a_current_member(client_as, bloc, units, seats):
    page = client_as("member").get(reverse("blocs:unit_detail", args=[units["member_unit"].pk])).content.decode()
    html = page[page.index("<table") : page.index("</table>")]
    assert "<th>Các năm</th>" in html
    assert '<td class="membership-years">2018 – nay</td>' in html
    assert "Đến năm" not in html
