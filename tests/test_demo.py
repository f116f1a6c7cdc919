"""The demo loader: every fact the seed articles state holds exactly, and a second run changes nothing."""

import unicodedata
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from blocs.access import Role, role_in
from blocs.demo import DEMO_PASSWORD, load_demo
from blocs.models import Bloc, Council, Membership, Seat, SeatWrite, Unit, User

AN_GIANG = "Hội đồng Thi đua – Khen thưởng tỉnh An Giang"
BAC_KAN = "Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn"
TUYEN_QUANG = "Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang"  # chosen for the unnamed province

# In the protocol order the demo loader (blocs/demo.py) gives them.
AN_GIANG_BLOC_6_MEMBERS = [
    "Mặt trận Tổ quốc Việt Nam tỉnh",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Chữ thập đỏ tỉnh",
    "Hội Đông y tỉnh",
    "Hội Cựu chiến binh tỉnh",
]
BAC_KAN_BLOC_MEMBERS = [
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Hội Nông dân tỉnh",
    "Đoàn TNCS Hồ Chí Minh tỉnh",
]


@pytest.fixture
def demo(db):
    return load_demo()


def bloc(council_name: str, name: str) -> Bloc:
    return Bloc.objects.get(council__name=council_name, name=name)


def member_names(bloc: Bloc, year: int) -> list[str]:
    return [membership.unit.name for membership in bloc.members(year)]


def seats(bloc: Bloc, year: int) -> tuple[str, list[str]]:
    """(chair's name, [vice-chairs' names in order]) of a bloc-year."""
    names = [seat.unit.name for seat in bloc.seats_of(year)]
    return names[0], names[1:]


