"""Demo awards: the proposals and outcomes of the three seed articles, through the awards services.

Registered with ``blocs.registry.register_demo_loader`` and run by ``manage.py load_demo`` after the base
records (councils, units, blocs, seats), in two steps: the drafts before the meetings demo records the
conferences, the submissions and decisions after it (``after_conferences``). The tags are those of
``blocs.demo``, each a published news article about one bloc's year-end conference:

    [AG]  An Giang, Khối Thi đua 6, conference of 02/02/2021
    [BK]  Bắc Kạn, Khối thi đua MTTQ và các đoàn thể, 29/12/2020
    [TU]  Khối thi đua Các cơ quan Tỉnh ủy, 27/12/2021

What the articles state is tagged; everything else (rules, deadlines, registrations, submission and
decision numbers, dates and signers, the names of the honoured collectives and people, the outcomes of
review, the chair's written reasons) is invented and marked so. A tally the article does not give stays
"not recorded" (unknown is a valid answer); only An Giang's drafts of 2021, which no article covers, have
invented counts.

Running it again writes nothing: every record is looked up by its natural key (an award rule by type,
bloc and kind; a deadline by council and year; a registration by bloc, year, unit and type; an external
award by type, year and recipient), and a bloc-year's proposals are played through the services only when
the bloc-year has none yet — a demo user's later changes are never undone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from blocs import services as blocs_services
from blocs.demo import (
    AN_GIANG,
    AN_GIANG_BLOC_6,
    BAC_KAN,
    BAC_KAN_BLOC_MTTQ,
    TUYEN_QUANG,
    TUYEN_QUANG_BLOC_PARTY,
    DemoSummary,
)
from blocs.models import Bloc, Council, Deadline, Unit, User

from . import services
from .catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    CHAIRMAN_CERTIFICATE,
    GOVERNMENT_FLAG,
    PROVINCIAL_FLAG,
    THEMATIC_CERTIFICATE,
)
from .models import AwardRule, AwardType, Proposal, Registration, Submission
from .rules import proposals_check

logger = logging.getLogger(__name__)

T, Q, E = AwardRule.Kind.THRESHOLD, AwardRule.Kind.QUOTA, AwardRule.Kind.ELIGIBILITY
CAST, PRESENT = AwardRule.Base.BALLOTS_CAST, AwardRule.Base.MEMBERS_PRESENT
ACCLAIMED = services.Tally(acclamation=True)
NOT_RECORDED = services.Tally()  # no counts, no acclamation: the article does not say how the vote went
# Invented: the chair's reason on the vote-threshold warning a tally not recorded raises.
NO_COUNTS_REASON = "Bản tin về hội nghị không nêu số phiếu."
REPORT_NOTE = "Báo cáo thành tích (tệp mẫu của dữ liệu demo)"


# ═══ Rules and deadlines (invented: every one) ═════════════════════════════════════════════════════════
# (type code, bloc code or None, kind, values). Plausible values under Decree 152/2025; not any province's.

RULES = {
    AN_GIANG["name"]: [
        (PROVINCIAL_FLAG, None, T, {"threshold_numerator": 70, "threshold_denominator": 100, "base": CAST}),
        (PROVINCIAL_FLAG, None, Q, {"quota_percent": 20}),  # 8 members → 1 flag per bloc-year
        (
            CHAIRMAN_CERTIFICATE,
            None,
            T,
            {"threshold_numerator": 1, "threshold_denominator": 2, "base": PRESENT, "threshold_strict": True},
        ),
        (CHAIRMAN_CERTIFICATE, None, Q, {"quota_number": 3}),
        (GOVERNMENT_FLAG, None, E, {"requires": PROVINCIAL_FLAG}),
    ],
    BAC_KAN["name"]: [
        (PROVINCIAL_FLAG, None, T, {"threshold_numerator": 2, "threshold_denominator": 3, "base": CAST}),
        (PROVINCIAL_FLAG, None, Q, {"quota_number": 1}),
        (CHAIRMAN_CERTIFICATE, None, T, {"threshold_numerator": 1, "threshold_denominator": 2, "base": PRESENT}),
        (GOVERNMENT_FLAG, None, E, {"requires": PROVINCIAL_FLAG}),
    ],
    TUYEN_QUANG["name"]: [
        (PROVINCIAL_FLAG, None, T, {"threshold_numerator": 70, "threshold_denominator": 100, "base": CAST}),
        (
            GOVERNMENT_FLAG,
            None,
            T,
            {"threshold_numerator": 80, "threshold_denominator": 100, "base": CAST, "acclamation_counts": False},
        ),
        (GOVERNMENT_FLAG, None, E, {"requires": PROVINCIAL_FLAG}),
        # The Party agencies bloc honours at most 9 + 9 of its own (a bloc's own rule).
        (BLOC_EXEMPLARY_COLLECTIVE, TUYEN_QUANG_BLOC_PARTY["code"], Q, {"quota_number": 9}),
        (BLOC_EXEMPLARY_INDIVIDUAL, TUYEN_QUANG_BLOC_PARTY["code"], Q, {"quota_number": 9}),
    ],
}

DEADLINES = {  # (council, year of achievement) → deadline; invented
    (AN_GIANG["name"], 2020): date(2021, 2, 28),
    (BAC_KAN["name"], 2020): date(2021, 1, 15),
    (TUYEN_QUANG["name"], 2021): date(2022, 1, 15),
}


# ═══ Proposals ═════════════════════════════════════════════════════════════════════════════════════════


@dataclass(frozen=True)
class Spec:
    """One demo proposal: type code, recipient (unit code; collective; person name and position), tally."""

    type_code: str
    unit: str
    tally: services.Tally
    collective: str = ""
    person: str = ""
    position: str = ""
    summary: str = ""
    registered: bool = True  # the unit registered the title (đăng ký thi đua) — invented
    warning_reason: str = ""  # the reason for the registration warning
    tally_reason: str = ""  # the reason for each vote-threshold warning (a tally not recorded)


# [AG] 2020, all by acclamation ("các đại biểu thống nhất bình xét, suy tôn và đề nghị").
AG_2020 = [
    Spec(PROVINCIAL_FLAG, "LDLD", ACCLAIMED, summary="Dẫn đầu phong trào thi đua Khối Thi đua 6 năm 2020."),
    Spec(CHAIRMAN_CERTIFICATE, "TD", ACCLAIMED, summary="Hoàn thành xuất sắc nhiệm vụ năm 2020."),
    Spec(CHAIRMAN_CERTIFICATE, "LHPN", ACCLAIMED, summary="Hoàn thành xuất sắc nhiệm vụ năm 2020."),
    Spec(THEMATIC_CERTIFICATE, "CTD", ACCLAIMED, summary="Thành tích xuất sắc trong công tác chuyên đề năm 2020."),
]
AG_2020_SUBMITTED = date(2021, 2, 5)  # invented
AG_2020_DECISION = ("412/QĐ-UBND", date(2021, 3, 15), "Trần Văn Minh, Phó Chủ tịch UBND tỉnh")  # invented

# Invented: drafts of 2021 the chair is preparing, so the live rule check shows on the chair's page
# (the Bằng khen's 4 votes of 8 present are not "more than half").
AG_2021_DRAFTS = [
    Spec(PROVINCIAL_FLAG, "CTD", services.Tally(members_present=8, ballots_cast=8, votes_for=7)),
    Spec(CHAIRMAN_CERTIFICATE, "CCB", services.Tally(members_present=8, ballots_cast=8, votes_for=4)),
]

# [BK] 2020: the flag for Hội LHPN tỉnh, certificates for Đoàn TNCS Hồ Chí Minh tỉnh and Hội Nông dân
# tỉnh ("suy tôn và đề nghị"). The article gives no counts: not recorded.
BK_2020 = [
    Spec(PROVINCIAL_FLAG, "LHPN", NOT_RECORDED, tally_reason=NO_COUNTS_REASON),
    Spec(CHAIRMAN_CERTIFICATE, "TD", NOT_RECORDED, tally_reason=NO_COUNTS_REASON),
    Spec(
        CHAIRMAN_CERTIFICATE,
        "HND",
        NOT_RECORDED,
        registered=False,  # invented: an unregistered title, explained
        warning_reason="Hội Nông dân tỉnh đăng ký bổ sung sau khi hoàn thành vượt chỉ tiêu xây dựng nông thôn mới.",
        tally_reason=NO_COUNTS_REASON,
    ),
]
BK_2020_SUBMITTED = date(2021, 1, 20)  # invented; after the invented deadline of 15/01/2021: flagged late
BK_2020_RETURN_REASON = (  # invented
    "Báo cáo thành tích chưa có xác nhận của cơ quan cấp trên trực tiếp; đề nghị bổ sung và trình lại."
)

# [TU] 2021: the leading unit proposed for both flags by ballot ("bỏ phiếu"); the article gives no counts:
# not recorded. The unit is invented.
TU_LEADING_UNIT = "BTCTU"  # invented: Ban Tổ chức Tỉnh ủy
TU_2021_FLAGS = [
    Spec(PROVINCIAL_FLAG, TU_LEADING_UNIT, NOT_RECORDED, tally_reason=NO_COUNTS_REASON),
    Spec(GOVERNMENT_FLAG, TU_LEADING_UNIT, NOT_RECORDED, tally_reason=NO_COUNTS_REASON),
]
TU_2021_SUBMITTED = date(2021, 12, 30)  # invented
TU_2021_DECISION = ("156/QĐ-UBND", date(2022, 2, 25), "Nguyễn Văn Sơn, Chủ tịch UBND tỉnh")  # invented
TU_CONFERENCE = date(2021, 12, 27)  # [TU] "Chiều 27/12" reviewing 2021

# [TU] 9 exemplary collectives and 9 exemplary individuals honoured by the bloc; every name is invented.
TU_2021_COLLECTIVES = [
    ("VPTU", "Phòng Tổng hợp"),
    ("BTCTU", "Phòng Tổ chức đảng, đảng viên"),
    ("UBKTTU", "Phòng Kiểm tra số 1"),
    ("BTGTU", "Phòng Tuyên truyền"),
    ("BDVTU", "Phòng Dân tộc, Tôn giáo"),
    ("BNCTU", "Phòng Theo dõi nội chính"),
    ("DUK", "Văn phòng Đảng ủy"),
    ("TCT", "Khoa Xây dựng Đảng"),
    ("BAO", "Phòng Thời sự"),
]
TU_2021_INDIVIDUALS = [
    ("VPTU", "Nguyễn Thị Hồng Hạnh", "Chuyên viên Phòng Tổng hợp"),
    ("BTCTU", "Trần Văn Hùng", "Phó Trưởng phòng Tổ chức đảng, đảng viên"),
    ("UBKTTU", "Hoàng Thị Thu Trang", "Kiểm tra viên"),
    ("BTGTU", "Lê Quang Huy", "Chuyên viên Phòng Tuyên truyền"),
    ("BDVTU", "Ma Thị Lan", "Chuyên viên"),
    ("BNCTU", "Phạm Đức Anh", "Chuyên viên"),
    ("DUK", "Vũ Thị Mai", "Chánh Văn phòng Đảng ủy"),
    ("TCT", "Đỗ Văn Thắng", "Giảng viên chính"),
    ("BAO", "Bàn Thị Hoa", "Phóng viên"),
]

# Awards decided outside the portal, so the unit pages show some history (invented).
EXTERNAL = [
    # (council, type, year, unit code, decision number, decision date, signer)
    # Invented for the demo (no article states them): earlier awards, so that award history and the
    # eligibility rules have something to read. An award whose number an article left out would be entered
    # with an empty number, shown as "chưa rõ số quyết định".
    (
        AN_GIANG["name"],
        CHAIRMAN_CERTIFICATE,
        2019,
        "LDLD",
        "1520/QĐ-UBND",
        date(2020, 3, 20),
        "Trần Văn Minh, Phó Chủ tịch UBND tỉnh",
    ),
    (
        BAC_KAN["name"],
        CHAIRMAN_CERTIFICATE,
        2019,
        "LHPN",
        "345/QĐ-UBND",
        date(2020, 2, 28),
        "Phạm Duy Hưng, Phó Chủ tịch UBND tỉnh",
    ),
]

# A one-page PDF standing in for the achievement reports (upload_check reads the content, not the name).
PLACEHOLDER_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> "
    b"endobj\n3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)


# ═══ Loading ═══════════════════════════════════════════════════════════════════════════════════════════


def load_awards_demo(summary: DemoSummary) -> None:
    """The first demo loader (inside load_demo's transaction): the catalogue, rules, deadlines, awards
    decided outside the portal, and the bloc-years' proposals as their conferences voted them, still
    drafts (the bloc's own awards decided). The meetings demo, which runs next, links them to the
    conferences it records."""
    loader = _Loader(summary)
    for council in Council.objects.filter(name__in=[AN_GIANG["name"], BAC_KAN["name"], TUYEN_QUANG["name"]]):
        loader.catalogue(council)
        loader.rules(council, RULES[council.name])
        for (council_name, year), deadline in DEADLINES.items():
            if council_name == council.name:
                loader.deadline(council, year, deadline)
        for row in EXTERNAL:
            if row[0] == council.name:
                loader.external(council, *row[1:])
    loader.an_giang()
    loader.bac_kan()
    loader.tuyen_quang()


def load_awards_outcomes(summary: DemoSummary) -> None:
    """The second demo loader, run after the conferences are recorded (``after_conferences``): the
    submissions, the Board's review and the decisions. A submission needs the bloc-year's year-end minutes
    final, like every dossier the portal takes; the meetings demo has made them so by now."""
    loader = _Loader(summary)
    loader.an_giang_outcomes()
    loader.bac_kan_outcomes()
    loader.tuyen_quang_outcomes()


class _Loader:
    def __init__(self, summary: DemoSummary):
        self.summary = summary

    def count(self, model_name: str, n: int = 1) -> None:
        self.summary.created[model_name] += n

    # Catalogue, rules, deadlines --------------------------------------------------------------------

    def catalogue(self, council: Council) -> None:
        created = services.award_catalogue_install(council=council)
        self.count("AwardType", len(created))

    def rules(self, council: Council, rows: list[tuple]) -> None:
        types = {t.code: t for t in AwardType.objects.filter(council=council)}
        blocs = {b.code: b for b in Bloc.objects.filter(council=council)}
        for type_code, bloc_code, kind, values in rows:
            award_type = types[type_code]
            bloc = blocs[bloc_code] if bloc_code else None
            if AwardRule.objects.filter(award_type=award_type, bloc=bloc, kind=kind).exists():
                continue
            values = dict(values)
            requires = values.pop("requires", None)
            rule = AwardRule(award_type=award_type, bloc=bloc, kind=kind, note="Dữ liệu mẫu", **values)
            if requires:
                rule.requires_type = types[requires]
            services.award_rule_save(rule=rule)
            self.count("AwardRule")

    def deadline(self, council: Council, year: int, deadline: date) -> None:
        kind = Deadline.Kind.SUBMISSION
        if not Deadline.objects.filter(council=council, year=year, kind=kind, bloc=None).exists():
            blocs_services.deadline_set(council=council, year=year, kind=kind, due_on=deadline)
            self.count("Deadline")

    def external(self, council, type_code, year, unit_code, number, decided_on, signer) -> None:
        award_type = AwardType.objects.get(council=council, code=type_code)
        unit = Unit.objects.get(council=council, code=unit_code)
        if services.proposal_find(bloc=None, year=year, award_type=award_type, unit=unit):
            return
        services.award_enter_external(
            council=council,
            award_type=award_type,
            year=year,
            unit=unit,
            decision_number=number,
            decision_date=decided_on,
            signer=signer,
            by=None,
        )
        self.count("Proposal")

    # Proposals ----------------------------------------------------------------------------------------

    def _bloc(self, council_data: dict, bloc_data: dict) -> tuple[Council, Bloc, dict[str, Unit], dict[str, AwardType]]:
        council = Council.objects.get(name=council_data["name"])
        bloc = Bloc.objects.get(council=council, code=bloc_data["code"])
        units = {u.code: u for u in Unit.objects.filter(council=council)}
        types = {t.code: t for t in AwardType.objects.filter(council=council)}
        return council, bloc, units, types

    def _officer(self, council: Council) -> User | None:
        return User.objects.filter(council=council, unit__isnull=True, is_superuser=False).order_by("pk").first()

    def _proposals(self, bloc, year, units, types, specs: list[Spec], *, report: bool = True) -> list[Proposal]:
        """Drafts of ``specs``, with registrations and reasons, through the services."""
        proposals = []
        for spec in specs:
            unit = units[spec.unit]
            award_type = types[spec.type_code]
            if spec.registered and not award_type.is_bloc_issued and not spec.person and not spec.collective:
                if not Registration.objects.filter(bloc=bloc, year=year, unit=unit, award_type=award_type).exists():
                    services.registration_add(bloc=bloc, year=year, unit=unit, award_type=award_type, by=None)
                    self.count("Registration")
            person = None
            if spec.person:
                person = services.person_get_or_create(unit=unit, name=spec.person, position=spec.position)
            proposal = services.proposal_save(
                bloc=bloc,
                year=year,
                award_type=award_type,
                unit=unit,
                collective_name=spec.collective,
                person=person,
                summary=spec.summary,
                tally=spec.tally,
                achievement_report=SimpleUploadedFile("bao-cao-thanh-tich.pdf", PLACEHOLDER_PDF) if report else None,
                by=None,
            )
            if spec.warning_reason:
                services.proposal_reason_set(proposal=proposal, key="registration", reason=spec.warning_reason, by=None)
            if spec.tally_reason:
                for finding in proposals_check(proposals=[proposal])[proposal.pk]:
                    if finding.kind == AwardRule.Kind.THRESHOLD:
                        proposal = services.proposal_reason_set(
                            proposal=proposal, key=finding.key, reason=spec.tally_reason, by=None
                        )
            proposals.append(proposal)
        self.count("Proposal", len(proposals))
        return proposals

    def _drafts(self, bloc, year, units, types, specs: list[Spec]) -> list[Proposal] | None:
        """The drafts ``_proposals`` made of ``specs``, in their order; None once the bloc-year has a
        submission, or when a demo user deleted or moved one of them (their changes are never undone)."""
        if Submission.objects.filter(bloc=bloc, year=year).exists():
            return None
        found = []
        for spec in specs:
            proposal = services.proposal_find(
                bloc=bloc, year=year, award_type=types[spec.type_code], unit=units[spec.unit]
            )
            if proposal is None or proposal.status != Proposal.Status.DRAFT:
                return None
            found.append(proposal)
        return found

    def _submit(self, bloc, year, proposals, on: date, by, *, cover_letter: bool = False) -> None:
        # Every dossier check runs, the meetings app's "the year-end minutes are final" included.
        submission = services.submission_create(bloc=bloc, year=year, proposals=proposals, by=by, on=on)
        self.count("Submission")
        if not cover_letter:
            # Rendering takes about a second a letter: the demo issues An Giang's only (load_demo stays
            # fast, and the other submissions show the chair's "issue the cover letter" step).
            return
        try:
            services.submission_cover_issue(submission=submission, by=by)
        except services.CoverLetterUnavailable:
            # No PDF renderer here (missing system fonts or libraries): the submission stands, and the
            # chair can issue the cover letter from its page.
            logger.warning("Demo cover letter of %s not issued", submission)

    def _decide(self, council, decision: tuple, proposals: list[Proposal], officer) -> None:
        number, decided_on, signer = decision
        services.decision_record(
            council=council, number=number, date=decided_on, signer=signer, proposals=proposals, by=officer
        )
        self.count("Decision")

    def an_giang(self) -> None:
        council, bloc, units, types = self._bloc(AN_GIANG, AN_GIANG_BLOC_6)
        if not Proposal.objects.filter(bloc=bloc, year=2020).exists():
            self._proposals(bloc, 2020, units, types, AG_2020)
        if not Proposal.objects.filter(bloc=bloc, year=2021).exists():
            self._proposals(bloc, 2021, units, types, AG_2021_DRAFTS, report=False)

    def an_giang_outcomes(self) -> None:
        council, bloc, units, types = self._bloc(AN_GIANG, AN_GIANG_BLOC_6)
        proposals = self._drafts(bloc, 2020, units, types, AG_2020)
        if proposals is None:
            return
        officer = self._officer(council)
        self._submit(bloc, 2020, proposals, AG_2020_SUBMITTED, None, cover_letter=True)
        for proposal in proposals:
            services.proposal_approve(proposal=proposal, by=officer)
        self._decide(council, AG_2020_DECISION, proposals, officer)

    def bac_kan(self) -> None:
        council, bloc, units, types = self._bloc(BAC_KAN, BAC_KAN_BLOC_MTTQ)
        if not Proposal.objects.filter(bloc=bloc, year=2020).exists():
            self._proposals(bloc, 2020, units, types, BK_2020)

    def bac_kan_outcomes(self) -> None:
        council, bloc, units, types = self._bloc(BAC_KAN, BAC_KAN_BLOC_MTTQ)
        proposals = self._drafts(bloc, 2020, units, types, BK_2020)
        if proposals is None:
            return
        officer = self._officer(council)
        flag, youth, farmers = proposals
        self._submit(bloc, 2020, [flag, youth, farmers], BK_2020_SUBMITTED, None)
        # Invented outcomes: the flag waits in the review queue, the youth union's certificate waits for a
        # decision, the farmers' union's was returned.
        services.proposal_approve(proposal=youth, by=officer)
        services.proposal_return(proposal=farmers, reason=BK_2020_RETURN_REASON, by=officer)

    def tuyen_quang(self) -> None:
        council, bloc, units, types = self._bloc(TUYEN_QUANG, TUYEN_QUANG_BLOC_PARTY)
        if Proposal.objects.filter(bloc=bloc, year=2021).exists():
            return
        # [TU] the bloc's own 9 + 9, decided at the conference of 27/12/2021; how is not stated: not recorded.
        own = [
            Spec(BLOC_EXEMPLARY_COLLECTIVE, unit, NOT_RECORDED, collective=name) for unit, name in TU_2021_COLLECTIVES
        ] + [
            Spec(BLOC_EXEMPLARY_INDIVIDUAL, unit, NOT_RECORDED, person=name, position=position)
            for unit, name, position in TU_2021_INDIVIDUALS
        ]
        honoured = self._proposals(bloc, 2021, units, types, own, report=False)
        services.bloc_award_decide(proposals=honoured, conference_date=TU_CONFERENCE, by=None)
        # [TU] the leading unit proposed for both flags.
        self._proposals(bloc, 2021, units, types, TU_2021_FLAGS)

    def tuyen_quang_outcomes(self) -> None:
        council, bloc, units, types = self._bloc(TUYEN_QUANG, TUYEN_QUANG_BLOC_PARTY)
        proposals = self._drafts(bloc, 2021, units, types, TU_2021_FLAGS)
        if proposals is None:
            return
        officer = self._officer(council)
        provincial, government = proposals
        # Invented: the province's flag decided, the Government's waiting in the review queue.
        self._submit(bloc, 2021, [provincial, government], TU_2021_SUBMITTED, None)
        services.proposal_approve(proposal=provincial, by=officer)
        self._decide(council, TU_2021_DECISION, [provincial], officer)
