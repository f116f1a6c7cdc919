"""Demo meetings: three conferences taken from provincial news articles, fully recorded (run by
``load_demo`` through the registry, after the pledges' and awards' loaders — INSTALLED_APPS order).

    [AG]  An Giang, Khối Thi đua 6, conference of 02/02/2021
    [BK]  Bắc Kạn, Khối thi đua MTTQ và các đoàn thể, 29/12/2020
    [TU]  Khối thi đua Các cơ quan Tỉnh ủy, 27/12/2021

Every fact an article states is tagged. Optional facts an article does not state stay empty:
start and end time, place, presiding person's name, secretary, vote counts (the tally is then "not recorded"),
how an election was made, attendance where the article does not say who came; the minutes then say nothing of
them. Only what the portal cannot do without (the honoured collectives and individuals where awards' demo has
none) is invented and marked ``# invented``. The results are recorded through
``meetings.services.meeting_record_results`` as a chair would, which calls the awards, blocs and pledges
services: proposals that awards' demo created already are found again (by bloc, year, award type and
recipient) and linked, never duplicated; their tallies are taken as awards recorded them; the pledges signed
at the Bắc Kạn and Party agencies conferences are pledges' demo pledges, linked.

The seed meetings' minutes are final (version 1, content frozen); their numbers and PDFs are made on the
first download, so ``load_demo`` stays fast. A meeting that exists already is left alone, so a second
run writes nothing.
"""

from __future__ import annotations

from datetime import date, time

from awards import services as awards_services
from awards.catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    PROVINCIAL_FLAG,
    THEMATIC_CERTIFICATE,
)
from awards.demo import TU_2021_COLLECTIVES, TU_2021_INDIVIDUALS
from awards.models import AwardType, Proposal
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
from blocs.models import Bloc, Unit, User

from .models import AttendanceState, Meeting
from .services import (
    AttendanceEntry,
    BlocAwardEntry,
    ElectionEntry,
    GuestEntry,
    HandoverEntry,
    MovementEntry,
    PledgeSigningEntry,
    VoteEntry,
    meeting_record_results,
    meeting_schedule,
    minutes_finalise,
)

BOARD_AG = "Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh"  # [AG]
BOARD = "Ban Thi đua – Khen thưởng tỉnh"  # [BK] [TU]

# Shapes: schedule = keyword arguments of meeting_schedule (codes for units); results = the parts of
# meeting_record_results, with unit codes and award type codes; a vote is
# (award type code, unit code, (members present, ballots cast, votes for), "acclamation" or None: not
# recorded).

AN_GIANG_2020 = {
    "bloc": (AN_GIANG, AN_GIANG_BLOC_6),
    "users": AN_GIANG_USERS,
    "schedule": {
        "kind": Meeting.Kind.YEAR_END,
        "year": 2020,  # [AG] reviewing 2020
        "date": date(2021, 2, 2),  # [AG]
        # Not stated by [AG], left empty: times, place, host, presiding person, secretary, agenda.
        # [AG] "đại diện Lãnh đạo cùng với Chuyên viên của Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh"
        "guests": [
            GuestEntry(position="Đại diện Lãnh đạo", organisation=BOARD_AG),
            GuestEntry(position="Chuyên viên", organisation=BOARD_AG),
        ],
    },
    # [AG] "Lãnh đạo, công chức, viên chức phụ trách công tác thi đua, khen thưởng của các đơn vị thành viên"
    "attendance": AttendanceState.ALL,
    "representatives": "Lãnh đạo, công chức phụ trách công tác thi đua, khen thưởng",
    "report_summary": (  # [AG]
        "Năm 2020, việc tổ chức các hoạt động thi đua, khen thưởng của Khối thi đua đã chủ động triển khai "
        "tích cực, toàn diện. Hoạt động thông tin, tuyên truyền ngày càng được nâng cao, đáp ứng nhu cầu của "
        "nhân dân góp phần phát huy khối đại đoàn kết toàn dân tộc.\n"
        "Các đơn vị đều tổ chức phát động phong trào thi đua chuyên đề gắn kết chặt chẽ với nhiệm vụ chính "
        "trị của các ngành, lĩnh vực, qua đó thu hút và tạo được khí thế hăng say lao động của cán bộ công "
        "chức, viên chức, người lao động."
    ),
    "directions": (  # [AG]
        "Tiếp tục triển khai, thực hiện Chỉ thị số 34 của Bộ Chính trị về công tác thi đua khen thưởng; kịp "
        "thời, phát hiện, biểu dương, nhân rộng gương điển hình tiên tiến; tiếp tục phát động thi đua trong "
        "cán bộ, công chức, viên chức, người lao động, gắn với việc thực hiện Chỉ thị số 05 của Bộ Chính trị "
        "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh nhằm nâng cao chất lượng "
        "các phong trào thi đua."
    ),
    # [AG] all "by agreement" (thống nhất): no counts.
    "votes": [
        (PROVINCIAL_FLAG, "LDLD", "acclamation"),
        (CHAIRMAN_CERTIFICATE, "TD", "acclamation"),
        (CHAIRMAN_CERTIFICATE, "LHPN", "acclamation"),
        (THEMATIC_CERTIFICATE, "CTD", "acclamation"),
    ],
    "election": ("CTD", ["CCB"]),  # [AG] 2021: Hội Chữ thập đỏ chair, Hội Cựu chiến binh vice; how: not stated
    "handover": None,  # [AG] states no handover: none is recorded
    "pledge_year": None,  # [AG] states no pledge
    "movement": None,
}

