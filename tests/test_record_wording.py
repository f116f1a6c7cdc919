"""The record states only what happened (DESIGN sections 1a and 3): no dead end between the year-end
election and next year's pledge, a pledge signed on a paper text the portal does not hold, and seat words
that follow the bloc's kind and the seat order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.services import seats_set
from pledges.models import Pledge

from .conftest import YEAR
from .pledge_fixtures import *  # noqa: F403  (fixtures)
from .pledge_fixtures import make_draft
from .roles import FORBIDDEN, MANAGERS, OK, READERS, REDIRECT, ROLES, check_get, check_post, expect

pytestmark = pytest.mark.django_db

NEXT = YEAR + 1


@pytest.fixture
def next_seats(bloc, units, seats):
    """The year-end conference of YEAR elected NEXT's seats: neither of YEAR's seat holders keeps one."""
    return seats_set(bloc=bloc, year=NEXT, chair=units["farmers"], vice_chairs=[units["veterans"]], by=None)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # the access predicates cache seats on the user


# The outgoing seat holders draft the next year's pledge until its signing opens ---------------------


def test_the_outgoing_chair_creates_next_years_pledge_after_its_seats_are_elected(client_as, bloc, next_seats):
    client = client_as("chair")
    page = client.get(reverse("pledge_detail", args=[bloc.pk, NEXT])).content.decode()
    assert 'name="start_blank"' in page
    assert client.post(reverse("pledge_create", args=[bloc.pk, NEXT])).status_code == REDIRECT
    pledge = Pledge.objects.get(bloc=bloc, year=NEXT)
    assert client.get(reverse("pledge_edit", args=[pledge.pk])).status_code == OK


def test_the_outgoing_chair_stops_when_signing_of_next_years_pledge_opens(client_as, bloc, users, next_seats):
    from pledges.services import pledge_signing_open

    version = make_draft(bloc, year=NEXT, by=users["chair"])
    pledge_signing_open(version=version, by=users["chair"])
    client = client_as("chair")
    assert client.get(reverse("pledge_signatures_record", args=[version.pledge.pk])).status_code == FORBIDDEN
    page = client.get(version.pledge.get_absolute_url()).content.decode()
    assert "Record paper signatures" not in page and "Ghi nhận chữ ký" not in page


def test_a_member_is_told_who_drafts_next_years_pledge(client_as, bloc, next_seats):
    page = client_as("member").get(reverse("pledge_detail", args=[bloc.pk, NEXT])).content.decode()
    assert 'name="start_blank"' not in page
    assert 'id="prepare-refusal"' in page
    refusal = page.split('id="prepare-refusal">')[1].split("<")[0]
    assert "Khối trưởng" in refusal and "Khối phó" in refusal and str(YEAR) in refusal and str(NEXT) in refusal


def test_a_member_reading_a_draft_is_told_who_may_edit_it(client_as, bloc, users, next_seats):
    version = make_draft(bloc, year=NEXT, by=users["officer"])
    page = client_as("member").get(version.pledge.get_absolute_url()).content.decode()
    assert 'id="prepare-refusal"' in page and "Khối trưởng" in page


def test_can_prepare_year_follows_the_pledge_not_the_seats(bloc, users, next_seats):
    from blocs.access import can_prepare_year
    from pledges.services import pledge_signing_open

    chair, incoming = users["chair"], users["officer"]
    assert can_prepare_year(_fresh(chair), bloc, NEXT)  # seats of NEXT exist, no pledge yet
    version = make_draft(bloc, year=NEXT, by=incoming)
    assert can_prepare_year(_fresh(chair), bloc, NEXT)  # drafting
    pledge_signing_open(version=version, by=incoming)
    assert not can_prepare_year(_fresh(chair), bloc, NEXT)
    assert not can_prepare_year(_fresh(chair), bloc, NEXT + 1)  # never two years on


# The role matrix of NEXT's pledge once NEXT's seats exist: YEAR's chair and vice-chair (the users
# "chair" and "vice_chair") draft it; once signing opens, only officers (NEXT's holders have no user here).
OUTGOING_ONLY_UNTIL_SIGNING = expect(member=FORBIDDEN, vice_chair=FORBIDDEN, chair=FORBIDDEN)


@pytest.fixture
def next_draft(bloc, users, heads, next_seats):
    return make_draft(bloc, year=NEXT, by=users["officer"])


@pytest.mark.parametrize("role", ROLES)
def test_next_years_draft_role_matrix(client_as, next_draft, role):
    pledge = next_draft.pledge
    client = client_as(role)
    check_get(client, pledge.get_absolute_url(), READERS, role, name="detail")
    check_get(client, reverse("pledge_edit", args=[pledge.pk]), MANAGERS, role, name="edit")
    check_get(client, reverse("pledge_signing_open", args=[pledge.pk]), MANAGERS, role, name="open signing")

    def state():
        next_draft.refresh_from_db()
        return next_draft.state

    check_post(client, reverse("pledge_signing_open", args=[pledge.pk]), {"confirm": "on"}, expect(
        member=FORBIDDEN, vice_chair=REDIRECT, chair=REDIRECT, officer=REDIRECT
    ), role, state=state, name="open signing")


@pytest.mark.parametrize("role", ROLES)
def test_next_years_pledge_in_signing_role_matrix(client_as, next_draft, users, role):
    from pledges.services import pledge_signing_open

    signing = pledge_signing_open(version=next_draft, by=users["officer"])
    pledge = signing.pledge
    client = client_as(role)
    check_get(client, pledge.get_absolute_url(), READERS, role, name="detail")
    check_get(client, reverse("pledge_signatures_record", args=[pledge.pk]), OUTGOING_ONLY_UNTIL_SIGNING, role)
    check_get(client, reverse("pledge_finalise", args=[pledge.pk]), OUTGOING_ONLY_UNTIL_SIGNING, role)
    check_get(client, reverse("pledge_scan_upload", args=[pledge.pk, 1]), OUTGOING_ONLY_UNTIL_SIGNING, role)


# A pledge signed on a paper text the portal does not hold -------------------------------------------


def _blank_draft(bloc, users):
    return make_draft(bloc, by=users["officer"], sections=[])


def test_signing_opens_with_the_text_attached_instead_of_an_invented_section(client_as, bloc, users, heads):
    version = _blank_draft(bloc, users)
    url = reverse("pledge_signing_open", args=[version.pledge.pk])
    client = client_as("chair")
    refused = client.post(url, {})
    assert refused.status_code == OK
    assert "kèm theo" in refused.content.decode()  # the error names the way out
    version.refresh_from_db()
    assert version.is_drafting and not version.text_attached
    assert client.post(url, {"text_attached": "on"}).status_code == REDIRECT
    version.refresh_from_db()
    assert version.is_signing and version.text_attached and not version.sections.exists()
    page = client.get(version.pledge.get_absolute_url()).content.decode()
    assert 'id="text-attached"' in page


def test_the_draft_editor_keeps_the_text_attached_choice(client_as, bloc, users, heads):
    version = _blank_draft(bloc, users)
    data = {
        "revision": version.revision, "title": version.title, "signing_date": "", "signing_place": "",
        "preamble": "", "text_attached": "on",
        "sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
    }
    response = client_as("chair").post(reverse("pledge_edit", args=[version.pledge.pk]), data)
    assert response.status_code == REDIRECT, getattr(response, "context", None) and response.context.get("form").errors
    version.refresh_from_db()
    assert version.text_attached
    page = client_as("chair").get(reverse("pledge_edit", args=[version.pledge.pk])).content.decode()
    assert 'name="text_attached"' in page and "checked" in page.split('name="text_attached"')[1].split(">")[0]


def test_the_pdf_of_an_attached_text_says_so_and_keeps_the_signature_blocks(bloc, units, users, heads):
    from pledges.printing import pledge_pdf_render
    from pledges.services import pledge_signing_open

    from .test_pledges_pdf import pdf_text, upper

    version = pledge_signing_open(version=_blank_draft(bloc, users), by=users["chair"], text_attached=True)
    text = pdf_text(pledge_pdf_render(version=version))
    assert "Nội dung giao ước kèm theo" in text
    assert "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ GIAO ƯỚC" in text
    for unit in ("chair_unit", "vice_unit", "member_unit", "farmers", "veterans"):
        assert upper(units[unit].name) in text
    with_sections = pdf_text(pledge_pdf_render(version=make_draft(bloc, year=NEXT, by=users["officer"])))
    assert "kèm theo" not in with_sections
