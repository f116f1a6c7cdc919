"""Printed documents of the awards app: the submission's cover letter (tờ trình) and the council-wide list
"Danh sách đề nghị khen thưởng", each built once as a ``documents.content.DocumentContent`` and written as
PDF (``documents.render.content_pdf``) and as Word (``documents.docx.content_docx``), so the two say the same.

The views render the cover letter (a draft preview, or the issued PDF through
``awards.services.submission_cover_issue``, once); background jobs render the list (``awards.jobs``). The
fixed wording is Vietnamese here: a document prints in Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from blocs.models import Council
from blocs.printing import chair_signature
from documents.content import ADMINISTRATIVE, ANNEX, Block, Column, DocumentContent, Header, Signature
from documents.render import date_line, document_file_name

from .models import AwardType, Proposal, Submission

COVER_LETTER_TYPE = "TTr"  # tờ trình
LIST_TYPE = "DS-khen-thuong"  # the file name's type part of the council's proposal list (not numbered)

# Document wording of a proposal's state and tally (data of the document, not interface strings).
STATUS_WORDS = {
    Proposal.Status.DRAFT: "Dự thảo",
    Proposal.Status.SUBMITTED: "Đã trình, chờ thẩm định",
    Proposal.Status.RETURNED: "Trả lại để bổ sung",
    Proposal.Status.APPROVED: "Đã thẩm định, chờ quyết định",
    Proposal.Status.REJECTED: "Không đề nghị khen thưởng",
    Proposal.Status.DECIDED: "Đã khen thưởng",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"]


def tally_words(proposal: Proposal) -> str:
    """ "Thống nhất", or "8/9 phiếu (9 có mặt)"."""
    if proposal.acclamation:
        return "Thống nhất"
    if proposal.votes_for is None:
        return ""
    text = f"{proposal.votes_for}/{proposal.ballots_cast} phiếu"
    if proposal.members_present is not None:
        text += f" ({proposal.members_present} có mặt)"
    return text


def outcome_parts(proposal: Proposal) -> list[str]:
    """["QĐ số", "412/QĐ-UBND", "ngày 15/03/2021"], ["Hội nghị", "ngày 27/12/2021"], or the state: the
    document prints each part unbroken, so a number never splits at its hyphen."""
    if proposal.status == Proposal.Status.DECIDED:
        if proposal.decision_id:
            # An unknown number or date says so; never a number nobody entered (unknown is a valid answer).
            decision = proposal.decision
            parts = ["QĐ số", decision.number] if decision.number else ["Quyết định", "chưa rõ số quyết định"]
            parts.append(f"ngày {decision.date:%d/%m/%Y}" if decision.date else "chưa rõ ngày")
            return parts
        if proposal.conference_date:
            return ["Hội nghị", f"ngày {proposal.conference_date:%d/%m/%Y}"]
    return [STATUS_WORDS.get(proposal.status, proposal.status)]


def outcome_words(proposal: Proposal) -> str:
    """ "QĐ số 412/QĐ-UBND ngày 15/03/2021", "Hội nghị ngày 27/12/2021", or the state."""
    return " ".join(outcome_parts(proposal))


@dataclass
class TypeGroup:
    """The proposals of one award type, with the group's numeral in the list."""

    award_type: AwardType
    numeral: str
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def collectives(self) -> int:
        return sum(1 for p in self.proposals if not p.person_id)

    @property
    def individuals(self) -> int:
        return sum(1 for p in self.proposals if p.person_id)


def group_by_type(proposals: Iterable[Proposal], *, ordered: bool = False) -> list[TypeGroup]:
    """Proposals grouped by award type, in the catalogue's order, numbered I, II, III …; inside a group in
    the order they were entered, or (``ordered``) in the order given, already by award type first (the
    award list's page sorted by a column)."""
    groups: dict[int, TypeGroup] = {}
    if not ordered:
        proposals = sorted(proposals, key=lambda p: (p.award_type.order, p.award_type_id, p.pk or 0))
    for proposal in proposals:
        group = groups.get(proposal.award_type_id)
        if group is None:
            index = len(groups)
            numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
            group = groups[proposal.award_type_id] = TypeGroup(proposal.award_type, numeral)
        group.proposals.append(proposal)
    return list(groups.values())


def cover_letter_subject_key(submission: Submission) -> str:
    return f"award_submission:{submission.pk}"


def cover_letter_title(submission: Submission) -> str:
    """The cover letter's title in the register of issued documents."""
    title = f"Tờ trình đề nghị khen thưởng năm {submission.year} của {submission.bloc.name}"
    if submission.is_supplementary:
        title += f" (bổ sung lần {submission.sequence - 1})"
    return title


def _cover_recipient(proposal: Proposal) -> str:
    if proposal.person_id:
        person = proposal.person
        position = f", {person.position}" if person.position else ""
        return f"Ông/Bà {person.name}{position}, {proposal.unit.name}"
    return proposal.recipient_name


def _cover_group_title(number: int, group: TypeGroup) -> str:
    """ "1. Cờ thi đua của UBND tỉnh: 1 tập thể", "2. Bằng khen …: 1 tập thể, 1 cá nhân"."""
    counts = []
    if group.collectives:
        counts.append(f"{group.collectives} tập thể")
    if group.individuals:
        counts.append(f"{group.individuals} cá nhân")
    return f"{number}. {group.award_type.name}" + (f": {', '.join(counts)}" if counts else "")


COVER_COLUMNS = [Column("TT", 10, "center"), Column("Tên tập thể, cá nhân"), Column("Kết quả bình xét", 40, "center")]


