"""Meetings: scheduling, the one-transaction results entry (and a failure half-way that leaves nothing
behind), the rules, re-recording, the minutes' versions, PDF and Word content, scans, the news draft, the
dossier check and the home page."""

from __future__ import annotations

import hashlib
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import registry as awards_registry
from awards import services as awards_services
from awards.catalogue import BLOC_EXEMPLARY_COLLECTIVE, CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG, THEMATIC_CERTIFICATE
from awards.models import Proposal
from blocs.models import Membership, Seat, SeatWrite
from blocs.registry import home_providers
from documents.models import IssuedDocument
from meetings import providers, services
from meetings.content import meeting_facts, minutes_content
from meetings.models import (
    Meeting,
    MeetingBlocAward,
    MeetingElection,
    MeetingHandover,
    MeetingPledgeSigning,
    MeetingProposalVote,
    MinutesScan,
    MinutesVersion,
)
from meetings.news import news_draft
from meetings.printing import minutes_docx, minutes_pdf_render, version_content, version_number_text
from pledges.models import PledgeVersion

from ..conftest import YEAR
from ..fixtures.meetings import (
    MEETING_DAY,
    PDF,
    PNG,
    attendance,
    attendance_of,
    docx_text,
    pdf_text,
    proposals_of,
    row_counts,
    signatures_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# Scheduling ------------------------------------------------------------------------------------------


def test_scheduling_keeps_the_schedule_guests_and_agenda(meeting, units):
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.display_title == "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021"
    assert meeting.host_unit == units["chair_unit"]
    assert [(g.position, g.organisation) for g in meeting.guests.all()] == [
        ("Đại diện Lãnh đạo", "Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh")
    ]


def test_one_year_end_conference_per_bloc_year(meeting, bloc, users):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_schedule(
            bloc=bloc, kind=Meeting.Kind.YEAR_END, year=YEAR, date=MEETING_DAY, start_time=time(8), place="X", by=None
        )
    assert "year" in errors_of(excinfo)
    # Other kinds are not limited.
    services.meeting_schedule(
        bloc=bloc, kind=Meeting.Kind.MID_YEAR, year=YEAR, date=MEETING_DAY, start_time=time(8), place="X", by=None
    )
    assert Meeting.objects.filter(bloc=bloc, year=YEAR).count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"end_time": time(7)}, "end_time"),
        ({"kind": Meeting.Kind.OTHER}, "title"),
        ({"host_unit": "outside_unit"}, "host_unit"),
    ],
)
def test_bad_schedules_are_refused_per_field(bloc, units, values, field):
    if values.get("host_unit"):
        values = {**values, "host_unit": units[values["host_unit"]]}
    arguments = {
        "bloc": bloc,
        "kind": Meeting.Kind.YEAR_END,
        "year": YEAR,
        "date": MEETING_DAY,
        "start_time": time(8),
        "place": "Hội trường",
        "by": None,
        **values,
    }
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_schedule(**arguments)
    assert field in errors_of(excinfo)
    assert not Meeting.objects.exists()


def test_a_scheduled_meeting_can_be_cancelled_but_not_a_held_one(meeting, record):
    other = services.meeting_schedule(
        bloc=meeting.bloc,
        kind=Meeting.Kind.MID_YEAR,
        year=YEAR,
        date=MEETING_DAY,
        start_time=time(8),
        place="X",
        by=None,
    )
    services.meeting_delete(meeting=other, by=None)
    assert not Meeting.objects.filter(pk=other.pk).exists()
    record()
    with pytest.raises(ValidationError):
        services.meeting_delete(meeting=meeting, by=None)


# Recording the results -------------------------------------------------------------------------------


