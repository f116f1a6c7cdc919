"""What the minutes (biên bản) say, built once and rendered twice: as a PDF and as a Word document.

Two steps:

1. ``meeting_facts(meeting)`` reads everything a meeting recorded in a fixed number of queries and
   returns plain data (``MeetingFacts``): names as recorded, tallies, the election, the handover …
   The news draft (``meetings.news``) is written from the same facts.
2. ``minutes_content(facts)`` turns the facts into the minutes' text: the header, the subject and a
   list of blocks (headings, paragraphs, list items), the closing-time line and the two signatures.
   The content is a ``documents.content.DocumentContent``, JSON-serialisable: a final version keeps it
   (``MinutesVersion.content``), so its PDF and Word document always print what was finalised.

The sentences are fixed legal Vietnamese: the minutes print in Vietnamese whatever the interface
language. "Say only what happened" (docs/domain.md): a block appears only for what the meeting recorded; an
optional fact left empty (start time, place, presiding person's name, a tally, how the election was made,
attendance) is not mentioned, and nothing is said to be "thống nhất" unless it was entered so; the rotating
flag (cờ luân lưu) is mentioned only where it was handed over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from blocs.models import Bloc
from documents.content import ADMINISTRATIVE, Block, DocumentContent, Header, Signature
from documents.render import date_words
from documents.services import number_format

from .models import (
    DOC_TYPE,
    AttendanceState,
    Meeting,
    MeetingElection,
    MeetingHandover,
    MeetingPledgeSigning,
)

if TYPE_CHECKING:
    from awards.models import Proposal

DOCUMENT_TYPE_NAME = "BIÊN BẢN"


# Facts -------------------------------------------------------------------------------------------------


@dataclass
class AttendanceFact:
    unit_name: str
    present: bool
    representatives: str = ""


@dataclass
class VoteFact:
    award_type_name: str
    recipient_name: str
    recipient_detail: str
    members_present: int | None
    ballots_cast: int | None
    votes_for: int | None
    acclamation: bool
    reason: str = ""  # the proposal's reason as recorded with the vote (e.g. its ranking)

    @property
    def tally_recorded(self) -> bool:
        return self.acclamation or self.votes_for is not None


@dataclass
class HandedOverFact:
    """An award decided earlier, handed over at the meeting."""

    award_type_name: str
    recipient_name: str
    recipient_detail: str


@dataclass
class BlocAwardFact:
    award_type_name: str
    individual: bool
    recipient_name: str
    recipient_detail: str


@dataclass
class ElectionFact:
    year: int
    chair_name: str
    vice_names: list[str]
    method: str = MeetingElection.Method.NOT_RECORDED
    ballots: int | None = None  # valid ballots of a secret ballot, when recorded
    votes: list[int | None] = field(default_factory=list)  # per seat, chair first; None: not recorded


@dataclass
class HandoverFact:
    outgoing_name: str
    incoming_name: str
    flag_handed: bool
    flag_received_by: str = ""


@dataclass
class PledgeFact:
    year: int
    signed_on: date
    units_signed: int
    units_total: int


@dataclass
class MeetingFacts:
    """Everything a meeting recorded, as plain data (names as recorded at the meeting)."""

    bloc_name: str
    bloc_code: str
    is_cluster: bool
    header: Header
    place_name: str
    kind: str
    year: int
    title: str
    date: date
    start_time: time | None
    end_time: time | None
    place: str
    host_unit_name: str
    presiding_name: str
    presiding_title: str
    secretary_name: str
    secretary_title: str
    agenda: str
    guests: list[tuple[str, str, str]]
    members: list[AttendanceFact]
    report_summary: str
    directions: str
    votes: list[VoteFact]
    bloc_awards: list[BlocAwardFact]
    election: ElectionFact | None
    handover: HandoverFact | None
    pledge: PledgeFact | None
    movement_launched: bool
    movement_text: str
    attendance_state: str = AttendanceState.LIST
    all_units_completed: bool = False
    handed_over: list[HandedOverFact] = field(default_factory=list)
    # True: the minutes were read out and approved at the meeting; None: not recorded (nothing printed).
    minutes_approved: bool | None = None

    @property
    def attendance_recorded(self) -> bool:
        return self.attendance_state != AttendanceState.NOT_RECORDED

    @property
    def elected_vices(self) -> list[tuple[str, str]]:
        """(title, unit) of each elected vice-chair in rank order: "Cụm phó thứ nhất", "Cụm phó thứ hai"."""
        if self.election is None:
            return []
        names = self.election.vice_names
        return list(zip(vice_titles(self.is_cluster, len(names)), names, strict=True))

    @property
    def present(self) -> list[AttendanceFact]:
        return [member for member in self.members if member.present]

    @property
    def absent(self) -> list[AttendanceFact]:
        return [member for member in self.members if not member.present]

    @property
    def next_year(self) -> int:
        return self.election.year if self.election else self.year + 1


def _members_facts(meeting: Meeting) -> list[AttendanceFact]:
    attendance = {row.unit_id: row for row in meeting.attendance.all()}
    members = []
    for membership in meeting.bloc.members(meeting.year):
        row = attendance.get(membership.unit_id)
        members.append(
            AttendanceFact(
                unit_name=membership.unit.name,
                present=bool(row and row.present),
                representatives=row.representatives if row else "",
            )
        )
    return members


def _election_fact(meeting: Meeting) -> ElectionFact | None:
    election_row = MeetingElection.objects.filter(meeting=meeting).first()
    if election_row is None:
        return None
    seats = list(election_row.seats.order_by("rank"))
    return ElectionFact(
        year=election_row.year,
        chair_name=next((s.unit_name for s in seats if s.rank == 0), ""),
        vice_names=[s.unit_name for s in seats if s.rank > 0],
        method=election_row.method,
        ballots=election_row.ballots,
        votes=[s.votes for s in seats],
    )


def _handover_fact(meeting: Meeting) -> HandoverFact | None:
    row = MeetingHandover.objects.select_related("outgoing_unit", "incoming_unit").filter(meeting=meeting).first()
    if row is None:
        return None
    return HandoverFact(
        outgoing_name=row.outgoing_unit.name,
        incoming_name=row.incoming_unit.name,
        flag_handed=row.flag_handed,
        flag_received_by=row.flag_received_by,
    )


def _pledge_fact(meeting: Meeting) -> PledgeFact | None:
    signing = MeetingPledgeSigning.objects.filter(meeting=meeting).first()
    if signing is None:
        return None
    return PledgeFact(
        year=signing.pledge_year,
        signed_on=signing.signed_on,
        units_signed=signing.units_signed,
        units_total=signing.units_total,
    )


# What a vote keeps of the proposal's tally.
TALLY_FIELDS = ("members_present", "ballots_cast", "votes_for", "acclamation")


def proposal_snapshot(proposal: Proposal, order: int, *, tally: bool = False) -> dict[str, Any]:
    """The facts a meeting's link row copies from an awards proposal (place, award, recipient and, for a
    vote, the tally), so the minutes keep saying what was recorded that day when the proposal changes."""
    snapshot: dict[str, Any] = {
        "order": order,
        "award_type_name": proposal.award_type.name,
        "recipient_name": proposal.recipient_name,
        "recipient_detail": proposal.recipient_detail,
    }
    if tally:
        snapshot.update({name: getattr(proposal, name) for name in TALLY_FIELDS})
        snapshot["award_reason"] = proposal.award_reason
    return snapshot


def _awards_facts(meeting: Meeting) -> dict:
    """The votes, the bloc's own awards and the awards handed over, each as recorded that day."""
    return {
        "votes": [
            VoteFact(
                award_type_name=vote.award_type_name,
                recipient_name=vote.recipient_name,
                recipient_detail=vote.recipient_detail,
                members_present=vote.members_present,
                ballots_cast=vote.ballots_cast,
                votes_for=vote.votes_for,
                acclamation=vote.acclamation,
                reason=vote.award_reason,
            )
            for vote in meeting.votes.order_by("order", "id")
        ],
        "bloc_awards": [
            BlocAwardFact(
                award_type_name=award.award_type_name,
                individual=award.individual,
                recipient_name=award.recipient_name,
                recipient_detail=award.recipient_detail,
            )
            for award in meeting.bloc_awards.order_by("order", "id")
        ],
        "handed_over": [
            HandedOverFact(
                award_type_name=row.award_type_name,
                recipient_name=row.recipient_name,
                recipient_detail=row.recipient_detail,
            )
            for row in meeting.awards_handed_over.order_by("order", "id")
        ],
    }


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    """The facts of ``meeting`` in a fixed number of queries (about ten), whatever their number.

    Member units are listed in the bloc's protocol order for the year; a unit with no attendance row
    (the results are not recorded yet) is listed as not present.
    """
    return MeetingFacts(
        **meeting_row_facts(meeting),
        guests=[(g.name, g.position, g.organisation) for g in meeting.guests.all()],
        members=_members_facts(meeting),
        election=_election_fact(meeting),
        handover=_handover_fact(meeting),
        pledge=_pledge_fact(meeting),
        **_awards_facts(meeting),
    )


