"""Demo data: the councils of three published conference reports with their units, blocs, members, seats
and logins.

``manage.py load_demo`` is a thin wrapper around :func:`load_demo`; tests call it directly.

The data is plain Python at the top of this module, so it can be checked against the articles at a
glance. Every fact an article states is tagged with the article it comes from:

    [AG]  An Giang, Khối Thi đua 6, conference of 02/02/2021 reviewing 2020
    [BK]  Bắc Kạn, Khối thi đua MTTQ và các đoàn thể, conference of 29/12/2020
    [TU]  Khối thi đua Các cơ quan Tỉnh ủy, conference of 27/12/2021

Everything else is filled in plausibly and marked ``invented``. The articles are not part of the
repository: the facts are copied here.

Adding to the demo: put the data next to the council's other data below and add a step to that council's
``_load_<council>`` function; another app registers its own loader (``blocs.registry.register_demo_loader``).

Running it again writes nothing: every record is looked up by its natural key (council by name, unit
and bloc by council and code, membership by bloc, unit and first year, user by username) and saved only
when a field differs, and a bloc-year's seats are set only when they differ — so there are no duplicates
and no history entries for unchanged records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

from django.db import models, transaction
from django.utils import timezone

from . import registry, services
from .models import Bloc, Council, Deadline, Membership, Seat, SeatWrite, Unit, User
from .services import membership_save, seats_set, unit_merge
from .text import nfc

# The one password of every demo login. Set with set_password, so the password validators do not run; it
# meets them all the same (12 characters at least). Demo users are never asked to change it.
DEMO_PASSWORD = "ThiDua@2021-demo"

CURRENT_YEAR = 2021  # every demo council's current year, the one its home page opens on
MEMBERS_SINCE = 2018  # invented: every membership starts in 2018 and is still open.
SEAT_NOTE = "Dữ liệu mẫu để dùng thử cổng"

# Unit kinds, short names for the tables below.
SOCIO = Unit.Kind.SOCIO_POLITICAL
ASSOC = Unit.Kind.ASSOCIATION
AGENCY = Unit.Kind.AGENCY
PARTY = Unit.Kind.PARTY
PUBLIC = Unit.Kind.PUBLIC_SERVICE
DISTRICT = Unit.Kind.OTHER  # the district level (abolished 1 July 2025) has no kind of its own

BLOC = Bloc.Kind.BLOC
CLUSTER = Bloc.Kind.CLUSTER

# Shapes of the data (plain tuples and dicts):
#   units:  (code, full name, short name, abbreviations, kind)
#   heads:  {unit code: (head's title, head's name)} — for signature blocks; every name is invented
#   bloc:   {"code", "name", "kind", "description", "members": [unit codes in protocol order],
#            "seats": {year: (chair code, [vice-chair codes in order])}}
#   users:  (username, last name, first name, unit code or None for an officer, position, role shown)
# Unit codes, bloc descriptions (unless tagged), user names and positions are invented throughout.

OFFICER_POSITION = "Chuyên viên Ban Thi đua – Khen thưởng, Sở Nội vụ"  # invented


# ═══ An Giang ══════════════════════════════════════════════════════════════════════════════════════════

AN_GIANG = {
    "name": "Hội đồng Thi đua – Khen thưởng tỉnh An Giang",  # [AG] published by An Giang's Sở Nội vụ
    "place_name": "An Giang",
    "parent_body": "UBND TỈNH AN GIANG",
    "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
}

AN_GIANG_UNITS = [
    # Khối Thi đua 6: full names [AG] as the article lists them. Short names and abbreviations are
    # invented, except "Tỉnh đoàn" and "Hội Phụ nữ", which the article itself uses.
    ("MTTQ", "Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQ tỉnh", "MTTQ, Mặt trận", SOCIO),
    ("TD", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Tỉnh đoàn", "Đoàn TNCS, Đoàn Thanh niên", SOCIO),
    ("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh", "LĐLĐ, Công đoàn", SOCIO),
    ("LHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "LHPN, Hội Phụ nữ", SOCIO),
    ("HND", "Hội Nông dân tỉnh", "Hội ND tỉnh", "HND", SOCIO),
    ("CTD", "Hội Chữ thập đỏ tỉnh", "Hội CTĐ tỉnh", "CTĐ, Chữ thập đỏ", ASSOC),
    ("HDY", "Hội Đông y tỉnh", "Hội Đông y", "HĐY", ASSOC),
    ("CCB", "Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh", "CCB", SOCIO),
    # Khối thi đua các sở, ban, ngành: invented, so the council has a second bloc and an outsider unit.
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "KHĐT, KH&ĐT", AGENCY),
    ("STC", "Sở Tài chính", "", "STC", AGENCY),
    ("STP", "Sở Tư pháp", "", "STP", AGENCY),
    ("SCT", "Sở Công Thương", "", "SCT", AGENCY),
    ("SXD", "Sở Xây dựng", "", "SXD", AGENCY),
    ("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", "GTVT", AGENCY),
]

AN_GIANG_HEADS = {  # invented: all
    "MTTQ": ("Chủ tịch", "Nguyễn Văn Hòa"),
    "TD": ("Bí thư", "Phan Thanh Tùng"),
    "LDLD": ("Chủ tịch", "Lê Minh Tâm"),
    "LHPN": ("Chủ tịch", "Nguyễn Thị Kim Loan"),
    "HND": ("Chủ tịch", "Võ Văn Thành"),
    "CTD": ("Chủ tịch", "Đặng Thị Bích Thủy"),
    "HDY": ("Chủ tịch", "Lý Văn Phúc"),
    "CCB": ("Chủ tịch", "Huỳnh Văn Sáu"),
    "SKHDT": ("Giám đốc", "Trương Quốc Bảo"),
    "STC": ("Giám đốc", "Ngô Thanh Hải"),
    "STP": ("Giám đốc", "Đỗ Thị Hồng Nhung"),
    "SCT": ("Giám đốc", "Bùi Văn Khánh"),
    "SXD": ("Giám đốc", "Châu Minh Đức"),
    "SGTVT": ("Giám đốc", "Lâm Văn Tài"),
}

AN_GIANG_BLOC_6 = {
    "code": "KTĐ6",  # the article calls it "Khối thi đua 6" [AG]; the code's form is ours
    "name": "Khối thi đua Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",  # [AG]
    "kind": BLOC,
    "description": "Khối Thi đua 6: Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh.",
    # [AG] the 8 members, in the article's protocol order
    "members": ["MTTQ", "TD", "LDLD", "LHPN", "HND", "CTD", "HDY", "CCB"],
    "seats": {
        2019: ("LHPN", ["HND"]),  # invented
        2020: ("HND", ["CTD"]),  # invented; vice = 2021's chair, by the custom "the vice-chair moves up"
        2021: ("CTD", ["CCB"]),  # [AG] elected 02/02/2021: Hội Chữ thập đỏ chair, Hội Cựu chiến binh vice
        2022: ("CCB", ["HDY"]),  # invented, by the same custom
    },
}

AN_GIANG_DEPARTMENTS = {  # invented: the whole bloc
    "code": "KTĐ1",
    "name": "Khối thi đua các sở, ban, ngành",
    "kind": BLOC,
    "description": "Các sở, ban, ngành tham mưu tổng hợp của tỉnh.",
    "members": ["SKHDT", "STC", "STP", "SCT", "SXD", "SGTVT"],
    "seats": {
        2019: ("STC", ["STP"]),  # invented
        2020: ("STP", ["SCT"]),  # invented
        2021: ("SCT", ["SXD"]),  # invented
        2022: ("SXD", ["SGTVT"]),  # invented
    },
}

# (predecessor codes, successor code, year in effect): invented, after the real 2025 reorganisation in
# which every province's Sở Kế hoạch và Đầu tư merged into its Sở Tài chính. Shows a unit's history
# surviving a merger: Sở KH&ĐT stays a member of KTĐ1 up to 2025 (the merger year), with its seats and its page.
AN_GIANG_MERGERS = [
    (["SKHDT"], "STC", 2025),
]

AN_GIANG_USERS = [  # invented: all; the roles are those of Khối Thi đua 6 in 2021
    ("canbo.angiang", "Nguyễn Thị Thu", "Hà", None, OFFICER_POSITION, "officer"),
    ("khoitruong", "Trần Văn", "Phước", "CTD", "Chánh Văn phòng", "chair of KTĐ6, 2021"),
    ("khoipho", "Lê Hoàng", "Dũng", "CCB", "Phó Chánh Văn phòng", "vice-chair of KTĐ6, 2021"),
    ("thanhvien", "Võ Thị Ngọc", "Trâm", "LHPN", "Chuyên viên Văn phòng", "member of KTĐ6"),
    ("ngoaikhoi", "Huỳnh Minh", "Trí", "STC", "Chuyên viên Văn phòng", "outsider to KTĐ6"),
]


# ═══ Bắc Kạn ═══════════════════════════════════════════════════════════════════════════════════════════

BAC_KAN = {
    "name": "Hội đồng Thi đua – Khen thưởng tỉnh Bắc Kạn",  # [BK]
    "place_name": "Bắc Kạn",
    "parent_body": "UBND TỈNH BẮC KẠN",
    "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
}

BAC_KAN_UNITS = [
    # Khối thi đua MTTQ và các đoàn thể tỉnh: full names [BK] as the article lists them.
    ("MTTQ", "Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban MTTQ tỉnh", "MTTQ, Mặt trận Tổ quốc", SOCIO),
    ("LHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh", "LHPN, Hội Phụ nữ", SOCIO),
    ("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh", "LĐLĐ, Công đoàn", SOCIO),
    ("CCB", "Hội Cựu chiến binh tỉnh", "Hội CCB tỉnh", "CCB", SOCIO),
    ("HND", "Hội Nông dân tỉnh", "Hội ND tỉnh", "HND", SOCIO),
    ("TD", "Đoàn TNCS Hồ Chí Minh tỉnh", "Tỉnh đoàn", "Đoàn TNCS, Đoàn Thanh niên", SOCIO),
    # Cụm thi đua các huyện, thành phố: invented; the province's eight district-level units of 2018–2025.
    ("BK", "Ủy ban nhân dân thành phố Bắc Kạn", "UBND thành phố Bắc Kạn", "TP Bắc Kạn", DISTRICT),
    ("BB", "Ủy ban nhân dân huyện Ba Bể", "UBND huyện Ba Bể", "Ba Bể", DISTRICT),
    ("BT", "Ủy ban nhân dân huyện Bạch Thông", "UBND huyện Bạch Thông", "Bạch Thông", DISTRICT),
    ("CD", "Ủy ban nhân dân huyện Chợ Đồn", "UBND huyện Chợ Đồn", "Chợ Đồn", DISTRICT),
    ("CM", "Ủy ban nhân dân huyện Chợ Mới", "UBND huyện Chợ Mới", "Chợ Mới", DISTRICT),
    ("NR", "Ủy ban nhân dân huyện Na Rì", "UBND huyện Na Rì", "Na Rì", DISTRICT),
    ("NS", "Ủy ban nhân dân huyện Ngân Sơn", "UBND huyện Ngân Sơn", "Ngân Sơn", DISTRICT),
    ("PN", "Ủy ban nhân dân huyện Pác Nặm", "UBND huyện Pác Nặm", "Pác Nặm", DISTRICT),
]

BAC_KAN_HEADS = {  # invented: all
    "MTTQ": ("Chủ tịch", "Hoàng Văn Thịnh"),
    "LHPN": ("Chủ tịch", "Nông Thị Thu Hà"),
    "LDLD": ("Chủ tịch", "Hà Văn Quý"),
    "CCB": ("Chủ tịch", "Ma Văn Chiến"),
    "HND": ("Chủ tịch", "Triệu Văn Tùng"),
    "TD": ("Bí thư", "Lý Thị Hồng Nhung"),
    "BK": ("Chủ tịch", "Nông Văn Lực"),
    "BB": ("Chủ tịch", "Hoàng Văn Sơn"),
    "BT": ("Chủ tịch", "Dương Văn Minh"),
    "CD": ("Chủ tịch", "Lộc Thị Hương"),
    "CM": ("Chủ tịch", "Ma Đình Thắng"),
    "NR": ("Chủ tịch", "Hà Văn Khánh"),
    "NS": ("Chủ tịch", "Nông Quang Vinh"),
    "PN": ("Chủ tịch", "Lương Văn Tuấn"),
}

BAC_KAN_BLOC_MTTQ = {
    "code": "KMTTQ",  # invented
    "name": "Khối thi đua MTTQ và các đoàn thể tỉnh",  # [BK]
    "kind": BLOC,
    "description": "Ủy ban MTTQ Việt Nam tỉnh và các đoàn thể chính trị - xã hội tỉnh.",
    # [BK] the 6 members, in the article's protocol order
    "members": ["MTTQ", "LHPN", "LDLD", "CCB", "HND", "TD"],
    "seats": {
        2019: ("CCB", ["LHPN"]),  # invented; vice = 2020's chair, by the custom "the vice-chair moves up"
        2020: ("LHPN", ["LDLD"]),  # [BK] Hội LHPN tỉnh chair 2020, Liên đoàn Lao động tỉnh vice-chair 2020
        2021: ("LDLD", ["TD"]),  # [BK] elected 29/12/2020: LĐLĐ chair, Đoàn TNCS Hồ Chí Minh tỉnh vice
        2022: ("TD", ["HND"]),  # invented, by the same custom
    },
}

BAC_KAN_CLUSTER = {  # invented: the whole cluster, with two vice seats (Cụm phó thứ nhất, thứ hai)
    "code": "CHTP",
    "name": "Cụm thi đua các huyện, thành phố",
    "kind": CLUSTER,
    "description": "Ủy ban nhân dân các huyện, thành phố trong tỉnh.",
    "members": ["BK", "BB", "BT", "CD", "CM", "NR", "NS", "PN"],
    "seats": {
        2019: ("BK", ["BB", "BT"]),  # invented
        2020: ("BB", ["CD", "CM"]),  # invented
        2021: ("CD", ["NR", "NS"]),  # invented
        2022: ("NR", ["PN", "BK"]),  # invented
    },
}

BAC_KAN_USERS = [  # invented
    ("canbo.backan", "Hoàng Thị", "Lan", None, OFFICER_POSITION, "officer"),
]


# ═══ Tuyên Quang ═══════════════════════════════════════════════════════════════════════════════════════
# [TU] does not name its province. Tuyên Quang is CHOSEN for the demo (invented): any province other than
# An Giang and Bắc Kạn would do.

TUYEN_QUANG = {
    "name": "Hội đồng Thi đua – Khen thưởng tỉnh Tuyên Quang",  # invented: the province is chosen, see above
    "place_name": "Tuyên Quang",
    "parent_body": "UBND TỈNH TUYÊN QUANG",
    "issuing_body": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
}

TUYEN_QUANG_UNITS = [
    # Khối thi đua Các cơ quan Tỉnh ủy: [TU] states 9 agencies and names only Ủy ban Kiểm tra Tỉnh ủy;
    # the other 8 are invented from the agencies such a bloc typically groups.
    ("VPTU", "Văn phòng Tỉnh ủy", "", "VPTU", PARTY),  # invented
    ("BTCTU", "Ban Tổ chức Tỉnh ủy", "", "BTC", PARTY),  # invented
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "", "UBKT", PARTY),  # [TU]
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy", "", "BTG", PARTY),  # invented
    ("BDVTU", "Ban Dân vận Tỉnh ủy", "", "BDV", PARTY),  # invented
    ("BNCTU", "Ban Nội chính Tỉnh ủy", "", "BNC", PARTY),  # invented
    ("DUK", "Đảng ủy Khối các cơ quan tỉnh", "", "ĐUK", PARTY),  # invented
    ("TCT", "Trường Chính trị tỉnh", "", "TCT", PUBLIC),  # invented
    ("BAO", "Báo Tuyên Quang", "", "Báo tỉnh", PUBLIC),  # invented
    # Khối thi đua Nội chính: invented, the whole bloc.
    ("VKS", "Viện Kiểm sát nhân dân tỉnh", "VKSND tỉnh", "VKSND, Viện Kiểm sát", AGENCY),
    ("TAND", "Tòa án nhân dân tỉnh", "TAND tỉnh", "TAND, Tòa án", AGENCY),
    ("TTRA", "Thanh tra tỉnh", "", "TTr", AGENCY),
    ("STP", "Sở Tư pháp", "", "STP", AGENCY),
    ("CTHADS", "Cục Thi hành án dân sự tỉnh", "Cục THADS tỉnh", "THADS", AGENCY),
]

TUYEN_QUANG_HEADS = {  # invented: all
    "VPTU": ("Chánh Văn phòng", "Nguyễn Văn Thắng"),
    "BTCTU": ("Trưởng ban", "Lê Quang Thịnh"),
    "UBKTTU": ("Chủ nhiệm", "Hà Trung Kiên"),
    "BTGTU": ("Trưởng ban", "Trần Thị Thu Hằng"),
    "BDVTU": ("Trưởng ban", "Ma Văn Tuyên"),
    "BNCTU": ("Trưởng ban", "Nguyễn Đức Long"),
    "DUK": ("Bí thư", "Hoàng Văn Nam"),
    "TCT": ("Hiệu trưởng", "Đỗ Thị Hương"),
    "BAO": ("Tổng Biên tập", "Vũ Mạnh Cường"),
    "VKS": ("Viện trưởng", "Lê Văn Quang"),
    "TAND": ("Chánh án", "Phùng Minh Tuấn"),
    "TTRA": ("Chánh Thanh tra", "Chu Văn Bình"),
    "STP": ("Giám đốc", "Nguyễn Thị Lệ"),
    "CTHADS": ("Cục trưởng", "Bàn Văn Thanh"),
}

TUYEN_QUANG_BLOC_PARTY = {
    "code": "KCQTU",  # invented
    "name": "Khối thi đua Các cơ quan Tỉnh ủy",  # [TU]
    "kind": BLOC,
    "description": "Các cơ quan tham mưu, giúp việc cho Tỉnh ủy trong công tác xây dựng Đảng.",  # [TU]
    # [TU] 9 agencies; their protocol order is invented (the article lists none).
    "members": ["VPTU", "BTCTU", "UBKTTU", "BTGTU", "BDVTU", "BNCTU", "DUK", "TCT", "BAO"],
    "seats": {
        2019: ("VPTU", ["BTCTU"]),  # invented
        2020: ("BTCTU", ["UBKTTU"]),  # invented; vice = 2021's chair, by the custom "the vice-chair moves up"
        2021: ("UBKTTU", ["BDVTU"]),  # [TU] Ủy ban Kiểm tra Tỉnh ủy chair 2021; the vice-chair invented
        2022: ("BDVTU", ["BTGTU"]),  # invented, by the same custom
    },
}

TUYEN_QUANG_BLOC_JUSTICE = {  # invented: the whole bloc
    "code": "KNC",
    "name": "Khối thi đua Nội chính",
    "kind": BLOC,
    "description": "Các cơ quan tư pháp, thanh tra và thi hành án của tỉnh.",
    "members": ["VKS", "TAND", "TTRA", "STP", "CTHADS"],
    "seats": {
        2019: ("VKS", ["TAND"]),  # invented
        2020: ("TAND", ["TTRA"]),  # invented
        2021: ("TTRA", ["STP"]),  # invented
        2022: ("STP", ["CTHADS"]),  # invented
    },
}

TUYEN_QUANG_USERS = [  # invented
    ("canbo.tuyenquang", "Ma Thị Thanh", "Huyền", None, OFFICER_POSITION, "officer"),
]


# ═══ The deployment ════════════════════════════════════════════════════════════════════════════════════

# (username, last name, first name, position, role shown): invented. No council: administers them all.
SUPERUSER = ("quantri", "Phạm Minh", "Tuấn", "Quản trị hệ thống", "superuser (every council)")


# ═══ Loading ═══════════════════════════════════════════════════════════════════════════════════════════


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoSummary:
    """What a run did (rows written per model; zero on a second run) and what the demo holds afterwards."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    seat_writes: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def wrote_anything(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or self.seat_writes)

    def report(self) -> str:
        totals = ", ".join(f"{count} {name}" for name, count in self.totals.items())
        return (
            f"Demo data: {totals}.\n"
            f"This run created {sum(self.created.values())} records, updated {sum(self.updated.values())}, "
            f"wrote seats {self.seat_writes} times."
        )

    def logins_table(self) -> str:
        rows = [("Username", "Role", "Unit / council", "Password")]
        rows += [(login.username, login.role, login.where, login.password) for login in self.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)


