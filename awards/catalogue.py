"""The standard catalogue of award types (hình thức khen thưởng, danh hiệu thi đua), defined once.

Every council starts with a copy of it (``awards.services.award_catalogue_install``, called when a council
is created and, for councils that existed before the awards app, by migration 0002). Officers then rename,
reorder, deactivate or add types for their own council; the copy is theirs.

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
STANDARD_CATALOGUE: tuple[StandardType, ...] = (
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

# Codes the demo and tests use by name.
PROVINCIAL_FLAG = "co-thi-dua-tinh"
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
CHAIRMAN_CERTIFICATE = "bang-khen-chu-tich"
THEMATIC_CERTIFICATE = "bang-khen-chuyen-de"
PRIME_MINISTER_CERTIFICATE = "bang-khen-thu-tuong"
BLOC_EXEMPLARY_COLLECTIVE = "tap-the-dien-hinh-tien-tien"
BLOC_EXEMPLARY_INDIVIDUAL = "ca-nhan-dien-hinh-tien-tien"