def cover_letter_content(*, submission: Submission, proposals: Iterable[Proposal] | None = None) -> DocumentContent:
    """The cover letter (tờ trình) as printed except its number (added per render).

    ``proposals`` are those of a submission not saved yet (the preview of the submit step); a saved
    submission's are read from its events."""
    bloc = submission.bloc
    council = bloc.council
    if proposals is None:
        proposals = (
            Proposal.objects.filter(events__submission=submission)
            .distinct()
            .with_related()
            .order_by("award_type__order", "id")
        )
    proposals = list(proposals)
    chair = next((seat.unit for seat in bloc.seats_of(submission.year) if seat.rank == 0), None)
    word = "Cụm" if bloc.kind == bloc.Kind.CLUSTER else "Khối"
    year = submission.year
    subject = f"Về việc đề nghị khen thưởng năm {year}"
    if submission.is_supplementary:
        subject += " (bổ sung)"
    blocks = [
        Block("center", f"Kính gửi: {council.name}"),
        Block(
            "para",
            f"Căn cứ kết quả thực hiện phong trào thi đua năm {year} và kết quả bình xét, suy tôn tại Hội nghị "
            f"tổng kết công tác thi đua, khen thưởng của {bloc.name}, {word} kính đề nghị {council.name} xem xét, "
            f"trình cấp có thẩm quyền khen thưởng cho {len(proposals)} tập thể, cá nhân có thành tích xuất sắc, "
            "cụ thể như sau:",
        ),
    ]
    for number, group in enumerate(group_by_type(proposals), start=1):
        blocks.append(Block("subheading", _cover_group_title(number, group)))
        rows = [[str(order), _cover_recipient(p), tally_words(p)] for order, p in enumerate(group.proposals, start=1)]
        blocks.append(Block("table", columns=COVER_COLUMNS, rows=rows))
    blocks += [
        Block(
            "para",
            f"Hồ sơ kèm theo gồm: biên bản hội nghị bình xét của {word.lower()} và báo cáo thành tích của các "
            "tập thể, cá nhân được đề nghị khen thưởng.",
        ),
        Block("para", f"Kính đề nghị {council.name} xem xét, quyết định./."),
    ]
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=bloc.document_header(),
        place_name=council.place_name,
        date=submission.submitted_on,
        doc_type="TỜ TRÌNH",
        subject=subject,
        blocks=blocks,
        signature_right=Signature.of(chair_signature(bloc, chair)),
        recipients=["Như trên", f"Các đơn vị thành viên {word.lower()}", "Lưu: VT"],
        type_code=COVER_LETTER_TYPE,
        issuer_code=bloc.code,
    )


def cover_letter_file_name(content: DocumentContent, number_text: str, ext: str) -> str:
    """ "TTr-01-KTD6-20220110.pdf", a draft's "TTr-du-thao-KTD6-20220110.docx"."""
    return document_file_name(
        type_code=content.type_code, number_text=number_text, issuer_code=content.issuer_code, on=content.date, ext=ext
    )


# The list runs to hundreds of rows and WeasyPrint's time follows the cells and lines it lays out: a row is
# its five cells, the reason a line of the name's cell, the outcome's parts lines of its cell (so a number
# never splits at its hyphen nor a date from its "ngày"). 165 mm between the margins: the outcome column
# holds "QĐ số 124/QĐ-UBND" or "chưa rõ số quyết định" on a line, the name column takes the rest.
LIST_COLUMNS = [
    Column("TT", 10, "center"),
    Column("Tên tập thể, cá nhân"),
    Column("Khối thi đua", 31),
    Column("Kết quả bình xét", 24, "center"),
    Column("Tình trạng", 40),
]


def _list_recipient(proposal: Proposal) -> str:
    if proposal.person_id:
        person = proposal.person
        position = f", {person.position}" if person.position else ""
        name = f"{person.name}{position}, {proposal.unit.name}"
    else:
        name = proposal.recipient_name
    return f"{name}\n{proposal.award_reason}" if proposal.award_reason else name


def list_content(*, council: Council, year: int, proposals: list[Proposal], today: date) -> DocumentContent:
    """The council-wide list "Danh sách đề nghị khen thưởng" of a year, grouped by award type: an annex
    (no national header, no number), dated by a line under its subject (the list's state of that day)."""
    blocks = [Block("center", date_line(council.place_name, today))]
    for group in group_by_type(proposals):
        blocks.append(Block("subheading", f"{group.numeral}. {group.award_type.name} ({len(group.proposals)})"))
        rows = [
            [
                str(order),
                _list_recipient(p),
                p.bloc.name if p.bloc_id else "",
                tally_words(p),
                "\n".join(outcome_parts(p)),
            ]
            for order, p in enumerate(group.proposals, start=1)
        ]
        blocks.append(Block("table", columns=LIST_COLUMNS, rows=rows, size_pt=12))
    if len(blocks) == 1:
        blocks.append(Block("plain", "Không có đề nghị khen thưởng."))
    blocks.append(Block("plain", f"Tổng số: {len(proposals)} tập thể, cá nhân."))
    return DocumentContent(
        kind=ANNEX,
        header=Header.from_lines([council.parent_body, council.issuing_body or council.name]),
        place_name=council.place_name,
        date=today,
        doc_type="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        subject=f"Năm {year}",
        blocks=blocks,
        type_code=LIST_TYPE,
        numbered=False,
    )


def list_file_name(*, year: int, today: date, ext: str) -> str:
    """ "DS-khen-thuong-2021-20220110.pdf": the list is never numbered; its year is part of what it is."""
    return document_file_name(type_code=f"{LIST_TYPE}-{year}", number_text=None, issuer_code="", on=today, ext=ext)