def meeting_row_facts(meeting: Meeting) -> dict[str, Any]:
    """The facts held on the meeting's own row and its bloc, as ``MeetingFacts`` keywords: one reading for
    the minutes and for the generated dataset, which builds the related facts from rows in memory."""
    bloc: Bloc = meeting.bloc
    return {
        "bloc_name": bloc.name,
        "bloc_code": bloc.code,
        "is_cluster": bloc.kind == Bloc.Kind.CLUSTER,
        "header": bloc.document_header(),
        "place_name": meeting.date_line_place_name,
        "kind": meeting.kind,
        "year": meeting.year,
        "title": meeting.display_title,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "minutes_approved": meeting.minutes_approved,
        "place": meeting.place,
        "host_unit_name": meeting.host_unit.name if meeting.host_unit_id else "",
        "presiding_name": meeting.presiding_name,
        "presiding_title": meeting.presiding_title,
        "secretary_name": meeting.secretary_name,
        "secretary_title": meeting.secretary_title,
        "agenda": meeting.agenda,
        "report_summary": meeting.report_summary,
        "directions": meeting.directions,
        "movement_launched": meeting.movement_launched,
        "movement_text": meeting.movement_text,
        "attendance_state": meeting.attendance_state,
        "all_units_completed": meeting.all_units_completed,
    }


