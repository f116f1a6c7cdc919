"""End to end in headless Chromium set to English (en-US): a date is typed dd/mm/yyyy and saved as that
day, not read as the browser's month-first order (tests/test_forms_common.py checks the forms)."""

# Fixtures imported from the browser module are parameters of the tests: F811 is expected.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date, time

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting

from .browser import browser, log_in  # noqa: F401  (fixtures)
from .conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_date_typed_day_first_in_an_english_browser_is_saved_as_that_day(english_page, bloc, units, seats, users):
    page = english_page
    log_in(page, "chair", PASSWORD)
    page.goto(f"/blocs/{bloc.pk}/meetings/new/?year={YEAR}")
    date_input = page.locator("input[name=date]")
    expect(date_input).to_have_attribute("type", "text")
    expect(date_input).to_have_attribute("placeholder", "dd/mm/yyyy")
    date_input.fill("28/12/2021")
    page.fill("input[name=start_time]", "14:00")
    page.fill("input[name=place]", "Hội trường Ủy ban MTTQ tỉnh")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(lambda url: "/new/" not in url)

    meeting = Meeting.objects.get(bloc=bloc, year=YEAR)
    assert meeting.date == date(2021, 12, 28)
    assert meeting.start_time == time(14, 0)
    expect(page.locator("main")).to_contain_text("28/12/2021")

    page.goto(f"/meetings/{meeting.pk}/edit/")
    expect(page.locator("input[name=date]")).to_have_value("28/12/2021")
    expect(page.locator("input[name=start_time]")).to_have_value("14:00")
