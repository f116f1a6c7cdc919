"""Shared fixtures and helpers of the meetings tests (no tests here). Import what a module needs:

    from .test_meetings_support import awards, meeting, results, ...  # noqa: F401  (fixtures)

They build on tests/conftest.py: one council (An Giang) with the bloc KTĐ6 of five members from 2018
(protocol order MTTQ, LĐLĐ, LHPN, HND, CCB), seats of 2021 (chair MTTQ, vice-chair LĐLĐ) and the seven
users. ``meeting`` is the year-end conference reviewing 2021, held on 28/12/2021; ``record`` records its
results through the service with sensible defaults that any test may override.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date, time
from io import BytesIO

import pytest
from django.apps import apps
from django.utils import translation

from awards.catalogue import (
    BLOC_EXEMPLARY_COLLECTIVE,
    BLOC_EXEMPLARY_INDIVIDUAL,
    CHAIRMAN_CERTIFICATE,
    PROVINCIAL_FLAG,
)
from awards.models import AwardType, Proposal
from blocs.models import Seat, SeatWrite
from meetings import services
from meetings.models import Meeting, MeetingAttendance, MeetingElection
from pledges import services as pledges_services
from pledges.models import PledgeSignatory

from .conftest import YEAR

MEETING_DAY = date(YEAR, 12, 28)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pypdf extracts it, NFC, white space collapsed (DESIGN section 5)."""
    from pypdf import PdfReader

    return collapse(" ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages))


def pdftotext(pdf: bytes) -> str:
    """The same through poppler's pdftotext, which keeps reading order of two-column headers."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return collapse(result.stdout.decode("utf-8"))


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx (body and table cells), in order, collapsed."""
    from docx import Document

    document = Document(BytesIO(data))
    parts = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    parts.extend(p.text for p in document.paragraphs)
    return collapse(" ".join(parts))


def row_counts() -> dict[str, int]:
    """Rows of every model that a conference's results touch, history tables included."""
    counts = {}
    for label in ("meetings", "awards", "pledges"):
        for model in apps.get_app_config(label).get_models():
            counts[f"{label}.{model.__name__}"] = model.objects.count()
    counts["Seat"] = Seat.objects.count()
    counts["SeatWrite"] = SeatWrite.objects.count()
    counts["HistoricalSeat"] = Seat.history.count()
    return counts


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids), whatever the Vietnamese catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def awards(council) -> dict[str, AwardType]:
    return {t.code: t for t in AwardType.objects.filter(council=council)}


@pytest.fixture
def meeting(bloc, units, seats, users) -> Meeting:
    """The year-end conference of KTĐ6 reviewing 2021, on 28/12/2021, scheduled by the chair."""
    return services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=MEETING_DAY,
        start_time=time(14, 0),
        end_time=time(16, 30),
        place="Hội trường Ủy ban MTTQ tỉnh",
        host_unit=units["chair_unit"],
        presiding_name="Nguyễn Văn Hòa",
        presiding_title="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        secretary_name="Lê Thị Thu",
        secretary_title="Chuyên viên Văn phòng Ủy ban MTTQ tỉnh",
        agenda="Báo cáo tổng kết năm 2021\nBầu Khối trưởng, Khối phó năm 2022",
        guests=[
            services.GuestEntry(position="Đại diện Lãnh đạo", organisation="Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh")
        ],
        by=users["chair"],
    )


@pytest.fixture
def pledge_2022(bloc, units, users):
    """The bloc's 2022 pledge, drafted (the conference opens its signing and all members sign)."""
    pledge = pledges_services.pledge_create(bloc=bloc, year=YEAR + 1, by=users["chair"])
    version = pledge.versions.get()
    pledges_services.pledge_draft_save(
        version=version,
        revision=version.revision,
        title=version.title,
        preamble="Các đơn vị thành viên thống nhất ký kết giao ước thi đua năm 2022.",
        signing_date=MEETING_DAY,
        signing_place="Hội trường Ủy ban MTTQ tỉnh",
        sections=[pledges_services.SectionText("Nội dung giao ước", "1. Hoàn thành 100% chỉ tiêu.")],
        by=users["chair"],
    )
    return pledge


def attendance(units, *, absent=(), representatives="Lãnh đạo đơn vị"):
    keys = ["chair_unit", "vice_unit", "member_unit", "farmers", "veterans"]
    return [
        services.AttendanceEntry(unit=units[key], present=key not in absent, representatives=representatives)
        for key in keys
    ]


@pytest.fixture
def record(meeting, units, awards, users):
    """``record(**overrides)`` records the meeting's results: all five present, the provincial flag for
    LHPN by ballot (5/5/4), certificates for HND and CCB by acclamation, an exemplary collective and an
    exemplary individual of the bloc, LĐLĐ elected chair of 2022 with HND vice-chair by acclamation, the handover
    MTTQ → LĐLĐ with the flag, and the 2022 movement launched. No pledge unless given."""

    def run(**overrides):
        values = {
            "meeting": meeting,
            "attendance": attendance(units),
            "report_summary": "Năm 2021, các đơn vị thành viên hoàn thành xuất sắc nhiệm vụ.",
            "directions": "Tiếp tục đẩy mạnh các phong trào thi đua năm 2022.",
            "votes": [
                services.VoteEntry(
                    award_type=awards[PROVINCIAL_FLAG],
                    unit=units["member_unit"],
                    members_present=5,
                    ballots_cast=5,
                    votes_for=4,
                ),
                services.VoteEntry(award_type=awards[CHAIRMAN_CERTIFICATE], unit=units["farmers"], acclamation=True),
                services.VoteEntry(award_type=awards[CHAIRMAN_CERTIFICATE], unit=units["veterans"], acclamation=True),
            ],
            "bloc_awards": [
                services.BlocAwardEntry(
                    award_type=awards[BLOC_EXEMPLARY_COLLECTIVE], unit=units["vice_unit"], collective_name="Ban Tổ chức"
                ),
                services.BlocAwardEntry(
                    award_type=awards[BLOC_EXEMPLARY_INDIVIDUAL],
                    unit=units["member_unit"],
                    person_name="Trần Thị Mai",
                    person_position="Phó Chủ tịch",
                ),
            ],
            "election": services.ElectionEntry(
                chair=units["vice_unit"], vice_chairs=[units["farmers"]], method=MeetingElection.Method.ACCLAMATION
            ),
            "handover": services.HandoverEntry(
                outgoing=units["chair_unit"], incoming=units["vice_unit"], flag_handed=True
            ),
            "pledge_signing": None,
            "movement": services.MovementEntry(launched=True, text="Hội nghị phát động phong trào thi đua năm 2022."),
            "by": users["chair"],
        }
        values.update(overrides)
        result = services.meeting_record_results(**values)
        meeting.refresh_from_db()
        return result

    return run


def proposals_of(bloc, year=YEAR):
    return Proposal.objects.filter(bloc=bloc, year=year)


def attendance_of(meeting):
    return MeetingAttendance.objects.filter(meeting=meeting)


def signatures_of(bloc):
    return PledgeSignatory.objects.filter(version__pledge__bloc=bloc, signed_on__isnull=False)