# Words -------------------------------------------------------------------------------------------------


def time_words(value: time) -> str:
    """ "14 giờ 00 phút"."""
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def percent_words(part: int, whole: int) -> str:
    """ "88,9%": one decimal, Vietnamese decimal comma, no trailing ",0"."""
    value = f"{100 * part / whole:.1f}".replace(".", ",")
    return value.removesuffix(",0") + "%"


def tally_words(vote: VoteFact) -> str:
    """ "thống nhất", or "6/6 phiếu tán thành, đạt 100%; 6 đơn vị có mặt"; empty when not recorded."""
    if vote.acclamation:
        return "thống nhất"
    if not vote.tally_recorded:
        return ""
    text = f"{vote.votes_for}/{vote.ballots_cast} phiếu tán thành"
    if vote.ballots_cast:
        text += f", đạt {percent_words(vote.votes_for or 0, vote.ballots_cast)}"
    if vote.members_present is not None:
        text += f"; {vote.members_present} đơn vị có mặt"
    return text


def guest_words(name: str, position: str, organisation: str) -> str:
    """ "Nguyễn Văn A, Phó Trưởng ban, Ban Thi đua – Khen thưởng tỉnh", or without a name "Đại diện Lãnh
    đạo, Sở Nội vụ tỉnh": position and organisation are two facts, printed apart."""
    role = ", ".join(part for part in (position, organisation) if part)
    return f"{name}, {role}" if name else role


def bloc_words(is_cluster: bool) -> dict[str, str]:
    """The Vietnamese words of a bloc or a cluster: its name, its chair and vice-chair."""
    if is_cluster:
        return {"group": "Cụm thi đua", "short": "Cụm", "chair": "Cụm trưởng", "vice": "Cụm phó"}
    return {"group": "Khối thi đua", "short": "Khối", "chair": "Khối trưởng", "vice": "Khối phó"}