def test_results_are_recorded_through_the_other_apps_services(meeting, record, bloc, units, users):
    record()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.results_recorded_by == users["chair"]
    assert attendance_of(meeting).filter(present=True).count() == 5

    # awards: three proposals with their tallies, two bloc-issued awards decided at the conference.
    flag = Proposal.objects.get(bloc=bloc, year=YEAR, award_type__code=PROVINCIAL_FLAG)
    assert (flag.unit, flag.members_present, flag.ballots_cast, flag.votes_for) == (units["member_unit"], 5, 5, 4)
    assert flag.status == Proposal.Status.DRAFT
    certificates = Proposal.objects.filter(bloc=bloc, year=YEAR, award_type__code=CHAIRMAN_CERTIFICATE)
    assert {p.unit.code for p in certificates} == {"HND", "CCB"} and all(p.acclamation for p in certificates)
    own = Proposal.objects.filter(bloc=bloc, year=YEAR, award_type__authority="bloc")
    assert own.count() == 2
    assert all(p.status == Proposal.Status.DECIDED and p.conference_date == MEETING_DAY for p in own)
    assert all(p.meeting_ref == services.meeting_reference(meeting) for p in own)
    assert {p.recipient_name for p in own} == {"Ban Tổ chức, Liên đoàn Lao động tỉnh", "Trần Thị Mai"}

    # The links keep a snapshot of what the conference decided.
    votes = list(MeetingProposalVote.objects.filter(meeting=meeting).order_by("order"))
    assert [(v.award_type_name, v.recipient_name, v.votes_for, v.acclamation) for v in votes] == [
        ("Cờ thi đua của UBND tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", 4, False),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Hội Nông dân tỉnh", None, True),
        ("Bằng khen của Chủ tịch UBND tỉnh", "Hội Cựu chiến binh tỉnh", None, True),
    ]
    assert MeetingBlocAward.objects.filter(meeting=meeting).count() == 2

    # blocs: the 2022 seats, written by the conference.
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LDLD", 0), ("HND", 1)]
    write = SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1).get()
    assert write.source == SeatWrite.Source.CONFERENCE and write.written_by == users["chair"]
    assert MeetingElection.objects.get(meeting=meeting).seat_write == write

    handover = MeetingHandover.objects.get(meeting=meeting)
    assert (handover.outgoing_unit.code, handover.incoming_unit.code, handover.flag_handed) == ("MTTQ", "LDLD", True)
    # The minutes start as a draft that follows the record.
    assert [(v.number, v.state) for v in MinutesVersion.objects.filter(minutes__meeting=meeting)] == [(1, "draft")]


def test_recording_again_updates_instead_of_duplicating(meeting, record, bloc, units, awards):
    record()
    before = row_counts()
    record()  # the same results again: nothing new, no seats written again
    after = row_counts()
    for name in ("awards.Proposal", "meetings.MeetingProposalVote", "meetings.MeetingBlocAward", "SeatWrite", "Seat"):
        assert after[name] == before[name], name

    changed = [
        services.VoteEntry(
            award_type=awards[PROVINCIAL_FLAG],
            unit=units["member_unit"],
            members_present=5,
            ballots_cast=5,
            votes_for=5,
        ),
        services.VoteEntry(award_type=awards[CHAIRMAN_CERTIFICATE], unit=units["farmers"], acclamation=True),
    ]
    record(votes=changed)
    flag = Proposal.objects.get(bloc=bloc, year=YEAR, award_type=awards[PROVINCIAL_FLAG])
    assert flag.votes_for == 5
    assert MeetingProposalVote.objects.get(meeting=meeting, proposal=flag).votes_for == 5
    # The row left out was a draft made by this meeting: it goes, through awards.
    assert not Proposal.objects.filter(
        bloc=bloc, year=YEAR, award_type=awards[CHAIRMAN_CERTIFICATE], unit=units["veterans"]
    ).exists()
    assert MeetingProposalVote.objects.filter(meeting=meeting).count() == 2


def test_an_election_of_the_seats_already_set_writes_nothing_new(meeting, record, bloc, units, users):
    from blocs.services import seats_set

    seats_set(
        bloc=bloc,
        year=YEAR + 1,
        chair=units["vice_unit"],
        vice_chairs=[units["farmers"]],
        by=users["chair"],
        source=SeatWrite.Source.ROTATION,
    )
    record()
    write = SeatWrite.objects.get(bloc=bloc, year=YEAR + 1)
    assert write.source == SeatWrite.Source.ROTATION
    assert MeetingElection.objects.get(meeting=meeting).seat_write == write