def load_demo(*, stdout: TextIO | None = None) -> DemoSummary:
    """Create or bring up to date the demo data, all in one transaction. Safe to run again."""
    loader = _Loader(stdout)
    with transaction.atomic():
        loader.superuser(SUPERUSER)
        councils = [_load_an_giang(loader), _load_bac_kan(loader), _load_tuyen_quang(loader)]
        _load_deadlines(loader.summary, today=timezone.localdate())
        # Pledges, awards and meetings add their parts of the seed articles (blocs never imports them).
        for extra in registry.demo_loaders:
            extra(loader.summary)
        loader.summary.totals = _totals(councils, [login.username for login in loader.summary.logins])
    return loader.summary


# ═══ Deadlines of 2021 (invented: the articles name none) ══════════════════════════════════════════════
# (council, bloc code or None for every bloc, kind, day). A day given as a number of days is counted from
# the day the demo is first loaded, so the demo always has deadlines still to come beside those passed.
# An Giang's KTĐ6 is late with its pledge (5 of 8 signed, the signing deadline passed) and has its own
# self-score deadline; Tuyên Quang's submission deadline is the awards demo's.
DEMO_DEADLINES: list[tuple[dict, str | None, str, date | int]] = [
    (AN_GIANG, None, Deadline.Kind.PLEDGE_SIGNING, date(2021, 3, 31)),
    (AN_GIANG, None, Deadline.Kind.REGISTRATION, date(2021, 3, 31)),
    (AN_GIANG, None, Deadline.Kind.SELF_SCORES, 20),
    (AN_GIANG, "KTĐ6", Deadline.Kind.SELF_SCORES, 6),
    (AN_GIANG, None, Deadline.Kind.REVIEW, 30),
    (AN_GIANG, None, Deadline.Kind.CONFERENCE, date(2021, 12, 31)),
    (BAC_KAN, None, Deadline.Kind.PLEDGE_SIGNING, date(2021, 1, 31)),
    (BAC_KAN, None, Deadline.Kind.CONFERENCE, date(2021, 12, 31)),
    (TUYEN_QUANG, None, Deadline.Kind.CONFERENCE, date(2021, 12, 31)),
    (TUYEN_QUANG, None, Deadline.Kind.REGISTRATION, 12),
]
DEMO_DEADLINE_NOTE = "Dữ liệu mẫu"


