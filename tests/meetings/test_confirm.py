"""Cancelling a meeting, finalising its minutes and making their PDF again are irreversible: each asks
for confirmation first (``blocs.web.confirm_page``). A GET or a POST without the confirmation changes
nothing and shows what will happen — the minutes' number is the one they are then issued with; the
confirmation page is checked with the action's own rule for every role."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from documents.models import DocumentCounter
from documents.services import issuer_key
from meetings import services
from meetings.models import Meeting, MinutesVersion

from ..roles import CONFIRMED, MANAGERS, OK, REDIRECT, ROLES, check_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _held(meeting, record):
    record()
    return meeting


def _final(meeting, record, users):
    record()
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    return meeting


# (name, state of the meeting, URL)
PAGES = [
    ("meeting_delete", "scheduled", lambda m: reverse("meetings:meeting_delete", args=[m.pk])),
    ("minutes_finalise", "held", lambda m: reverse("meetings:minutes_finalise", args=[m.pk])),
    ("minutes_pdf_retry", "final", lambda m: reverse("meetings:minutes_pdf_retry", args=[m.pk, 1])),
]


@pytest.fixture
def in_state(meeting, record, users):
    def make(state: str) -> Meeting:
        if state == "held":
            return _held(meeting, record)
        if state == "final":
            return _final(meeting, record, users)
        return meeting

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "state", "url"), PAGES, ids=[row[0] for row in PAGES])
def test_the_confirmation_pages_follow_the_actions_rule(client_as, in_state, role, name, state, url):
    response = check_get(client_as(role), url(in_state(state)), MANAGERS, role, name=name)
    if response.status_code == OK:
        assert "confirm-form" in response.content.decode()


def test_cancelling_a_meeting_names_it_and_its_date_and_needs_the_confirmation(client_as, meeting):
    client = client_as("chair")
    url = reverse("meetings:meeting_delete", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert f"“{meeting.display_title}”" in page and "28/12/2021" in page
    again = client.post(url)
    assert again.status_code == OK and 'id="confirm-again"' in again.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(url, CONFIRMED)
    assert response.status_code == REDIRECT
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_the_finalise_page_names_the_number_the_minutes_then_take(
    client_as, bloc, meeting, record, django_capture_on_commit_callbacks
):
    record()
    # Four minutes of 2021 were numbered before: these will be the fifth.
    DocumentCounter.objects.create(issuer=issuer_key("bloc", bloc.pk), doc_type="BB", year=2021, last_number=4)
    client = client_as("chair")
    url = reverse("meetings:minutes_finalise", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "05/BB-KTĐ6" in page
    # Neither the page nor a POST without the confirmation finalises or takes the number.
    assert client.post(url).status_code == OK
    version = MinutesVersion.objects.get(minutes__meeting=meeting)
    assert version.is_draft and version.document_id is None
    assert DocumentCounter.objects.get(doc_type="BB").last_number == 4
    with django_capture_on_commit_callbacks(execute=True):  # the number and PDF follow the commit
        assert client.post(url, CONFIRMED).status_code == REDIRECT
    version.refresh_from_db()
    assert version.is_final and version.document.number_text == "05/BB-KTĐ6"


def test_the_finalise_page_says_so_in_vietnamese(client_as, meeting, record):
    record()
    client = client_as("chair")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(reverse("meetings:minutes_finalise", args=[meeting.pk])).content.decode()
    assert "Biên bản sẽ được cấp số 01/BB-KTĐ6 và không sửa được nữa." in page
    assert "Xác nhận" in page and "Quay lại" in page


def test_making_the_pdf_again_asks_first(client_as, meeting, record, users):
    _final(meeting, record, users)
    client = client_as("chair")
    url = reverse("meetings:minutes_pdf_retry", args=[meeting.pk, 1])
    assert "01/BB-KTĐ6" in client.get(url).content.decode()
    assert client.post(url).status_code == OK
    version = MinutesVersion.objects.get(minutes__meeting=meeting)
    assert version.document_id is None
    assert client.post(url, CONFIRMED).status_code == REDIRECT
    version.refresh_from_db()
    assert version.document.number_text == "01/BB-KTĐ6"


def test_the_meeting_page_leads_to_the_confirmation_pages(client_as, meeting, record):
    client = client_as("chair")
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("meetings:meeting_delete", args=[meeting.pk])}"' in page
    record()
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("meetings:minutes_finalise", args=[meeting.pk])}"' in page