def test_a_new_election_writes_the_seats_again(meeting, record, bloc, units):
    record()
    record(
        election=services.ElectionEntry(chair=units["member_unit"], vice_chairs=[units["veterans"], units["farmers"]]),
        handover=services.HandoverEntry(outgoing=units["chair_unit"], incoming=units["member_unit"]),
    )
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LHPN", 0), ("CCB", 1), ("HND", 2)]
    assert SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1, source=SeatWrite.Source.CONFERENCE).count() == 2
    assert [s.unit_name for s in MeetingElection.objects.get(meeting=meeting).seats.order_by("rank")] == [
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Cựu chiến binh tỉnh",
        "Hội Nông dân tỉnh",
    ]


def test_an_existing_proposal_with_the_same_tally_is_linked_not_changed(meeting, record, bloc, units, awards, users):
    """A proposal entered in awards before the minutes (even already submitted) is found again and linked."""
    proposal = awards_services.proposal_save(
        bloc=bloc,
        year=YEAR,
        award_type=awards[THEMATIC_CERTIFICATE],
        unit=units["member_unit"],
        tally=awards_services.Tally(acclamation=True),
        by=users["chair"],
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.SUBMITTED)
    record(
        votes=[services.VoteEntry(award_type=awards[THEMATIC_CERTIFICATE], unit=units["member_unit"], acclamation=True)]
    )
    assert MeetingProposalVote.objects.get(meeting=meeting).proposal_id == proposal.pk
    assert proposals_of(bloc).filter(award_type=awards[THEMATIC_CERTIFICATE]).count() == 1
    # A different tally on a proposal that went out is refused next to the row, and nothing is saved.
    with pytest.raises(ValidationError) as excinfo:
        record(
            votes=[
                services.VoteEntry(
                    award_type=awards[THEMATIC_CERTIFICATE],
                    unit=units["member_unit"],
                    members_present=5,
                    ballots_cast=5,
                    votes_for=3,
                )
            ]
        )
    assert "votes-0-__all__" in errors_of(excinfo)


def test_a_failure_half_way_leaves_nothing_behind(meeting, record, bloc, units, pledge_2022):
    """Attendance, votes and awards are written first (each in its own savepoint), then the election
    fails: the whole transaction rolls back — no proposal, seat, seat write, pledge signature, attendance
    row, link or minutes survives."""
    Membership.objects.filter(bloc=bloc, unit=units["farmers"]).update(last_year=YEAR)  # not a member in 2022
    before = row_counts()
    signatures = signatures_of(bloc).count()
    with pytest.raises(ValidationError) as excinfo:
        record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    assert list(errors_of(excinfo)) == ["election_vice_1"]
    assert "not a member of the bloc in 2022" in errors_of(excinfo)["election_vice_1"][0]
    assert row_counts() == before
    assert signatures_of(bloc).count() == signatures == 0
    assert proposals_of(bloc).count() == 0
    assert not Seat.objects.filter(bloc=bloc, year=YEAR + 1).exists()
    assert attendance_of(meeting).count() == 0
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.report_summary == ""
    assert PledgeVersion.objects.get(pledge=pledge_2022).state == PledgeVersion.State.DRAFTING


def test_an_error_inside_an_inner_service_rolls_everything_back_too(meeting, record, units, awards):
    """awards refuses a recipient outside the bloc: the error lands on that row's unit field."""
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        record(
            votes=[services.VoteEntry(award_type=awards[PROVINCIAL_FLAG], unit=units["outside_unit"], acclamation=True)]
        )
    assert "votes-0-unit" in errors_of(excinfo)
    assert row_counts() == before