def _load_deadlines(summary: DemoSummary, *, today: date) -> None:
    """The 2021 deadlines that are missing (idempotent: an existing one keeps its day)."""
    for council_data, bloc_code, kind, day in DEMO_DEADLINES:
        council = Council.objects.get(name=council_data["name"])
        bloc = Bloc.objects.get(council=council, code=bloc_code) if bloc_code else None
        if Deadline.objects.filter(council=council, year=CURRENT_YEAR, kind=kind, bloc=bloc).exists():
            continue
        due_on = today + timedelta(days=day) if isinstance(day, int) else day
        services.deadline_set(
            council=council, year=CURRENT_YEAR, kind=kind, bloc=bloc, due_on=due_on, note=DEMO_DEADLINE_NOTE
        )
        summary.created["Deadline"] += 1


# One function per council; the other apps' demo loaders add its pledges, proposals and meetings.


def _load_an_giang(load: _Loader) -> Council:
    council = load.council(AN_GIANG)
    units = load.units(council, AN_GIANG_UNITS, AN_GIANG_HEADS)
    for bloc in (AN_GIANG_BLOC_6, AN_GIANG_DEPARTMENTS):
        load.bloc(council, units, bloc)
    # After the blocs: the merger closes memberships the blocs have just opened.
    for predecessors, successor, year in AN_GIANG_MERGERS:
        load.merger(units, predecessors, successor, year)
    load.users(council, units, AN_GIANG_USERS)
    load.say(council, units)
    return council


