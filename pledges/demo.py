"""Demo pledges (run by ``load_demo`` through the registry, after the base records).

    [BK]  Bắc Kạn, Khối thi đua MTTQ và các đoàn thể tỉnh: "the 2021 pledge was signed at this
          conference" (29/12/2020) — final, signed by all 6 members on 29/12/2020.
    [TU]  Khối thi đua Các cơ quan Tỉnh ủy (Tuyên Quang, chosen): the agencies signed a pledge at the
          conference of 27/12/2021 — the 2022 pledge, final, signed by all 9 on 27/12/2021.
    [AG]  An Giang, Khối Thi đua 6: the article states no pledge. Invented: the 2021 pledge is being
          signed, 5 of 8 units have signed; Hội LHPN tỉnh (the demo login "thanhvien") has not, so the
          demo member can sign it.

Every pledge text, signing place and the An Giang signing dates are invented (the articles give none).
Blocs are found by council name and bloc code exactly as ``blocs.demo`` defines them. The records are
written through ``pledges.services``, as a user would; a pledge that exists already is left alone, so a
second run writes nothing. The final PDFs are numbered and rendered after the demo's transaction
commits (``transaction.on_commit`` in ``pledge_finalise``), or on their first download.

The demo's scoring and rankings (``pledges.scoring.demo``) are added last, once the pledges exist.
"""

from __future__ import annotations

from datetime import date

from blocs.demo import (
    AN_GIANG,
    AN_GIANG_BLOC_6,
    AN_GIANG_USERS,
    BAC_KAN,
    BAC_KAN_BLOC_MTTQ,
    BAC_KAN_USERS,
    TUYEN_QUANG,
    TUYEN_QUANG_BLOC_PARTY,
    TUYEN_QUANG_USERS,
    demo_bloc,
    demo_officer,
)
from blocs.models import Bloc, User

from .models import Pledge, PledgeVersion
from .scoring.demo import load_scoring_demo
from .services import (
    SectionText,
    pledge_create,
    pledge_draft_save,
    pledge_sign,
    pledge_signatures_record,
    pledge_signing_open,
)

# ═══ Texts (invented: all) ═════════════════════════════════════════════════════════════════════════════

BAC_KAN_2021 = {
    "preamble": (
        "Căn cứ Luật Thi đua, Khen thưởng và các văn bản hướng dẫn thi hành; căn cứ hướng dẫn của Hội đồng "
        "Thi đua – Khen thưởng tỉnh Bắc Kạn về công tác thi đua, khen thưởng năm 2021;\n"
        "Các đơn vị thành viên Khối thi đua MTTQ và các đoàn thể tỉnh thống nhất ký kết giao ước thi đua "
        "năm 2021 với các nội dung sau:"
    ),
    "place": "Hội trường Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn",  # invented
    "sections": [
        SectionText(
            "Mục tiêu",
            "Đẩy mạnh các phong trào thi đua yêu nước, thi đua lập thành tích chào mừng Đại hội đại biểu "
            "toàn quốc lần thứ XIII của Đảng và cuộc bầu cử đại biểu Quốc hội khóa XV, đại biểu Hội đồng "
            "nhân dân các cấp nhiệm kỳ 2021 – 2026; hoàn thành toàn diện các chỉ tiêu, nhiệm vụ năm 2021.",
        ),
        SectionText(
            "Nội dung giao ước",
            "1. Thực hiện tốt vai trò giám sát và phản biện xã hội; tham gia xây dựng Đảng, chính quyền "
            "trong sạch, vững mạnh.\n"
            "2. Phát triển đoàn viên, hội viên: mỗi đơn vị tăng ít nhất 2% so với năm 2020.\n"
            "3. Tham gia xây dựng nông thôn mới và giảm nghèo bền vững; mỗi đơn vị hỗ trợ ít nhất 05 hộ "
            "nghèo, hộ cận nghèo tại địa bàn được phân công.\n"
            "4. Đẩy mạnh cải cách hành chính, ứng dụng công nghệ thông tin; 100% văn bản đi, đến được xử lý "
            "trên phần mềm quản lý văn bản.\n"
            "5. 100% cán bộ, công chức, viên chức hoàn thành nhiệm vụ; không có cán bộ vi phạm kỷ luật.",
        ),
        SectionText(
            "Tổ chức thực hiện",
            "Khối trưởng chủ trì, phối hợp với Khối phó theo dõi, đôn đốc các đơn vị thực hiện giao ước; "
            "tổ chức sơ kết 6 tháng và tổng kết năm.\n"
            "Cuối năm, các đơn vị tự chấm điểm theo bảng tiêu chí của Khối làm căn cứ bình xét, suy tôn "
            "đơn vị dẫn đầu đề nghị Ủy ban nhân dân tỉnh tặng Cờ thi đua.",
        ),
    ],
}