def test_every_error_is_reported_at_once_keyed_to_its_field(meeting, record, units, awards):
    with pytest.raises(ValidationError) as excinfo:
        record(
            votes=[
                services.VoteEntry(
                    award_type=awards[PROVINCIAL_FLAG], unit=units["member_unit"], ballots_cast=5, votes_for=6
                ),
                services.VoteEntry(
                    award_type=awards[BLOC_EXEMPLARY_COLLECTIVE], unit=units["farmers"], acclamation=True
                ),
            ],
            bloc_awards=[services.BlocAwardEntry(award_type=awards[PROVINCIAL_FLAG], unit=units["farmers"])],
            election=services.ElectionEntry(chair=units["vice_unit"], vice_chairs=[units["vice_unit"]]),
        )
    errors = errors_of(excinfo)
    assert "Votes for (6) cannot exceed ballots cast (5)." in errors["votes-0-votes_for"]
    assert "votes-1-award_type" in errors  # a bloc-issued award is not voted as a proposal
    assert "awards-0-award_type" in errors  # and a proposal's award is not the bloc's own
    assert "cannot be elected Bloc chair and Bloc vice-chair" in errors["election_vice_1"][0]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("attendance_outsider", "attendance-5-unit"),
        ("nobody_present", "attendance"),
        ("ballots_over_present", "votes-0-ballots_cast"),
        ("present_over_attendance", "votes-0-members_present"),
        ("acclamation_with_ballots", "votes-0-acclamation"),
        ("votes_without_ballots", "votes-0-ballots_cast"),
        ("chair_not_member_next_year", "election_chair"),
        ("incoming_not_elected", "handover_incoming"),
        ("outgoing_not_member", "handover_outgoing"),
    ],
)
def test_the_rules_each_refused_next_to_its_field(meeting, record, bloc, units, awards, change, key):
    flag = awards[PROVINCIAL_FLAG]
    overrides = {
        "attendance_outsider": {
            "attendance": [*attendance(units), services.AttendanceEntry(unit=units["outside_unit"], present=True)]
        },
        "nobody_present": {
            "attendance": attendance(units, absent=["chair_unit", "vice_unit", "member_unit", "farmers", "veterans"])
        },
        "ballots_over_present": {
            "votes": [
                services.VoteEntry(
                    award_type=flag, unit=units["member_unit"], members_present=4, ballots_cast=5, votes_for=3
                )
            ]
        },
        "present_over_attendance": {
            "attendance": attendance(units, absent=["veterans"]),
            "votes": [
                services.VoteEntry(
                    award_type=flag, unit=units["member_unit"], members_present=5, ballots_cast=4, votes_for=3
                )
            ],
        },
        "acclamation_with_ballots": {
            "votes": [
                services.VoteEntry(
                    award_type=flag, unit=units["member_unit"], ballots_cast=5, votes_for=5, acclamation=True
                )
            ]
        },
        "votes_without_ballots": {
            "votes": [services.VoteEntry(award_type=flag, unit=units["member_unit"], members_present=5, votes_for=4)]
        },
        "chair_not_member_next_year": {},
        "incoming_not_elected": {
            "handover": services.HandoverEntry(outgoing=units["chair_unit"], incoming=units["farmers"])
        },
        "outgoing_not_member": {
            "handover": services.HandoverEntry(outgoing=units["outside_unit"], incoming=units["vice_unit"])
        },
    }[change]
    if change == "chair_not_member_next_year":
        Membership.objects.filter(bloc=bloc, unit=units["vice_unit"]).update(last_year=YEAR)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        record(**overrides)
    assert key in errors_of(excinfo), errors_of(excinfo)
    assert row_counts() == before


def test_results_cannot_be_recorded_before_the_meeting(bloc, units, users):
    from datetime import timedelta

    from django.utils import timezone

    future = services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=timezone.localdate() + timedelta(days=3),
        start_time=time(8),
        place="X",
        by=None,
    )
    with pytest.raises(ValidationError):
        services.meeting_record_results(meeting=future, attendance=attendance(units), by=users["chair"])


# The pledge signed at the meeting --------------------------------------------------------------------


