"""Awards handed over at a conference (trao khen thưởng): the chair or an officer ticks, among the council's
decided awards of the bloc's member units, those whose certificates were handed over at the meeting. Who
may is who records the results; the minutes (PDF and Word) list them apart from the proposals voted."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from awards import services as awards_services
from awards.catalogue import CHAIRMAN_CERTIFICATE, PROVINCIAL_FLAG
from meetings import services
from meetings.models import MeetingAwardHandedOver

from ..conftest import YEAR
from ..fixtures.meetings import docx_text, pdf_text, row_counts
from ..roles import FORBIDDEN, MANAGERS, OK, REDIRECT, ROLES, check_get, check_post, expect

pytestmark = pytest.mark.django_db

# What the seat holders of the year change: allowed roles are sent back to the meeting once it is saved.
SAVES = expect(member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT)


@pytest.fixture
def earlier(council, awards, units, users):
    """A certificate decided outside the portal for the year before, decision number unknown."""
    return awards_services.award_enter_external(
        council=council,
        award_type=awards[CHAIRMAN_CERTIFICATE],
        year=YEAR - 1,
        unit=units["veterans"],
        decision_date=date(YEAR, 3, 1),
        by=users["officer"],
    )


def url_of(meeting) -> str:
    return reverse("meetings:meeting_awards_handed_over", args=[meeting.pk])


def handed_over(meeting) -> list[int]:
    return list(MeetingAwardHandedOver.objects.filter(meeting=meeting).values_list("proposal_id", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_the_page_follows_the_results_rule(client_as, meeting, earlier, role):
    response = check_get(client_as(role), url_of(meeting), MANAGERS, role)
    if MANAGERS[role] == OK:
        assert "Hội Cựu chiến binh tỉnh" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_record_results_save_it(client_as, meeting, earlier, role):
    data = {"proposals": [str(earlier.pk)]}
    check_post(client_as(role), url_of(meeting), data, SAVES, role, state=lambda: handed_over(meeting))
    if role != "anonymous" and SAVES[role] == REDIRECT:
        assert handed_over(meeting) == [earlier.pk]


def test_only_the_councils_decided_awards_of_members_are_offered(
    client_as, meeting, earlier, record, awards, units, council
):
    record()  # the conference proposes the provincial flag for LHPN: voted, not decided
    voted = meeting.votes.get(proposal__award_type=awards[PROVINCIAL_FLAG]).proposal
    outsider = awards_services.award_enter_external(
        council=council, award_type=awards[CHAIRMAN_CERTIFICATE], year=YEAR - 1, unit=units["outside_unit"], by=None
    )
    offered = client_as("chair").get(url_of(meeting)).context["form"].fields["proposals"].queryset
    assert list(offered) == [earlier]
    # A tampered post naming an award not offered changes nothing.
    for pk in (voted.pk, outsider.pk):
        before = row_counts()
        response = client_as("chair").post(url_of(meeting), {"proposals": [str(pk)]})
        assert response.status_code == OK and row_counts() == before


def test_the_minutes_list_the_awards_handed_over_apart_from_the_votes(client_as, meeting, earlier, record):
    record()
    client = client_as("chair")
    assert client.post(url_of(meeting), {"proposals": [str(earlier.pk)]}).status_code == REDIRECT
    pdf = pdf_text(client.get(reverse("meetings:minutes_pdf", args=[meeting.pk, 1])).content)
    docx = docx_text(client.get(reverse("meetings:minutes_docx", args=[meeting.pk, 1])).content)
    for text in (pdf, docx):
        handed = text.split("Trao khen thưởng", 1)[1]
        assert "Bằng khen của Chủ tịch UBND tỉnh: Hội Cựu chiến binh tỉnh;" in handed
    # Unticking removes it from the minutes.
    assert client.post(url_of(meeting), {}).status_code == REDIRECT
    assert handed_over(meeting) == []
    assert "Trao khen thưởng" not in pdf_text(client.get(reverse("meetings:minutes_pdf", args=[meeting.pk, 1])).content)


def test_final_minutes_change_only_after_a_correction(client_as, meeting, earlier, record, users):
    record()
    services.minutes_finalise(meeting=meeting, by=users["chair"], issue_pdf=False)
    before = row_counts()
    response = client_as("chair").post(url_of(meeting), {"proposals": [str(earlier.pk)]})
    assert response.status_code == OK and row_counts() == before
    assert 'id="save-awards-handed-over" disabled' in response.content.decode()


def test_the_results_and_meeting_pages_link_to_it(client_as, meeting):
    client = client_as("chair")
    for page in ("meetings:meeting_results", "meetings:meeting_detail"):
        content = client.get(reverse(page, args=[meeting.pk])).content.decode()
        assert url_of(meeting) in content, page
