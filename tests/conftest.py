"""The base set of users every test reuses, like healthchecks' Alice/Bob/Charlie.

One council with one bloc of five member units (2018 onward); seats for 2021: the chair unit, one
vice-chair unit. Users: ``officer`` (Board staff of the council), ``other_officer`` (Board staff of
another council), ``chair``, ``vice_chair`` and ``member`` (users of member units) and ``outsider``
(a user of a unit of the same council outside the bloc). ``tests/roles.py`` says what each role may do.
"""

import pytest

from blocs.models import Bloc, Membership, Seat, Unit

from .factories import BlocFactory, CouncilFactory, MembershipFactory, UnitFactory, UserFactory
from .roles import ROLES  # noqa: F401  (the role names; the matrix itself is tests/roles.py)

# Fixtures of each app's tests, one plugin per app (a test names a fixture; it never imports one).
pytest_plugins = [
    "tests.fixtures.awards",
    "tests.fixtures.meetings",
    "tests.fixtures.pledges",
    "tests.fixtures.scoring",
    "tests.fixtures.ranking",
]

YEAR = 2021
PASSWORD = "mat-khau-thu-nghiem-1"


@pytest.fixture
def council(db):
    return CouncilFactory(name="Hội đồng Thi đua – Khen thưởng tỉnh An Giang", place_name="An Giang")


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn", place_name="Bắc Kạn")


@pytest.fixture
def bloc(council) -> Bloc:
    return BlocFactory(council=council, name="Khối thi đua các tổ chức chính trị - xã hội", code="KTĐ6")


@pytest.fixture
def units(council, bloc) -> dict[str, Unit]:
    """The five members in protocol order, plus a unit of the council outside the bloc."""
    specs = [
        ("chair_unit", "MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban MTTQ tỉnh", "MTTQ"),
        ("vice_unit", "LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh", "LĐLĐ"),
        ("member_unit", "LHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "LHPN, Hội Phụ nữ"),
        ("farmers", "HND", "Hội Nông dân tỉnh", "Hội Nông dân", "HND"),
        ("veterans", "CCB", "Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh", "CCB"),
    ]
    result = {}
    for order, (key, code, name, short, abbr) in enumerate(specs, start=1):
        unit = UnitFactory(council=council, code=code, name=name, short_name=short, abbreviations=abbr)
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=order)
        result[key] = unit
    result["outside_unit"] = UnitFactory(council=council, code="SNV", name="Sở Nội vụ tỉnh")
    return result


@pytest.fixture
def seats(bloc, units) -> list[Seat]:
    return [
        Seat.objects.create(bloc=bloc, year=YEAR, unit=units["chair_unit"], rank=0),
        Seat.objects.create(bloc=bloc, year=YEAR, unit=units["vice_unit"], rank=1),
    ]


@pytest.fixture
def users(council, other_council, units, seats) -> dict:
    """Every role's user, keyed by role name (``anonymous`` is None)."""
    return {
        "anonymous": None,
        "outsider": UserFactory(username="outsider", council=council, unit=units["outside_unit"]),
        "member": UserFactory(username="member", council=council, unit=units["member_unit"]),
        "vice_chair": UserFactory(username="vice_chair", council=council, unit=units["vice_unit"]),
        "chair": UserFactory(username="chair", council=council, unit=units["chair_unit"]),
        "officer": UserFactory(username="officer", council=council, unit=None),
        "other_officer": UserFactory(username="other_officer", council=other_council, unit=None),
    }


@pytest.fixture
def client_as(client, users):
    """``client_as("chair")`` returns the test client logged in as that role (or anonymous)."""

    def login(role: str):
        from django.conf import settings

        # logout() empties the cookie jar; a chosen language (english_client) survives the switch.
        language = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        client.logout()
        if language is not None:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language.value
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


def membership_of(bloc: Bloc, unit: Unit) -> Membership:
    return Membership.objects.get(bloc=bloc, unit=unit)


@pytest.fixture
def english_client(client):
    """The test client with English chosen (the language cookie): for tests that assert English
    messages. The portal is Vietnamese otherwise, whatever the browser's Accept-Language says."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
