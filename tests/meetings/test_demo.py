"""The demo's seed conferences: each article is a fully recorded meeting whose final minutes PDF states every
fact its news article states; the Word document says the same; loading twice writes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from blocs.demo import TUYEN_QUANG_BLOC_PARTY, TUYEN_QUANG_UNITS, load_demo
from blocs.models import Seat, SeatWrite, User
from meetings.models import Meeting, MeetingElection, MeetingHandover, MeetingPledgeSigning, MinutesVersion

from ..fixtures.meetings import docx_text, pdf_text

# Khối 6's members as the base demo's own test states them.
from ..test_demo import AN_GIANG_BLOC_6_MEMBERS as AN_GIANG_MEMBERS

pytestmark = pytest.mark.django_db

# [TU] 9 agencies (only Ủy ban Kiểm tra Tỉnh ủy is named by the article; blocs.demo invents the others).
PARTY_AGENCIES = [
    next(row[1] for row in TUYEN_QUANG_UNITS if row[0] == code) for code in TUYEN_QUANG_BLOC_PARTY["members"]
]

# The articles, fact by fact, as the minutes print them.
FACTS = {
    ("KTĐ6", 2020): [
        "An Giang, ngày 02 tháng 02 năm 2021",
        "Số: 01/BB-KTĐ6",
        "BIÊN BẢN",
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2020",
        "ngày 02 tháng 02 năm 2021",
        "Ban Thi đua – Khen thưởng, Sở Nội vụ tỉnh",
        "có mặt 8/8 đơn vị",
        *AN_GIANG_MEMBERS,
        "Cờ thi đua của UBND tỉnh: Liên đoàn Lao động tỉnh (thống nhất)",
        "Bằng khen của Chủ tịch UBND tỉnh: Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh (thống nhất)",
        "Bằng khen của Chủ tịch UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh (thống nhất)",
        "Bằng khen chuyên đề: Hội Chữ thập đỏ tỉnh (thống nhất)",
        # [AG] does not say how the seats were elected: the minutes say only that they were.
        "Hội nghị đã bầu Hội Chữ thập đỏ tỉnh làm Khối trưởng, Hội Cựu chiến binh tỉnh làm Khối phó "
        "Khối thi đua năm 2021.",
        "THƯ KÝ",
        "CHỦ TỌA",
    ],
    ("KMTTQ", 2020): [
        "Bắc Kạn, ngày 29 tháng 12 năm 2020",
        "Số: 01/BB-KMTTQ",
        "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2020",
        "Ngày 29 tháng 12 năm 2020, Khối thi đua",  # the afternoon, no time stated
        "Ban Thi đua – Khen thưởng tỉnh",
        "Chủ tọa Hội nghị: Chủ tịch Hội Liên hiệp Phụ nữ tỉnh, Trưởng Khối thi đua năm 2020.",
        "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh",
        "Bằng khen của Chủ tịch UBND tỉnh: Đoàn TNCS Hồ Chí Minh tỉnh",
        "Bằng khen của Chủ tịch UBND tỉnh: Hội Nông dân tỉnh",
        "Hội nghị đã bầu Liên đoàn Lao động tỉnh làm Khối trưởng, Đoàn TNCS Hồ Chí Minh tỉnh làm Khối "
        "phó Khối thi đua năm 2021.",
        "Hội Liên hiệp Phụ nữ tỉnh (Khối trưởng năm 2020) bàn giao nhiệm vụ Khối trưởng năm 2021 cho Liên đoàn "
        "Lao động tỉnh.",
        "Tại Hội nghị, 6/6 đơn vị thành viên đã ký kết Giao ước thi đua năm 2021.",
        "Phát động phong trào thi đua năm 2021",
    ],
    ("KCQTU", 2021): [
        "Tuyên Quang, ngày 27 tháng 12 năm 2021",
        "Số: 01/BB-KCQTU",
        "Hội nghị tổng kết phong trào thi đua, công tác khen thưởng năm 2021",
        "Ngày 27 tháng 12 năm 2021, Khối thi đua",  # the afternoon, no time stated
        "Lãnh đạo, Ban Thi đua – Khen thưởng tỉnh",
        "có mặt 9/9 đơn vị",
        *PARTY_AGENCIES,
        "Hội nghị đã khen thưởng 9 tập thể điển hình tiên tiến và 9 cá nhân điển hình tiên tiến",
        "Cờ thi đua của UBND tỉnh:",
        "Cờ thi đua của Chính phủ:",
        "Tại Hội nghị, 9/9 đơn vị thành viên đã ký kết Giao ước thi đua năm 2022.",
        "Phát động phong trào thi đua năm 2022",
    ],
}


@pytest.fixture
def demo(db):
    return load_demo()


def _meeting(code: str, year: int) -> Meeting:
    return Meeting.objects.select_related("bloc__council").get(bloc__code=code, year=year, kind="year_end")


def _download(meeting: Meeting, kind: str) -> bytes:
    """The minutes as an officer of the council downloads them (the first download numbers the PDF)."""
    officer = User.objects.get(unit__isnull=True, council=meeting.bloc.council, is_superuser=False)
    client = Client()
    client.force_login(officer)
    response = client.get(reverse(f"meetings:minutes_{kind}", args=[meeting.pk, 1]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_each_seed_conference_is_recorded_and_its_final_minutes_state_every_fact(demo):
    for (code, year), facts in FACTS.items():
        meeting = _meeting(code, year)
        assert meeting.is_held
        version = MinutesVersion.objects.get(minutes__meeting=meeting)
        assert version.is_final and version.document is None  # numbered and rendered on first download
        text = pdf_text(_download(meeting, "pdf"))
        missing = [fact for fact in facts if fact not in text]
        assert not missing, (code, missing)
        assert "DỰ THẢO" not in text
        # The leading unit proposed for both flags is awards' demo's choice (the article names none).
        for vote in meeting.votes.all():
            assert f"{vote.award_type_name}: {vote.recipient_name}" in text

    # Say only what happened: no flag in Bắc Kạn (none is mentioned), no handover or pledge in An Giang.
    bac_kan = pdf_text(_download(_meeting("KMTTQ", 2020), "pdf"))
    assert "cờ luân lưu" not in bac_kan.lower()
    assert MeetingHandover.objects.get(meeting=_meeting("KMTTQ", 2020)).flag_handed is False
    an_giang = pdf_text(_download(_meeting("KTĐ6", 2020), "pdf"))
    assert "Bàn giao" not in an_giang and "Giao ước" not in an_giang and "luân lưu" not in an_giang


# What each article leaves out, and so the minutes must not say (optional facts an article does not state stay empty).
UNSTATED = [
    "Vào lúc",
    "giờ 00",
    "kết thúc vào lúc",
    ", tại ",
    "Hội trường",
    "Thư ký Hội nghị:",
    "thống nhất bầu",
    "bỏ phiếu",
    "phiếu tán thành",
]


def test_the_seed_minutes_state_nothing_an_article_leaves_out(demo):
    for code, year in FACTS:
        meeting = _meeting(code, year)
        text = pdf_text(_download(meeting, "pdf"))
        stated = [phrase for phrase in UNSTATED if phrase in text]
        assert not stated, (code, stated)
        # No presiding person's name was stated: the CHỦ TỌA block holds a title or nothing, never a name.
        assert meeting.presiding_name == "" and meeting.secretary_name == ""
    # Bắc Kạn does not say who came: no unit is listed present or absent.
    bac_kan = _meeting("KMTTQ", 2020)
    assert not bac_kan.attendance.exists()
    assert "đơn vị):" not in pdf_text(_download(bac_kan, "pdf"))
    # Neither article gives a tally: neither demo invents one, so the votes and their proposals hold none.
    for meeting in (bac_kan, _meeting("KCQTU", 2021)):
        for vote in meeting.votes.select_related("proposal"):
            for record in (vote, vote.proposal):
                assert (record.acclamation, record.members_present, record.ballots_cast, record.votes_for) == (
                    False,
                    None,
                    None,
                    None,
                ), record
    # The Party bloc's article names no election.
    assert not MeetingElection.objects.filter(meeting=_meeting("KCQTU", 2021)).exists()
    # An Giang's "thống nhất" is in the article: it stays, on every proposal.
    assert all(vote.acclamation for vote in _meeting("KTĐ6", 2020).votes.all())


def test_the_seed_conferences_reuse_what_the_other_apps_demo_made(demo):
    bac_kan, party = _meeting("KMTTQ", 2020), _meeting("KCQTU", 2021)
    # The pledges signed at the conferences are pledges' demo pledges, final, signed that day.
    for meeting, pledge_year in ((bac_kan, 2021), (party, 2022)):
        signing = MeetingPledgeSigning.objects.get(meeting=meeting)
        assert signing.version.pledge.year == pledge_year and signing.version.is_final
        assert set(signing.version.signatories.values_list("signed_on", flat=True)) == {meeting.date}
    # One proposal per recipient and award: the votes link to awards' proposals, never duplicate them.
    from awards.models import Proposal

    for meeting in Meeting.objects.filter(status="held"):
        for vote in meeting.votes.select_related("proposal"):
            same = Proposal.objects.filter(
                bloc=meeting.bloc,
                year=meeting.year,
                award_type=vote.proposal.award_type,
                unit=vote.proposal.unit,
                person=vote.proposal.person,
                collective_name=vote.proposal.collective_name,
            )
            assert same.count() == 1
    assert party.bloc_awards.count() == 18
    # Next year's seats are those the conference elected; the demo's seat register already held them, so
    # the election links to that write instead of writing the same seats again.
    assert [s.unit.name for s in Seat.objects.filter(bloc=bac_kan.bloc, year=2021).order_by("rank")] == [
        "Liên đoàn Lao động tỉnh",
        "Đoàn TNCS Hồ Chí Minh tỉnh",
    ]
    election = MeetingElection.objects.get(meeting=bac_kan)
    assert election.year == 2021
    assert election.seat_write == SeatWrite.objects.filter(bloc=bac_kan.bloc, year=2021).first()
    assert [s.unit_name for s in election.seats.order_by("rank")] == [
        "Liên đoàn Lao động tỉnh",
        "Đoàn TNCS Hồ Chí Minh tỉnh",
    ]
    # A year-end conference of 2021 is scheduled for the An Giang chair to record.
    assert _meeting("KTĐ6", 2021).status == Meeting.Status.SCHEDULED


def test_the_word_minutes_of_a_seed_conference_say_the_same(demo):
    text = docx_text(_download(_meeting("KMTTQ", 2020), "docx"))
    for fact in FACTS[("KMTTQ", 2020)]:
        assert fact in text, fact
    assert "cờ luân lưu" not in text.lower()


def test_loading_the_demo_twice_writes_nothing(demo):
    def counts():
        result = {}
        for label in ("meetings", "awards", "pledges", "documents"):
            for model in apps.get_app_config(label).get_models():
                result[f"{label}.{model.__name__}"] = model.objects.count()
        result["SeatWrite"] = SeatWrite.objects.count()
        return result

    before = counts()
    summary = load_demo()
    assert counts() == before
    assert not summary.wrote_anything
