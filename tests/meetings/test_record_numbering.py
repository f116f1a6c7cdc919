"""The minutes number the sections of each part 1, 2, 3 … in the order printed, with no gap, whichever facts
were recorded: a section appears only for what was recorded ("say only what happened", docs/domain.md), so
its number depends on the sections before it. A part I with nothing recorded of who attended prints no
"I. THÀNH PHẦN THAM DỰ" heading at all. Built from plain facts (no database) so that every combination of
part I's four facts is checked; the PDF of the fullest and of the emptiest case prints the same numbers."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

import pytest

from documents.content import DocumentContent, Header
from meetings.content import (
    AttendanceFact,
    BlocAwardFact,
    ElectionFact,
    HandedOverFact,
    HandoverFact,
    MeetingFacts,
    PledgeFact,
    VoteFact,
    minutes_content,
)
from meetings.models import AttendanceState, Meeting
from meetings.printing import minutes_pdf_render

from ..fixtures.meetings import pdf_text

PART_ONE = "I. THÀNH PHẦN THAM DỰ"
PART_TWO = "II. NỘI DUNG HỘI NGHỊ"
NUMBERED = re.compile(r"^(\d+)\. ")


def bare_facts() -> MeetingFacts:
    """A year-end conference with nothing optional recorded."""
    return MeetingFacts(
        bloc_name="Khối thi đua các cơ quan Đảng, đoàn thể tỉnh",
        bloc_code="KTĐ6",
        is_cluster=False,
        header=Header(parent_lines=["HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG TỈNH"], body_lines=["KHỐI THI ĐUA SỐ 6"]),
        place_name="An Giang",
        kind=Meeting.Kind.YEAR_END,
        year=2021,
        title="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021",
        date=date(2021, 12, 28),
        start_time=None,
        end_time=None,
        place="",
        host_unit_name="",
        presiding_name="",
        presiding_title="",
        secretary_name="",
        secretary_title="",
        agenda="",
        guests=[],
        members=[
            AttendanceFact(unit_name="Liên đoàn Lao động tỉnh", present=True),
            AttendanceFact(unit_name="Hội Nông dân tỉnh", present=False),
        ],
        report_summary="",
        directions="",
        votes=[],
        bloc_awards=[],
        election=None,
        handover=None,
        pledge=None,
        movement_launched=False,
        movement_text="",
        attendance_state=AttendanceState.NOT_RECORDED,
    )


# Part I: each fact, in the order printed, and the start of its numbered line.
PART_ONE_FACTS = {
    "guests": ({"guests": [("Bà Trần Thị B", "Phó Chủ tịch", "UBND tỉnh")]}, "Khách mời:"),
    "attendance": ({"attendance_state": AttendanceState.LIST}, "Các đơn vị thành viên"),
    "presiding": ({"presiding_name": "Ông Nguyễn Văn A"}, "Chủ tọa Hội nghị:"),
    "secretary": ({"secretary_title": "Chánh Văn phòng"}, "Thư ký Hội nghị:"),
}

# Part II: the facts that open a section (the report's summary and "all units completed" share one).
PART_TWO_FACTS = {
    "agenda": ({"agenda": "Khai mạc\nBáo cáo tổng kết"}, "Chương trình Hội nghị"),
    "report": ({"report_summary": "Năm 2021 các đơn vị đã …"}, "Kết quả công tác thi đua"),
    "completed": ({"all_units_completed": True}, "Kết quả công tác thi đua"),
    "directions": ({"directions": "Tiếp tục đổi mới …"}, "Phương hướng, nhiệm vụ năm 2022"),
    "votes": (
        {"votes": [VoteFact("Cờ thi đua của UBND tỉnh", "Hội Nông dân tỉnh", "", None, None, None, False)]},
        "Bình xét, suy tôn",
    ),
    "bloc_awards": (
        {"bloc_awards": [BlocAwardFact("Giấy khen của Khối", False, "Hội Nông dân tỉnh", "")]},
        "Khen thưởng của Khối",
    ),
    "handed_over": (
        {"handed_over": [HandedOverFact("Bằng khen của Thủ tướng", "Hội Nông dân tỉnh", "")]},
        "Trao khen thưởng",
    ),
    "election": (
        {"election": ElectionFact(year=2022, chair_name="Hội Nông dân tỉnh", vice_names=["Liên đoàn Lao động tỉnh"])},
        "Bầu Khối trưởng",
    ),
    "handover": (
        {"handover": HandoverFact("Liên đoàn Lao động tỉnh", "Hội Nông dân tỉnh", flag_handed=False)},
        "Bàn giao nhiệm vụ",
    ),
    "pledge": ({"pledge": PledgeFact(2022, date(2021, 12, 28), 2, 2)}, "Ký kết Giao ước thi đua"),
    "movement": ({"movement_launched": True}, "Phát động phong trào thi đua"),
}


def facts_with(table: dict, names) -> MeetingFacts:
    values: dict = {}
    for name in names:
        values.update(table[name][0])
    return replace(bare_facts(), **values)


def part(content: DocumentContent, heading: str) -> list[str]:
    """The numbered sub-headings of one part, as printed, without their numbers checked."""
    texts = [(block.style, block.text) for block in content.blocks]
    start = texts.index(("heading", heading)) + 1
    rest = texts[start:]
    end = next((i for i, (style, _text) in enumerate(rest) if style == "heading"), len(rest))
    return [text for style, text in rest[:end] if style in ("subheading", "bold")]


def expected_lines(table: dict, present: list[str]) -> list[str]:
    """'1. Khách mời:', '2. Các đơn vị thành viên' …: the facts' sections numbered from 1 in order."""
    starts = list(dict.fromkeys(table[name][1] for name in table if name in present))
    return [f"{number}. {start}" for number, start in enumerate(starts, start=1)]