def test_the_pledge_is_signed_by_the_members_present_on_the_meeting_date(meeting, record, bloc, pledge_2022):
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    version = pledge_2022.versions.get()
    assert version.state == PledgeVersion.State.FINAL
    assert set(version.signatories.values_list("signed_on", flat=True)) == {MEETING_DAY}
    signing = MeetingPledgeSigning.objects.get(meeting=meeting)
    assert (signing.version_id, signing.pledge_year, signing.units_signed, signing.units_total) == (
        version.pk,
        2022,
        5,
        5,
    )
    # Recording again links the same signing; nothing is signed twice.
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    assert signatures_of(bloc).count() == 5


def test_an_absent_unit_does_not_sign_at_the_meeting(meeting, record, units, pledge_2022):
    record(
        attendance=attendance(units, absent=["veterans"]),
        votes=[],
        pledge_signing=services.PledgeSigningEntry(year=YEAR + 1),
    )
    version = pledge_2022.versions.get()
    assert version.state == PledgeVersion.State.SIGNING
    assert not version.signatories.get(unit=units["veterans"]).is_signed
    assert MeetingPledgeSigning.objects.get(meeting=meeting).units_signed == 4


def test_a_pledge_that_does_not_exist_is_an_error_next_to_the_year(meeting, record):
    with pytest.raises(ValidationError) as excinfo:
        record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    assert "has no pledge for 2022" in errors_of(excinfo)["pledge_year"][0]


# Minutes: content, versions, PDF, Word, scans ---------------------------------------------------------


def test_the_minutes_say_what_happened(meeting, record, pledge_2022):
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    content = minutes_content(meeting_facts(meeting))
    text = content.text()
    assert content.subject == "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021"
    for expected in [
        "Vào lúc 14 giờ 00 phút, ngày 28 tháng 12 năm 2021, tại Hội trường Ủy ban MTTQ tỉnh, "
        "Khối thi đua các tổ chức chính trị - xã hội tổ chức Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021",
        "Đại diện Lãnh đạo, Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh;",
        "Các đơn vị thành viên Khối thi đua (có mặt 5/5 đơn vị):",
        "Chủ tọa Hội nghị: Nguyễn Văn Hòa, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.",
        "Thư ký Hội nghị: Lê Thị Thu, Chuyên viên Văn phòng Ủy ban MTTQ tỉnh.",
        "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh (4/5 phiếu tán thành, đạt 80%; 5 đơn vị có mặt);",
        "Bằng khen của Chủ tịch UBND tỉnh: Hội Nông dân tỉnh (thống nhất);",
        "Hội nghị đã khen thưởng 1 tập thể điển hình tiên tiến và 1 cá nhân điển hình tiên tiến",
        "Trần Thị Mai, Phó Chủ tịch, Hội Liên hiệp Phụ nữ tỉnh;",
        "Hội nghị thống nhất bầu Liên đoàn Lao động tỉnh làm Khối trưởng, Hội Nông dân tỉnh làm Khối phó "
        "Khối thi đua năm 2022.",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh (Khối trưởng năm 2021) bàn giao nhiệm vụ Khối trưởng năm 2022 "
        "và Cờ luân lưu của Khối cho Liên đoàn Lao động tỉnh.",
        "Tại Hội nghị, 5/5 đơn vị thành viên đã ký kết Giao ước thi đua năm 2022.",
        "Hội nghị phát động phong trào thi đua năm 2022.",
        "Hội nghị kết thúc vào lúc 16 giờ 30 phút cùng ngày./.",
    ]:
        assert expected in text, expected


def test_no_flag_is_mentioned_where_none_was_handed_over(meeting, record, units):
    record(
        handover=services.HandoverEntry(outgoing=units["chair_unit"], incoming=units["vice_unit"], flag_handed=False)
    )
    text = minutes_content(meeting_facts(meeting)).text()
    assert "bàn giao nhiệm vụ Khối trưởng năm 2022 cho Liên đoàn Lao động tỉnh" in text
    assert "cờ luân lưu" not in text.lower()


def test_only_what_happened_no_handover_no_pledge_no_awards(meeting, record):
    record(votes=[], bloc_awards=[], handover=None, movement=None)
    text = minutes_content(meeting_facts(meeting)).text()
    for absent in ["Bàn giao", "Giao ước", "Bình xét", "Khen thưởng của", "Phát động"]:
        assert absent not in text, absent