TUYEN_QUANG_2022 = {
    "preamble": (
        "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2020 – 2025 và hướng "
        "dẫn của Hội đồng Thi đua – Khen thưởng tỉnh về công tác thi đua, khen thưởng năm 2022;\n"
        "Các cơ quan thành viên Khối thi đua Các cơ quan Tỉnh ủy cùng ký kết giao ước thi đua năm 2022 "
        "với các nội dung sau:"
    ),
    "place": "Hội trường Ủy ban Kiểm tra Tỉnh ủy",  # invented (the 2021 chair hosted the conference)
    "sections": [
        SectionText(
            "Mục tiêu",
            "Thi đua thực hiện thắng lợi nhiệm vụ tham mưu, giúp việc Tỉnh ủy năm 2022; xây dựng cơ quan "
            "trong sạch, vững mạnh, đội ngũ cán bộ có bản lĩnh chính trị, phẩm chất đạo đức và năng lực công tác.",
        ),
        SectionText(
            "Nội dung giao ước",
            "1. Hoàn thành 100% nhiệm vụ trong chương trình công tác năm 2022 của Tỉnh ủy, Ban Thường vụ "
            "Tỉnh ủy được giao; tham mưu kịp thời, đúng tiến độ, bảo đảm chất lượng.\n"
            "2. Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; thực hiện nghiêm "
            "các quy định về nêu gương của cán bộ, đảng viên.\n"
            "3. Thực hiện chuyển đổi số trong hoạt động của các cơ quan đảng; 100% văn bản không mật được "
            "gửi, nhận trên môi trường mạng.\n"
            "4. Thực hành tiết kiệm, chống lãng phí; thực hiện nghiêm văn hóa công sở.\n"
            "5. Tổ chức đảng, đoàn thể của cơ quan đạt mức hoàn thành tốt nhiệm vụ trở lên.",
        ),
        SectionText(
            "Tổ chức thực hiện",
            "Thủ trưởng các cơ quan quán triệt nội dung giao ước đến toàn thể cán bộ, công chức, người lao "
            "động; Khối trưởng theo dõi, tổng hợp kết quả, báo cáo Hội đồng Thi đua – Khen thưởng tỉnh.",
        ),
    ],
}

AN_GIANG_2021 = {
    "preamble": (
        "Căn cứ Kế hoạch tổ chức phong trào thi đua năm 2021 của Hội đồng Thi đua – Khen thưởng tỉnh An "
        "Giang, các đơn vị thành viên Khối thi đua Mặt trận Tổ quốc và các tổ chức chính trị - xã hội "
        "thống nhất ký kết giao ước thi đua năm 2021 với các nội dung sau:"
    ),
    "place": "Hội trường Hội Chữ thập đỏ tỉnh An Giang",  # invented
    "sections": [
        SectionText(
            "Nội dung giao ước",
            "1. Vận động đoàn viên, hội viên và Nhân dân tham gia phòng, chống dịch COVID-19 và thực hiện "
            "tốt cuộc bầu cử đại biểu Quốc hội, đại biểu Hội đồng nhân dân các cấp.\n"
            "2. Mỗi đơn vị xây dựng ít nhất 01 mô hình, điển hình tiên tiến được nhân rộng.\n"
            "3. Phối hợp thực hiện Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”.\n"
            "4. Hoàn thành 100% chỉ tiêu được Tỉnh ủy, Ủy ban nhân dân tỉnh giao.",
        ),
        SectionText(
            "Tổ chức thực hiện",
            "Khối trưởng chủ trì theo dõi, đánh giá kết quả thực hiện; các đơn vị báo cáo kết quả 6 tháng "
            "và năm về Khối trưởng đúng thời gian quy định.",
        ),
    ],
}