ORDINALS = {1: "thứ nhất", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", 5: "thứ năm"}


def vice_titles(is_cluster: bool, count: int) -> list[str]:
    """ "Khối phó", or "Cụm phó thứ nhất", "Cụm phó thứ hai" where there are several."""
    vice = bloc_words(is_cluster)["vice"]
    if count <= 1:
        return [vice] * count
    return [f"{vice} {ORDINALS.get(rank, f'thứ {rank}')}" for rank in range(1, count + 1)]


ELECTION_VERBS = {
    MeetingElection.Method.ACCLAMATION: "Hội nghị thống nhất bầu",
    MeetingElection.Method.SECRET_BALLOT: "Hội nghị bỏ phiếu kín bầu",
    MeetingElection.Method.NOT_RECORDED: "Hội nghị đã bầu",
}


def election_sentence(facts: MeetingFacts) -> str:
    """ "Hội nghị đã bầu Hội Chữ thập đỏ tỉnh làm Khối trưởng, Hội Cựu chiến binh tỉnh làm Khối phó Khối
    thi đua năm 2021." — "thống nhất" or "bỏ phiếu kín" only when the election was entered so."""
    election = facts.election
    words = bloc_words(facts.is_cluster)
    titles = [words["chair"], *vice_titles(facts.is_cluster, len(election.vice_names))]
    names = [election.chair_name, *election.vice_names]
    parts = [
        f"{name} làm {title}{_votes_words(election.votes[rank] if rank < len(election.votes) else None, election)}"
        for rank, (name, title) in enumerate(zip(names, titles, strict=True))
    ]
    verb = ELECTION_VERBS.get(election.method, ELECTION_VERBS[MeetingElection.Method.NOT_RECORDED])
    sentence = f"{verb} {', '.join(parts)} {words['group']} năm {election.year}."
    if election.ballots is not None and not any(v is not None for v in election.votes):
        sentence += f" Số phiếu hợp lệ: {election.ballots}."  # the ballots alone, when no seat's votes were
    return sentence


def _votes_words(votes: int | None, election: ElectionFact) -> str:
    """ " (được 5/6 phiếu)", " (được 5 phiếu)" without the ballots; nothing when the votes were not recorded."""
    if votes is None:
        return ""
    if election.ballots is None:
        return f" (được {votes} phiếu)"
    return f" (được {votes}/{election.ballots} phiếu)"


def handover_sentence(facts: MeetingFacts) -> str:
    """The handover, with the rotating flag only if it was handed over."""
    handover = facts.handover
    words = bloc_words(facts.is_cluster)
    what = f"nhiệm vụ {words['chair']} năm {facts.next_year}"
    if handover.flag_handed:
        what += f" và Cờ luân lưu của {words['short']}"
    sentence = (
        f"{handover.outgoing_name} ({words['chair']} năm {facts.year}) bàn giao {what} cho {handover.incoming_name}"
    )
    if handover.flag_handed and handover.flag_received_by:
        sentence += f"; {handover.flag_received_by} thay mặt đơn vị nhận Cờ"
    return sentence + "."


def pledge_sentence(facts: MeetingFacts) -> str:
    pledge = facts.pledge
    count = f"{pledge.units_signed}/{pledge.units_total}" if pledge.units_total else str(pledge.units_signed)
    return f"Tại Hội nghị, {count} đơn vị thành viên đã ký kết Giao ước thi đua năm {pledge.year}."


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def join_names(names: list[str]) -> str:
    """ "A; B và C" — how the articles join a list of units."""
    if len(names) <= 1:
        return "".join(names)
    return "; ".join(names[:-1]) + " và " + names[-1]


def grouped_votes(votes: list[VoteFact]) -> list[tuple[str, list[VoteFact]]]:
    """Votes by award type, in the order the types first appear."""
    groups: dict[str, list[VoteFact]] = {}
    for vote in votes:
        groups.setdefault(vote.award_type_name, []).append(vote)
    return list(groups.items())


def grouped_awards(awards: list[BlocAwardFact]) -> list[tuple[str, list[BlocAwardFact]]]:
    groups: dict[str, list[BlocAwardFact]] = {}
    for award in awards:
        groups.setdefault(award.award_type_name, []).append(award)
    return list(groups.items())


def recipient_words(name: str, detail: str) -> str:
    return f"{name}, {detail}" if detail else name


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# Content -----------------------------------------------------------------------------------------------


def minutes_content_load(data: dict[str, Any]) -> DocumentContent:
    """The content a final version kept (``MinutesVersion.content``), in today's form.

    Versions finalised before every document shared ``documents.content`` kept a flat form (``header_lines``,
    ``blocks`` of style and text, two signatures): it is read as what it said, nothing added.
    """
    if "header" in data:
        return DocumentContent.from_dict(data)
    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=Header.from_lines(list(data.get("header_lines", []))),
        place_name=data.get("place_name", ""),
        date=date.fromisoformat(data["date"]),
        doc_type=data.get("doc_type", DOCUMENT_TYPE_NAME),
        subject=data.get("subject", ""),
        blocks=[Block(style=block["style"], text=block["text"]) for block in data.get("blocks", [])],
        signature_left=Signature.of(data.get("signature_left")),
        signature_right=Signature.of(data.get("signature_right")),
        type_code=DOC_TYPE,
        issuer_code=data.get("issuer_code", ""),
    )