BAC_KAN_2020 = {
    "bloc": (BAC_KAN, BAC_KAN_BLOC_MTTQ),
    "users": BAC_KAN_USERS,
    "schedule": {
        "kind": Meeting.Kind.YEAR_END,
        "year": 2020,  # [BK]
        "title": "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2020, triển khai nhiệm vụ năm 2021",  # [BK]
        "date": date(2020, 12, 29),  # [BK] "Chiều 29/12": the afternoon, no time given
        "host_unit": "LHPN",  # [BK] Hội LHPN tỉnh, chair 2020
        # [BK] presides as the chair of 2020; the person's name is not stated (a title alone prints as such).
        "presiding_title": "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh, Trưởng Khối thi đua năm 2020",
        # Not stated by [BK], left empty: times, place, presiding person's name, secretary, agenda.
        "guests": [GuestEntry(position="Đại diện", organisation=BOARD)],  # [BK]
    },
    "attendance": AttendanceState.NOT_RECORDED,  # [BK] does not say who came
    "representatives": "",
    "report_summary": (  # [BK]
        "Trong năm 2020, các đơn vị trong Khối thi đua đã bám sát sự chỉ đạo của Trung ương, của Tỉnh ủy để "
        "ban hành kế hoạch, hướng dẫn triển khai các phong trào thi đua, công tác khen thưởng đến các cấp cơ "
        "sở kịp thời, phù hợp với thực tiễn của đơn vị. Các phong trào thi đua có chủ đề, mục tiêu, chỉ tiêu "
        "rõ ràng, cụ thể, từng bước phát triển cả bề rộng và chiều sâu, tập trung vào việc thực hiện nhiệm vụ "
        "chính trị của mỗi tổ chức thành viên."
    ),
    # [BK]
    "directions": "Các đơn vị đã thảo luận và thống nhất các nhiệm vụ trọng tâm hoạt động của Khối trong năm 2021.",
    # [BK] the proposals; no tally is stated (not recorded).
    "votes": [
        (PROVINCIAL_FLAG, "LHPN", None),
        (CHAIRMAN_CERTIFICATE, "TD", None),
        (CHAIRMAN_CERTIFICATE, "HND", None),
    ],
    "election": ("LDLD", ["TD"]),  # [BK] 2021: LĐLĐ chair, Đoàn TNCS Hồ Chí Minh tỉnh vice
    "handover": ("LHPN", "LDLD", False),  # [BK] Hội LHPN hands the chair role to LĐLĐ; no flag mentioned
    "pledge_year": 2021,  # [BK] the 2021 pledge signed at this conference (pledges' demo pledge)
    "movement": (  # [BK]
        "Hội nghị đã phát động thi đua năm 2021, kêu gọi toàn thể các đơn vị, cán bộ, công chức, người lao "
        "động phát huy truyền thống của đơn vị, đoàn kết, chủ động, sáng tạo, hăng hái thi đua vượt qua mọi "
        "khó khăn, phấn đấu hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ năm 2021."
    ),
}

