"""The search page (blocs:search) finds units, blocs, people, proposals, decisions and meetings whatever
the case and diacritics, on SQLite and PostgreSQL alike, each group limited with a link to all of it, and
each scoped by the rule of the pages it links to: another council's officer and an outsider find nothing
of the bloc's, a unit's user only what it may read."""

from datetime import date, time

import pytest
from django.urls import reverse

from awards import services as award_services
from awards.catalogue import CHAIRMAN_CERTIFICATE
from awards.models import Decision
from blocs.views import SEARCH_GROUP_LIMIT
from meetings import services as meeting_services
from meetings.models import Meeting

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db


def groups(client, query, **params) -> dict[str, list[str]]:
    """The search's groups: key -> the texts of its hits."""
    response = client.get(reverse("blocs:search"), {"q": query, **params})
    assert response.status_code == 200
    return {group["source"].key: [hit.text for hit in group["hits"]] for group in response.context["groups"]}


@pytest.fixture
def records(council, other_council, bloc, units, users, proposal):
    """A person and proposals of the Women's Union, two decisions of each council numbered 412, a special
    meeting titled after the Women's Union, and the same in another council."""
    person = award_services.person_get_or_create(
        unit=units["member_unit"], name="Nguyễn Thị Hồng Nhung", position="Phó Chủ tịch"
    )
    women = proposal("LHPN")
    individual = proposal("LHPN", person=("Nguyễn Thị Hồng Nhung", "Phó Chủ tịch"), type_code=CHAIRMAN_CERTIFICATE)
    Decision.objects.create(council=council, number="412/QĐ-UBND", date=date(2022, 3, 1), signer="Chủ tịch UBND tỉnh")
    Decision.objects.create(council=council, number="41/QĐ-UBND", date=date(2022, 1, 5), signer="Chủ tịch UBND tỉnh")
    Decision.objects.create(council=council, number="12/QĐ-TĐKT", date=date(2022, 5, 5), signer="Chủ tịch")
    Decision.objects.create(council=other_council, number="412/QĐ-UBND", date=date(2022, 3, 1), signer="Bắc Kạn")
    special = meeting_services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.OTHER,
        year=YEAR,
        title="Hội nghị chuyên đề công tác Hội Phụ nữ",
        date=date(YEAR, 10, 20),
        start_time=time(8, 0),
        host_unit=units["member_unit"],
        by=users["officer"],
    )
    year_end = meeting_services.meeting_schedule(
        bloc=bloc, kind=Meeting.Kind.YEAR_END, year=YEAR, date=date(YEAR, 12, 28), by=users["officer"]
    )
    other_bloc = BlocFactory(council=other_council, name="Khối thi đua các đoàn thể", code="KTĐ1")
    other_women = UnitFactory(council=other_council, code="LHPN", name="Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn")
    MembershipFactory(bloc=other_bloc, unit=other_women, first_year=2018)
    other_person = award_services.person_get_or_create(unit=other_women, name="Hoàng Thị Hồng Nhung", position="")
    Meeting.objects.create(
        bloc=other_bloc,
        year=YEAR,
        kind=Meeting.Kind.OTHER,
        title="Hội nghị chuyên đề Hội Phụ nữ Bắc Kạn",
        date=date(YEAR, 9, 1),
    )
    return {
        "person": person,
        "women": women,
        "individual": individual,
        "special": special,
        "year_end": year_end,
        "other_person": other_person,
    }


def test_hoi_phu_nu_finds_the_unit_its_proposals_and_the_meeting(client_as, records):
    for query in ["hoi phu nu", "Hội Phụ nữ", "HỘI PHỤ NỮ"]:
        found = groups(client_as("officer"), query)
        assert found["unit"] == ["Hội Liên hiệp Phụ nữ tỉnh"], query
        assert "Hội Liên hiệp Phụ nữ tỉnh" in found["proposal"], query
        assert found["meeting"] == ["Hội nghị chuyên đề công tác Hội Phụ nữ"], query  # not Bắc Kạn's


def test_people_are_found_by_their_name_without_diacritics(client_as, records):
    assert groups(client_as("officer"), "hong nhung")["person"] == ["Nguyễn Thị Hồng Nhung"]
    assert groups(client_as("officer"), "NGUYỄN nhung")["person"] == ["Nguyễn Thị Hồng Nhung"]
    assert groups(client_as("officer"), "hong nhung")["proposal"] == ["Nguyễn Thị Hồng Nhung"]
    assert groups(client_as("other_officer"), "hong nhung")["person"] == ["Hoàng Thị Hồng Nhung"]


@pytest.mark.parametrize("query", ["412/QĐ", "412", "412/qd", "412/QĐ-UBND", "qđ-ubnd 412", "412 QD"])
def test_decisions_are_found_by_their_number(client_as, records, query):
    assert groups(client_as("officer"), query)["decision"] == ["412/QĐ-UBND"]


def test_decision_numbers_match_every_word(client_as, records):
    assert groups(client_as("officer"), "41/QĐ")["decision"] == ["412/QĐ-UBND", "41/QĐ-UBND"]
    assert groups(client_as("officer"), "tdkt")["decision"] == ["12/QĐ-TĐKT"]
    assert groups(client_as("officer"), "412/QĐ-TĐKT")["decision"] == []