def number_text_of(content: DocumentContent, number: int | None) -> str:
    return number_format(number=number, doc_type=DOC_TYPE, issuer_code=content.issuer_code)


def minutes_content(facts: MeetingFacts) -> DocumentContent:
    """The minutes' text from the facts: only what happened, in the order of a conference."""
    words = bloc_words(facts.is_cluster)
    blocks: list[Block] = []

    def add(style: str, text: str) -> None:
        blocks.append(Block(style=style, text=text))

    # "Vào lúc …" and "tại …" only for a start time and a place entered.
    day = date_words(facts.date)
    when = f"Vào lúc {time_words(facts.start_time)}, {day}" if facts.start_time else day[:1].upper() + day[1:]
    where = f", tại {facts.place}" if facts.place else ""
    opening = f"{when}{where}, {facts.bloc_name} tổ chức {facts.title}"
    if facts.host_unit_name:
        opening += f" do {facts.host_unit_name} đăng cai"
    add("para", opening + ".")

    # I. Who attended.
    add("heading", "I. THÀNH PHẦN THAM DỰ")
    section = 0
    if facts.guests:
        section += 1
        add("subheading", f"{section}. Khách mời:")
        for name, position, organisation in facts.guests:
            add("item", guest_words(name, position, organisation) + ";")
    if facts.attendance_recorded:
        section = _attendance_blocks(facts, section, add)
    if facts.presiding_name or facts.presiding_title:
        section += 1
        add("bold", f"{section}. Chủ tọa Hội nghị: " + _person(facts.presiding_name, facts.presiding_title) + ".")
    if facts.secretary_name or facts.secretary_title:
        section += 1
        add("bold", f"{section}. Thư ký Hội nghị: " + _person(facts.secretary_name, facts.secretary_title) + ".")
    if not section:
        blocks.pop()  # nothing recorded of who attended: no empty heading

    # II. What the meeting did.
    add("heading", "II. NỘI DUNG HỘI NGHỊ")
    _body_blocks(facts, words, add)

    closing = closing_sentence(facts)
    if closing:
        add("para", closing)

    return DocumentContent(
        kind=ADMINISTRATIVE,
        header=facts.header,
        type_code=DOC_TYPE,
        issuer_code=facts.bloc_code,
        place_name=facts.place_name,
        date=facts.date,
        doc_type=DOCUMENT_TYPE_NAME,
        subject=facts.title,
        blocks=blocks,
        signature_left=_signature("THƯ KÝ", facts.secretary_name, facts.secretary_title),
        signature_right=_signature("CHỦ TỌA", facts.presiding_name, facts.presiding_title),
    )


APPROVED = "biên bản đã được thông qua trước Hội nghị và các đại biểu thống nhất với nội dung biên bản"


def closing_sentence(facts: MeetingFacts) -> str:
    """The closing line as the Decree's practice writes it, each part only when recorded: the end time
    ("Hội nghị kết thúc vào lúc …"), and that the minutes were read out and approved (only when that was
    recorded as yes, never assumed)."""
    parts = []
    if facts.end_time:
        parts.append(f"Hội nghị kết thúc vào lúc {time_words(facts.end_time)} cùng ngày")
    if facts.minutes_approved:
        parts.append(APPROVED)
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "./."


def _signature(role: str, name: str, title: str) -> Signature:
    """A signature block; a title without a name prints as the title line, with no invented name."""
    return Signature(roles=[role], details=[] if name or not title else [title], name=name)


def _attendance_blocks(facts: MeetingFacts, section: int, add) -> int:
    """The member units as recorded: every one present, or the list with who was absent."""
    words = bloc_words(facts.is_cluster)
    section += 1
    present, total = len(facts.present), len(facts.members)
    add(
        "subheading",
        f"{section}. Các đơn vị thành viên {words['group']} (có mặt {present}/{total} đơn vị):",
    )
    delegations = {member.representatives for member in facts.present}
    if len(delegations) == 1:
        # Every unit sent the same kind of delegation: say it once, not on every line.
        for member in facts.present:
            add("item", f"{member.unit_name};")
        if facts.present[0].representatives:
            add("para", f"Đại diện mỗi đơn vị: {facts.present[0].representatives}.")
    else:
        for member in facts.present:
            text = f"{member.unit_name}: {member.representatives}" if member.representatives else member.unit_name
            add("item", text + ";")
    if facts.absent:
        add("para", "Vắng mặt: " + join_names([member.unit_name for member in facts.absent]) + ".")
    return section


