"""Printed documents of the awards app: the submission's cover letter (tờ trình) and the council-wide list
"Danh sách đề nghị khen thưởng", both on ``documents/base_document.html``, the one layout of every
printed document (header lines, number, date line, signature blocks).

One function builds each document's context; the views render it (a preview, or the issued PDF through
``awards.services.submission_cover_issue``, once). The fixed wording is Vietnamese here and in the templates: a
document prints in Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from blocs.models import Council
from blocs.printing import chair_signature

from .models import AwardType, Proposal, Submission

COVER_LETTER_TEMPLATE = "awards/cover_letter_pdf.html"
COVER_LETTER_TYPE = "TTr"  # tờ trình
LIST_TEMPLATE = "awards/award_list_pdf.html"

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


def group_by_type(proposals: Iterable[Proposal]) -> list[TypeGroup]:
    """Proposals grouped by award type, in the catalogue's order, numbered I, II, III …"""
    groups: dict[int, TypeGroup] = {}
    for proposal in sorted(proposals, key=lambda p: (p.award_type.order, p.award_type_id, p.pk or 0)):
        group = groups.get(proposal.award_type_id)
        if group is None:
            index = len(groups)
            numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
            group = groups[proposal.award_type_id] = TypeGroup(proposal.award_type, numeral)
        group.proposals.append(proposal)
    return list(groups.values())


def cover_letter_subject_key(submission: Submission) -> str:
    return f"award_submission:{submission.pk}"


def recipient_lines(lines: Iterable[str]) -> list[str]:
    """The "Nơi nhận:" items as Decree 30/2020 punctuates them: each ends with ";", the last with ".".

    A line that already ends with either mark gets the right one instead, never both ("Lưu: VT." once)."""
    items = [line.strip().rstrip(";.").rstrip() for line in lines]
    items = [item for item in items if item]
    return [item + (";" if index < len(items) - 1 else ".") for index, item in enumerate(items)]


def cover_letter_context(*, submission: Submission, proposals: Iterable[Proposal] | None = None) -> dict:
    """Everything the cover letter prints except its number (added per render).

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
    for proposal in proposals:
        proposal.tally_words = tally_words(proposal)
    chair = next((seat.unit for seat in bloc.seats_of(submission.year) if seat.rank == 0), None)
    word = "Cụm" if bloc.kind == bloc.Kind.CLUSTER else "Khối"
    subject = f"Về việc đề nghị khen thưởng năm {submission.year}"
    if submission.is_supplementary:
        subject += " (bổ sung)"
    return {
        "submission": submission,
        "bloc": bloc,
        "council": council,
        "year": submission.year,
        "word": word,
        "header_lines": bloc.document_header(),
        "place": council.place_name,
        "issue_date": submission.submitted_on,
        "doc_type": "TỜ TRÌNH",
        "subject": subject,
        "title": f"Tờ trình đề nghị khen thưởng năm {submission.year} của {bloc.name}"
        + (f" (bổ sung lần {submission.sequence - 1})" if submission.is_supplementary else ""),
        "groups": group_by_type(proposals),
        "count": len(proposals),
        "signature_right": chair_signature(bloc, chair),
        "recipients": recipient_lines(["Như trên", f"Các đơn vị thành viên {word.lower()}", "Lưu: VT"]),
    }


def list_context(*, council: Council, year: int, proposals: list[Proposal], today: date, filters: str = "") -> dict:
    """The council-wide list "Danh sách đề nghị khen thưởng" of a year, grouped by award type."""
    for proposal in proposals:
        proposal.tally_words = tally_words(proposal)
        proposal.outcome_parts = outcome_parts(proposal)
    header_lines = [line for line in (council.parent_body, council.issuing_body or council.name) if line]
    return {
        "council": council,
        "year": year,
        "header_lines": header_lines,
        "place": council.place_name,
        "issue_date": today,
        "doc_type": "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "subject": f"Năm {year}",
        "filters": filters,
        "groups": group_by_type(proposals),
        "count": len(proposals),
    }
