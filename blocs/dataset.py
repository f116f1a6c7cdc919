"""A generated dataset at demo, province or national scale: the base records (councils, units, blocs,
memberships, seats, users), and the plan every app's own ``dataset`` module builds on.

``manage.py generate_dataset`` makes a ``Dataset`` (the plan: scale, seed, years, and the base records as
they are written), then runs the ``dataset_generate(dataset=...)`` of every installed app that has a
``dataset`` module, in ``INSTALLED_APPS`` order. Each writes only its own app's tables, in bulk, history
rows included (``bulk_with_history``), and reads the others' records from the plan or the database.

Everything is drawn from ``Dataset.rng(name)``, a random generator seeded by the seed and the name, so a
seed gives the same names and counts on every run and every database. Names are Vietnamese (NFC), built
from lists of real agency kinds and provinces; the people and communes are invented.

The same modules name the pages and documents ``manage.py bench`` measures (``bench_pages``,
``bench_documents``), so each app lists its own.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth.hashers import make_password
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .models import Bloc, Council, Membership, Seat, SeatWrite, Unit, User
from .text import fold

# The last emulation year of the data, fixed so that a seed gives the same dates whenever it is run.
LAST_YEAR = 2025
BATCH = 2000
# Every generated user's password (printed by the command); the hash is made once, not per user.
PASSWORD = "du-lieu-thu-nghiem-2025"


class DatasetError(ValueError):
    """The dataset cannot be generated on this database (said in the message)."""


@dataclass(frozen=True)
class Scale:
    name: str
    councils: int
    blocs: int
    units: int
    years: int


SCALES = {
    "demo": Scale("demo", councils=1, blocs=3, units=30, years=3),
    "province": Scale("province", councils=1, blocs=40, units=450, years=10),
    "national": Scale("national", councils=36, blocs=600, units=7000, years=10),
}


ROLES = ("officer", "chair", "member")


@dataclass
class BenchPage:
    """A page ``manage.py bench`` requests: a label, its address and who requests it."""

    label: str
    url: str
    roles: tuple[str, ...] = ROLES  # or "superuser" too


@dataclass
class BenchDocument:
    """A document ``manage.py bench`` renders: a label and a function returning its bytes."""

    label: str
    render: Callable[[], bytes]


@dataclass
class BenchActors:
    """The real objects the bench uses: a council's officer, a bloc's chair and a plain member's user."""

    council: Council
    bloc: Bloc
    year: int
    unit: Unit
    users: dict[str, User]


@dataclass
class Dataset:
    """The plan of a generated dataset and the base records written so far (with their ids)."""

    scale: Scale
    seed: int
    years: int
    append: bool = False
    councils: list[Council] = field(default_factory=list)
    units: dict[int, list[Unit]] = field(default_factory=dict)  # council id → units
    blocs: list[Bloc] = field(default_factory=list)
    members: dict[tuple[int, int], list[Unit]] = field(default_factory=dict)  # (bloc id, year) → protocol order
    seats: dict[tuple[int, int], list[Unit]] = field(default_factory=dict)  # (bloc id, year) → by rank
    seat_writes: dict[tuple[int, int], SeatWrite] = field(default_factory=dict)
    officers: dict[int, User] = field(default_factory=dict)  # council id → officer
    unit_users: dict[int, User] = field(default_factory=dict)  # unit id → the unit's user
    counts: dict[str, int] = field(default_factory=dict)
    _numbers: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def last_year(self) -> int:
        return LAST_YEAR

    @property
    def first_year(self) -> int:
        return LAST_YEAR - self.years + 1

    @property
    def year_range(self) -> range:
        return range(self.first_year, LAST_YEAR + 1)

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def conference_date(self, bloc: Bloc, year: int) -> date:
        """The day the year-end conference reviewing ``year`` meets (January of the year after): the
        minutes, the bloc's own awards and next year's pledge signed there share it."""
        return date(year + 1, 1, 5 + (self.number(bloc) * 7 + year) % 20)

    def number(self, bloc: Bloc) -> int:
        """The bloc's place in the dataset, the same whatever ids the database gave (rotations use it)."""
        if len(self._numbers) != len(self.blocs):
            self._numbers = {b.pk: n for n, b in enumerate(self.blocs, start=1)}
        return self._numbers[bloc.pk]

    def bloc_years(self) -> Iterable[tuple[Bloc, int, list[Unit]]]:
        for bloc in self.blocs:
            for year in self.year_range:
                yield bloc, year, self.members[bloc.pk, year]

    def aware(self, day: date, hour: int = 9) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, 0)))

    def count(self, model: type[models.Model], rows: int) -> None:
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + rows


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def bulk_with_history(dataset: Dataset, model: type[models.Model], objs: list) -> list:
    """Insert ``objs`` in batches with their history rows (django-simple-history's bulk helper)."""
    if not objs:
        return objs
    if hasattr(model, "history"):
        from simple_history.utils import bulk_create_with_history

        created = bulk_create_with_history(objs, model, batch_size=BATCH)
        dataset.count(model.history.model, len(created))
    else:
        created = model.objects.bulk_create(objs, batch_size=BATCH)
    dataset.count(model, len(created))
    return created


