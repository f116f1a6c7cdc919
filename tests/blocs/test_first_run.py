"""The first run: the councils' pages (superusers only, with the role matrix), the first steps a fresh
portal shows instead of a 404, the page of an account with no role, and the journey from an empty
database to a council with one officer."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awards.catalogue import CENTRAL_CATALOGUE
from awards.models import AwardType
from blocs import first_run
from blocs.models import Council, User

from ..conftest import PASSWORD
from ..factories import BlocFactory, CouncilFactory, UnitFactory, UserFactory
from ..roles import NOT_FOUND, OK, REDIRECT, ROLES, check_get, check_post, expect

pytestmark = pytest.mark.django_db

# Superusers only: to every other role, officers included, the councils' pages do not exist.
SUPERUSERS_ONLY = expect(officer=NOT_FOUND)
MATRIX_ROLES = [*ROLES, "superuser"]


def _expected(role: str) -> int:
    return OK if role == "superuser" else SUPERUSERS_ONLY[role]


@pytest.fixture
def matrix_client(client_as, client, users):
    """``client_as`` plus a ``superuser`` role (a superuser of no council, as ``createsuperuser`` makes)."""

    def login(role: str):
        if role != "superuser":
            return client_as(role)
        client.logout()
        client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
        return client

    return login


GET_MATRIX = [
    ("council_list", lambda f: reverse("blocs:council_list")),
    ("council_create", lambda f: reverse("blocs:council_create")),
    ("council_edit", lambda f: reverse("blocs:council_edit", args=[f["council"].pk])),
]


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize(("name", "url"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_council_pages_get_permissions(matrix_client, council, role, name, url):
    expected = {r: _expected(r) for r in MATRIX_ROLES}
    check_get(matrix_client(role), url({"council": council}), expected, role, name=name)


COUNCIL_DATA = {
    "name": "Hội đồng Thi đua – Khen thưởng Trung ương",
    "level": "central",
    "place_name": "Hà Nội",
    "parent_body": "",
    "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TRUNG ƯƠNG",
    "bloc_parent_lines": "",
    "current_year": "2025",
}


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_council_create_post_permissions(matrix_client, council, role):
    expected = {r: REDIRECT if r == "superuser" else SUPERUSERS_ONLY[r] for r in MATRIX_ROLES}
    check_post(
        matrix_client(role),
        reverse("blocs:council_create"),
        COUNCIL_DATA,
        expected,
        role,
        state=lambda: sorted(Council.objects.values_list("name", "level")),
    )


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_council_edit_post_permissions(matrix_client, council, role):
    expected = {r: REDIRECT if r == "superuser" else SUPERUSERS_ONLY[r] for r in MATRIX_ROLES}
    data = COUNCIL_DATA | {"name": "Hội đồng Thi đua – Khen thưởng tỉnh An Giang (mới)", "level": "province"}
    check_post(
        matrix_client(role),
        reverse("blocs:council_edit", args=[council.pk]),
        data,
        expected,
        role,
        state=lambda: list(Council.objects.filter(pk=council.pk).values_list("name", "place_name")),
    )


def test_council_name_taken_is_an_error_next_to_the_name(client, council):
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    response = client.post(reverse("blocs:council_create"), COUNCIL_DATA | {"name": council.name})
    assert response.status_code == OK
    assert "name" in response.context["form"].errors
    assert Council.objects.count() == 1


def test_council_list_shows_what_each_council_has(client, council, bloc, units, seats, users, other_council):
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    response = client.get(reverse("blocs:council_list"))
    rows = {c.name: c for c in response.context["councils"]}
    assert (rows[council.name].has_units, rows[council.name].has_blocs, rows[council.name].has_seats) == (
        True,
        True,
        True,
    )
    assert not rows[other_council.name].has_units
    assert rows[other_council.name].has_officers  # other_officer


# The first steps ----------------------------------------------------------------------------------------


def test_superuser_on_an_empty_portal_sees_the_first_steps_not_a_404(client):
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    response = client.get(reverse("blocs:home"))
    assert response.status_code == OK
    assert response.templates[0].name == "blocs/first_steps.html"
    steps = response.context["steps"]
    assert [s.done for s in steps] == [False] * 5
    assert steps[0].url == reverse("blocs:council_create")
    assert "Tạo hội đồng" in response.content.decode()


def test_officer_page_before_any_council_sends_the_superuser_to_the_first_steps(client):
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    response = client.get(reverse("blocs:user_create"))
    assert response.status_code == REDIRECT
    assert response.url == reverse("blocs:home")
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Chưa có hội đồng nào. Vui lòng tạo hội đồng trước."
    ]


def test_account_with_no_role_gets_a_page_saying_whom_to_ask(client, council, bloc, units):
    """A unit's user whose unit is in no bloc or cluster yet (an officer's next step): not an empty home."""
    client.force_login(UserFactory(username="chua-co-khoi", council=council, unit=units["outside_unit"]))
    response = client.get(reverse("blocs:home"))
    assert response.status_code == OK
    assert response.templates[0].name == "blocs/no_role.html"
    text = response.content.decode()
    assert "Sở Nội vụ tỉnh" in text and "chưa là thành viên của khối, cụm thi đua nào" in text
    assert "Ban Thi đua – Khen thưởng" in text and council.name in text


def test_a_member_units_user_keeps_the_home(client_as, bloc, seats):
    assert client_as("member").get(reverse("blocs:home")).templates[0].name == "blocs/home.html"


def test_officer_home_shows_the_first_steps_until_the_council_has_units_blocs_and_seats(client):
    council = CouncilFactory()
    officer = UserFactory(username="canbo", council=council, unit=None)
    client.force_login(officer)

    steps = client.get(reverse("blocs:home")).context["setup_steps"]
    assert [s.done for s in steps] == [True, True, False, False, False]
    assert steps[2].other_url == reverse("blocs:units_import")
    assert steps[0].url == reverse("blocs:council_settings")  # not the superusers' council pages

    unit = UnitFactory(council=council)
    bloc = BlocFactory(council=council)
    assert [s.done for s in client.get(reverse("blocs:home")).context["setup_steps"]] == [True] * 4 + [False]

    bloc.seats.create(year=council.current_year, unit=unit, rank=0)
    response = client.get(reverse("blocs:home"))
    assert response.context["setup_steps"] is None
    assert "Các bước bắt đầu" not in response.content.decode()


def test_a_set_up_council_shows_no_first_steps(client_as, bloc, seats):
    response = client_as("officer").get(reverse("blocs:home"))
    assert response.context["setup_steps"] is None


def test_the_steps_cost_one_query(council, django_assert_num_queries):
    officer = UserFactory(username="canbo", council=council, unit=None)
    with django_assert_num_queries(1):
        first_run.council_steps(officer, council)


# The journey ------------------------------------------------------------------------------------------


def test_first_run_from_an_empty_database_to_a_council_with_one_officer(client):
    """migrate; createsuperuser → the first steps → a central council (with the central catalogue) → its
    first officer, who logs in, chooses a password and sees the home with the next steps."""
    User.objects.create_superuser("quantri", password=PASSWORD)
    home = client.post(reverse("blocs:login"), {"username": "quantri", "password": PASSWORD}, follow=True)
    assert home.templates[0].name == "blocs/first_steps.html"
    assert home.context["next_step"].url == reverse("blocs:council_create")

    response = client.post(reverse("blocs:council_create"), COUNCIL_DATA)
    assert response.status_code == REDIRECT and response.url == reverse("blocs:home")
    council = Council.objects.get()
    assert council.level == Council.Level.CENTRAL
    assert list(AwardType.objects.filter(council=council).order_by("order").values_list("code", flat=True)) == [
        standard.code for standard in CENTRAL_CATALOGUE
    ]
    assert not AwardType.objects.filter(council=council, code="co-thi-dua-tinh").exists()
    assert council.history.get().history_user.username == "quantri"

    steps = client.get(reverse("blocs:home")).context["setup_steps"]
    assert [s.done for s in steps] == [True, False, False, False, False]
    assert steps[1].url == reverse("blocs:user_create")

    password = "Ban-TDKT-trung-uong-2025"
    response = client.post(
        reverse("blocs:user_create"),
        {
            "username": "canbo.tw",
            "last_name": "Trần Thị",
            "first_name": "Hoa",
            "email": "",
            "unit": "",
            "position": "Chuyên viên",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == REDIRECT
    officer = User.objects.get(username="canbo.tw")
    assert (officer.council_id, officer.unit_id) == (council.pk, None)
    assert [s.done for s in client.get(reverse("blocs:home")).context["setup_steps"]][:2] == [True, True]

    client.logout()
    response = client.post(reverse("blocs:login"), {"username": "canbo.tw", "password": password}, follow=True)
    assert response.request["PATH_INFO"] == reverse("blocs:password_change")  # an officer chose the password
    own = "Mat-khau-cua-Hoa-2025"
    response = client.post(
        reverse("blocs:password_change"),
        {"old_password": password, "new_password1": own, "new_password2": own},
        follow=True,
    )
    assert response.request["PATH_INFO"] == reverse("blocs:home")
    assert response.templates[0].name == "blocs/home.html"
    assert [s.done for s in response.context["setup_steps"]] == [True, True, False, False, False]
    assert response.context["next_step"].url == reverse("blocs:unit_create")
