"""Closing a pledge's signing and issuing its PDF again are irreversible: the page says which number the
pledge takes, and only a POST carrying the confirmation (``blocs.web.ConfirmForm``) acts. The pages are
checked with the action's own rule (the year's preparers) for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import DocumentCounter, IssuedDocument
from documents.services import issuer_key

from ..fixtures.pledges import head_signs
from ..roles import CONFIRMED, MANAGERS, OK, REDIRECT, ROLES, check_get

pytestmark = pytest.mark.django_db

PREPARERS = MANAGERS


@pytest.mark.parametrize("role", ROLES)
def test_the_pdf_issue_confirmation_follows_the_preparers_rule(client_as, final, role):
    link = reverse("pledges:pledge_pdf_issue", args=[final.pledge.pk, final.number])
    response = check_get(client_as(role), link, PREPARERS, role)
    if response.status_code == OK:
        assert "01/GU-KTĐ6" in response.content.decode()


def test_issuing_the_pdf_again_asks_first(client_as, final):
    client = client_as("chair")
    link = reverse("pledges:pledge_pdf_issue", args=[final.pledge.pk, final.number])
    again = client.post(link)
    assert again.status_code == OK and 'id="confirm-again"' in again.content.decode()
    assert not IssuedDocument.objects.exists()
    assert client.post(link, CONFIRMED).status_code == REDIRECT
    final.refresh_from_db()
    assert final.document.number_text == "01/GU-KTĐ6"


def test_closing_signing_names_the_number_and_needs_the_confirmation(
    client_as, bloc, signing, units, users, django_capture_on_commit_callbacks
):
    head_signs(signing, unit=units["chair_unit"], by=users["chair"])  # signed on 29/12/2020
    DocumentCounter.objects.create(issuer=issuer_key("bloc", bloc.pk), doc_type="GU", year=2020, last_number=1)
    client = client_as("chair")
    link = reverse("pledges:pledge_finalise", args=[signing.pledge.pk])
    assert "02/GU-KTĐ6" in client.get(link).content.decode()
    # The tick for the units that have not signed is not the confirmation: nothing is closed.
    again = client.post(link, {"confirm": "on"})
    assert again.status_code == OK and 'id="confirm-again"' in again.content.decode()
    signing.refresh_from_db()
    assert signing.is_signing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link, {"confirm": "on", **CONFIRMED}).status_code == REDIRECT
    signing.refresh_from_db()
    assert signing.is_final and signing.document.number_text == "02/GU-KTĐ6"