def test_meetings_are_found_by_their_usual_title_bloc_and_year(client_as, records):
    year_end = records["year_end"].display_title
    assert groups(client_as("officer"), "hoi nghi tong ket")["meeting"] == [year_end]
    assert groups(client_as("officer"), f"tổng kết KTĐ6 {YEAR}")["meeting"] == [year_end]
    assert groups(client_as("officer"), "chuyen de")["meeting"] == ["Hội nghị chuyên đề công tác Hội Phụ nữ"]
    assert groups(client_as("officer"), f"tong ket {YEAR + 1}")["meeting"] == []


def test_each_hit_links_to_its_page(client_as, records):
    response = client_as("officer").get(reverse("blocs:search"), {"q": "hoi phu nu"})
    page = response.content.decode()
    assert reverse("meetings:meeting_detail", args=[records["special"].pk]) in page
    assert reverse("awards:proposal_detail", args=[records["women"].pk]) in page
    page = client_as("officer").get(reverse("blocs:search"), {"q": "412/QĐ"}).content.decode()
    assert (
        reverse(
            "awards:decision_detail",
            args=[Decision.objects.get(number="412/QĐ-UBND", council=records["women"].council).pk],
        )
        in page
    )
    page = client_as("officer").get(reverse("blocs:search"), {"q": "hong nhung"}).content.decode()
    assert reverse("awards:person_detail", args=[records["person"].pk]) in page


# --- Who finds what ------------------------------------------------------------------------------------


def test_another_councils_officer_finds_nothing_of_the_council(client_as, records):
    client = client_as("other_officer")
    found = groups(client, "hoi phu nu")
    assert found["unit"] == [] or found["unit"] == ["Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn"]
    assert found["proposal"] == [] and found["meeting"] == ["Hội nghị chuyên đề Hội Phụ nữ Bắc Kạn"]
    assert groups(client, "412/QĐ")["decision"] == ["412/QĐ-UBND"]  # its own council's
    page = client.get(reverse("blocs:search"), {"q": "412/QĐ"}).content.decode()
    assert "Chủ tịch UBND tỉnh" not in page and "Bắc Kạn" in page
    assert groups(client, "tong ket")["meeting"] == []


def test_an_outsider_finds_its_own_unit_and_nothing_of_the_bloc(client_as, records):
    found = groups(client_as("outsider"), "hoi phu nu")
    assert found == {"unit": [], "bloc": [], "person": [], "proposal": [], "meeting": []}  # no decisions group
    assert groups(client_as("outsider"), "noi vu")["unit"] == ["Sở Nội vụ tỉnh"]
    assert groups(client_as("outsider"), "412")["meeting"] == []


def test_a_member_finds_what_it_reads_but_never_decisions(client_as, records):
    found = groups(client_as("member"), "hoi phu nu")
    assert "decision" not in found
    assert found["meeting"] == ["Hội nghị chuyên đề công tác Hội Phụ nữ"]
    assert "Hội Liên hiệp Phụ nữ tỉnh" in found["proposal"]
    assert groups(client_as("member"), "hong nhung")["person"] == ["Nguyễn Thị Hồng Nhung"]
    # A decision page is the officers': asking for the group by name shows all groups instead.
    response = client_as("member").get(reverse("blocs:search"), {"q": "412", "in": "decision"})
    assert "decision" not in {group["source"].key for group in response.context["groups"]}


def test_a_past_member_does_not_find_the_years_it_no_longer_reads(client_as, records, units):
    from blocs.models import Membership

    Membership.objects.filter(unit=units["member_unit"]).update(last_year=YEAR - 1)
    found = groups(client_as("member"), "hoi phu nu")
    assert found["meeting"] == [] and found["proposal"] == []
    assert found["unit"] == ["Hội Liên hiệp Phụ nữ tỉnh"]


def test_a_text_without_words_finds_nothing(client_as, records):
    response = client_as("officer").get(reverse("blocs:search"), {"q": " - / "})
    assert response.context["groups"] == []


# --- Limits and the link to more ------------------------------------------------------------------------


def test_each_group_is_limited_and_links_to_all_of_it(client_as, council, bloc, records, settings):
    settings.PAGE_SIZE = 5
    for index in range(SEARCH_GROUP_LIMIT + 3):
        unit = UnitFactory(council=council, code=f"HKH{index:02d}", name=f"Hội Khuyến học xã số {index:02d}")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018)
    client = client_as("officer")
    response = client.get(reverse("blocs:search"), {"q": "khuyen hoc"})
    (units,) = [group for group in response.context["groups"] if group["source"].key == "unit"]
    assert len(units["hits"]) == SEARCH_GROUP_LIMIT and units["more"]
    page = response.content.decode()
    assert 'id="unit-more" href="?q=khuyen+hoc&amp;in=unit"' in page
    assert 'id="bloc-more"' not in page
    everything = client.get(reverse("blocs:search"), {"q": "khuyen hoc", "in": "unit", "page": 3})
    (only,) = everything.context["groups"]
    assert only["source"].key == "unit" and len(only["hits"]) == 3  # 13 units, 5 a page
    assert "?q=khuyen+hoc&amp;in=unit&amp;page=2" in everything.content.decode()
    # The meetings group pages the same way (its matches are ids until shown).
    meetings = client.get(reverse("blocs:search"), {"q": "hoi nghi", "in": "meeting"}).context["groups"]
    assert [hit.text for hit in meetings[0]["hits"]] == [
        records["year_end"].display_title,
        "Hội nghị chuyên đề công tác Hội Phụ nữ",
    ]
