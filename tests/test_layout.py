"""Phones and paper in a real browser: a main table becomes stacked cards under 576px, each cell labelled
with its column's header; printing leaves out the navigation and shows the header with the page's title."""

import pytest
from django.conf import settings

from .browser import browser, log_in, page  # noqa: F401  (fixtures)
from .conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="browser tests run on PostgreSQL"
    ),
]


def test_the_home_table_is_stacked_on_a_phone_and_a_table_on_a_wide_screen(page, bloc, users):  # noqa: F811
    log_in(page, "member", PASSWORD)
    table = page.locator("table.table-stack").first
    headers = table.locator("thead th").all_inner_texts()
    cells = table.locator("tbody tr").first.locator("td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(cells.count())] == headers

    page.set_viewport_size({"width": 1366, "height": 768})
    assert table.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert table.locator("thead").bounding_box()["height"] > 10

    page.set_viewport_size({"width": 390, "height": 844})
    assert table.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display") == "block"
    assert table.locator("thead").bounding_box()["height"] <= 1  # left for screen readers only
    label = cells.nth(0).evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == f'"{headers[0]}"'
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_printed_page_shows_its_title_and_day_without_the_navigation(page, bloc, users):  # noqa: F811
    log_in(page, "officer", PASSWORD)
    page.goto("/units/")
    header = page.locator(".print-header")
    assert not header.is_visible()

    page.emulate_media(media="print")
    assert header.is_visible()
    assert header.inner_text().startswith("Cổng thông tin khối, cụm thi đua · Đơn vị · in ngày ")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("main form[method=get]").is_visible()
    assert not page.locator("main .btn").first.is_visible()
    assert page.locator("main table").is_visible()
