"""The minutes' closing line says only what was recorded (docs/domain.md, "say only what happened"): the end
time when entered, and that the minutes were read out and approved at the meeting only when recorded as
yes. Not recorded (the default) prints nothing about approval."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from meetings import services
from meetings.content import APPROVED, meeting_facts, minutes_content
from meetings.models import Meeting

from ..fixtures.meetings import minutes_texts

pytestmark = pytest.mark.django_db

END = "Hội nghị kết thúc vào lúc 16 giờ 30 phút cùng ngày"


def closing(meeting: Meeting) -> str:
    meeting.refresh_from_db()
    return minutes_content(meeting_facts(meeting)).blocks[-1].text


def test_a_new_meeting_has_not_recorded_whether_the_minutes_were_approved(meeting):
    assert meeting.minutes_approved is None
    assert closing(meeting) == END + "./."  # the end time alone, as before


def test_not_recorded_prints_nothing_about_approval(meeting):
    text = minutes_content(meeting_facts(meeting)).text()
    assert "thông qua" not in text and "thống nhất với nội dung biên bản" not in text


def test_approved_at_the_meeting_prints_the_decrees_closing(meeting, users):
    services.meeting_update(meeting=meeting, by=users["chair"], minutes_approved=True)
    assert closing(meeting) == f"{END}; {APPROVED}./."
    expected = "biên bản đã được thông qua trước Hội nghị và các đại biểu thống nhất với nội dung biên bản./."
    texts = minutes_texts(meeting)
    assert expected in texts["docx"]
    assert "các đại biểu thống nhất với nội dung biên bản" in texts["pypdf"]


def test_approved_without_an_end_time_closes_with_the_approval_alone(bare, users):
    assert "thông qua" not in minutes_content(meeting_facts(bare)).text()  # nothing recorded: no closing
    services.meeting_update(meeting=bare, by=users["chair"], minutes_approved=True)
    assert (
        closing(bare) == "Biên bản đã được thông qua trước Hội nghị và các đại biểu thống nhất với nội dung biên bản./."
    )


def test_the_end_time_alone_prints_as_before(bare, users):
    services.meeting_update(meeting=bare, by=users["chair"], end_time=time(11, 0))
    assert closing(bare) == "Hội nghị kết thúc vào lúc 11 giờ 00 phút cùng ngày./."


def test_the_edit_form_records_yes_or_not_recorded(client_as, meeting):
    client = client_as("chair")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    page = client.get(url)
    form = page.context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data.update(
        {
            "date": "2021-12-28",
            "start_time": "14:00",
            "end_time": "16:30",
            "guests-TOTAL_FORMS": "0",
            "guests-INITIAL_FORMS": "0",
            "guests-MIN_NUM_FORMS": "0",
            "guests-MAX_NUM_FORMS": "1000",
        }
    )
    assert client.post(url, data | {"minutes_approved": "True"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved is True
    page = client.get(url).content.decode()
    assert '<option value="True" selected' in page
    assert client.post(url, data | {"minutes_approved": ""}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved is None


def test_the_meeting_page_says_the_minutes_were_approved_only_when_recorded(client_as, meeting, users):
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert 'id="minutes-approved"' not in client_as("chair").get(url).content.decode()
    services.meeting_update(meeting=meeting, by=users["chair"], minutes_approved=True)
    page = client_as("member").get(url).content.decode()
    assert 'id="minutes-approved">đã được đọc và thông qua tại hội nghị<' in page
