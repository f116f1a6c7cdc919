"""Each council starts with the award catalogue of its level: provincial or central."""

import pytest

from awards import services
from awards.catalogue import (
    CENTRAL_CATALOGUE,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    NATIONAL_FIGHTER,
    PRIME_MINISTER_CERTIFICATE,
    PROVINCIAL_CATALOGUE,
    PROVINCIAL_FLAG,
    catalogue_for_level,
)
from awards.models import AwardType
from blocs import services as blocs_services
from blocs.models import Council

from ..factories import CouncilFactory

pytestmark = pytest.mark.django_db


def _codes(council):
    return list(AwardType.objects.filter(council=council).order_by("order").values_list("code", flat=True))


def test_a_provincial_council_starts_with_the_provincial_catalogue():
    council = CouncilFactory(level=Council.Level.PROVINCE)
    assert _codes(council) == [s.code for s in PROVINCIAL_CATALOGUE]
    names = set(AwardType.objects.filter(council=council).values_list("name", flat=True))
    assert {"Cờ thi đua của UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"} <= names


def test_a_central_council_starts_with_the_central_catalogue():
    council = CouncilFactory(name="Hội đồng Thi đua – Khen thưởng Trung ương", level=Council.Level.CENTRAL)
    assert _codes(council) == [s.code for s in CENTRAL_CATALOGUE]
    types = {t.code: t for t in AwardType.objects.filter(council=council)}
    assert types[GOVERNMENT_FLAG].name == "Cờ thi đua của Chính phủ"
    assert types[PRIME_MINISTER_CERTIFICATE].name == "Bằng khen của Thủ tướng Chính phủ"
    assert (types[NATIONAL_FIGHTER].name, types[NATIONAL_FIGHTER].recipient_kind) == (
        "Chiến sĩ thi đua toàn quốc",
        "individual",
    )
    # None of the province's own forms: no UBND tỉnh flag or chairman's certificate, no unit-level titles.
    assert PROVINCIAL_FLAG not in types and CHAIRMAN_CERTIFICATE not in types
    assert {t.level for t in types.values()} == {"state", "bloc"}


def test_the_council_service_installs_the_catalogue_of_the_level_once():
    council = blocs_services.council_save(
        council=Council(name="Hội đồng Thi đua – Khen thưởng Trung ương", level="central", place_name="Hà Nội",
                        current_year=2025),
        by=None,
    )  # fmt: skip
    assert _codes(council) == [s.code for s in CENTRAL_CATALOGUE]
    # Installing again adds nothing; an edit (even of the level) leaves the council's copy as it is.
    assert services.award_catalogue_install(council=council) == []
    council.level = Council.Level.PROVINCE
    blocs_services.council_save(council=council, by=None)
    assert _codes(council) == [s.code for s in CENTRAL_CATALOGUE]


def test_an_unknown_level_falls_back_to_the_provincial_catalogue():
    assert catalogue_for_level("province") is PROVINCIAL_CATALOGUE
    assert catalogue_for_level("central") is CENTRAL_CATALOGUE
    assert catalogue_for_level("other") is PROVINCIAL_CATALOGUE