def assert_numbered(lines: list[str], expected: list[str]) -> None:
    assert [NUMBERED.match(line).group(1) if NUMBERED.match(line) else line for line in lines] == [
        str(number) for number in range(1, len(expected) + 1)
    ], lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


PART_ONE_COMBINATIONS = [
    [name for name, on in zip(PART_ONE_FACTS, flags, strict=True) if on]
    for flags in itertools.product([True, False], repeat=len(PART_ONE_FACTS))
]


@pytest.mark.parametrize("present", PART_ONE_COMBINATIONS, ids=lambda names: "+".join(names) or "nothing")
def test_part_one_is_numbered_from_one_without_a_gap(present):
    content = minutes_content(facts_with(PART_ONE_FACTS, present))
    headings = [block.text for block in content.blocks if block.style == "heading"]
    if not present:
        assert headings == [PART_TWO], "nothing recorded of who attended: no empty part I heading"
        return
    assert headings[:2] == [PART_ONE, PART_TWO]
    assert_numbered(part(content, PART_ONE), expected_lines(PART_ONE_FACTS, present))


def _part_two_cases() -> list[list[str]]:
    """Nothing, each fact alone, every fact but one, and all of them."""
    names = list(PART_TWO_FACTS)
    return [[], *([name] for name in names), *([n for n in names if n != name] for name in names), names]


@pytest.mark.parametrize("present", _part_two_cases(), ids=lambda names: "+".join(names) or "nothing")
def test_part_two_is_numbered_from_one_without_a_gap(present):
    content = minutes_content(facts_with(PART_TWO_FACTS, present))
    assert_numbered(part(content, PART_TWO), expected_lines(PART_TWO_FACTS, present))


def pdf_of(facts: MeetingFacts) -> str:
    return pdf_text(minutes_pdf_render(content=minutes_content(facts), number_text="…/BB-KTĐ6", draft=True))


def test_the_pdf_prints_the_same_numbers():
    text = pdf_of(facts_with(PART_ONE_FACTS, list(PART_ONE_FACTS)))
    positions = [
        text.index(line)
        for line in ["1. Khách mời:", "2. Các đơn vị thành viên", "3. Chủ tọa Hội nghị:", "4. Thư ký Hội nghị:"]
    ]
    assert positions == sorted(positions)
    assert "3. Các đơn vị thành viên" not in text

    empty = pdf_of(bare_facts())
    assert "THÀNH PHẦN THAM DỰ" not in empty
    assert PART_TWO in empty
