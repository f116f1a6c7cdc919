"""Issuing a numbered membership list and recording a merger are irreversible: the confirmation page
(``blocs.web.confirm_page``) says what will happen — the list's number, the merging units and the blocs
they leave — and only a POST carrying the confirmation acts. The shared mechanism itself: a GET or a
POST without ``confirmed`` is answered with the page (200), never a change."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from blocs.models import Membership, Unit
from blocs.web import Confirmation, ConfirmForm, confirm_page, confirmed
from documents.models import IssuedDocument

from ..conftest import YEAR
from ..factories import UnitFactory
from ..roles import CONFIRMED, COUNCIL_OFFICERS, MANAGERS, OK, REDIRECT, ROLES, check_get, check_post

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def test_only_the_confirmation_pages_post_confirms(rf: RequestFactory):
    assert not confirmed(rf.get("/x/", {"confirmed": "True"}))
    assert not confirmed(rf.post("/x/"))
    assert not confirmed(rf.post("/x/", {"confirmed": "False"}))
    assert confirmed(rf.post("/x/", CONFIRMED))
    assert ConfirmForm().fields["confirmed"].required


def test_the_confirmation_page_posts_back_what_it_carries(rf: RequestFactory, users):
    request = rf.post("/units/merge/")
    request.user = users["officer"]
    page = confirm_page(
        request,
        Confirmation(title="Xóa?", consequences=["Sẽ bị xóa."], back_url="/back/", fields=[("year", "2025")]),
    ).content.decode()
    assert 'id="confirm-again"' in page and "Sẽ bị xóa." in page and 'href="/back/"' in page
    assert ("year", "2025") in HIDDEN.findall(page) and ("confirmed", "True") in HIDDEN.findall(page)


@pytest.mark.parametrize("role", ROLES)
def test_the_membership_list_confirmation_follows_the_issue_rule(client_as, bloc, seats, role):
    link = reverse("blocs:bloc_members_issue", args=[bloc.pk, YEAR])
    response = check_get(client_as(role), link, MANAGERS, role)
    if response.status_code == OK:
        assert "01/DS-KTĐ6" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_bloc_page_leads_to_the_confirmation(client_as, bloc, seats):
    page = client_as("chair").get(reverse("blocs:bloc_detail", args=[bloc.pk]) + f"?year={YEAR}")
    assert f'href="{reverse("blocs:bloc_members_issue", args=[bloc.pk, YEAR])}"' in page.content.decode()


@pytest.fixture
def merger(council, units):
    successor = UnitFactory(council=council, code="HND-CCB", name="Hội Nông dân và Cựu chiến binh tỉnh")
    data = {"predecessors": [units["farmers"].pk, units["veterans"].pk], "successor": successor.pk, "year": 2025}
    return successor, data


def _merged_state():
    return list(Unit.objects.order_by("pk").values_list("pk", "successor_id", "active")), list(
        Membership.objects.order_by("pk").values_list("pk", "unit_id", "first_year", "last_year")
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_merger_without_the_confirmation_changes_nothing_for_anyone(client_as, merger, role):
    _successor, data = merger
    check_post(client_as(role), reverse("blocs:unit_merge"), data, COUNCIL_OFFICERS, role, state=_merged_state)


def test_a_merger_is_recorded_from_its_confirmation_page(client_as, bloc, units, merger):
    successor, data = merger
    client = client_as("officer")
    page = client.post(reverse("blocs:unit_merge"), data)
    assert page.status_code == OK
    text = page.content.decode()
    assert units["farmers"].display_name in text and successor.display_name in text and bloc.name in text
    units["farmers"].refresh_from_db()
    assert units["farmers"].successor is None
    # The confirmation page's own form, posted as the browser would post it.
    posted: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(text):
        if name != "csrfmiddlewaretoken":
            posted.setdefault(name, []).append(value)
    assert posted["confirmed"] == ["True"] and len(posted["predecessors"]) == 2
    assert client.post(reverse("blocs:unit_merge"), posted).status_code == REDIRECT
    units["farmers"].refresh_from_db()
    assert units["farmers"].successor == successor
