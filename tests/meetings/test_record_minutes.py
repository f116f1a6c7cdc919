"""The minutes state only what happened ("unknown is a valid answer"): every optional fact of a
conference may be left empty, and the minutes (PDF and Word, one content builder) and the news draft then
say nothing of it; each fact entered appears, in the wording of what was entered. Also: the meeting's own
place in the date line (minutes and a pledge signed there), the guest's position and organisation printed
apart, a tally "not recorded" turning the vote-threshold rule into a warning, awards decided earlier and
handed over at the meeting."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from awards import services as awards_services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from awards.models import AwardRule
from awards.rules import WARNING, proposal_check
from documents.content import Signature
from meetings import services
from meetings.content import meeting_facts, minutes_content
from meetings.models import AttendanceState, Meeting, MeetingElection
from meetings.news import news_draft
from pledges.printing import pledge_content

from ..conftest import YEAR
from ..fixtures.meetings import MEETING_DAY, bare_record, minutes_texts  # helpers; fixtures come from the plugin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Phrases that would state a fact nobody entered.
INVENTED = ["08 giờ 00", "Vào lúc", "thống nhất", "có mặt", "bỏ phiếu", "Hội trường", ", tại ", "Nguyễn Văn Hòa"]


def test_a_conference_with_every_optional_fact_empty_states_none_of_them(bare, units, awards, users, council):
    bare_record(bare, units, awards, users)
    for name, text in minutes_texts(bare).items():
        stated = [phrase for phrase in INVENTED if phrase in text]
        assert not stated, (name, stated)
        # Said neutrally instead: the day, the election, the proposals without a tally.
        assert "Ngày 28 tháng 12 năm 2021, Khối thi đua" in text, name
        assert "Hội nghị đã bầu Liên đoàn Lao động tỉnh làm Khối trưởng" in text, name
        assert "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh;" in text, name
        # The date line falls back on the council's place name; nothing is stored for it.
        assert f"{council.place_name}, ngày 28 tháng 12 năm 2021" in text, name
        assert "Chủ tọa Hội nghị" not in text and "Thư ký Hội nghị" not in text, name
    assert bare.start_time is None and bare.place == "" and bare.date_line_place == ""
    assert not bare.attendance.exists()
    news = news_draft(meeting_facts(bare)).text
    assert not [phrase for phrase in INVENTED if phrase in news], news
    assert news.startswith("Khối thi đua") or "Ngày 28/12/2021" in news


def test_each_optional_fact_entered_appears(bare, units, awards, users, council):
    services.meeting_update(
        meeting=bare,
        by=users["chair"],
        start_time=time(8, 0),
        place="Hội trường Ủy ban MTTQ tỉnh",
        presiding_name="Nguyễn Văn Hòa",
        presiding_title="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    )
    bare_record(
        bare,
        units,
        awards,
        users,
        attendance_state=AttendanceState.ALL,
        votes=[
            services.VoteEntry(award_type=awards[PROVINCIAL_FLAG], unit=units["member_unit"], acclamation=True),
            services.VoteEntry(
                award_type=awards[CHAIRMAN_CERTIFICATE], unit=units["farmers"], ballots_cast=5, votes_for=5
            ),
        ],
        election=services.ElectionEntry(
            chair=units["vice_unit"], vice_chairs=[units["farmers"]], method=MeetingElection.Method.SECRET_BALLOT
        ),
        handover=services.HandoverEntry(
            outgoing=units["chair_unit"],
            incoming=units["vice_unit"],
            flag_handed=True,
            flag_received_by="Ông Trần Văn B, Phó Chủ tịch Liên đoàn Lao động tỉnh",
        ),
        all_units_completed=True,
    )
    for name, text in minutes_texts(bare).items():
        for expected in [
            "Vào lúc 08 giờ 00 phút, ngày 28 tháng 12 năm 2021, tại Hội trường Ủy ban MTTQ tỉnh",
            "có mặt 5/5 đơn vị",
            "Chủ tọa Hội nghị: Nguyễn Văn Hòa, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.",
            "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh (thống nhất);",
            "Bằng khen của Chủ tịch UBND tỉnh: Hội Nông dân tỉnh (5/5 phiếu tán thành",
            "Hội nghị bỏ phiếu kín bầu Liên đoàn Lao động tỉnh làm Khối trưởng",
            "Ông Trần Văn B, Phó Chủ tịch Liên đoàn Lao động tỉnh thay mặt đơn vị nhận Cờ",
            "đều hoàn thành nhiệm vụ được giao năm 2021",
        ]:
            assert expected in text, (name, expected)
    # Every member present, whatever the ticks said: "all present" is what was entered.
    assert bare.attendance.filter(present=True).count() == 5


def test_the_election_says_thong_nhat_only_when_entered_so(bare, units, awards, users):
    bare_record(
        bare,
        units,
        awards,
        users,
        election=services.ElectionEntry(
            chair=units["vice_unit"], vice_chairs=[units["farmers"]], method=MeetingElection.Method.ACCLAMATION
        ),
    )
    text = minutes_content(meeting_facts(bare)).text()
    assert "Hội nghị thống nhất bầu Liên đoàn Lao động tỉnh làm Khối trưởng" in text


def test_a_presiding_title_alone_prints_as_a_title_and_in_the_signature_block(bare, units, awards, users):
    services.meeting_update(meeting=bare, by=users["chair"], presiding_title="Khối trưởng Khối thi đua năm 2021")
    bare_record(bare, units, awards, users)
    content = minutes_content(meeting_facts(bare))
    assert "Chủ tọa Hội nghị: Khối trưởng Khối thi đua năm 2021." in content.text()
    assert content.signature_right == Signature(roles=["CHỦ TỌA"], details=["Khối trưởng Khối thi đua năm 2021"])
    for name, text in minutes_texts(bare).items():
        assert "CHỦ TỌA KHỐI TRƯỞNG KHỐI THI ĐUA NĂM 2021" in text.upper(), name  # the block prints in capitals


def test_the_meetings_own_place_is_in_the_date_line(bare, units, awards, users, council):
    services.meeting_update(meeting=bare, by=users["chair"], date_line_place="Long Xuyên")
    bare_record(bare, units, awards, users)
    for name, text in minutes_texts(bare).items():
        assert "Long Xuyên, ngày 28 tháng 12 năm 2021" in text, name
        assert f"{council.place_name}, ngày" not in text, name


def test_a_pledge_signed_at_a_meeting_elsewhere_takes_its_place(meeting, record, pledge_2022, users, council):
    version = pledge_2022.versions.get()
    assert pledge_content(version=version).place_name == council.place_name
    services.meeting_update(meeting=meeting, by=users["chair"], date_line_place="Long Xuyên")
    record(pledge_signing=services.PledgeSigningEntry(year=YEAR + 1))
    version.refresh_from_db()
    assert pledge_content(version=version).place_name == "Long Xuyên"


def test_a_guests_position_and_organisation_are_printed_apart(meeting, record):
    record()
    text = minutes_content(meeting_facts(meeting)).text()
    assert "Đại diện Lãnh đạo, Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh;" in text
    assert "Đại diện Lãnh đạo Ban Thi đua" not in text


def test_a_tally_not_recorded_makes_the_threshold_rule_a_warning_needing_a_reason(bare, units, awards, users):
    AwardRule.objects.create(
        award_type=awards[PROVINCIAL_FLAG],
        kind=AwardRule.Kind.THRESHOLD,
        severity=AwardRule.Severity.ERROR,
        threshold_numerator=2,
        threshold_denominator=3,
        base=AwardRule.Base.BALLOTS_CAST,
    )
    bare_record(bare, units, awards, users)
    proposal = bare.votes.get(award_type_name=awards[PROVINCIAL_FLAG].name).proposal
    assert proposal.votes_for is None and proposal.ballots_cast is None and not proposal.acclamation
    [finding] = [f for f in proposal_check(proposal=proposal) if f.kind == AwardRule.Kind.THRESHOLD]
    assert finding.severity == WARNING and finding.prevents_submission
    assert "not recorded" in finding.message
    awards_services.proposal_reason_set(
        proposal=proposal, key=finding.key, reason="Biên bản gốc không ghi số phiếu.", by=users["chair"]
    )
    proposal.refresh_from_db()
    [finding] = [f for f in proposal_check(proposal=proposal) if f.kind == AwardRule.Kind.THRESHOLD]
    assert not finding.prevents_submission


def test_one_count_without_the_other_is_refused_next_to_the_field(bare, units, awards, users):
    with pytest.raises(ValidationError) as excinfo:
        bare_record(
            bare,
            units,
            awards,
            users,
            votes=[services.VoteEntry(award_type=awards[PROVINCIAL_FLAG], unit=units["member_unit"], votes_for=4)],
        )
    assert "votes-0-ballots_cast" in excinfo.value.message_dict
    assert not bare.votes.exists()


def test_an_award_decided_earlier_and_handed_over_is_listed_apart_from_the_votes(bare, units, awards, users, council):
    earlier = awards_services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=YEAR - 1,
        unit=units["veterans"],
        decision_number="123/QĐ-UBND",
        decision_date=date(YEAR, 3, 1),
        by=users["officer"],
    )
    bare_record(bare, units, awards, users)
    services.meeting_awards_handed_over_set(meeting=bare, proposals=[earlier], by=users["chair"])
    text = minutes_content(meeting_facts(bare)).text()
    assert "Trao khen thưởng" in text
    assert "Bằng khen của Chủ tịch UBND tỉnh: Hội Cựu chiến binh tỉnh;" in text
    assert not bare.votes.filter(proposal=earlier).exists()
    # Only a decided award can be handed over.
    draft = bare.votes.first().proposal
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_awards_handed_over_set(meeting=bare, proposals=[draft], by=users["chair"])
    assert "awards_handed_over" in excinfo.value.message_dict
    assert list(bare.awards_handed_over.values_list("proposal", flat=True)) == [earlier.pk]


def test_scheduling_through_the_page_needs_no_time_place_or_presiding_person(client_as, bloc):
    from django.urls import reverse

    client = client_as("chair")
    page = client.get(reverse("meetings:meeting_schedule", args=[bloc.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial.get("start_time") is None  # no 08:00 offered as if known
    response = client.post(
        reverse("meetings:meeting_schedule", args=[bloc.pk]),
        {
            "kind": "year_end",
            "year": str(YEAR),
            "date": MEETING_DAY.isoformat(),
            "guests-TOTAL_FORMS": "0",
            "guests-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    meeting = Meeting.objects.get(bloc=bloc, year=YEAR)
    assert meeting.start_time is None and meeting.place == ""