def test_the_draft_pdf_is_marked_and_states_the_facts(meeting, record):
    record()
    version = services.minutes_current(meeting)
    content = version_content(version, meeting)
    text = pdf_text(minutes_pdf_render(content=content, number_text=version_number_text(version, content), draft=True))
    for expected in [
        "DỰ THẢO",
        "Số: …/BB-KTĐ6",
        "An Giang, ngày 28 tháng 12 năm 2021",
        "BIÊN BẢN",
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021",
        "Vào lúc 14 giờ 00 phút, ngày 28 tháng 12 năm 2021",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Hội Cựu chiến binh tỉnh",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Lê Thị Thu",
        "Nguyễn Văn Hòa",
        "Hội nghị kết thúc vào lúc 16 giờ 30 phút cùng ngày",
    ]:
        assert expected in text, expected


def test_the_word_document_has_the_same_content(meeting, record):
    record()
    version = services.minutes_current(meeting)
    content = version_content(version, meeting)
    data = minutes_docx(content=content, number_text="…/BB-KTĐ6", draft=True)
    text = docx_text(data)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: …/BB-KTĐ6",
        "An Giang, ngày 28 tháng 12 năm 2021",
        "DỰ THẢO",
        "BIÊN BẢN",
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021",
        "THƯ KÝ",
        "CHỦ TỌA",
    ]:
        assert expected in text, expected
    for block in content.blocks:  # every block of the PDF's content, in the Word document too
        assert block.text in text, block.text

    from io import BytesIO

    from docx import Document

    document = Document(BytesIO(data))
    body = [p for p in document.paragraphs if p.text.startswith("Vào lúc")][0]
    assert body.runs[0].font.name == "Times New Roman"
    assert body.runs[0].font.size.pt == 14
    assert round(document.sections[0].left_margin.mm) == 30


def test_finalising_issues_the_numbered_pdf_with_its_checksum(
    meeting, record, users, django_capture_on_commit_callbacks
):
    record()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.minutes_finalise(meeting=meeting, by=users["chair"])
    version.refresh_from_db()
    assert version.is_final and version.content and version.finalised_by == users["chair"]
    document = version.document
    assert (
        document.number_text == "01/BB-KTĐ6"
        and document.doc_type == "BB"
        and document.issuer == f"bloc:{meeting.bloc_id}"
    )
    with document.file.open("rb") as handle:
        pdf = handle.read()
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    text = pdf_text(pdf)
    assert "Số: 01/BB-KTĐ6" in text
    assert "DỰ THẢO" not in text


def test_final_minutes_need_a_correction_before_the_record_changes(
    meeting, record, users, django_capture_on_commit_callbacks
):
    record()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.minutes_finalise(meeting=meeting, by=users["chair"])
    first.refresh_from_db()
    first_sha = first.document.sha256

    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        record(report_summary="Sửa lại.")
    assert "Start a correction" in excinfo.value.messages[0]
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=None, place="Nơi khác")
    assert row_counts() == before

    with pytest.raises(ValidationError) as excinfo:
        services.minutes_correction_start(meeting=meeting, reason="  ", by=users["chair"])
    assert "reason" in errors_of(excinfo)
    second = services.minutes_correction_start(meeting=meeting, reason="Sửa số phiếu bầu", by=users["chair"])
    assert (second.number, second.state, second.reason) == (2, "draft", "Sửa số phiếu bầu")
    with pytest.raises(ValidationError):  # one correction at a time
        services.minutes_correction_start(meeting=meeting, reason="Lần nữa", by=users["chair"])

    record(report_summary="Năm 2021 (bản sửa đổi).")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_finalise(meeting=meeting, by=users["chair"])
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.document.number_text == "02/BB-KTĐ6"
    # The first version is unchanged: its content, its PDF and its checksum.
    assert first.document.sha256 == first_sha
    with first.document.file.open("rb") as handle:
        old = handle.read()
    assert hashlib.sha256(old).hexdigest() == first_sha
    assert "Năm 2021, các đơn vị thành viên hoàn thành xuất sắc nhiệm vụ." in pdf_text(old)
    assert "bản sửa đổi" not in pdf_text(old)
    assert "Năm 2021 (bản sửa đổi)." in version_content(second, meeting).text()