def _load_bac_kan(load: _Loader) -> Council:
    council = load.council(BAC_KAN)
    units = load.units(council, BAC_KAN_UNITS, BAC_KAN_HEADS)
    for bloc in (BAC_KAN_BLOC_MTTQ, BAC_KAN_CLUSTER):
        load.bloc(council, units, bloc)
    load.users(council, units, BAC_KAN_USERS)
    load.say(council, units)
    return council


def _load_tuyen_quang(load: _Loader) -> Council:
    council = load.council(TUYEN_QUANG)
    units = load.units(council, TUYEN_QUANG_UNITS, TUYEN_QUANG_HEADS)
    for bloc in (TUYEN_QUANG_BLOC_PARTY, TUYEN_QUANG_BLOC_JUSTICE):
        load.bloc(council, units, bloc)
    load.users(council, units, TUYEN_QUANG_USERS)
    load.say(council, units)
    return council


def _clean_and_save(obj: models.Model) -> None:
    obj.full_clean()
    obj.save()


class _Loader:
    """The steps the council functions share. Each writes only what differs from the database."""

    def __init__(self, stdout: TextIO | None):
        self.stdout = stdout
        self.summary = DemoSummary()

    def say(self, council: Council, units: dict[str, Unit]) -> None:
        if self.stdout is not None:
            blocs = council.blocs.count()
            self.stdout.write(f"{council.name}: {len(units)} units, {blocs} blocs and clusters.\n")

    def council(self, data: dict) -> Council:
        values = {key: value for key, value in data.items() if key != "name"}
        return self._upsert(Council, {"name": data["name"]}, {**values, "current_year": CURRENT_YEAR})

    def units(self, council: Council, rows: list[tuple], heads: dict[str, tuple]) -> dict[str, Unit]:
        units = {}
        for code, name, short_name, abbreviations, kind in rows:
            head_title, head_name = heads.get(code, ("", ""))
            # ``active``, ``successor`` and ``merged_year`` are left alone: a merger (below) sets them.
            units[code] = self._upsert(
                Unit,
                {"council": council, "code": code},
                {
                    "name": name,
                    "short_name": short_name,
                    "abbreviations": abbreviations,
                    "kind": kind,
                    "head_title": head_title,
                    "head_name": head_name,
                },
            )
        return units

    def bloc(self, council: Council, units: dict[str, Unit], data: dict) -> Bloc:
        bloc = self._upsert(
            Bloc,
            {"council": council, "code": data["code"]},
            {"name": data["name"], "kind": data["kind"], "description": data["description"]},
        )
        for order, code in enumerate(data["members"], start=1):
            self._upsert(
                Membership,
                {"bloc": bloc, "unit": units[code], "first_year": MEMBERS_SINCE},
                {"display_order": order},
                # Open-ended when created; a merger may close it later and a second run must not reopen it.
                create_only={"last_year": None},
                save=lambda membership: membership_save(membership=membership),
            )
        for year, (chair, vice_chairs) in data["seats"].items():
            self.seats(bloc, year, units[chair], [units[code] for code in vice_chairs])
        return bloc

    def seats(self, bloc: Bloc, year: int, chair: Unit, vice_chairs: list[Unit]) -> None:
        """Set a bloc-year's seats through the one service, and only when they differ: each call is a
        line in the seats' history."""
        wanted = list(enumerate([chair.pk, *(unit.pk for unit in vice_chairs)]))
        current = list(Seat.objects.filter(bloc=bloc, year=year).order_by("rank").values_list("rank", "unit_id"))
        if current == wanted:
            return
        seats_set(
            bloc=bloc,
            year=year,
            chair=chair,
            vice_chairs=vice_chairs,
            by=None,
            source=SeatWrite.Source.IMPORT,
            reason=SEAT_NOTE,
        )
        self.summary.seat_writes += 1

    def merger(self, units: dict[str, Unit], predecessors: list[str], successor: str, year: int) -> None:
        pending = [units[code] for code in predecessors if units[code].successor_id is None]
        if pending:
            unit_merge(predecessors=pending, successor=units[successor], year=year, by=None)
            self.summary.updated[Unit.__name__] += len(pending)

    def users(self, council: Council, units: dict[str, Unit], rows: list[tuple]) -> None:
        for username, last_name, first_name, unit_code, position, role in rows:
            unit = units[unit_code] if unit_code else None
            self._user(
                username,
                {
                    "last_name": last_name,
                    "first_name": first_name,
                    "council": council,
                    "unit": unit,
                    "position": position,
                    "is_superuser": False,
                    "is_staff": False,
                    "is_active": True,
                },
            )
            where = f"{unit.name}, {council.place_name}" if unit else council.name
            self.summary.logins.append(DemoLogin(username, role, where))

    def superuser(self, row: tuple) -> None:
        username, last_name, first_name, position, role = row
        self._user(
            username,
            {
                "last_name": last_name,
                "first_name": first_name,
                "council": None,
                "unit": None,
                "position": position,
                "is_superuser": True,
                "is_staff": True,  # so the Django admin opens too
                "is_active": True,
            },
        )
        self.summary.logins.append(DemoLogin(username, role, "—"))

    def _user(self, username: str, values: dict) -> User:
        def set_demo_password(user: User) -> bool:
            # A fresh hash has a fresh salt, so set it only when the password is not already the demo one.
            if user.check_password(DEMO_PASSWORD):
                return False
            user.set_password(DEMO_PASSWORD)
            return True

        # The demo password is printed for everyone to try: never a forced change (an officer's reset in
        # the demo, then a second load, brings the demo password back without the change either).
        values = {**values, "must_change_password": False}
        return self._upsert(User, {"username": username}, values, prepare=set_demo_password)

    def _upsert(
        self,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        *,
        create_only: dict | None = None,
        prepare: Callable[[models.Model], bool] | None = None,
        save: Callable[[models.Model], object] = _clean_and_save,
    ):
        """Find the row by its natural key (``lookup``), create it or bring ``values`` up to date, and save
        only if something changed (each save adds a history entry). ``create_only`` values are set on a new
        row only; ``prepare`` may change the row further and says whether it did."""
        lookup = {key: nfc(value) if isinstance(value, str) else value for key, value in lookup.items()}
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **(create_only or {}))
        changed = _assign(obj, values)
        if prepare is not None:
            changed = prepare(obj) or changed
        if created or changed:
            save(obj)
            (self.summary.created if created else self.summary.updated)[model.__name__] += 1
        return obj