def row_counts() -> dict[str, int]:
    """Rows of every model of the base app, history tables included."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("blocs").get_models()}


def test_second_run_changes_nothing(demo):
    before = row_counts()
    assert demo.wrote_anything

    again = load_demo()

    assert not again.wrote_anything, (again.created, again.updated, again.seat_writes)
    assert row_counts() == before
    assert again.totals == demo.totals


def test_command_prints_the_logins(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    text = out.getvalue()
    for username in ["quantri", "canbo.angiang", "canbo.backan", "canbo.tuyenquang", "khoitruong", "khoipho"]:
        assert username in text
    assert DEMO_PASSWORD in text
    assert "This run created 0 records, updated 0, wrote seats 0 times." in text
    assert Council.objects.count() == 3


def test_councils(demo):
    for name, place, parent in [
        (AN_GIANG, "An Giang", "UBND TỈNH AN GIANG"),
        (BAC_KAN, "Bắc Kạn", "UBND TỈNH BẮC KẠN"),
        (TUYEN_QUANG, "Tuyên Quang", "UBND TỈNH TUYÊN QUANG"),
    ]:
        council = Council.objects.get(name=name)
        assert council.place_name == place
        assert council.parent_body == parent
        assert council.issuing_body == "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
        assert council.current_year == 2021
        assert council.level == Council.Level.PROVINCE


def test_an_giang_bloc_6(demo):
    """The An Giang conference of Khối thi đua 6 (02/02/2021), as its news report tells it."""
    bloc_6 = bloc(AN_GIANG, "Khối thi đua Mặt trận Tổ quốc và các tổ chức chính trị - xã hội")
    assert bloc_6.code == "KTĐ6"
    assert bloc_6.kind == Bloc.Kind.BLOC
    for year in (2020, 2021):
        assert member_names(bloc_6, year) == AN_GIANG_BLOC_6_MEMBERS
    assert [m.display_order for m in bloc_6.members(2021)] == list(range(1, 9))
    assert seats(bloc_6, 2021) == ("Hội Chữ thập đỏ tỉnh", ["Hội Cựu chiến binh tỉnh"])
    # Invented, by the rotation custom: 2020's vice-chair is 2021's chair.
    assert seats(bloc_6, 2020)[1] == ["Hội Chữ thập đỏ tỉnh"]


def test_an_giang_short_names_used_by_the_article(demo):
    youth = Unit.objects.get(council__name=AN_GIANG, name="Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh")
    women = Unit.objects.get(council__name=AN_GIANG, name="Hội Liên hiệp Phụ nữ tỉnh")
    assert youth.short_name == "Tỉnh đoàn"
    assert women.short_name == "Hội LHPN tỉnh"
    assert women.abbreviation_list() == ["LHPN", "Hội Phụ nữ"]
    units = Unit.objects.filter(council__name=AN_GIANG)
    assert list(units.search("hoi phu nu")) == [women]
    assert [unit.name for unit in units.search("LĐLĐ")] == ["Liên đoàn Lao động tỉnh"]


def test_bac_kan_bloc(demo):
    """The Bắc Kạn MTTQ bloc conference (29/12/2020), as its news report tells it."""
    mttq = bloc(BAC_KAN, "Khối thi đua MTTQ và các đoàn thể tỉnh")
    for year in (2020, 2021):
        assert member_names(mttq, year) == BAC_KAN_BLOC_MEMBERS
    assert seats(mttq, 2020) == ("Hội Liên hiệp Phụ nữ tỉnh", ["Liên đoàn Lao động tỉnh"])
    assert seats(mttq, 2021) == ("Liên đoàn Lao động tỉnh", ["Đoàn TNCS Hồ Chí Minh tỉnh"])


def test_party_agencies_bloc(demo):
    """The Party agencies bloc conference (27/12/2021): 9 agencies, Ủy ban Kiểm tra Tỉnh ủy chair in 2021."""
    party = bloc(TUYEN_QUANG, "Khối thi đua Các cơ quan Tỉnh ủy")
    members = member_names(party, 2021)
    assert len(members) == 9
    assert "Ủy ban Kiểm tra Tỉnh ủy" in members
    assert seats(party, 2021)[0] == "Ủy ban Kiểm tra Tỉnh ủy"
    assert len(seats(party, 2021)[1]) == 1


def test_every_council_has_a_second_bloc_or_cluster(demo):
    for name in (AN_GIANG, BAC_KAN, TUYEN_QUANG):
        assert Bloc.objects.filter(council__name=name).count() >= 2
    cluster = Bloc.objects.get(council__name=BAC_KAN, kind=Bloc.Kind.CLUSTER)
    for year in range(2019, 2023):
        assert len(seats(cluster, year)[1]) == 2  # Cụm phó thứ nhất and thứ hai


def test_every_bloc_has_seats_2019_to_2022_held_by_members(demo):
    for each in Bloc.objects.all():
        for year in range(2019, 2023):
            held = list(each.seats_of(year))
            assert held, (each.code, year)
            assert [seat.rank for seat in held] == list(range(len(held)))
            members = {m.unit_id for m in each.members(year)}
            assert {seat.unit_id for seat in held} <= members
            assert each.memberships.filter(first_year=2018).exists()
    # Set only through seats_set, once per bloc-year.
    assert SeatWrite.objects.count() == Bloc.objects.count() * 4
    assert set(SeatWrite.objects.values_list("source", flat=True)) == {SeatWrite.Source.IMPORT}


def test_merger_keeps_history(demo):
    planning = Unit.objects.get(council__name=AN_GIANG, code="SKHDT")
    finance = Unit.objects.get(council__name=AN_GIANG, code="STC")
    assert planning.successor == finance
    assert planning.merged_year == 2025
    assert not planning.active
    membership = Membership.objects.get(unit=planning)
    # Closed at the merger year (it was a member for half of 2025); the successor carries on.
    assert (membership.first_year, membership.last_year) == (2018, 2025)
    departments = membership.bloc
    assert planning.name in member_names(departments, 2025)
    assert planning.name not in member_names(departments, 2026)


def test_text_is_nfc(demo):
    texts = [*Unit.objects.values_list("name", "short_name", "abbreviations", "head_name")]
    texts += [*Bloc.objects.values_list("name", "code", "description")]
    texts += [*User.objects.values_list("first_name", "last_name")]
    for row in texts:
        for text in row:
            assert unicodedata.normalize("NFC", text) == text


def test_demo_users_roles_in_an_giang_bloc_6_in_2021(demo):
    bloc_6 = Bloc.objects.get(council__name=AN_GIANG, code="KTĐ6")
    expected = {
        "khoitruong": Role.CHAIR,
        "khoipho": Role.VICE_CHAIR,
        "thanhvien": Role.MEMBER,
        "ngoaikhoi": Role.OUTSIDER,
        "canbo.angiang": Role.OFFICER,
        "canbo.backan": Role.OUTSIDER,  # an officer of another council
        "canbo.tuyenquang": Role.OUTSIDER,
        "quantri": Role.OFFICER,  # superusers are officers of every council
    }
    users = {user.username: user for user in User.objects.filter(username__in=expected)}
    assert {name: role_in(users[name], bloc_6, 2021) for name in expected} == expected
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name


def test_demo_users_units_and_councils(demo):
    expected = {
        "khoitruong": (AN_GIANG, "Hội Chữ thập đỏ tỉnh"),
        "khoipho": (AN_GIANG, "Hội Cựu chiến binh tỉnh"),
        "thanhvien": (AN_GIANG, "Hội Liên hiệp Phụ nữ tỉnh"),
        "ngoaikhoi": (AN_GIANG, "Sở Tài chính"),
        "canbo.angiang": (AN_GIANG, None),
        "canbo.backan": (BAC_KAN, None),
        "canbo.tuyenquang": (TUYEN_QUANG, None),
    }
    for username, (council, unit) in expected.items():
        user = User.objects.select_related("council", "unit").get(username=username)
        assert user.council.name == council
        assert (user.unit.name if user.unit else None) == unit
        assert not user.is_superuser
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.council is None
    assert [login.username for login in demo.logins] == [
        "quantri",
        "canbo.angiang",
        "khoitruong",
        "khoipho",
        "thanhvien",
        "ngoaikhoi",
        "canbo.backan",
        "canbo.tuyenquang",
    ]


def test_a_changed_seat_is_restored_by_one_write(demo):
    """Running again brings back what someone changed, with one more line in the seats' history."""
    bloc_6 = Bloc.objects.get(council__name=AN_GIANG, code="KTĐ6")
    Seat.objects.filter(bloc=bloc_6, year=2021, rank=1).delete()
    writes = SeatWrite.objects.count()

    again = load_demo()

    assert again.seat_writes == 1
    assert SeatWrite.objects.count() == writes + 1
    assert seats(bloc_6, 2021) == ("Hội Chữ thập đỏ tỉnh", ["Hội Cựu chiến binh tỉnh"])
