"""Deleting a draft proposal, a rule or a registration and issuing a cover letter are irreversible: each
asks for confirmation first (``blocs.web.confirm_page``). A GET or a POST without the confirmation
changes nothing and says what will happen (the cover letter's number is the one it then takes); the
confirmation page is checked with the action's own rule for every role."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from awards import services
from awards.catalogue import CHAIRMAN_CERTIFICATE, GOVERNMENT_FLAG
from awards.models import AwardRule, Proposal, Registration, Submission
from documents.models import DocumentCounter
from documents.services import issuer_key

from ..conftest import YEAR
from ..roles import CONFIRMED, MANAGERS, OFFICER_OBJECT, OK, REDIRECT, ROLES, check_get, expect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "awards_checks_only")]


@pytest.fixture
def objs(bloc, units, awards, proposal, rule):
    """A draft proposal, a council rule, a registration and a submission whose cover letter is not issued."""
    draft = proposal("LHPN")
    registration = services.registration_add(
        bloc=bloc, year=YEAR, unit=units["member_unit"], award_type=awards[CHAIRMAN_CERTIFICATE], by=None
    )
    submission = Submission.objects.create(bloc=bloc, year=YEAR, sequence=1, submitted_on=date(2022, 1, 10))
    return {
        "draft": draft,
        "rule": rule(GOVERNMENT_FLAG, "quota", quota_number=1),
        "registration": registration,
        "submission": submission,
    }


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


# (name, URL, who may see the confirmation page: the action's own rule)
PAGES = [
    ("proposal_delete", lambda o: url("proposal_delete", o["draft"].pk), MANAGERS),
    ("rule_delete", lambda o: url("rule_delete", o["rule"].pk), OFFICER_OBJECT),
    # A member registers (and removes) its own unit's titles; the seat holders and officers any member's.
    (
        "registration_delete",
        lambda o: url("registration_delete", o["registration"].pk),
        expect(member=OK, vice_chair=OK, chair=OK),
    ),
    ("submission_cover_issue", lambda o: url("submission_cover_issue", o["submission"].pk), MANAGERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "link", "expected"), PAGES, ids=[row[0] for row in PAGES])
def test_the_confirmation_pages_follow_the_actions_rule(client_as, objs, role, name, link, expected):
    response = check_get(client_as(role), link(objs), expected, role, name=name)
    if response.status_code == OK:
        assert "confirm-form" in response.content.decode()


def _asks_then_acts(client, link: str, exists, *, says: str):
    """The page says ``says``; a POST without the confirmation leaves ``exists()`` true; with it, false."""
    assert says in client.get(link).content.decode()
    again = client.post(link)
    assert again.status_code == OK and 'id="confirm-again"' in again.content.decode()
    assert exists()
    assert client.post(link, CONFIRMED).status_code == REDIRECT
    assert not exists()


def test_deleting_a_draft_proposal_asks_first(client_as, objs):
    draft = objs["draft"]
    _asks_then_acts(
        client_as("chair"),
        url("proposal_delete", draft.pk),
        lambda: Proposal.objects.filter(pk=draft.pk).exists(),
        says=draft.recipient_name,
    )


def test_deleting_a_rule_asks_first(client_as, objs):
    rule = objs["rule"]
    _asks_then_acts(
        client_as("officer"),
        url("rule_delete", rule.pk),
        lambda: AwardRule.objects.filter(pk=rule.pk).exists(),
        says=rule.award_type.name,
    )


def test_removing_a_registration_asks_first(client_as, objs, units):
    registration = objs["registration"]
    _asks_then_acts(
        client_as("member"),
        url("registration_delete", registration.pk),
        lambda: Registration.objects.filter(pk=registration.pk).exists(),
        says=units["member_unit"].name,
    )


def test_issuing_the_cover_letter_names_its_number_and_asks_first(client_as, bloc, objs):
    submission = objs["submission"]
    DocumentCounter.objects.create(issuer=issuer_key("bloc", bloc.pk), doc_type="TTr", year=2022, last_number=2)
    client = client_as("chair")
    link = url("submission_cover_issue", submission.pk)
    assert "03/TTr-KTĐ6" in client.get(link).content.decode()
    assert client.post(link).status_code == OK
    submission.refresh_from_db()
    assert submission.cover_letter is None
    assert client.post(link, CONFIRMED).status_code == REDIRECT
    submission.refresh_from_db()
    assert submission.cover_letter.number_text == "03/TTr-KTĐ6"
    # Once issued there is nothing to confirm: the page says so and leads back.
    assert client.get(link).status_code == REDIRECT


def test_the_buttons_lead_to_the_confirmation_pages(client_as, objs, bloc):
    chair = client_as("chair")
    page = chair.get(url("proposal_detail", objs["draft"].pk)).content.decode()
    assert f'href="{url("proposal_delete", objs["draft"].pk)}"' in page
    page = chair.get(url("registrations", bloc.pk, YEAR)).content.decode()
    assert f'href="{url("registration_delete", objs["registration"].pk)}"' in page
    page = chair.get(url("submission_detail", objs["submission"].pk)).content.decode()
    assert f'href="{url("submission_cover_issue", objs["submission"].pk)}"' in page
    page = client_as("officer").get(url("catalogue")).content.decode()
    assert f'href="{url("rule_delete", objs["rule"].pk)}"' in page
