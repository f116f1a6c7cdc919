"""The proposal search (awards.selectors.proposals_matching) and the decision page's search box that uses
it: every word typed, without diacritics and in any case, must occur in the recipient (the unit's names,
the collective's name, the person's name) or the bloc (its name and code), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import selectors, services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import Proposal

from ..conftest import YEAR
from ..factories import MembershipFactory, UnitFactory
from ..fixtures.awards import ACCLAIMED, pdf_file


@pytest.fixture
def office(council, bloc):
    """A member unit whose short name holds words its full name does not ("UBND")."""
    unit = UnitFactory(
        council=council, code="VP", name="Văn phòng Ủy ban nhân dân tỉnh", short_name="Văn phòng UBND tỉnh"
    )
    MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=6)
    return unit


@pytest.fixture
def found(proposal, office, bloc, awards):
    """One proposal of each kind of recipient, keyed by what the tests search for."""
    return {
        "women": proposal("LHPN"),  # Hội Liên hiệp Phụ nữ tỉnh, abbreviated "Hội Phụ nữ"
        "office": services.proposal_save(
            bloc=bloc,
            year=YEAR,
            award_type=awards[PROVINCIAL_FLAG],
            unit=office,
            tally=ACCLAIMED,
            achievement_report=pdf_file(),
            by=None,
        ),
        "collective": proposal("LDLD", type_code=CHAIRMAN_CERTIFICATE, collective_name="Phòng Tổng hợp"),
        "person": proposal("HND", type_code=CHAIRMAN_CERTIFICATE, person=("Nguyễn Văn A", "Chuyên viên")),
    }


def matching(text: str) -> set[Proposal]:
    return set(selectors.proposals_matching(Proposal.objects.all(), text))


def test_a_unit_is_found_by_its_name_without_diacritics(found):
    assert matching("hoi phu nu") == {found["women"]}
    assert matching("lien hiep phu nu") == {found["women"]}


def test_a_unit_is_found_by_its_name_in_capitals_and_in_decomposed_unicode(found):
    assert matching("HỘI LIÊN HIỆP PHỤ NỮ") == {found["women"]}
    assert matching(unicodedata.normalize("NFD", "Hội Phụ nữ")) == {found["women"]}


def test_a_unit_is_found_by_its_short_name(found):
    assert matching("van phong ubnd") == {found["office"]}


def test_a_named_collective_is_found_by_its_name(found):
    assert matching("phong tong hop") == {found["collective"]}


def test_a_person_is_found_by_their_name(found):
    assert matching("nguyen van a") == {found["person"]}


def test_the_bloc_code_finds_every_proposal_of_the_bloc(found):
    assert matching("ktd6") == set(found.values())
    assert matching("KTĐ6") == set(found.values())


def test_every_word_must_occur_though_in_different_columns(found):
    # "phong tong hop" is the collective, "ldld" its unit; the collective is not inside the farmers' union.
    assert matching("phong tong hop ldld") == {found["collective"]}
    assert matching("phong tong hop hnd") == set()
    assert matching("nguyen van a hnd") == {found["person"]}


def test_a_word_found_nowhere_matches_nothing(found):
    assert matching("hoi phu nu xyz") == set()
    assert matching("ktd7") == set()


def test_a_renamed_collective_is_found_by_its_new_name_only(found, bloc, awards):
    collective = found["collective"]
    services.proposal_save(
        proposal=collective,
        bloc=bloc,
        year=YEAR,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        unit=collective.unit,
        collective_name="Ban Tuyên giáo",
        by=None,
    )
    assert matching("ban tuyen giao") == {collective}
    assert matching("phong tong hop") == set()


def test_a_renamed_unit_is_found_by_its_new_name(found, units):
    units["member_unit"].name = "Hội Liên hiệp Phụ nữ Việt Nam tỉnh"
    units["member_unit"].save()
    assert matching("phu nu viet nam") == {found["women"]}


def test_an_award_entered_without_a_bloc_is_found_by_its_recipient(council, units, awards, users):
    entered = services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=2019,
        unit=units["member_unit"],
        collective_name="Ban Gia đình – Xã hội",
        decision_number="45/QĐ-UBND",
        by=users["officer"],
    )
    assert entered.bloc_id is None
    assert matching("ban gia dinh xa hoi") == {entered}
    assert matching("hoi phu nu") == {entered}


# The page: the decision form's search box (?q=) narrows the approved proposals it offers.


@pytest.fixture
def approved(found, walk, awards_checks_only):
    """The four proposals, approved: what the decision page offers. The flags were not registered for;
    the reason says why they are proposed anyway."""
    proposals = [
        services.proposal_reason_set(proposal=p, key="registration", reason="Đăng ký bổ sung.", by=None)
        if p.award_type.code == PROVINCIAL_FLAG
        else p
        for p in found.values()
    ]
    walk.submit(*proposals)
    walk.approve(*proposals)
    return found


def offered(client, **params) -> set[Proposal]:
    response = client.get(reverse("awards:decision_create"), params)
    assert response.status_code == 200
    return set(response.context["form"].shown)


def test_the_officer_finds_a_unit_on_the_decision_page_without_diacritics(client_as, approved):
    officer = client_as("officer")
    assert offered(officer, q="hoi phu nu") == {approved["women"]}
    assert offered(officer, q="phong tong hop") == {approved["collective"]}
    assert offered(officer, q="nguyen van a") == {approved["person"]}
    assert offered(officer, q="van phong ubnd") == {approved["office"]}
    assert offered(officer, q="ktd6") == set(approved.values())
    assert offered(officer, q="hoi phu nu xyz") == set()


def test_the_search_adds_no_query_to_the_decision_page(client_as, approved):
    officer = client_as("officer")
    url = reverse("awards:decision_create")
    officer.get(url)  # a first request, so that what a process reads once is not counted
    with CaptureQueriesContext(connection) as plain:
        officer.get(url)
    with CaptureQueriesContext(connection) as searched:
        officer.get(url, {"q": "hoi phu nu"})
    assert len(searched) == len(plain)
