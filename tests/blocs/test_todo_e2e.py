"""End-to-end in a real headless Chromium: the chair's to-do list says "3/8 chưa ký", a member opens the
notice that signing opened (the bell), signs, and the chair's count drops; the member's notice is read."""

import pytest

from blocs.models import Notification
from pledges.services import pledge_signatures_record, pledge_signing_open
from tests.factories import MembershipFactory, UnitFactory

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD
from ..fixtures.pledges import SIGNING_DAY, make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eight_signing(bloc, units, seats, users, heads, django_capture_on_commit_callbacks):
    """KTĐ6 with eight members, its 2021 pledge open for signing, five of them signed on paper: the
    member's unit and two others still to sign."""
    extra = []
    for i in range(3):
        unit = UnitFactory(council=bloc.council, name=f"Hội Thử nghiệm {i + 1}", head_title="Chủ tịch")
        MembershipFactory(bloc=bloc, unit=unit, first_year=2018, display_order=10 + i)
        extra.append(unit)
    with django_capture_on_commit_callbacks(execute=True):
        version = pledge_signing_open(version=make_draft(bloc, by=users["officer"]), by=users["chair"])
    signed = [units["chair_unit"], units["vice_unit"], units["farmers"], units["veterans"], extra[0]]
    pledge_signatures_record(version=version, signed_on=SIGNING_DAY, units=signed, by=users["chair"])
    return version


def chair_count(tab) -> str:
    tab.goto("/todo/?year=2021")
    return tab.locator(".todo-item", has_text="chưa ký giao ước").inner_text()


def test_the_chair_sees_who_has_not_signed_and_the_member_signs_from_its_notice(page, eight_signing, users):  # noqa: F811
    pledge = eight_signing.pledge
    log_in(page, "chair", PASSWORD)
    page.wait_for_url("**/")
    assert "3/8 chưa ký" in chair_count(page)

    page.context.clear_cookies()
    log_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    assert page.locator("#unread-count").inner_text().startswith("1")
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    notice = page.locator("[data-notification]", has_text="mở ký")
    assert "mới" in notice.inner_text()
    notice.locator("button", has_text="Mở").click()
    page.wait_for_url(f"**/pledges/{pledge.pk}/sign/")
    page.click("#sign-form button[type=submit]")
    page.wait_for_url(f"**/blocs/{pledge.bloc_id}/pledges/2021/**")
    assert page.locator("#pledge-progress").inner_text().startswith("6/8")
    page.goto("/notifications/")
    assert page.locator("#unread-count").count() == 0
    assert "mới" not in page.locator("[data-notification]", has_text="mở ký").inner_text()
    assert Notification.objects.get(user=users["member"], kind="signing_opened").read_at is not None

    page.context.clear_cookies()
    log_in(page, "chair", PASSWORD)
    page.wait_for_url("**/")
    assert "2/8 chưa ký" in chair_count(page)