# An Giang's units that signed the 2021 pledge in the portal or on paper (invented): (unit code, date,
# demo username who signed in the portal or None for a signature recorded by the officer from paper).
AN_GIANG_2021_SIGNED = [
    ("CTD", date(2021, 1, 25), "khoitruong"),  # the 2021 chair signs first
    ("CCB", date(2021, 1, 26), "khoipho"),
    ("MTTQ", date(2021, 1, 27), None),
    ("LDLD", date(2021, 1, 28), None),
    ("HND", date(2021, 1, 29), None),
]


def _draft(*, bloc: Bloc, year: int, text: dict, signing_date: date | None, by: User | None) -> PledgeVersion:
    pledge = pledge_create(bloc=bloc, year=year, by=by)
    version = pledge.versions.get()
    return pledge_draft_save(
        version=version,
        revision=version.revision,
        title=version.title,
        preamble=text["preamble"],
        signing_date=signing_date,
        signing_place=text["place"],
        sections=text["sections"],
        by=by,
    )


def _count(summary, version: PledgeVersion) -> None:
    summary.created["Pledge"] += 1
    summary.created["PledgeVersion"] += 1
    summary.created["PledgeSection"] += version.sections.count()
    summary.created["PledgeSignatory"] += version.signatories.count()


def _signed_at_conference(summary, bloc: Bloc, *, year: int, text: dict, on: date, users: list[tuple]) -> None:
    """The year's pledge, unless it exists: drafted by the council's officer and signed by every member
    on paper at the conference of ``on`` (the paper record of all members makes it final)."""
    if Pledge.objects.filter(bloc=bloc, year=year).exists():
        return
    by = demo_officer(users)
    version = _draft(bloc=bloc, year=year, text=text, signing_date=on, by=by)
    version = pledge_signing_open(version=version, by=by)
    pledge_signatures_record(version=version, signed_on=on, by=by)
    _count(summary, version)


def load_pledges_demo(summary) -> None:
    """Add the demo pledges that are missing (idempotent)."""
    # [BK] the 2021 pledge, signed by all six members at the conference of 29/12/2020;
    # [TU] the 2022 pledge, signed by all nine agencies at the conference of 27/12/2021.
    for council_data, bloc_data, year, text, on, users in (
        (BAC_KAN, BAC_KAN_BLOC_MTTQ, 2021, BAC_KAN_2021, date(2020, 12, 29), BAC_KAN_USERS),
        (TUYEN_QUANG, TUYEN_QUANG_BLOC_PARTY, 2022, TUYEN_QUANG_2022, date(2021, 12, 27), TUYEN_QUANG_USERS),
    ):
        _signed_at_conference(summary, demo_bloc(council_data, bloc_data), year=year, text=text, on=on, users=users)

    # [AG] invented: the 2021 pledge, being signed (5 of 8).
    bloc = demo_bloc(AN_GIANG, AN_GIANG_BLOC_6)
    if not Pledge.objects.filter(bloc=bloc, year=2021).exists():
        officer = demo_officer(AN_GIANG_USERS)
        version = _draft(bloc=bloc, year=2021, text=AN_GIANG_2021, signing_date=None, by=officer)
        version = pledge_signing_open(version=version, by=officer)
        units = {s.unit.code: s.unit for s in version.signatories.select_related("unit")}
        for code, signed_on, username in AN_GIANG_2021_SIGNED:
            unit = units[code]
            signer = User.objects.filter(username=username).first() if username else None
            if signer is not None:
                signatory = version.signatories.get(unit=unit)
                pledge_sign(
                    version=version,
                    unit=unit,
                    by=signer,
                    signatory_name=signatory.signatory_name,
                    signatory_title=signatory.signatory_title,
                    signed_on=signed_on,
                )
            else:
                pledge_signatures_record(version=version, signed_on=signed_on, units=[unit], by=officer)
        _count(summary, version)

    # After the pledges (the 2021 table is linked to An Giang's 2021 pledge), before the awards demo.
    load_scoring_demo(summary)
