"""The results page leads on to next year's pledge on the pledges pages: create it or draft it when the
viewer may prepare that year (``access.prepare_year_refusal``: the officers, next year's seat holders and,
until its signing opens, this year's), and otherwise says who does and why, never a dead end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pledges import services as pledges_services
from pledges.models import Pledge

from ..conftest import YEAR
from ..roles import REDIRECT

pytestmark = pytest.mark.django_db
NEXT = YEAR + 1


def results_page(client, meeting) -> str:
    return client.get(reverse("meetings:meeting_results", args=[meeting.pk])).content.decode()


@pytest.mark.parametrize("role", ["vice_chair", "chair", "officer"])
def test_without_a_pledge_the_page_offers_to_create_it(client_as, meeting, bloc, role):
    client = client_as(role)
    page = results_page(client, meeting)
    create = reverse("pledges:pledge_create", args=[bloc.pk, NEXT])
    assert f'action="{create}"' in page and 'id="next-pledge-refusal"' not in page
    # The button leads to the pledges app's own create, which accepts this user.
    assert client.post(create, {}).status_code == REDIRECT
    assert Pledge.objects.filter(bloc=bloc, year=NEXT).exists()


def test_a_pledge_being_drafted_is_offered_for_drafting(client_as, meeting, pledge_2022):
    page = results_page(client_as("chair"), meeting)
    assert reverse("pledges:pledge_edit", args=[pledge_2022.pk]) in page


def test_once_signing_opened_the_outgoing_chair_is_told_why_and_sees_the_pledge(
    client_as, meeting, record, pledge_2022, bloc, users
):
    record()  # elects next year's seats: LĐLĐ chair, HND vice-chair
    pledges_services.pledge_signing_open(version=pledge_2022.versions.get(), by=users["officer"])
    page = results_page(client_as("chair"), meeting)
    assert 'id="next-pledge-refusal"' in page
    assert "Giao ước năm 2022 đã mở ký" in page
    assert reverse("pledges:pledge_detail", args=[bloc.pk, NEXT]) in page
    assert reverse("pledges:pledge_edit", args=[pledge_2022.pk]) not in page
    officer = results_page(client_as("officer"), meeting)
    assert 'id="next-pledge-refusal"' not in officer
    assert reverse("pledges:pledge_detail", args=[bloc.pk, NEXT]) in officer