def _assign(obj: models.Model, values: dict) -> bool:
    """Set ``values`` on ``obj``; True if any differed. Text is compared in the form its field stores
    (blocs.fields: one line or several, NFC) and relations by primary key, so an unchanged row compares
    equal."""
    changed = False
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            current, wanted = getattr(obj, model_field.attname), (value.pk if value is not None else None)
        else:
            current, wanted = getattr(obj, name), (model_field.to_python(value) if isinstance(value, str) else value)
        if current != wanted:
            setattr(obj, name, value)
            changed = True
    return changed


def _totals(councils: list[Council], usernames: list[str]) -> dict[str, int]:
    return {
        "councils": len(councils),
        "units": Unit.objects.filter(council__in=councils).count(),
        "blocs and clusters": Bloc.objects.filter(council__in=councils).count(),
        "memberships": Membership.objects.filter(bloc__council__in=councils).count(),
        "seats": Seat.objects.filter(bloc__council__in=councils).count(),
        "users": User.objects.filter(username__in=usernames).count(),
    }


# ═══ Lookups for the other apps' demo loaders ══════════════════════════════════════════════════════════


def demo_bloc(council: dict, bloc: dict) -> Bloc:
    """The bloc that :func:`load_demo` made from ``council`` and ``bloc`` (data dicts of this module)."""
    return Bloc.objects.select_related("council").get(council__name=council["name"], code=bloc["code"])


def demo_officer(users: list[tuple]) -> User | None:
    """The council officer among the demo logins ``users`` (the row without a unit), if it was made."""
    username = next(row[0] for row in users if row[3] is None)
    return User.objects.filter(username=username).first()