TUYEN_QUANG_2021 = {
    "bloc": (TUYEN_QUANG, TUYEN_QUANG_BLOC_PARTY),
    "users": TUYEN_QUANG_USERS,
    "schedule": {
        "kind": Meeting.Kind.YEAR_END,
        "year": 2021,  # [TU]
        # [TU]
        "title": "Hội nghị tổng kết phong trào thi đua, công tác khen thưởng năm 2021, triển khai nhiệm vụ năm 2022",
        "date": date(2021, 12, 27),  # [TU] "Chiều 27/12", the year inferred; no time given
        "host_unit": "UBKTTU",  # [TU] the 2021 chair
        # [TU] presides as the chair of 2021; the person's name is not stated.
        "presiding_title": "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy, Trưởng Khối thi đua năm 2021",
        # Not stated by [TU], left empty: times, place, presiding person's name, secretary, agenda.
        "guests": [GuestEntry(position="Lãnh đạo", organisation=BOARD)],  # [TU]
    },
    "attendance": AttendanceState.ALL,  # [TU] "lãnh đạo 9 cơ quan trong khối"
    "representatives": "Lãnh đạo cơ quan",  # [TU]
    "report_summary": (  # [TU]
        "Năm 2021, Khối thi đua Các cơ quan Tỉnh ủy đã thực hiện tốt các phong trào thi đua, khen thưởng gắn "
        "với quá trình thực hiện nhiệm vụ là các cơ quan tham mưu giúp việc cho Tỉnh ủy trong công tác xây "
        "dựng Đảng.\n"
        "Các cơ quan thành viên thực hiện tốt nguyên tắc hoạt động, chủ động xây dựng chương trình, kế hoạch "
        "công tác, phát động các phong trào thi đua yêu nước, kịp thời khen thưởng các tập thể, cá nhân tham "
        "gia các phong trào thi đua."
    ),
    "directions": (  # [TU]
        "Tiếp tục gắn công tác thi đua, khen thưởng với việc hoàn thành các nội dung công tác chuyên môn, "
        "chuyên ngành; phát huy tính chủ động, sáng tạo trong thực hiện công tác chuyên môn, nghiệp vụ. Chú "
        "trọng kiểm tra, giám sát, đánh giá công tác thi đua, khen thưởng. Kịp thời tuyên dương, nhân rộng "
        "các điển hình tiên tiến."
    ),
    # [TU] a ballot for the leading unit, for the flag of the UBND tỉnh and of the Government. The unit
    # is awards' demo's choice if it has one; otherwise the 2021 chair (invented). No counts are stated.
    "votes": [
        (PROVINCIAL_FLAG, "UBKTTU", None),  # unit invented
        (GOVERNMENT_FLAG, "UBKTTU", None),  # unit invented
    ],
    "election": None,  # [TU] states no election: none is recorded
    "handover": None,  # [TU] states no handover
    "pledge_year": 2022,  # [TU] the 2022 pledge signed at this conference (pledges' demo pledge)
    "movement": "Khối thi đua đã phát động phong trào thi đua năm 2022.",  # [TU]
    "bloc_awards": True,  # [TU] 9 collectives and 9 individuals
}

# A year-end conference scheduled but not yet recorded, so the chair has one to record (invented).
AN_GIANG_2021_SCHEDULED = {
    "bloc": (AN_GIANG, AN_GIANG_BLOC_6),
    "by": "khoitruong",
    "schedule": {
        "kind": Meeting.Kind.YEAR_END,
        "year": 2021,
        "date": date(2021, 12, 28),
        "start_time": time(8, 0),
        "end_time": time(11, 30),
        "place": "Hội trường Hội Chữ thập đỏ tỉnh An Giang",
        "host_unit": "CTD",
        "presiding_name": "Đặng Thị Bích Thủy",
        "presiding_title": "Chủ tịch Hội Chữ thập đỏ tỉnh, Khối trưởng Khối thi đua 6 năm 2021",
        "secretary_name": "Trần Văn Phước",
        "secretary_title": "Chánh Văn phòng Hội Chữ thập đỏ tỉnh",
        "agenda": "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2021\nBình xét, suy tôn năm 2021\n"
        "Bầu Khối trưởng, Khối phó năm 2022\nKý kết giao ước thi đua năm 2022",
        "guests": [GuestEntry(position="Đại diện Lãnh đạo", organisation=BOARD_AG)],
    },
}


def _units(bloc: Bloc) -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.filter(council=bloc.council)}


def _award_types(bloc: Bloc) -> dict[str, AwardType]:
    return {t.code: t for t in AwardType.objects.filter(council=bloc.council)}


def _existing(meeting_data: dict, bloc: Bloc) -> Meeting | None:
    schedule = meeting_data["schedule"]
    return Meeting.objects.filter(bloc=bloc, kind=schedule["kind"], year=schedule["year"]).first()


def _schedule(data: dict, bloc: Bloc, units: dict[str, Unit], by: User | None) -> Meeting:
    values = dict(data["schedule"])
    values["host_unit"] = units[values["host_unit"]] if values.get("host_unit") else None
    return meeting_schedule(bloc=bloc, by=by, **values)


def _vote(bloc: Bloc, year: int, award_type: AwardType, unit: Unit, tally) -> VoteEntry:
    """The vote as the article (or the invented counts) says; awards' demo's own tally if it recorded one."""
    existing = awards_services.proposal_find(bloc=bloc, year=year, award_type=award_type, unit=unit)
    if existing is not None and existing.has_tally:
        return VoteEntry(
            award_type=award_type,
            unit=unit,
            members_present=existing.members_present,
            ballots_cast=existing.ballots_cast,
            votes_for=existing.votes_for,
            acclamation=existing.acclamation,
        )
    if tally == "acclamation":
        return VoteEntry(award_type=award_type, unit=unit, acclamation=True)
    if tally is None:  # the article gives no tally: not recorded
        return VoteEntry(award_type=award_type, unit=unit)
    present, cast, votes_for = tally
    return VoteEntry(award_type=award_type, unit=unit, members_present=present, ballots_cast=cast, votes_for=votes_for)


