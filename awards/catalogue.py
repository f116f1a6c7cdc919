"""The standard catalogues of award types (hình thức khen thưởng, danh hiệu thi đua), one per council level.

Every council starts with a copy of the catalogue of its level (``awards.services.award_catalogue_install``,
called when a council is created and, for councils that existed before the awards app, by migration 0002):

* a provincial council (``Council.Level.PROVINCE``) gets ``PROVINCIAL_CATALOGUE``: the state-level forms its
  blocs propose upwards, the province's own flag and certificates, the unit-level titles and the bloc's own
  awards;
* the central council (``Council.Level.CENTRAL``, whose blocs and clusters are of ministries, central bodies
  and provinces) gets ``CENTRAL_CATALOGUE``: the state-level titles and forms its blocs propose to the
  Government and the Prime Minister ("Cờ thi đua của Chính phủ", "Chiến sĩ thi đua toàn quốc", "Bằng khen
  của Thủ tướng Chính phủ") and the bloc's own awards. The central council gives no flag or certificate
  of its own (the law knows none); its members' own flags and certificates ("Cờ thi đua cấp bộ, ngành,
  tỉnh") are theirs to give, not proposed through the bloc.

Officers then rename, reorder, deactivate or add types for their own council; the copy is theirs, and a
change of the council's level later changes nothing in it.

Names are data, in Vietnamese, as the council's documents print them. The ``code`` is a stable key: the
copy of a type keeps it, so installing again adds only what is missing and the demo and Excel import can
find a type whatever an officer renamed it to.

Only the types are standard. Vote thresholds, quotas and eligibility differ between provinces and change
with each decree on emulation and commendation, so no rule is defined here: officers configure them as
``AwardRule`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardType:
    code: str
    name: str
    recipient_kind: str  # AwardType.RecipientKind value
    level: str  # AwardType.Level value
    authority: str  # AwardType.Authority value


# In the order officers see them: the highest forms first, the bloc's own awards last.
PROVINCIAL_CATALOGUE: tuple[StandardType, ...] = (
    StandardType("co-thi-dua-chinh-phu", "Cờ thi đua của Chính phủ", "collective", "state", "government"),
    StandardType("bang-khen-thu-tuong", "Bằng khen của Thủ tướng Chính phủ", "any", "state", "prime_minister"),
    StandardType("co-thi-dua-tinh", "Cờ thi đua của UBND tỉnh", "collective", "province", "council_chairman"),
    StandardType("bang-khen-chu-tich", "Bằng khen của Chủ tịch UBND tỉnh", "any", "province", "council_chairman"),
    StandardType("bang-khen-chuyen-de", "Bằng khen chuyên đề", "any", "province", "council_chairman"),
    StandardType("chien-si-thi-dua-tinh", "Chiến sĩ thi đua cấp tỉnh", "individual", "province", "council_chairman"),
    StandardType(
        "tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "collective", "province", "council_chairman"
    ),
    StandardType("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "collective", "unit", "unit_head"),
    StandardType("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "individual", "unit", "unit_head"),
    StandardType("lao-dong-tien-tien", "Lao động tiên tiến", "individual", "unit", "unit_head"),
    StandardType("giay-khen", "Giấy khen", "any", "unit", "unit_head"),
    StandardType("tap-the-dien-hinh-tien-tien", "Tập thể điển hình tiên tiến", "collective", "bloc", "bloc"),
    StandardType("ca-nhan-dien-hinh-tien-tien", "Cá nhân điển hình tiên tiến", "individual", "bloc", "bloc"),
)
# The catalogue migration 0002 installed, under its first name (every council was provincial then).
STANDARD_CATALOGUE = PROVINCIAL_CATALOGUE

CENTRAL_CATALOGUE: tuple[StandardType, ...] = (
    StandardType("co-thi-dua-chinh-phu", "Cờ thi đua của Chính phủ", "collective", "state", "government"),
    StandardType("chien-si-thi-dua-toan-quoc", "Chiến sĩ thi đua toàn quốc", "individual", "state", "prime_minister"),
    StandardType("bang-khen-thu-tuong", "Bằng khen của Thủ tướng Chính phủ", "any", "state", "prime_minister"),
    StandardType("tap-the-dien-hinh-tien-tien", "Tập thể điển hình tiên tiến", "collective", "bloc", "bloc"),
    StandardType("ca-nhan-dien-hinh-tien-tien", "Cá nhân điển hình tiên tiến", "individual", "bloc", "bloc"),
)

# By ``Council.Level`` value; a level not listed (none today) starts with the provincial catalogue.
CATALOGUES: dict[str, tuple[StandardType, ...]] = {"province": PROVINCIAL_CATALOGUE, "central": CENTRAL_CATALOGUE}


def catalogue_for_level(level: str) -> tuple[StandardType, ...]:
    """The standard catalogue a council of ``level`` (a ``Council.Level`` value) starts with."""
    return CATALOGUES.get(level, PROVINCIAL_CATALOGUE)


# Codes the demo and tests use by name.
PROVINCIAL_FLAG = "co-thi-dua-tinh"
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
CHAIRMAN_CERTIFICATE = "bang-khen-chu-tich"
THEMATIC_CERTIFICATE = "bang-khen-chuyen-de"
PRIME_MINISTER_CERTIFICATE = "bang-khen-thu-tuong"
NATIONAL_FIGHTER = "chien-si-thi-dua-toan-quoc"
EXCELLENT_COLLECTIVE = "tap-the-lao-dong-xuat-sac"
BLOC_EXEMPLARY_COLLECTIVE = "tap-the-dien-hinh-tien-tien"
BLOC_EXEMPLARY_INDIVIDUAL = "ca-nhan-dien-hinh-tien-tien"

# The flag and the certificate a council's blocs most often propose, by level (the generated dataset).
LEADING_TYPES: dict[str, tuple[str, str]] = {
    "province": (PROVINCIAL_FLAG, CHAIRMAN_CERTIFICATE),
    "central": (GOVERNMENT_FLAG, PRIME_MINISTER_CERTIFICATE),
}