# ═══ Names ═════════════════════════════════════════════════════════════════════════════════════════════

PROVINCES = [
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Điện Biên", "Đắk Lắk", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình",
    "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa",
    "Tuyên Quang", "Vĩnh Long", "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
    "Bắc Kạn", "Bình Định", "Kon Tum", "Hà Giang",
]  # fmt: skip
CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}

# (kind, name pattern, abbreviation); {p} is the province.
PROVINCE_AGENCIES = [
    ("party", "Văn phòng Tỉnh ủy {p}", "VPTU"), ("party", "Ban Tổ chức Tỉnh ủy {p}", "BTCTU"),
    ("party", "Ban Tuyên giáo và Dân vận Tỉnh ủy {p}", "BTGDV"), ("party", "Ủy ban Kiểm tra Tỉnh ủy {p}", "UBKT"),
    ("party", "Ban Nội chính Tỉnh ủy {p}", "BNC"), ("party", "Đảng ủy các cơ quan Đảng tỉnh {p}", "ĐUCQĐ"),
    ("socio_political", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}", "MTTQ"),
    ("socio_political", "Hội Liên hiệp Phụ nữ tỉnh {p}", "LHPN"), ("socio_political", "Hội Nông dân tỉnh {p}", "HND"),
    ("socio_political", "Tỉnh đoàn {p}", "TĐ"), ("socio_political", "Liên đoàn Lao động tỉnh {p}", "LĐLĐ"),
    ("socio_political", "Hội Cựu chiến binh tỉnh {p}", "HCCB"),
    ("agency", "Sở Tài chính tỉnh {p}", "STC"), ("agency", "Sở Xây dựng tỉnh {p}", "SXD"),
    ("agency", "Sở Công Thương tỉnh {p}", "SCT"), ("agency", "Sở Nông nghiệp và Môi trường tỉnh {p}", "SNNMT"),
    ("agency", "Sở Giáo dục và Đào tạo tỉnh {p}", "SGDĐT"), ("agency", "Sở Y tế tỉnh {p}", "SYT"),
    ("agency", "Sở Nội vụ tỉnh {p}", "SNV"), ("agency", "Sở Tư pháp tỉnh {p}", "STP"),
    ("agency", "Sở Khoa học và Công nghệ tỉnh {p}", "SKHCN"),
    ("agency", "Sở Văn hóa, Thể thao và Du lịch tỉnh {p}", "SVHTTDL"), ("agency", "Sở Ngoại vụ tỉnh {p}", "SNgV"),
    ("agency", "Thanh tra tỉnh {p}", "TT"), ("agency", "Văn phòng UBND tỉnh {p}", "VPUB"),
    ("agency", "Sở Dân tộc và Tôn giáo tỉnh {p}", "SDTTG"), ("agency", "Công an tỉnh {p}", "CA"),
    ("agency", "Bộ Chỉ huy Quân sự tỉnh {p}", "BCHQS"), ("agency", "Thuế tỉnh {p}", "THUE"),
    ("agency", "Kho bạc Nhà nước khu vực {p}", "KBNN"), ("agency", "Bảo hiểm xã hội tỉnh {p}", "BHXH"),
    ("agency", "Ngân hàng Nhà nước chi nhánh {p}", "NHNN"), ("agency", "Tòa án nhân dân tỉnh {p}", "TAND"),
    ("agency", "Viện Kiểm sát nhân dân tỉnh {p}", "VKSND"),
    ("association", "Hội Chữ thập đỏ tỉnh {p}", "CTĐ"), ("association", "Hội Luật gia tỉnh {p}", "HLG"),
    ("association", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh {p}", "LHH"),
    ("association", "Hội Nhà báo tỉnh {p}", "HNB"), ("association", "Liên minh Hợp tác xã tỉnh {p}", "LMHTX"),
    ("association", "Hội Văn học Nghệ thuật tỉnh {p}", "VHNT"),
    ("public_service", "Báo và Phát thanh, Truyền hình {p}", "BPTTH"),
    ("public_service", "Bệnh viện Đa khoa tỉnh {p}", "BVĐK"), ("public_service", "Trường Chính trị tỉnh {p}", "TCT"),
    ("public_service", "Trường Cao đẳng {p}", "TCĐ"),
    ("public_service", "Trung tâm Phục vụ hành chính công tỉnh {p}", "HCC"),
    ("enterprise", "Công ty TNHH MTV Xổ số kiến thiết {p}", "XSKT"),
    ("enterprise", "Công ty Cổ phần Cấp nước {p}", "CN"), ("enterprise", "Quỹ Đầu tư phát triển tỉnh {p}", "QĐTPT"),
]  # fmt: skip
CENTRAL_AGENCIES = [
    ("agency", "Bộ Tài chính", "BTC"), ("agency", "Bộ Xây dựng", "BXD"), ("agency", "Bộ Công Thương", "BCT"),
    ("agency", "Bộ Nông nghiệp và Môi trường", "BNNMT"), ("agency", "Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ("agency", "Bộ Y tế", "BYT"), ("agency", "Bộ Nội vụ", "BNV"), ("agency", "Bộ Tư pháp", "BTP"),
    ("agency", "Bộ Khoa học và Công nghệ", "BKHCN"), ("agency", "Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"),
    ("agency", "Bộ Ngoại giao", "BNG"), ("agency", "Bộ Dân tộc và Tôn giáo", "BDTTG"),
    ("agency", "Thanh tra Chính phủ", "TTCP"), ("agency", "Văn phòng Chính phủ", "VPCP"),
    ("agency", "Ngân hàng Nhà nước Việt Nam", "NHNN"), ("agency", "Kiểm toán Nhà nước", "KTNN"),
    ("party", "Văn phòng Trung ương Đảng", "VPTW"), ("party", "Ban Tổ chức Trung ương", "BTCTW"),
    ("socio_political", "Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "TWHLHPN"),
    ("socio_political", "Trung ương Hội Nông dân Việt Nam", "TWHND"),
    ("socio_political", "Tổng Liên đoàn Lao động Việt Nam", "TLĐ"),
    ("enterprise", "Tập đoàn Điện lực Việt Nam", "EVN"),
    ("enterprise", "Tập đoàn Công nghiệp – Viễn thông Quân đội", "Viettel"),
    ("enterprise", "Tập đoàn Dầu khí Việt Nam", "PVN"), ("enterprise", "Tổng công ty Đường sắt Việt Nam", "VNR"),
    ("public_service", "Đài Truyền hình Việt Nam", "VTV"), ("public_service", "Thông tấn xã Việt Nam", "TTXVN"),
    ("public_service", "Đại học Quốc gia Hà Nội", "ĐHQGHN"),
]  # fmt: skip
SYLLABLES = [
    "An", "Bình", "Phú", "Tân", "Long", "Hòa", "Thạnh", "Mỹ", "Đông", "Tây", "Nam", "Bắc", "Trung", "Hưng",
    "Phước", "Lộc", "Thuận", "Vĩnh", "Xuân", "Thủy", "Sơn", "Hải", "Quang", "Minh", "Thành", "Lợi", "Hiệp",
    "Khánh", "Định", "Thới", "Hậu", "Giang", "Châu", "Đức", "Thịnh", "Phong", "Yên", "Lạc", "Tiến", "Cường",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hoàng"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai", "Nam",
    "Nga", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Việt", "Yến", "Khoa",
]  # fmt: skip
HEAD_TITLES = {
    "agency": "Giám đốc", "party": "Trưởng ban", "socio_political": "Chủ tịch", "association": "Chủ tịch",
    "public_service": "Giám đốc", "enterprise": "Tổng Giám đốc", "province": "Chủ tịch UBND",
    "commune": "Chủ tịch UBND", "other": "Thủ trưởng",
}  # fmt: skip
BLOC_NAMES = {
    "party": "Khối thi đua các cơ quan Đảng", "socio_political": "Khối thi đua Mặt trận và các đoàn thể",
    "agency": "Khối thi đua các cơ quan quản lý nhà nước", "association": "Khối thi đua các hội",
    "public_service": "Khối thi đua các đơn vị sự nghiệp", "enterprise": "Khối thi đua các doanh nghiệp",
    "province": "Cụm thi đua các tỉnh, thành phố", "commune": "Cụm thi đua các xã, phường",
}  # fmt: skip


def person_name(rng: random.Random) -> str:
    return nfc(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")


def commune_names(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """``count`` distinct invented communes and wards: (kind, name, short name, abbreviation)."""
    seen: set[str] = set()
    result = []
    while len(result) < count:
        place = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        if place in seen or len(set(place.split())) < 2:
            if len(seen) > len(SYLLABLES) ** 2 // 2:
                place = f"{place} {len(result)}"
            else:
                continue
        seen.add(place)
        word = "Phường" if rng.random() < 0.3 else "Xã"
        result.append(("commune", nfc(f"{word} {place}"), nfc(place), ""))
    return result


def council_units(council: Council, rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """The council's ``count`` units: its real agency kinds first, then provinces or communes."""
    if council.level == Council.Level.CENTRAL:
        named = [(kind, name, name, abbr) for kind, name, abbr in CENTRAL_AGENCIES]
        named += [("province", f"UBND {_province_word(p)} {p}", p, "") for p in PROVINCES]
    else:
        place = council.place_name
        named = [
            (kind, pattern.format(p=place), pattern.format(p="").strip(), abbr)
            for kind, pattern, abbr in PROVINCE_AGENCIES
        ]
    named = [(kind, nfc(name), nfc(short), abbr) for kind, name, short, abbr in named][:count]
    return named + commune_names(rng, count - len(named))


def _province_word(place: str) -> str:
    return "thành phố" if place in CITIES else "tỉnh"


# ═══ Base records ══════════════════════════════════════════════════════════════════════════════════════


def dataset_generate(*, dataset: Dataset) -> None:
    """Councils, units, blocs, memberships, seats with their writes, and users, in bulk."""
    councils_create(dataset)
    units_create(dataset)
    blocs_create(dataset)
    seats_create(dataset)
    users_create(dataset)


def councils_create(dataset: Dataset) -> None:
    scale = dataset.scale
    suffix = f" (bộ dữ liệu {dataset.seed})" if dataset.append else ""
    councils = []
    if scale.councils > 1:
        councils.append(
            Council(
                name=nfc(f"Hội đồng Thi đua – Khen thưởng Trung ương{suffix}"),
                level=Council.Level.CENTRAL,
                place_name="Hà Nội",
                issuing_body="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TRUNG ƯƠNG",
                current_year=LAST_YEAR,
            )
        )
    provinces = dataset.rng("provinces").sample(PROVINCES, scale.councils - len(councils))
    for place in provinces:
        word = _province_word(place)
        councils.append(
            Council(
                name=nfc(f"Hội đồng Thi đua – Khen thưởng {word} {place}{suffix}"),
                place_name=place,
                parent_body=nfc(f"UBND {word.upper()} {place.upper()}"),
                issuing_body="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
                current_year=LAST_YEAR,
            )
        )
    if Council.objects.filter(name__in=[council.name for council in councils]).exists():
        raise DatasetError(f"The councils of seed {dataset.seed} are already in the database: choose another seed.")
    dataset.councils = bulk_with_history(dataset, Council, councils)


def _share(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def council_shares(total: int, parts: int) -> list[int]:
    """``total`` shared by the councils: with several, the first province (after the central council) is a
    big one with a quarter of everything (about 150 of 600 blocs), the others share the rest evenly."""
    if parts < 3:
        return _share(total, parts)
    big = total // 4
    rest = _share(total - big, parts - 1)
    return [rest[0], big, *rest[1:]]


def units_create(dataset: Dataset) -> None:
    rng = dataset.rng("units")
    units = []
    for council, count in zip(
        dataset.councils, council_shares(dataset.scale.units, len(dataset.councils)), strict=True
    ):
        for n, (kind, name, short, abbr) in enumerate(council_units(council, rng, count), start=1):
            code = f"DV{n:04d}"
            unit = Unit(
                council=council,
                code=code,
                name=name,
                short_name=short if short != name else "",
                abbreviations=abbr,
                kind=kind,
                head_name=person_name(rng),
                head_title=HEAD_TITLES[kind],
                contact=f"0{rng.randint(200, 299)} {rng.randint(3000000, 3999999)}",
            )
            unit.keys_compute()  # a bulk write skips save()
            units.append(unit)
    for unit in bulk_with_history(dataset, Unit, units):
        dataset.units.setdefault(unit.council_id, []).append(unit)


def bloc_sizes(rng: random.Random, units: int, blocs: int) -> list[int]:
    """Sizes of ``blocs`` blocs sharing ``units`` units: about even, one of 40 in a big council, jittered."""
    sizes = _share(units, blocs)
    if blocs >= 10 and units >= 200:
        extra = 40 - sizes[0]
        sizes[0] = 40
        for i in range(extra):
            sizes[1 + i % (blocs - 1)] -= 1
    for i in range(1, blocs - 1, 2):
        move = rng.randint(0, 3)
        if sizes[i + 1] - move >= 6:
            sizes[i] += move
            sizes[i + 1] -= move
    return sizes


def blocs_create(dataset: Dataset) -> None:
    """Blocs of the council's units grouped by kind; every unit in one bloc, some joining or leaving."""
    rng = dataset.rng("blocs")
    per_council = council_shares(dataset.scale.blocs, len(dataset.councils))
    plan: list[tuple[Bloc, list[Unit]]] = []
    for council, count in zip(dataset.councils, per_council, strict=True):
        units = sorted(dataset.units[council.pk], key=lambda u: (u.kind != "commune", u.kind, u.code))
        numbers: dict[str, int] = {}
        start = 0
        for size in bloc_sizes(rng, len(units), count):
            members = units[start : start + size]
            start += size
            kind = max({u.kind for u in members}, key=lambda k: sum(u.kind == k for u in members))
            numbers[kind] = numbers.get(kind, 0) + 1
            cluster = kind in ("commune", "province")
            code = f"{'CTĐ' if cluster else 'KTĐ'}{len(plan) + 1}"
            bloc = Bloc(
                council=council,
                name=nfc(f"{BLOC_NAMES.get(kind, 'Khối thi đua')} số {numbers[kind]}"),
                code=code,
                kind=Bloc.Kind.CLUSTER if cluster else Bloc.Kind.BLOC,
                description=nfc(f"Gồm {size} đơn vị thành viên."),
            )
            bloc.keys_compute()
            plan.append((bloc, members))
    dataset.blocs = bulk_with_history(dataset, Bloc, [bloc for bloc, _ in plan])
    memberships_create(dataset, rng, plan)


def memberships_create(dataset: Dataset, rng: random.Random, plan: list[tuple[Bloc, list[Unit]]]) -> None:
    """One membership per unit; in about a third of the blocs the last unit joins late and one leaves."""
    first, last = dataset.first_year, dataset.last_year
    rows = []
    for bloc, members in plan:
        churn = len(members) >= 8 and dataset.years >= 4 and rng.random() < 0.35
        for order, unit in enumerate(members, start=1):
            start, end = first, None
            if churn and order == len(members):
                start = first + rng.randint(1, dataset.years - 2)
            elif churn and order == len(members) - 1:
                end = first + rng.randint(1, dataset.years - 2)
            rows.append(Membership(bloc=bloc, unit=unit, first_year=start, last_year=end, display_order=order))
            for year in range(start, (end or last) + 1):
                dataset.members.setdefault((bloc.pk, year), []).append(unit)
    bulk_with_history(dataset, Membership, rows)


def seats_create(dataset: Dataset) -> None:
    """A chair and one or two vice-chairs a year, rotating through the members; one write per bloc-year."""
    seats, writes = [], []
    for bloc, year, members in dataset.bloc_years():
        vices = 2 if len(members) >= 12 else 1
        turn = year - dataset.first_year + dataset.number(bloc)
        holders = [members[(turn + rank) % len(members)] for rank in range(vices + 1)]
        dataset.seats[bloc.pk, year] = holders
        seats += [Seat(bloc=bloc, year=year, unit=unit, rank=rank) for rank, unit in enumerate(holders)]
        source = SeatWrite.Source.IMPORT if year == dataset.first_year else SeatWrite.Source.CONFERENCE
        writes.append(
            SeatWrite(
                bloc=bloc,
                year=year,
                source=source,
                authority=SeatWrite.Authority.SYSTEM,
                holders=[[rank, unit.pk, unit.name] for rank, unit in enumerate(holders)],
                reason="Dữ liệu sinh tự động.",
            )
        )
    bulk_with_history(dataset, Seat, seats)
    for write in bulk_with_history(dataset, SeatWrite, writes):
        dataset.seat_writes[write.bloc_id, write.year] = write


def users_create(dataset: Dataset) -> None:
    """An officer per council and a user per unit (ASCII usernames from the place and the unit's code)."""
    password = make_password(PASSWORD)
    rng = dataset.rng("users")
    suffix = f".s{dataset.seed}" if dataset.append else ""
    # A superuser sees every council: the page the central Board's administrator gets.
    users = [
        User(username=f"quantri{suffix}", password=password, is_superuser=True, is_staff=True, last_name="Quản trị")
    ]
    for council in dataset.councils:
        slug = fold(council.place_name).replace(" ", "")
        if council.level == Council.Level.CENTRAL:
            slug = "trunguong"
        last, first = person_name(rng).rsplit(" ", 1)
        users.append(
            User(
                username=f"canbo.{slug}{suffix}",
                password=password,
                council=council,
                first_name=first,
                last_name=last,
                position="Chuyên viên Ban Thi đua – Khen thưởng",
            )
        )
        for unit in dataset.units[council.pk]:
            last, first = person_name(rng).rsplit(" ", 1)
            users.append(
                User(
                    username=f"{slug}.{unit.code.lower()}{suffix}",
                    password=password,
                    council=council,
                    unit=unit,
                    first_name=first,
                    last_name=last,
                    position="Chuyên viên",
                )
            )
    for user in bulk_with_history(dataset, User, users):
        if user.unit_id:
            dataset.unit_users[user.unit_id] = user
        elif user.council_id:
            dataset.officers[user.council_id] = user


# ═══ Bench ═════════════════════════════════════════════════════════════════════════════════════════════


def bench_actors() -> BenchActors:
    """The biggest council's officer; in its biggest bloc this year, the chair's user and a plain member's."""
    council = Council.objects.annotate(n=models.Count("blocs")).order_by("-n", "id").first()
    if council is None:
        raise LookupError("The database has no council: generate a dataset first.")
    year = council.current_year
    memberships = Membership.objects.covering(year).filter(bloc__council=council)
    top = memberships.values("bloc").annotate(n=models.Count("id")).order_by("-n", "bloc").first()
    bloc = Bloc.objects.select_related("council").get(pk=top["bloc"])
    seat_units = set(Seat.objects.filter(bloc=bloc, year=year).values_list("unit_id", flat=True))
    chair = Seat.objects.filter(bloc=bloc, year=year, rank=0).values_list("unit_id", flat=True).first()
    member_units = [m.unit_id for m in bloc.members(year) if m.unit_id not in seat_units]
    unit_users = User.objects.filter(is_active=True).order_by("id")
    users = {
        "officer": User.objects.filter(council=council, unit=None, is_active=True).order_by("id").first(),
        "chair": unit_users.filter(unit_id=chair).first(),
        "member": unit_users.filter(unit_id__in=member_units).first(),
        "superuser": User.objects.filter(is_superuser=True, is_active=True).order_by("id").first(),
    }
    unit = Unit.objects.get(pk=users["member"].unit_id if users["member"] else member_units[0])
    return BenchActors(council=council, bloc=bloc, year=year, unit=unit, users=users)


def bench_pages(*, actors: BenchActors) -> list[BenchPage]:
    bloc, unit = actors.bloc, actors.unit
    word = fold(unit.name).split()[0]
    return [
        BenchPage("home", reverse("blocs:home"), (*ROLES, "superuser")),
        BenchPage("to-do", reverse("blocs:todo"), (*ROLES, "superuser")),
        BenchPage("notifications", reverse("blocs:notifications")),
        BenchPage("calendar", reverse("blocs:calendar")),
        BenchPage("deadlines", reverse("blocs:deadlines"), ("officer",)),
        BenchPage("bloc page", reverse("blocs:bloc_detail", args=[bloc.pk])),
        BenchPage("unit page", reverse("blocs:unit_detail", args=[unit.pk])),
        BenchPage("bloc list", reverse("blocs:bloc_list"), (*ROLES, "superuser")),
        BenchPage("unit list", reverse("blocs:unit_list")),
        BenchPage(f"search '{word}'", f"{reverse('blocs:search')}?q={word}"),
        BenchPage("seats form (next year)", reverse("blocs:seats_edit", args=[bloc.pk, actors.year + 1]), ("officer",)),
    ]


def bench_documents(*, actors: BenchActors) -> list[BenchDocument]:
    """The bench bloc's membership list as PDF and Word (a preview: no number taken), the officer's council
    export and a 5,000-row units import."""
    from django.test import Client

    client = Client()
    client.force_login(actors.users["officer"])
    from documents.models import FileJob
    from documents.services import issuer_key

    from .jobs import council_export_make

    members = actors.bloc.memberships.covering(actors.year).count()
    export = FileJob(kind="blocs.jobs.council_export_make", subject=issuer_key("council", actors.council.pk), params={})
    pdf = reverse("blocs:bloc_members_pdf", args=[actors.bloc.pk, actors.year])
    word = reverse("blocs:bloc_members_docx", args=[actors.bloc.pk, actors.year])
    return [
        BenchDocument(f"membership list PDF ({members} units)", bench_getter(client, pdf)),
        BenchDocument(f"membership list Word ({members} units)", bench_getter(client, word)),
        # The export is made by a background job: measure the job's own work (documents.jobs runs it).
        BenchDocument(
            f"council Excel export ({actors.council.blocs.count()} blocs)",
            lambda: council_export_make(job=export, progress=lambda percent: None).content,
        ),
        BenchDocument(f"units import, {IMPORT_ROWS:,} rows (check + confirm)", bench_import(actors)),
    ]


IMPORT_ROWS = 5000


class _RolledBack(Exception):
    """Undoes a bench import: the database is left as it was."""


def bench_import(actors: BenchActors) -> Callable[[], bytes]:
    """The officer's import of IMPORT_ROWS new units, each a member of one of the council's blocs: the
    sheet is checked (``units_import_parse``) and confirmed (``units_import_apply``), then rolled back."""
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from . import excel

    codes = list(actors.council.blocs.order_by("code").values_list("code", flat=True))
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append([column.title for column in excel.COLUMNS])
    for index in range(IMPORT_ROWS):
        row = {
            "code": f"BENCH{index:05d}",
            "name": f"Ủy ban nhân dân xã thử nghiệm số {index}",
            "kind": "Xã, phường",
            "bloc_code": codes[index % len(codes)],
            "first_year": actors.year,
        }
        sheet.append([row.get(column.key) for column in excel.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    def run() -> bytes:
        upload = SimpleUploadedFile("don-vi.xlsx", content, content_type=excel.XLSX_CONTENT_TYPE)
        try:
            with transaction.atomic():
                plan = excel.units_import_parse(council=actors.council, file=upload)
                if not plan.is_valid:
                    raise RuntimeError(f"bench import refused: {[issue.text for issue in plan.issues[:3]]}")
                excel.units_import_apply(plan=plan, by=actors.users["officer"])
                raise _RolledBack
        except _RolledBack:
            pass
        return content

    return run


def bench_getter(client, url: str) -> Callable[[], bytes]:
    def get() -> bytes:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        return b"".join(response) if response.streaming else response.content

    return get
