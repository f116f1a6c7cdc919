"""The base app's pages: every view with the six roles and another council's officer, bad input, and
query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import Membership, Seat, SeatWrite, Unit, User

from ..conftest import PASSWORD, YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory
from ..roles import (
    CONFIRMED,
    COUNCIL_OFFICERS,
    EVERYONE,
    FORBIDDEN,
    MANAGERS,
    NOT_FOUND,
    OFFICER_OBJECT,
    OFFICERS_ONLY,
    OK,
    READERS,
    REDIRECT,
    ROLES,
    check_get,
)

pytestmark = pytest.mark.django_db

# (name, url builder, expected statuses for GET)
GET_MATRIX = [
    ("home", lambda f: reverse("blocs:home"), EVERYONE),
    ("search", lambda f: reverse("blocs:search") + "?q=hoi", EVERYONE),
    ("bloc_list", lambda f: reverse("blocs:bloc_list"), EVERYONE),
    ("unit_list", lambda f: reverse("blocs:unit_list"), EVERYONE),
    ("password_change", lambda f: reverse("blocs:password_change"), EVERYONE),
    ("bloc_detail", lambda f: reverse("blocs:bloc_detail", args=[f["bloc"].pk]), READERS),
    (
        "bloc_detail_past_year",
        lambda f: reverse("blocs:bloc_detail", args=[f["bloc"].pk]) + "?year=2019",
        READERS,
    ),
    ("bloc_edit", lambda f: reverse("blocs:bloc_edit", args=[f["bloc"].pk]), OFFICERS_ONLY),
    ("membership_create", lambda f: reverse("blocs:membership_create", args=[f["bloc"].pk]), OFFICERS_ONLY),
    ("membership_edit", lambda f: reverse("blocs:membership_edit", args=[f["membership"].pk]), OFFICERS_ONLY),
    ("seats_edit", lambda f: reverse("blocs:seats_edit", args=[f["bloc"].pk, YEAR]), OFFICERS_ONLY),
    ("seats_edit_next_year", lambda f: reverse("blocs:seats_edit", args=[f["bloc"].pk, YEAR + 1]), MANAGERS),
    ("unit_detail", lambda f: reverse("blocs:unit_detail", args=[f["units"]["member_unit"].pk]), READERS),
    ("unit_edit", lambda f: reverse("blocs:unit_edit", args=[f["units"]["member_unit"].pk]), OFFICERS_ONLY),
    ("unit_create", lambda f: reverse("blocs:unit_create"), COUNCIL_OFFICERS),
    ("unit_merge", lambda f: reverse("blocs:unit_merge"), COUNCIL_OFFICERS),
    ("bloc_create", lambda f: reverse("blocs:bloc_create"), COUNCIL_OFFICERS),
    ("council_settings", lambda f: reverse("blocs:council_settings"), COUNCIL_OFFICERS),
    ("user_list", lambda f: reverse("blocs:user_list"), COUNCIL_OFFICERS),
    ("user_create", lambda f: reverse("blocs:user_create"), COUNCIL_OFFICERS),
    ("user_edit", lambda f: reverse("blocs:user_edit", args=[f["users"]["member"].pk]), OFFICER_OBJECT),
    (
        "user_password_reset",
        lambda f: reverse("blocs:user_password_reset", args=[f["users"]["member"].pk]),
        OFFICER_OBJECT,
    ),
]


@pytest.fixture
def fixtures(bloc, units, seats, users):
    return {
        "bloc": bloc,
        "units": units,
        "users": users,
        "membership": Membership.objects.get(bloc=bloc, unit=units["member_unit"]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, fixtures, role, name, url, expected):
    check_get(client_as(role), url(fixtures), expected, role, name=name)


def test_login_page_is_the_only_page_without_login(client, db):
    assert client.get(reverse("blocs:login")).status_code == OK
    assert client.get(reverse("blocs:home")).status_code == REDIRECT


# --- Scoping: what each role sees --------------------------------------------------------------------


def test_other_council_officer_sees_only_own_council_blocs(client_as, bloc, other_council):
    own = BlocFactory(council=other_council, name="Khối thi đua MTTQ và các đoàn thể tỉnh")
    page = client_as("other_officer").get(reverse("blocs:bloc_list")).content.decode()
    assert own.name in page
    assert bloc.name not in page


def test_outsider_search_does_not_reveal_blocs_of_others(client_as, bloc):
    page = client_as("outsider").get(reverse("blocs:search") + "?q=khoi").content.decode()
    assert bloc.name not in page


def test_member_search_finds_unit_by_unaccented_words_and_abbreviation(client_as, units):
    for query in ["hoi phu nu", "LHPN", "Hội Phụ nữ"]:
        page = client_as("member").get(reverse("blocs:search"), {"q": query}).content.decode()
        assert "Hội Liên hiệp Phụ nữ tỉnh" in page, query


def test_home_lists_the_units_blocs_with_seats_and_member_count(client_as, bloc):
    response = client_as("member").get(reverse("blocs:home"))
    blocs = list(response.context["blocs"])
    assert [b.pk for b in blocs] == [bloc.pk]
    assert blocs[0].member_count == 5
    assert [s.unit.code for s in blocs[0].year_seats] == ["MTTQ", "LDLD"]


def test_home_needs_attention_lists_blocs_without_seats_for_officer(client_as, council, bloc, users):
    empty = BlocFactory(council=council, name="Khối các sở ngành")
    attention = [item.text for item in client_as("officer").get(reverse("blocs:home")).context["attention"]]
    assert any(empty.name in text for text in attention)
    assert not any(bloc.name in text for text in attention)


def test_home_attention_for_chair_lists_next_year_without_seats(client_as, bloc):
    response = client_as("chair").get(reverse("blocs:home") + f"?year={YEAR + 1}")
    assert any(bloc.name in item.text for item in response.context["attention"])
    member_response = client_as("member").get(reverse("blocs:home") + f"?year={YEAR + 1}")
    assert member_response.context["attention"] == []


def test_bad_year_parameter_falls_back_to_current_year(client_as, bloc):
    response = client_as("member").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + "?year=abc")
    assert response.status_code == OK
    assert response.context["year"] == bloc.council.current_year


# --- The bloc page -----------------------------------------------------------------------------------


def test_bloc_page_shows_members_in_protocol_order_and_the_chair_timeline(client_as, bloc, units, seats):
    Seat.objects.create(bloc=bloc, year=2020, unit=units["farmers"], rank=0)
    Seat.objects.create(bloc=bloc, year=2020, unit=units["chair_unit"], rank=1)
    response = client_as("member").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}")
    assert [m.unit.code for m in response.context["members"]] == ["MTTQ", "LDLD", "LHPN", "HND", "CCB"]
    timeline = response.context["timeline"]
    assert [(row["year"], row["chair"].code, [u.code for u in row["vices"]]) for row in timeline] == [
        (2021, "MTTQ", ["LDLD"]),
        (2020, "HND", ["MTTQ"]),
    ]
    assert "history" not in response.context  # history is for officers


def test_bloc_page_shows_history_to_officers(client_as, bloc):
    client_as("officer").post(
        reverse("blocs:bloc_edit", args=[bloc.pk]),
        {"name": bloc.name, "code": "KTĐ6", "kind": "bloc", "description": "Mô tả mới", "active": "on"},
    )
    history = client_as("officer").get(reverse("blocs:bloc_detail", args=[bloc.pk])).context["history"]
    assert history[0].who == "Nguyễn Văn An"
    assert any(change[2] == "Mô tả mới" for change in history[0].changes)


# --- Seats -------------------------------------------------------------------------------------------


def seats_post(client, bloc, year, chair, *vices, **extra):
    data = {"chair": chair.pk if chair else ""}
    for rank, unit in enumerate(vices, start=1):
        data[f"vice_{rank}"] = unit.pk
    data.update(extra)
    return client.post(reverse("blocs:seats_edit", args=[bloc.pk, year]), data)


def test_chair_sets_next_year_seats_through_the_service(client_as, bloc, units, users):
    response = seats_post(client_as("chair"), bloc, YEAR + 1, units["vice_unit"], units["farmers"])
    assert response.status_code == REDIRECT
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LDLD", 0), ("HND", 1)]
    write = SeatWrite.objects.get(bloc=bloc, year=YEAR + 1)
    assert write.written_by == users["chair"] and write.source == SeatWrite.Source.OFFICER


def test_chair_accepts_the_rotation_suggestion(client_as, bloc, units):
    response = client_as("chair").post(
        reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1]), {"accept_suggestion": "1"}
    )
    assert response.status_code == REDIRECT
    # Last year's first vice-chair (LĐLĐ) becomes chair; the vice seat goes to the first member in
    # protocol order that has never held a seat (LHPN).
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LDLD", 0), ("LHPN", 1)]
    assert SeatWrite.objects.get(bloc=bloc, year=YEAR + 1).source == SeatWrite.Source.ROTATION


def test_seats_page_explains_the_rule(client_as, bloc):
    page = client_as("officer").get(reverse("blocs:seats_edit", args=[bloc.pk, YEAR + 1])).content.decode()
    assert "Liên đoàn Lao động tỉnh" in page
    assert 'name="accept_suggestion"' in page


def test_duplicate_chair_and_vice_is_refused_with_a_message_and_changes_nothing(client_as, bloc, units):
    response = seats_post(client_as("officer"), bloc, YEAR, units["member_unit"], units["member_unit"])
    assert response.status_code == OK
    assert response.context["form"].errors
    assert "không thể giữ hai chức danh" in response.content.decode()
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR)] == [("MTTQ", 0), ("LDLD", 1)]


def test_non_member_seat_is_refused_with_a_message_and_changes_nothing(client_as, bloc, units):
    response = seats_post(client_as("officer"), bloc, YEAR, units["outside_unit"])
    assert response.status_code == OK
    assert "chair" in response.context["form"].errors
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR)] == [("MTTQ", 0), ("LDLD", 1)]


def test_chair_cannot_edit_other_bloc(client_as, council, units):
    other = BlocFactory(council=council)
    MembershipFactory(bloc=other, unit=units["farmers"], first_year=2018)
    response = seats_post(client_as("chair"), other, YEAR, units["farmers"])
    assert response.status_code == NOT_FOUND
    assert not other.seats.exists()


def test_member_cannot_set_seats(client_as, bloc, units):
    response = seats_post(client_as("member"), bloc, YEAR, units["member_unit"])
    assert response.status_code == FORBIDDEN
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR)] == [("MTTQ", 0), ("LDLD", 1)]


def test_other_council_officer_cannot_set_seats(client_as, bloc, units):
    response = seats_post(client_as("other_officer"), bloc, YEAR, units["member_unit"])
    assert response.status_code == NOT_FOUND
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR)] == [("MTTQ", 0), ("LDLD", 1)]


# --- Catalogue forms -----------------------------------------------------------------------------------


def test_officer_creates_a_unit_stored_nfc(client_as, council):
    import unicodedata

    name = unicodedata.normalize("NFD", "Hội Đông y tỉnh")
    response = client_as("officer").post(
        reverse("blocs:unit_create"), {"code": "HDY", "name": name, "kind": "association", "active": "on"}
    )
    assert response.status_code == REDIRECT
    unit = Unit.objects.get(code="HDY")
    assert unit.name == "Hội Đông y tỉnh" and unicodedata.is_normalized("NFC", unit.name)


def test_duplicate_unit_code_gets_a_vietnamese_message(client_as, units):
    response = client_as("officer").post(
        reverse("blocs:unit_create"), {"code": "LHPN", "name": "Trùng mã", "kind": "agency"}
    )
    assert response.status_code == OK
    assert "Mã này đã được dùng" in response.content.decode()
    assert Unit.objects.filter(code="LHPN").count() == 1


def test_too_long_name_is_refused_not_truncated(client_as, council):
    response = client_as("officer").post(
        reverse("blocs:unit_create"), {"code": "X", "name": "A" * 300, "kind": "agency"}
    )
    assert response.status_code == OK and "name" in response.context["form"].errors
    assert not Unit.objects.filter(code="X").exists()


def test_overlapping_membership_gets_a_message_next_to_the_field(client_as, bloc, units):
    response = client_as("officer").post(
        reverse("blocs:membership_create", args=[bloc.pk]),
        {"units": [units["member_unit"].pk], "first_year": 2020},
    )
    assert response.status_code == OK
    assert "units" in response.context["form"].errors
    assert Membership.objects.filter(bloc=bloc, unit=units["member_unit"]).count() == 1


def test_membership_years_out_of_order_get_a_message(client_as, bloc, units):
    membership = Membership.objects.get(bloc=bloc, unit=units["farmers"])
    response = client_as("officer").post(
        reverse("blocs:membership_edit", args=[membership.pk]),
        {"first_year": 2022, "last_year": 2020, "display_order": 9},
    )
    assert response.status_code == OK and "last_year" in response.context["form"].errors
    membership.refresh_from_db()
    assert (membership.first_year, membership.last_year) == (2018, None)


def test_officer_cannot_add_a_unit_of_another_council(client_as, bloc, other_council):
    foreign = UnitFactory(council=other_council)
    response = client_as("officer").post(
        reverse("blocs:membership_create", args=[bloc.pk]),
        {"units": [foreign.pk], "first_year": 2021, f"order_{foreign.pk}": 1},
    )
    assert response.status_code == OK and "units" in response.context["form"].errors
    assert not Membership.objects.filter(unit=foreign).exists()


def test_officer_records_a_merger_in_one_step(client_as, bloc, units, council):
    successor = UnitFactory(council=council, code="HND-CCB", name="Hội Nông dân và Cựu chiến binh tỉnh")
    response = client_as("officer").post(
        reverse("blocs:unit_merge"),
        {
            "predecessors": [units["farmers"].pk, units["veterans"].pk],
            "successor": successor.pk,
            "year": 2025,
            **CONFIRMED,
        },
    )
    assert response.status_code == REDIRECT
    units["farmers"].refresh_from_db()
    assert units["farmers"].successor == successor and not units["farmers"].active
    assert successor.pk in [m.unit_id for m in bloc.members(2025)]
    page = client_as("officer").get(reverse("blocs:unit_detail", args=[successor.pk])).content.decode()
    assert "Hội Nông dân tỉnh" in page  # the successor's page links to its predecessors


def test_council_settings_change_the_current_year(client_as, council):
    response = client_as("officer").post(
        reverse("blocs:council_settings"),
        {
            "name": council.name,
            "place_name": "An Giang",
            "parent_body": "",
            "issuing_body": "",
            "current_year": 2022,
        },
    )
    assert response.status_code == REDIRECT
    council.refresh_from_db()
    assert council.current_year == 2022


# --- Accounts ----------------------------------------------------------------------------------------


def test_officer_creates_a_unit_user(client_as, council, units):
    response = client_as("officer").post(
        reverse("blocs:user_create"),
        {
            "username": "hoiphunu",
            "last_name": "Trần Thị",
            "first_name": "Bình",
            "unit": units["member_unit"].pk,
            "password1": "Khong-de-doan-2021",
            "password2": "Khong-de-doan-2021",
        },
    )
    assert response.status_code == REDIRECT
    user = User.objects.get(username="hoiphunu")
    assert user.unit == units["member_unit"] and user.council == council and user.check_password("Khong-de-doan-2021")


def test_weak_password_is_refused_in_vietnamese(client_as, units):
    response = client_as("officer").post(
        reverse("blocs:user_create"),
        {
            "username": "yeu",
            "unit": units["member_unit"].pk,
            "password1": "123",
            "password2": "123",
        },
    )
    assert response.status_code == OK
    assert "Mật khẩu" in response.content.decode()
    assert not User.objects.filter(username="yeu").exists()


def test_officer_deactivates_a_user_and_resets_a_password(client_as, users):
    member = users["member"]
    client = client_as("officer")
    response = client.post(
        reverse("blocs:user_edit", args=[member.pk]),
        {
            "last_name": member.last_name,
            "first_name": member.first_name,
            "unit": member.unit_id,
            "position": "",
            "email": "",
        },
    )
    assert response.status_code == REDIRECT
    member.refresh_from_db()
    assert not member.is_active
    response = client.post(
        reverse("blocs:user_password_reset", args=[member.pk]),
        {"new_password1": "Mat-khau-moi-2021", "new_password2": "Mat-khau-moi-2021"},
    )
    assert response.status_code == REDIRECT
    member.refresh_from_db()
    assert member.check_password("Mat-khau-moi-2021")


def test_officer_cannot_deactivate_themselves(client_as, users):
    officer = users["officer"]
    response = client_as("officer").post(
        reverse("blocs:user_edit", args=[officer.pk]),
        {
            "last_name": officer.last_name,
            "first_name": officer.first_name,
            "unit": "",
            "position": "",
            "email": "",
        },
    )
    assert response.status_code == OK
    officer.refresh_from_db()
    assert officer.is_active


def test_other_council_officer_cannot_reset_a_password_here(client_as, users):
    response = client_as("other_officer").post(
        reverse("blocs:user_password_reset", args=[users["member"].pk]),
        {"new_password1": "Mat-khau-moi-2021", "new_password2": "Mat-khau-moi-2021"},
    )
    assert response.status_code == NOT_FOUND
    users["member"].refresh_from_db()
    assert users["member"].check_password(PASSWORD)


def test_every_user_changes_their_own_password(client_as, users):
    response = client_as("member").post(
        reverse("blocs:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-rieng-2021",
            "new_password2": "Mat-khau-rieng-2021",
        },
    )
    assert response.status_code == REDIRECT
    users["member"].refresh_from_db()
    assert users["member"].check_password("Mat-khau-rieng-2021")


def test_failed_logins_are_throttled(client, users):
    for _ in range(5):
        client.post(reverse("blocs:login"), {"username": "member", "password": "sai"})
    response = client.post(reverse("blocs:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_works(client, users):
    response = client.post(reverse("blocs:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == REDIRECT and response.url == reverse("blocs:home")


# --- Query counts ------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == OK
    return len(ctx.captured_queries)


def grow(council, bloc, units, n):
    """Add ``n`` blocs (each with the chair unit as a member and seat holder), ``n`` more members of
    ``bloc`` and ``n`` more years of its seats."""
    for i in range(n):
        other = BlocFactory(council=council)
        MembershipFactory(bloc=other, unit=units["chair_unit"], first_year=2018)
        Seat.objects.create(bloc=other, year=YEAR, unit=units["chair_unit"], rank=0)
        newcomer = UnitFactory(council=council)
        MembershipFactory(bloc=bloc, unit=newcomer, first_year=1980, display_order=50 + i)
        Seat.objects.create(bloc=bloc, year=1980 + i, unit=newcomer, rank=0)


@pytest.mark.parametrize("page", ["home", "bloc_detail", "unit_list", "bloc_list", "unit_detail", "search"])
def test_query_count_does_not_grow_with_data(client_as, council, bloc, units, page):
    urls = {
        "home": reverse("blocs:home"),
        "bloc_detail": reverse("blocs:bloc_detail", args=[bloc.pk]),
        "unit_list": reverse("blocs:unit_list"),
        "bloc_list": reverse("blocs:bloc_list"),
        "unit_detail": reverse("blocs:unit_detail", args=[units["chair_unit"].pk]),
        "search": reverse("blocs:search") + "?q=so",
    }
    client = client_as("chair" if page == "unit_detail" else "officer")
    before = count_queries(client, urls[page])
    grow(council, bloc, units, 30)
    after = count_queries(client, urls[page])
    assert after == before
    assert after <= 20


def test_unit_history_names_related_records_not_ids(client_as, bloc, units, council):
    successor = UnitFactory(council=council, code="MOI", name="Đơn vị hợp nhất mới")
    client_as("officer").post(
        reverse("blocs:unit_merge"),
        {"predecessors": [units["farmers"].pk], "successor": successor.pk, "year": 2025, **CONFIRMED},
    )
    history = client_as("officer").get(reverse("blocs:unit_detail", args=[units["farmers"].pk])).context["history"]
    changes = [change for entry in history for change in entry.changes]
    assert any(new == "Đơn vị hợp nhất mới" for _label, _old, new in changes), changes


def test_membership_edit_shows_its_history(client_as, bloc, units):
    membership = Membership.objects.get(bloc=bloc, unit=units["farmers"])
    client = client_as("officer")
    client.post(
        reverse("blocs:membership_edit", args=[membership.pk]),
        {"first_year": 2018, "last_year": 2022, "display_order": 4},
    )
    membership.refresh_from_db()
    assert membership.last_year == 2022
    history = client.get(reverse("blocs:membership_edit", args=[membership.pk])).context["history"]
    assert any(new == "2022" for entry in history for _label, _old, new in entry.changes)
