"""A short news article about a conference, drafted from the record with a fixed Vietnamese template in the
style of the seed articles (title; date line; who met; what the year achieved; who was proposed for which
award; the bloc's own awards; who chairs next year; the handover; the pledge and the movement). No
language model: the chair edits the draft in a textarea and copies it, or downloads it as PDF or Word
(``news_content``: the same draft as a plain document, without the national header, number or signature).

Written in Vietnamese whatever the interface language: the article is published in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from documents.content import PLAIN, Block, DocumentContent, Header

from .content import (
    ELECTION_VERBS,
    MeetingFacts,
    bloc_words,
    grouped_awards,
    grouped_votes,
    guest_words,
    join_names,
    lines,
    lower_first,
    recipient_words,
    vice_titles,
)
from .models import Meeting

# The file name's type code of the news draft (``documents.render.document_file_name``): "TIN-…-KTD6-….pdf".
NEWS_TYPE_CODE = "TIN"


@dataclass
class NewsDraft:
    title: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *self.paragraphs])


def _when(day, start: time | None) -> str:
    """ "Chiều 29/12/2020" for an afternoon meeting, "Sáng …" for a morning one (the articles' style);
    "Ngày 29/12/2020" when the start time was not entered."""
    if start is None:
        return f"Ngày {day:%d/%m/%Y}"
    part = "Chiều" if start.hour >= 12 else "Sáng"
    return f"{part} {day:%d/%m/%Y}"


def _title(facts: MeetingFacts) -> str:
    if facts.kind == Meeting.Kind.YEAR_END:
        return f"{facts.bloc_name} tổng kết công tác thi đua, khen thưởng năm {facts.year}"
    return f"{facts.bloc_name}: {facts.title}"


def _opening(facts: MeetingFacts) -> str:
    members = [member.unit_name for member in facts.present] or [member.unit_name for member in facts.members]
    opening = f"{_when(facts.date, facts.start_time)}, {facts.bloc_name}"
    if members:
        opening += f", gồm các đơn vị: {join_names(members)},"
    if facts.place:
        opening += f" tổ chức tại {facts.place} {facts.title}"
    else:
        opening += f" tổ chức {facts.title}"
    if facts.kind == Meeting.Kind.YEAR_END and facts.directions.strip() and "triển khai" not in facts.title:
        opening += f" và triển khai phương hướng, nhiệm vụ năm {facts.year + 1}"
    return opening + "."


def _awards_paragraphs(facts: MeetingFacts, words: dict) -> list[str]:
    paragraphs = []
    if facts.votes:
        # The way of voting only as entered: acclamation, ballots, or (no tally recorded) neither.
        if all(v.acclamation for v in facts.votes):
            how = "thống nhất bình xét, suy tôn"
        elif any(v.votes_for is not None for v in facts.votes):
            how = "bỏ phiếu bình xét, suy tôn"
        else:
            how = "bình xét, suy tôn"
        proposals = [
            f"{award_type_name} cho {join_names([recipient_words(v.recipient_name, v.recipient_detail) for v in rows])}"
            for award_type_name, rows in grouped_votes(facts.votes)
        ]
        paragraphs.append(f"Tại Hội nghị, các đại biểu đã {how} và đề nghị tặng {'; '.join(proposals)}.")
    if facts.bloc_awards:
        counts = [
            f"{len(awards)} {lower_first(award_type_name)}"
            for award_type_name, awards in grouped_awards(facts.bloc_awards)
        ]
        paragraphs.append(
            f"Hội nghị đã khen thưởng {join_names(counts)} trong phong trào thi đua của {words['group']} "
            f"năm {facts.year}."
        )
    return paragraphs


def _seats_paragraphs(facts: MeetingFacts, words: dict) -> list[str]:
    paragraphs = []
    if facts.election:
        election = facts.election
        elected = [f"{election.chair_name} làm {words['chair']}"]
        elected += [
            f"{name} làm {title}"
            for name, title in zip(
                election.vice_names, vice_titles(facts.is_cluster, len(election.vice_names)), strict=True
            )
        ]
        verb = ELECTION_VERBS[election.method]
        paragraphs.append(f"{verb} {join_names(elected)} {words['group']} năm {election.year}.")
    if facts.handover:
        handover = facts.handover
        what = f"nhiệm vụ {words['chair']} năm {facts.next_year}"
        if handover.flag_handed:
            what += f" và Cờ luân lưu của {words['short']}"
        received = (
            f"; {handover.flag_received_by} thay mặt đơn vị nhận Cờ"
            if handover.flag_handed and handover.flag_received_by
            else ""
        )
        paragraphs.append(f"{handover.outgoing_name} đã bàn giao {what} cho {handover.incoming_name}{received}.")
    return paragraphs


def news_draft(facts: MeetingFacts) -> NewsDraft:
    """The article, sentence by sentence; a sentence appears only for what the meeting recorded."""
    words = bloc_words(facts.is_cluster)
    paragraphs: list[str] = [_opening(facts)]

    guests = [guest_words(name, position, organisation) for name, position, organisation in facts.guests]
    if guests:
        paragraphs.append(
            f"Tham dự Hội nghị có {join_names(guests)} cùng lãnh đạo, cán bộ phụ trách công tác thi đua, khen "
            f"thưởng của các đơn vị thành viên {words['group']}."
        )

    paragraphs.extend(lines(facts.report_summary))
    if facts.all_units_completed:
        paragraphs.append(
            f"Năm {facts.year}, các đơn vị thành viên {words['group']} đều hoàn thành nhiệm vụ được giao."
        )

    directions = lines(facts.directions)
    if directions:
        first, *rest = directions
        paragraphs.append(
            f"Phát huy kết quả đạt được, năm {facts.year + 1} {words['group']} đề ra phương hướng, nhiệm vụ: "
            f"{lower_first(first)}"
        )
        paragraphs.extend(rest)

    paragraphs.extend(_awards_paragraphs(facts, words))
    paragraphs.extend(_seats_paragraphs(facts, words))

    closing = []
    if facts.movement_launched:
        closing.append(f"phát động phong trào thi đua năm {facts.next_year}")
    if facts.pledge:
        closing.append(f"tổ chức ký kết giao ước thi đua năm {facts.pledge.year}")
    if closing:
        paragraphs.append(f"Cũng tại Hội nghị, {words['group']} đã {' và '.join(closing)}./.")
    elif paragraphs:
        paragraphs[-1] = paragraphs[-1].rstrip(".") + "./."

    return NewsDraft(title=_title(facts), paragraphs=paragraphs)


def news_content(facts: MeetingFacts) -> DocumentContent:
    """The news draft as a plain document (the title as its heading, a paragraph per block): the page, the
    PDF and the Word file say the same, from one ``news_draft``."""
    draft = news_draft(facts)
    return DocumentContent(
        kind=PLAIN,
        header=Header(),
        place_name=facts.place_name,
        date=facts.date,
        doc_type=draft.title,
        blocks=[Block(style="para", text=paragraph) for paragraph in draft.paragraphs],
        type_code=NEWS_TYPE_CODE,
        issuer_code=facts.bloc_code,
        numbered=False,
    )