def _leading_unit_votes(data: dict, bloc: Bloc, year: int, types: dict, units: dict) -> list[VoteEntry]:
    """[TU] the flags of the leading unit: awards' demo's proposals if any, else the invented ones."""
    flag_types = [types[code] for code in (PROVINCIAL_FLAG, GOVERNMENT_FLAG) if code in types]
    existing = list(
        Proposal.objects.filter(bloc=bloc, year=year, award_type__in=flag_types, person__isnull=True)
        .select_related("award_type", "unit")
        .order_by("award_type__order", "id")
    )
    if existing:
        return [_vote(bloc, year, p.award_type, p.unit, None) for p in existing]
    return [_vote(bloc, year, types[code], units[unit], tally) for code, unit, tally in data["votes"]]


def _bloc_award_entries(bloc: Bloc, year: int, types: dict, units: dict) -> list[BlocAwardEntry]:
    """[TU] 9 collectives and 9 individuals: awards' demo's proposals if it made them, else its invented names."""
    existing = list(
        Proposal.objects.filter(bloc=bloc, year=year, award_type__authority=AwardType.Authority.BLOC)
        .counting()
        .select_related("award_type", "unit", "person")
        .order_by("award_type__order", "id")
    )
    if existing:
        return [
            BlocAwardEntry(
                award_type=p.award_type,
                unit=p.unit,
                collective_name=p.collective_name,
                person_name=p.person.name if p.person_id else "",
                person_position=p.person.position if p.person_id else "",
            )
            for p in existing
        ]
    collective, individual = types[BLOC_EXEMPLARY_COLLECTIVE], types[BLOC_EXEMPLARY_INDIVIDUAL]
    return [
        BlocAwardEntry(award_type=collective, unit=units[code], collective_name=name)
        for code, name in TU_2021_COLLECTIVES
    ] + [
        BlocAwardEntry(award_type=individual, unit=units[code], person_name=name, person_position=position)
        for code, name, position in TU_2021_INDIVIDUALS
    ]


def _record(data: dict, meeting: Meeting, bloc: Bloc, units: dict[str, Unit], by: User | None) -> None:
    year = meeting.year
    types = _award_types(bloc)
    members = [m.unit for m in bloc.members(year)]
    if data.get("bloc_awards"):
        votes = _leading_unit_votes(data, bloc, year, types, units)
        bloc_awards = _bloc_award_entries(bloc, year, types, units)
    else:
        votes = [_vote(bloc, year, types[code], units[unit], tally) for code, unit, tally in data["votes"]]
        bloc_awards = []
    election = None
    if data["election"]:
        chair, vices = data["election"]
        election = ElectionEntry(chair=units[chair], vice_chairs=[units[code] for code in vices])
    handover = None
    if data["handover"]:
        outgoing, incoming, flag = data["handover"]
        handover = HandoverEntry(outgoing=units[outgoing], incoming=units[incoming], flag_handed=flag)
    meeting_record_results(
        meeting=meeting,
        attendance=[
            AttendanceEntry(unit=unit, present=True, representatives=data["representatives"]) for unit in members
        ],
        attendance_state=data["attendance"],
        report_summary=data["report_summary"],
        directions=data["directions"],
        votes=votes,
        bloc_awards=bloc_awards,
        election=election,
        handover=handover,
        pledge_signing=PledgeSigningEntry(year=data["pledge_year"]) if data["pledge_year"] else None,
        movement=MovementEntry(launched=True, text=data["movement"]) if data["movement"] else None,
        by=by,
    )


def load_meetings_demo(summary) -> None:
    """Add the demo meetings that are missing (idempotent: an existing meeting is left alone)."""
    for data in (BAC_KAN_2020, AN_GIANG_2020, TUYEN_QUANG_2021):
        bloc = demo_bloc(*data["bloc"])
        if _existing(data, bloc) is not None:
            continue
        units = _units(bloc)
        by = demo_officer(data["users"])
        meeting = _schedule(data, bloc, units, by)
        _record(data, meeting, bloc, units, by)
        # Final minutes; the number and PDF are made on the first download (load_demo stays fast).
        minutes_finalise(meeting=meeting, by=by, issue_pdf=False)
        summary.created["Meeting"] += 1
        summary.created["MinutesVersion"] += 1

    data = AN_GIANG_2021_SCHEDULED
    bloc = demo_bloc(*data["bloc"])
    if _existing(data, bloc) is None:
        by = User.objects.filter(username=data["by"]).first()
        _schedule(data, bloc, _units(bloc), by)
        summary.created["Meeting"] += 1