def test_a_render_failure_keeps_the_final_minutes_and_takes_no_number(
    meeting, record, users, monkeypatch, django_capture_on_commit_callbacks
):
    record()

    def broken(**kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr("meetings.printing.minutes_pdf_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_finalise(meeting=meeting, by=users["chair"])
    version = services.minutes_current(meeting)
    assert version.is_final and version.document is None
    assert "font missing" in version.pdf_error
    assert not IssuedDocument.objects.exists()

    monkeypatch.undo()
    document = services.minutes_pdf_issue(version=version, by=users["chair"])
    version.refresh_from_db()
    assert version.document == document and document.number_text == "01/BB-KTĐ6" and version.pdf_error == ""


def test_finalising_needs_results_and_a_draft(meeting, users):
    with pytest.raises(ValidationError):
        services.minutes_finalise(meeting=meeting, by=users["chair"])


def test_scans_follow_the_upload_rules(meeting, record, users, settings):
    record()
    version = services.minutes_current(meeting)
    with pytest.raises(ValidationError) as excinfo:  # a draft has no signed paper yet
        services.minutes_scan_upload(version=version, file=SimpleUploadedFile("bb.pdf", PDF), by=users["chair"])
    assert "file" in errors_of(excinfo)
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    version.refresh_from_db()

    first = services.minutes_scan_upload(
        version=version, file=SimpleUploadedFile("bien-ban.pdf", PDF), by=users["chair"]
    )
    assert (first.kind, first.sha256, first.original_name) == ("pdf", hashlib.sha256(PDF).hexdigest(), "bien-ban.pdf")
    with pytest.raises(ValidationError) as excinfo:  # a renamed file is recognised by its content
        services.minutes_scan_upload(
            version=version, file=SimpleUploadedFile("bb.pdf", b"PK\x03\x04 zip"), by=users["chair"]
        )
    assert "file" in errors_of(excinfo)
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.minutes_scan_upload(version=version, file=SimpleUploadedFile("bb.png", PNG), by=users["chair"])
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    # A refused upload leaves the previous scan in place; a new one becomes the current one.
    assert list(version.scans.all()) == [first]
    second = services.minutes_scan_upload(version=version, file=SimpleUploadedFile("bb.png", PNG), by=users["chair"])
    assert list(version.scans.all()) == [second, first]
    assert MinutesScan.objects.count() == 2


# News draft ------------------------------------------------------------------------------------------


def test_the_news_draft_tells_the_conference_in_the_articles_style(meeting, record, pledge_2022):
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    draft = news_draft(meeting_facts(meeting))
    assert draft.title == "Khối thi đua các tổ chức chính trị - xã hội tổng kết công tác thi đua, khen thưởng năm 2021"
    text = draft.text
    for expected in [
        "Chiều 28/12/2021, Khối thi đua các tổ chức chính trị - xã hội, gồm các đơn vị: Ủy ban Mặt trận Tổ quốc "
        "Việt Nam tỉnh; Liên đoàn Lao động tỉnh; Hội Liên hiệp Phụ nữ tỉnh; Hội Nông dân tỉnh và Hội Cựu chiến "
        "binh tỉnh,",
        "Tham dự Hội nghị có Đại diện Lãnh đạo, Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh",
        "Năm 2021, các đơn vị thành viên hoàn thành xuất sắc nhiệm vụ.",
        "các đại biểu đã bỏ phiếu bình xét, suy tôn và đề nghị tặng Cờ thi đua của UBND tỉnh cho Hội Liên hiệp Phụ nữ "
        "tỉnh; Bằng khen của Chủ tịch UBND tỉnh cho Hội Nông dân tỉnh và Hội Cựu chiến binh tỉnh.",
        "Hội nghị thống nhất bầu Liên đoàn Lao động tỉnh làm Khối trưởng và Hội Nông dân tỉnh làm Khối phó "
        "Khối thi đua năm 2022.",
        "bàn giao nhiệm vụ Khối trưởng năm 2022 và Cờ luân lưu của Khối cho Liên đoàn Lao động tỉnh.",
        "đã phát động phong trào thi đua năm 2022 và tổ chức ký kết giao ước thi đua năm 2022./.",
    ]:
        assert expected in text, expected


# The award dossier and the home page ------------------------------------------------------------------


def test_the_dossier_needs_the_final_minutes_of_the_year_end_conference(meeting, record, bloc, users):
    assert providers.minutes_final_check in awards_registry.dossier_checks
    assert providers.minutes_final_check(bloc=bloc, year=YEAR, proposals=[]) == []
    record()
    proposals = list(proposals_of(bloc).exclude(award_type__authority="bloc"))
    problems = awards_services.dossier_check(bloc=bloc, year=YEAR, proposals=proposals)
    assert "The minutes of the year-end conference of 2021 are not final yet." in problems
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    assert providers.minutes_final_check(bloc=bloc, year=YEAR, proposals=proposals) == []
    other_year = providers.minutes_final_check(bloc=bloc, year=YEAR - 1, proposals=proposals)
    assert "record the conference first" in other_year[0]


def test_home_shows_the_conference_state_and_reminds_the_chair(meeting, record, bloc, users):
    assert providers.home_provider in home_providers
    chair = providers.home_provider(users["chair"], YEAR, [bloc])
    assert "scheduled 28/12/2021" in chair.bloc_badges[bloc.pk][0]
    # The conference not recorded is the conference tracker's item, with the chair's to-do list.
    assert chair.attention == []
    from blocs.todo import deadline_states, deadline_todo

    todo = deadline_todo(users["chair"], deadline_states([(bloc, YEAR)]))
    assert any("not recorded yet" in item.text for item in todo)
    assert not any(
        "not recorded" in item.text for item in deadline_todo(users["member"], deadline_states([(bloc, YEAR)]))
    )
    assert providers.home_provider(users["member"], YEAR, [bloc]).attention == []
    record()
    chair = providers.home_provider(users["chair"], YEAR, [bloc])
    assert any("minutes of the year-end conference of 2021 are not final" in item.text for item in chair.attention)
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    chair = providers.home_provider(users["chair"], YEAR, [bloc])
    assert chair.attention == [] and "minutes final" in chair.bloc_badges[bloc.pk][0]
    officer = providers.home_provider(users["officer"], YEAR, [bloc])
    assert "0 of 1 blocs" in officer.attention[0].text


def test_the_minutes_print_the_ranking_a_proposal_cites_as_its_reason(meeting, record, awards, units, bloc, users):
    """A proposal drafted before the conference with its ranking as the reason (offered from the final
    ranking, saved by the chair) keeps that reason in the vote's snapshot, and the minutes print it."""
    from awards import services as awards_services
    from awards.catalogue import PROVINCIAL_FLAG

    awards_services.proposal_save(
        bloc=bloc,
        year=YEAR,
        award_type=awards[PROVINCIAL_FLAG],
        unit=units["member_unit"],
        award_reason="Xếp hạng Nhất Khối thi đua các tổ chức chính trị - xã hội năm 2021\n(96,5 điểm)",
        by=users["chair"],
    )
    record()
    vote = meeting.votes.get(proposal__unit=units["member_unit"])
    assert vote.award_reason.startswith("Xếp hạng Nhất")
    text = minutes_content(meeting_facts(meeting)).text()
    assert (
        "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh – Xếp hạng Nhất Khối thi đua các tổ chức chính trị - "
        "xã hội năm 2021; (96,5 điểm) (4/5 phiếu tán thành, đạt 80%; 5 đơn vị có mặt);"
    ) in text
    # A vote without a reason prints none.
    assert "Bằng khen của Chủ tịch UBND tỉnh: Hội Nông dân tỉnh (thống nhất);" in text
