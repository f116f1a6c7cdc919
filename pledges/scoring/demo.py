"""Demo scoring (chấm điểm, xếp hạng), run by the pledges' demo loader after the pledges and before the
awards and meetings demos. The tags are those of ``blocs.demo``:

    [AG]  An Giang, Khối Thi đua 6, conference of 02/02/2021: the flag of 2020 proposed for Liên đoàn Lao
          động tỉnh, the chairman's certificates for Tỉnh đoàn and Hội Phụ nữ, the thematic one for Hội Chữ
          thập đỏ.
    [BK]  Bắc Kạn, Khối thi đua MTTQ và các đoàn thể, 29/12/2020: the flag of 2020 proposed for Hội LHPN
          tỉnh, the certificates for Đoàn TNCS Hồ Chí Minh tỉnh and Hội Nông dân tỉnh.
    [TU]  Khối thi đua Các cơ quan Tỉnh ủy, 27/12/2021: the leading unit of 2021 proposed for the flags
          (the article does not name it; the demo's is Ban Tổ chức Tỉnh ủy, as in ``awards.demo``).

No article gives a score. Every table, score, note, reason and reviewer is invented; the scores are chosen
so that what the articles state holds: the unit proposed for the flag ranks first in its bloc-year's final
ranking, and the units proposed for the certificates come next. The bloc-years:

- KTĐ6 2020 [AG]: reviewed by the chair; Hội Đông y's sheet was returned for correction, corrected,
  resubmitted and reviewed; two units tie on the last places and the tie rule (more base points) decides;
  ranking final.
- KMTTQ 2020 [BK]: reviewed by the chair; ranking final. KMTTQ 2019: a ranking kept on paper, entered
  directly (invented; no article covers 2019).
- KCQTU 2021 [TU]: cross-reviewed, each agency reviewing the next in protocol order as the portal
  proposes; ranking final.
- KTĐ6 2021 (the demo's current year; invented): the table copied from 2020 and linked to the 2021 pledge,
  scoring open, sheets in draft, submitted and reviewed — the demo logins ``khoitruong``, ``khoipho`` and
  ``thanhvien`` have work in it.

Everything is written through ``pledges.scoring.services``, as the pages would. A bloc-year that has a
scoring table (or, for a ranking entered directly, a ranking) is left alone, so a second run writes
nothing and a demo user's later changes are never undone. The services stamp submissions, reviews and
finalisations with the time the demo is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    DemoSummary,
    demo_bloc,
    demo_officer,
)
from blocs.models import Bloc, User

from ..models import Pledge
from .models import Criterion, Ranking, ReviewerAssignment, Score, ScoreSheet, ScoringGroup, ScoringTable
from .selectors import sheet_criteria
from .services import (
    DirectEntry,
    ReviewScoreInput,
    SelfScoreInput,
    criterion_add,
    group_add,
    ranking_enter_directly,
    ranking_finalise,
    review_assignment_propose,
    review_assignment_set,
    review_scores_save,
    scoring_open,
    scoring_settings_save,
    scoring_table_copy,
    scoring_table_create,
    self_scores_save,
    sheet_return,
    sheet_review_finish,
    sheet_submit,
)

BASE, BONUS, PENALTY = Criterion.Kind.BASE, Criterion.Kind.BONUS, Criterion.Kind.PENALTY
CHAIR, CROSS = ScoringTable.ReviewMode.CHAIR, ScoringTable.ReviewMode.CROSS
TIES = ScoringTable.TieRule


# ═══ The tables (invented: all) ════════════════════════════════════════════════════════════════════════
# Shaped on the tables provincial blocs publish with their year's guidance: 100 base points in three
# groups, then bonus and penalty points. A criterion is (key, text, maximum, kind, guide); the key only
# names it in this module's score lists below.


@dataclass(frozen=True)
class Line:
    key: str
    text: str
    maximum: str
    kind: str
    guide: str


@dataclass(frozen=True)
class Group:
    name: str
    maximum: str
    lines: tuple[Line, ...]


MASS_ORGANISATIONS_TASKS = Group(
    "I. Thực hiện nhiệm vụ chính trị được giao",
    "50",
    (
        Line(
            "I.1",
            "Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm của năm do Tỉnh ủy, Ủy ban nhân dân tỉnh và cơ quan cấp "
            "trên giao",
            "20",
            BASE,
            "Hoàn thành 100% chỉ tiêu: 20 điểm; mỗi chỉ tiêu không hoàn thành trừ 2 điểm. Minh chứng: báo cáo "
            "tổng kết năm của đơn vị.",
        ),
        Line(
            "I.2",
            "Tuyên truyền, vận động đoàn viên, hội viên và Nhân dân thực hiện chủ trương của Đảng, chính sách, "
            "pháp luật của Nhà nước",
            "10",
            BASE,
            "Có kế hoạch và tổ chức tuyên truyền thường xuyên: 10 điểm; có kế hoạch nhưng thực hiện chưa "
            "thường xuyên: 5 điểm.",
        ),
        Line(
            "I.3",
            "Giám sát, phản biện xã hội; tham gia góp ý xây dựng Đảng, xây dựng chính quyền",
            "10",
            BASE,
            "Thực hiện đủ số cuộc giám sát theo kế hoạch: 10 điểm; mỗi cuộc không thực hiện trừ 2 điểm.",
        ),
        Line(
            "I.4",
            "Tham gia xây dựng nông thôn mới, đô thị văn minh và giảm nghèo bền vững",
            "10",
            BASE,
            "Căn cứ số hộ nghèo được hỗ trợ và công trình, phần việc hoàn thành tại địa bàn được phân công.",
        ),
    ),
)

PARTY_AGENCIES_TASKS = Group(
    "I. Thực hiện nhiệm vụ chính trị được giao",
    "50",
    (
        Line(
            "I.1",
            "Tham mưu cho Tỉnh ủy, Ban Thường vụ Tỉnh ủy thực hiện chương trình công tác năm đúng tiến độ, bảo "
            "đảm chất lượng",
            "20",
            BASE,
            "Hoàn thành 100% nhiệm vụ trong chương trình công tác: 20 điểm; mỗi nhiệm vụ chậm tiến độ trừ 2 điểm.",
        ),
        Line(
            "I.2",
            "Thực hiện nhiệm vụ chuyên môn theo chức năng của cơ quan",
            "15",
            BASE,
            "Căn cứ báo cáo tổng kết năm và đánh giá của Ban Thường vụ Tỉnh ủy đối với cơ quan.",
        ),
        Line(
            "I.3",
            "Cải cách hành chính, ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của cơ quan đảng",
            "10",
            BASE,
            "100% văn bản không mật được gửi, nhận trên môi trường mạng: 10 điểm; dưới 90%: 5 điểm.",
        ),
        Line(
            "I.4",
            "Thực hành tiết kiệm, chống lãng phí; thực hiện văn hóa công sở",
            "5",
            BASE,
            "Không có vi phạm được cơ quan có thẩm quyền kết luận: 5 điểm.",
        ),
    ),
)

# Groups II to V are the same in both tables.
COMMON_GROUPS = (
    Group(
        "II. Công tác xây dựng Đảng, đoàn thể",
        "20",
        (
            Line(
                "II.1",
                "Tổ chức đảng của cơ quan được xếp loại hoàn thành tốt nhiệm vụ trở lên",
                "8",
                BASE,
                "Hoàn thành xuất sắc nhiệm vụ: 8 điểm; hoàn thành tốt nhiệm vụ: 6 điểm; hoàn thành nhiệm vụ: 3 điểm.",
            ),
            Line(
                "II.2",
                "Công đoàn, Đoàn Thanh niên cơ quan được đánh giá vững mạnh",
                "6",
                BASE,
                "Mỗi tổ chức đạt vững mạnh: 3 điểm.",
            ),
            Line(
                "II.3",
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; không có cán bộ, công chức vi phạm "
                "kỷ luật",
                "6",
                BASE,
                "Có chuyên đề học tập và đăng ký làm theo của cán bộ, công chức: 6 điểm; mỗi trường hợp vi phạm "
                "kỷ luật trừ 2 điểm.",
            ),
        ),
    ),
    Group(
        "III. Thực hiện phong trào thi đua, công tác khen thưởng",
        "30",
        (
            Line(
                "III.1",
                "Ban hành kế hoạch, phát động phong trào thi đua thường xuyên và theo chuyên đề; ký kết giao ước "
                "thi đua",
                "8",
                BASE,
                "Có kế hoạch, phát động và sơ kết, tổng kết đầy đủ: 8 điểm; thiếu mỗi nội dung trừ 2 điểm.",
            ),
            Line(
                "III.2",
                "Phát hiện, bồi dưỡng, biểu dương và nhân rộng điển hình tiên tiến",
                "8",
                BASE,
                "Mỗi điển hình được biểu dương, nhân rộng trong năm: 2 điểm, tối đa 8 điểm.",
            ),
            Line(
                "III.3",
                "Khen thưởng kịp thời, đúng đối tượng, đúng quy trình",
                "6",
                BASE,
                "Không có hồ sơ bị trả lại vì sai quy trình: 6 điểm; mỗi hồ sơ bị trả lại trừ 1 điểm.",
            ),
            Line(
                "III.4",
                "Thực hiện chế độ thông tin, báo cáo về công tác thi đua, khen thưởng đầy đủ, đúng thời hạn",
                "4",
                BASE,
                "Đủ các báo cáo 6 tháng, năm và chuyên đề, đúng hạn: 4 điểm.",
            ),
            Line(
                "III.5",
                "Tham gia đầy đủ các hoạt động, hội nghị của Khối thi đua",
                "4",
                BASE,
                "Mỗi hoạt động vắng mặt không có lý do trừ 1 điểm.",
            ),
        ),
    ),
    Group(
        "IV. Điểm thưởng",
        "10",
        (
            Line(
                "IV.1",
                "Có mô hình, cách làm hay, sáng kiến được cấp có thẩm quyền công nhận và nhân rộng",
                "5",
                BONUS,
                "Mỗi mô hình, sáng kiến được công nhận: 1 điểm, tối đa 5 điểm. Minh chứng: quyết định công nhận.",
            ),
            Line(
                "IV.2",
                "Được Trung ương hoặc tỉnh khen thưởng đột xuất, chuyên đề trong năm",
                "5",
                BONUS,
                "Khen thưởng của Trung ương: 3 điểm; của tỉnh: 2 điểm; tối đa 5 điểm.",
            ),
        ),
    ),
    Group(
        "V. Điểm trừ",
        "10",
        (
            Line(
                "V.1",
                "Chậm nộp hoặc không nộp báo cáo, hồ sơ thi đua, khen thưởng theo quy định",
                "5",
                PENALTY,
                "Mỗi lần chậm nộp trừ 1 điểm; không nộp trừ 5 điểm.",
            ),
            Line(
                "V.2",
                "Tập thể, cá nhân của đơn vị bị xử lý kỷ luật hoặc để xảy ra đơn thư khiếu nại, tố cáo kéo dài",
                "5",
                PENALTY,
                "Mỗi trường hợp trừ 2,5 điểm.",
            ),
        ),
    ),
)

MASS_ORGANISATIONS_TABLE = (MASS_ORGANISATIONS_TASKS, *COMMON_GROUPS)
PARTY_AGENCIES_TABLE = (PARTY_AGENCIES_TASKS, *COMMON_GROUPS)


# ═══ The sheets (invented: every score, note and reason) ═══════════════════════════════════════════════
# A sheet lists only what differs from a full score (a base criterion's maximum, a bonus or penalty of 0):
# ``own`` the unit's points, with the unit's note where it wrote one; ``review`` the reviewer's points
# where they differ from the unit's, with the reason. The comment after a sheet is its final score.

Points = str | tuple[str, str]  # points, or (points, note)


@dataclass(frozen=True)
class Sheet:
    unit: str
    own: Mapping[str, Points] = field(default_factory=dict)
    review: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # A sheet returned for correction: the reason, and what the unit changed before submitting it again.
    return_reason: str = ""
    corrected: Mapping[str, Points] = field(default_factory=dict)
    # The open year only: how far the sheet has got ("draft" keeps the scores of the groups in ``only``),
    # and the demo logins acting for the unit and reviewing it (None: nobody of the demo).
    stage: str = "reviewed"
    only: tuple[str, ...] = ()
    user: str | None = None
    reviewer: str | None = None


PROOF = "Có quyết định công nhận kèm theo"
ONE_AWARD = "Hai khen thưởng cho cùng một thành tích chỉ được tính một lần."
NOT_RECOGNISED = "Mô hình chưa có quyết định công nhận của cấp có thẩm quyền trong năm."

# [AG] KTĐ6 2020: the flag's unit (LĐLĐ) first, then the certificates' (Tỉnh đoàn, Hội Phụ nữ).
AG_2020 = [
    Sheet("MTTQ", {"I.1": "19", "I.4": "8", "III.2": "6", "IV.1": "2"}, {"IV.1": ("0", NOT_RECOGNISED)}),  # 95
    Sheet("TD", {"I.4": "9", "II.2": "5", "IV.1": ("4", PROOF)}),  # 102
    Sheet("LDLD", {"III.2": "7", "IV.1": ("5", PROOF), "IV.2": ("3", "Bằng khen của Tổng Liên đoàn")}),  # 107
    Sheet("LHPN", {"I.3": "9", "III.5": "3", "IV.1": ("3", PROOF)}, {"I.3": ("8", "Thiếu 01 cuộc giám sát.")}),  # 100
    Sheet("HND", {"I.1": "16", "II.2": "5", "III.3": "5", "IV.1": "1", "V.1": "-1"}),  # 94
    Sheet("CTD", {"I.1": "18", "II.3": "5", "III.4": "3", "IV.2": ("3", "Bằng khen chuyên đề")}),  # 99
    Sheet(  # 93: its first submission claimed a bonus it could not prove
        "HDY",
        {"I.1": "18", "I.2": "8", "III.2": "6", "IV.1": ("5", "Mô hình “Vườn thuốc nam hộ gia đình”")},
        {"III.2": ("5", "Một điển hình chưa được biểu dương trong năm.")},
        return_reason=(
            "Tiêu chí IV.1 chưa có quyết định công nhận mô hình; tiêu chí I.1 chưa kèm báo cáo tổng kết năm. "
            "Đề nghị bổ sung minh chứng hoặc điều chỉnh điểm tự chấm."
        ),
        corrected={
            "I.1": ("18", "Đã bổ sung báo cáo tổng kết năm 2020"),
            "IV.1": ("0", "Điều chỉnh theo ý kiến thẩm định: mô hình chưa được công nhận trong năm"),
        },
    ),
    # 93, as Hội Đông y: the tie rule ranks Hội CCB first, with more base points (94 against 93).
    Sheet("CCB", {"I.2": "7", "I.3": "9", "III.2": "6", "V.1": ("-1", "Chậm nộp báo cáo 6 tháng")}),
]

# [BK] KMTTQ 2020: the flag's unit (Hội LHPN) first, then the certificates' (Đoàn TNCS, Hội Nông dân).
BK_2020 = [
    Sheet("MTTQ", {"I.3": "9", "III.4": "3", "IV.1": "1"}),  # 99
    Sheet(  # 107
        "LHPN",
        {"III.5": "3", "IV.1": ("5", PROOF), "IV.2": ("5", "Bằng khen của Trung ương Hội và của Chủ tịch UBND tỉnh")},
        {"IV.2": ("3", ONE_AWARD)},
    ),
    Sheet("LDLD", {"I.1": "19", "III.2": "7", "IV.2": "2"}),  # 100
    Sheet("CCB", {"I.1": "18", "II.3": "5", "III.2": "7", "V.1": "-1"}),  # 95
    Sheet(  # 101
        "HND", {"I.2": "9", "II.2": "5", "IV.1": ("4", PROOF)}, {"IV.1": ("3", "Một mô hình chưa được nhân rộng.")}
    ),
    Sheet("TD", {"I.4": "9", "IV.1": ("3", PROOF)}),  # 102
]

# [BK] KMTTQ 2019, kept on paper and entered directly (invented: no article covers 2019):
# (unit code, rank, final score).
BK_2019 = [
    ("MTTQ", 4, "93.5"),
    ("LHPN", 2, "95"),
    ("LDLD", 1, "96.5"),
    ("CCB", 6, "90"),
    ("HND", 5, "92"),
    ("TD", 3, "94"),
]
BK_2019_NOTE = "Kết quả chấm điểm năm 2019 do Khối trưởng tổng hợp trên giấy, nhập lại vào cổng để đối chiếu."

# [TU] KCQTU 2021: the leading unit (Ban Tổ chức Tỉnh ủy, the demo's choice; the article names none) first.
TU_2021 = [
    Sheet("VPTU", {"I.1": "19", "IV.1": "3"}),  # 102
    Sheet(  # 107
        "BTCTU",
        {"I.3": "9", "IV.1": ("5", PROOF), "IV.2": ("5", "Bằng khen của Ban Tổ chức Trung ương và của UBND tỉnh")},
        {"IV.2": ("3", ONE_AWARD)},
    ),
    Sheet("UBKTTU", {"III.5": "3", "IV.1": ("4", PROOF)}),  # 103
    Sheet(  # 100
        "BTGTU", {"I.2": "14", "III.2": "7", "IV.1": "3"}, {"I.2": ("13", "Một chuyên đề tham mưu chậm tiến độ.")}
    ),
    Sheet("BDVTU", {"I.3": "8", "II.2": "5", "IV.2": "2"}),  # 99
    Sheet("BNCTU", {"I.1": "18", "III.4": "3", "IV.1": "1"}),  # 98
    Sheet("DUK", {"I.2": "13", "III.3": "5", "IV.1": "2"}, {"IV.1": ("0", NOT_RECOGNISED)}),  # 97
    Sheet("TCT", {"I.3": "8", "II.3": "5", "III.2": "7", "V.1": "-1"}),  # 95
    Sheet(  # 96
        "BAO",
        {"I.1": "18", "I.4": "4", "III.4": "3", "IV.1": ("3", "Ba sáng kiến về báo chí điện tử")},
        {"IV.1": ("1", "Hai trong ba sáng kiến chưa được công nhận."), "V.1": ("-1", "Chậm nộp báo cáo 6 tháng.")},
    ),
]

# KTĐ6 2021, the demo's current year (invented): scoring open, reviewed by the chair (Hội Chữ thập đỏ,
# the login "khoitruong"; its own sheet by the vice-chair, "khoipho"). Hội Cựu chiến binh ("khoipho") and
# Hội LHPN ("thanhvien") are filling theirs in; Hội Nông dân and Hội Đông y have not started.
AG_2021 = [
    Sheet("CTD", {"I.1": "19", "III.2": "7", "IV.1": ("2", PROOF)}, stage="submitted", user="khoitruong"),
    Sheet("CCB", {"I.3": "9", "II.2": "5"}, stage="draft", only=("I.", "II."), user="khoipho"),
    Sheet(
        "LDLD",
        {"I.4": "9", "IV.2": ("2", "Bằng khen của Chủ tịch UBND tỉnh về phòng, chống dịch COVID-19")},
        {"IV.2": ("0", "Chưa có quyết định khen thưởng kèm theo.")},
        reviewer="khoitruong",
    ),
    Sheet("MTTQ", {"I.1": "18", "III.4": "3"}, stage="submitted"),
    Sheet("TD", {"I.2": "9"}, stage="submitted"),
    Sheet(
        "LHPN", {"I.2": ("9", "Kế hoạch tuyên truyền số 12/KH-HLHPN")}, stage="draft", only=("I.",), user="thanhvien"
    ),
]


# ═══ Loading ═══════════════════════════════════════════════════════════════════════════════════════════


def load_scoring_demo(summary: DemoSummary) -> None:
    """Add the demo's scoring that is missing (idempotent), inside ``load_demo``'s transaction."""
    an_giang = demo_bloc(AN_GIANG, AN_GIANG_BLOC_6)
    bac_kan = demo_bloc(BAC_KAN, BAC_KAN_BLOC_MTTQ)
    party = demo_bloc(TUYEN_QUANG, TUYEN_QUANG_BLOC_PARTY)
    _finalised(
        summary, an_giang, 2020, MASS_ORGANISATIONS_TABLE, AG_2020, CHAIR, TIES.BASE_PENALTY_SHARED, AN_GIANG_USERS
    )
    _finalised(summary, bac_kan, 2020, MASS_ORGANISATIONS_TABLE, BK_2020, CHAIR, TIES.SHARED, BAC_KAN_USERS)
    _finalised(
        summary, party, 2021, PARTY_AGENCIES_TABLE, TU_2021, CROSS, TIES.BASE_PENALTY_PROTOCOL, TUYEN_QUANG_USERS
    )
    _entered_directly(summary, bac_kan, 2019, BK_2019, BK_2019_NOTE, demo_officer(BAC_KAN_USERS))
    _open(summary, an_giang, 2021, source_year=2020, groups=MASS_ORGANISATIONS_TABLE, sheets=AG_2021)


def _finalised(
    summary: DemoSummary,
    bloc: Bloc,
    year: int,
    groups: tuple[Group, ...],
    sheets: list[Sheet],
    review_mode: str,
    tie_rule: str,
    users: list[tuple],
) -> None:
    """A past bloc-year scored, reviewed and finalised, unless it has a table. The council's officer
    prepares the table, opens scoring and finalises; the units' own steps and the reviews are written by
    nobody of the demo (``by=None``: the demo's unit logins act in 2021)."""
    if ScoringTable.objects.filter(bloc=bloc, year=year).exists():
        return
    officer = demo_officer(users)
    table = _build(bloc, year, groups, officer)
    scoring_settings_save(table=table, review_mode=review_mode, tie_rule=tie_rule, by=officer)
    if review_mode == CROSS:
        # The portal's suggestion (each unit reviews the next in protocol order), saved as it is.
        proposed = review_assignment_propose(table=table)
        review_assignment_set(
            table=table, pairs={reviewed.pk: reviewer.pk for reviewer, reviewed in proposed}, by=officer
        )
    table = scoring_open(table=table, by=officer)
    criteria = _criteria(table, groups)
    for spec, sheet in _sheets(table, sheets):
        _play(sheet, spec, criteria, unit_user=None, reviewer=None)
    ranking_finalise(table=table, by=officer)
    _count(summary, table)


def _open(
    summary: DemoSummary, bloc: Bloc, year: int, *, source_year: int, groups: tuple[Group, ...], sheets: list[Sheet]
) -> None:
    """The current year's scoring, open: the chair copies last year's table (linked to the year's pledge),
    opens scoring, and the sheets stand where ``sheets`` leave them. Unless the year has a table."""
    if ScoringTable.objects.filter(bloc=bloc, year=year).exists():
        return
    logins = {u.username: u for u in User.objects.filter(username__in=["khoitruong", "khoipho", "thanhvien"])}
    chair = logins.get("khoitruong")
    pledge = Pledge.objects.filter(bloc=bloc, year=year).first()
    source = ScoringTable.objects.filter(bloc=bloc, year=source_year).first()
    if source is not None:
        table = scoring_table_copy(source=source, year=year, by=chair, pledge=pledge)
    else:  # last year's table was removed from the demo by hand: build it again
        table = _build(bloc, year, groups, chair, pledge=pledge)
    table = scoring_open(table=table, by=chair)
    criteria = _criteria(table, groups)
    for spec, sheet in _sheets(table, sheets):
        unit_user = logins.get(spec.user) if spec.user else None
        reviewer = logins.get(spec.reviewer) if spec.reviewer else None
        if spec.stage == "draft":
            self_scores_save(sheet=sheet, scores=_own(criteria, spec.own, spec.only), by=unit_user)
        else:
            _play(sheet, spec, criteria, unit_user=unit_user, reviewer=reviewer)
    _count(summary, table)


def _entered_directly(
    summary: DemoSummary, bloc: Bloc, year: int, rows: list[tuple[str, int, str]], note: str, by: User | None
) -> None:
    """A ranking decided outside the portal, entered by the officer, unless the bloc-year has a ranking."""
    if Ranking.objects.filter(bloc=bloc, year=year).exists():
        return
    units = {m.unit.code: m.unit for m in bloc.members(year)}
    entries = [DirectEntry(unit_id=units[code].pk, rank=rank, score=score) for code, rank, score in rows]
    ranking = ranking_enter_directly(bloc=bloc, year=year, entries=entries, by=by, note=note)
    summary.created["Ranking"] += 1
    summary.created["RankingEntry"] += ranking.entries.count()


def _build(bloc: Bloc, year: int, groups: tuple[Group, ...], by: User | None, pledge: Pledge | None = None):
    table = scoring_table_create(bloc=bloc, year=year, by=by, pledge=pledge)
    for group in groups:
        made = group_add(table=table, name=group.name, maximum=group.maximum, by=by)
        for line in group.lines:
            criterion_add(group=made, text=line.text, maximum=line.maximum, kind=line.kind, guide=line.guide, by=by)
    return table


def _criteria(table: ScoringTable, groups: tuple[Group, ...]) -> dict[str, Criterion]:
    """The table's criteria by their key in ``groups`` (a copied table keeps the order of its source)."""
    keys = [line.key for group in groups for line in group.lines]
    return dict(zip(keys, sheet_criteria(table), strict=True))


def _sheets(table: ScoringTable, specs: list[Sheet]) -> list[tuple[Sheet, ScoreSheet]]:
    sheets = {sheet.unit.code: sheet for sheet in table.sheets.select_related("unit")}
    return [(spec, sheets[spec.unit]) for spec in specs]


def _own(criteria: Mapping[str, Criterion], own: Mapping[str, Points], only: tuple[str, ...] = ()):
    """The unit's own scores: full marks (penalties 0) except what ``own`` says; with ``only``, just the
    criteria whose key starts with one of those group numbers (a sheet being filled in)."""
    scores = {}
    for key, criterion in criteria.items():
        if only and not key.startswith(only):
            continue
        given = own.get(key, str(criterion.maximum) if criterion.kind == BASE else "0")
        points, note = given if isinstance(given, tuple) else (given, "")
        scores[criterion.pk] = SelfScoreInput(points, note=note)
    return scores


def _reviewed(sheet: ScoreSheet, criteria: Mapping[str, Criterion], review: Mapping[str, tuple[str, str]]):
    """Review scores equal to the unit's own, except what ``review`` changes (with its reason)."""
    own = {score.criterion_id: score.self_points for score in sheet.scores.all()}
    scores = {}
    for key, criterion in criteria.items():
        points, reason = review.get(key, (own[criterion.pk], ""))
        scores[criterion.pk] = ReviewScoreInput(points, reason=reason)
    return scores


def _play(
    sheet: ScoreSheet,
    spec: Sheet,
    criteria: Mapping[str, Criterion],
    *,
    unit_user: User | None,
    reviewer: User | None,
) -> None:
    """Fill and submit a sheet; if ``spec`` returns it, return, correct and resubmit it; then review it
    unless it stops at "submitted"."""
    self_scores_save(sheet=sheet, scores=_own(criteria, spec.own), by=unit_user)
    sheet = sheet_submit(sheet=sheet, by=unit_user)
    if spec.return_reason:
        sheet = sheet_return(sheet=sheet, reason=spec.return_reason, by=reviewer)
        self_scores_save(sheet=sheet, scores=_own(criteria, {**spec.own, **spec.corrected}), by=unit_user)
        sheet = sheet_submit(sheet=sheet, by=unit_user)
    if spec.stage == "submitted":
        return
    review_scores_save(sheet=sheet, scores=_reviewed(sheet, criteria, spec.review), by=reviewer)
    sheet_review_finish(sheet=sheet, by=reviewer)


def _count(summary: DemoSummary, table: ScoringTable) -> None:
    created = summary.created
    created["ScoringTable"] += 1
    created["ScoringGroup"] += ScoringGroup.objects.filter(table=table).count()
    created["Criterion"] += Criterion.objects.filter(group__table=table).count()
    created["ScoreSheet"] += ScoreSheet.objects.filter(table=table).count()
    created["Score"] += Score.objects.filter(sheet__table=table).count()
    created["ReviewerAssignment"] += ReviewerAssignment.objects.filter(table=table).count()
    ranking = Ranking.objects.filter(bloc=table.bloc_id, year=table.year).first()
    if ranking is not None:
        created["Ranking"] += 1
        created["RankingEntry"] += ranking.entries.count()