def _body_blocks(facts: MeetingFacts, words: dict[str, str], add) -> int:
    """Part II: what the meeting did, a numbered section per thing recorded."""
    section = 0
    if facts.agenda.strip():
        section += 1
        add("subheading", f"{section}. Chương trình Hội nghị")
        for line in lines(facts.agenda):
            add("item", line)
    if facts.report_summary.strip():
        section += 1
        add("subheading", f"{section}. Kết quả công tác thi đua, khen thưởng năm {facts.year}")
        for line in lines(facts.report_summary):
            add("para", line)
    if facts.all_units_completed:
        if not facts.report_summary.strip():
            section += 1
            add("subheading", f"{section}. Kết quả công tác thi đua, khen thưởng năm {facts.year}")
        add("para", f"Các đơn vị thành viên {words['group']} đều hoàn thành nhiệm vụ được giao năm {facts.year}.")
    if facts.directions.strip():
        section += 1
        if facts.kind == Meeting.Kind.YEAR_END:
            add("subheading", f"{section}. Phương hướng, nhiệm vụ năm {facts.year + 1}")
        else:
            add("subheading", f"{section}. Phương hướng, nhiệm vụ thời gian tới")
        for line in lines(facts.directions):
            add("para", line)
    if facts.votes:
        section += 1
        add("subheading", f"{section}. Bình xét, suy tôn và đề nghị khen thưởng năm {facts.year}")
        if all(vote.acclamation for vote in facts.votes):
            add("para", "Hội nghị thống nhất bình xét, suy tôn và đề nghị khen thưởng:")
        elif any(vote.tally_recorded for vote in facts.votes):
            add("para", "Hội nghị đã bình xét, suy tôn và đề nghị khen thưởng, kết quả như sau:")
        else:
            add("para", "Hội nghị đã bình xét, suy tôn và đề nghị khen thưởng:")
        for award_type_name, votes in grouped_votes(facts.votes):
            for vote in votes:
                tally = tally_words(vote)
                # The reason the proposal gives (its ranking, say), one line, only when one was written.
                reason = "; ".join(lines(vote.reason))
                add(
                    "item",
                    f"{award_type_name}: {recipient_words(vote.recipient_name, vote.recipient_detail)}"
                    + (f" – {reason}" if reason else "")
                    + (f" ({tally});" if tally else ";"),
                )
    if facts.bloc_awards:
        section += 1
        add("subheading", f"{section}. Khen thưởng của {words['group']} năm {facts.year}")
        counts = [
            f"{len(awards)} {lower_first(award_type_name)}"
            for award_type_name, awards in grouped_awards(facts.bloc_awards)
        ]
        add("para", f"Hội nghị đã khen thưởng {join_names(counts)} trong phong trào thi đua năm {facts.year}:")
        for award_type_name, awards in grouped_awards(facts.bloc_awards):
            add("note", f"{award_type_name} ({len(awards)}):")
            for award in awards:
                add("item", recipient_words(award.recipient_name, award.recipient_detail) + ";")
    if facts.handed_over:
        # Decided earlier, handed over here: not a vote of this conference.
        section += 1
        add("subheading", f"{section}. Trao khen thưởng")
        add("para", "Tại Hội nghị đã trao các hình thức khen thưởng:")
        for award in facts.handed_over:
            add("item", f"{award.award_type_name}: {recipient_words(award.recipient_name, award.recipient_detail)};")
    if facts.election:
        section += 1
        add("subheading", f"{section}. Bầu {words['chair']}, {words['vice']} năm {facts.election.year}")
        add("para", election_sentence(facts))
    if facts.handover:
        section += 1
        add("subheading", f"{section}. Bàn giao nhiệm vụ {words['chair']}")
        add("para", handover_sentence(facts))
    if facts.pledge:
        section += 1
        add("subheading", f"{section}. Ký kết Giao ước thi đua năm {facts.pledge.year}")
        add("para", pledge_sentence(facts))
    if facts.movement_launched:
        section += 1
        add("subheading", f"{section}. Phát động phong trào thi đua năm {facts.next_year}")
        for line in lines(facts.movement_text) or [f"Hội nghị đã phát động phong trào thi đua năm {facts.next_year}."]:
            add("para", line)
    return section


def _person(name: str, title: str) -> str:
    """ "Ông A, Chủ tịch …", the name alone, or the title alone when no name was entered."""
    return ", ".join(part for part in (name, title) if part)
