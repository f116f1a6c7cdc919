"""End-to-end journeys of the base app in a real headless Chromium."""

import pytest

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_opens_the_bloc_and_sees_its_chair_history(page, bloc, units, seats, users):  # noqa: F811
    from blocs.models import Seat

    Seat.objects.create(bloc=bloc, year=YEAR - 1, unit=units["farmers"], rank=0)
    Seat.objects.create(bloc=bloc, year=YEAR - 1, unit=units["chair_unit"], rank=1)

    log_in(page, "member", PASSWORD)
    assert page.locator("h1").first.inner_text().endswith(str(YEAR))
    page.click(f"text={bloc.name}")
    page.wait_for_url(f"**/blocs/{bloc.pk}/**")

    members = page.locator("#members-table tbody tr")
    assert members.count() == 5
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" in members.nth(0).inner_text()

    timeline = page.locator("#seat-timeline tbody tr")
    assert timeline.count() == 2
    assert timeline.nth(0).inner_text().split("\t")[:2] == [str(YEAR), "Ủy ban MTTQ tỉnh"]
    assert timeline.nth(1).inner_text().split("\t")[:3] == [str(YEAR - 1), "Hội Nông dân", "Ủy ban MTTQ tỉnh"]

    # Clicking a year of the timeline shows that year's members and seats.
    timeline.nth(1).locator("a").click()
    page.wait_for_url(f"**?year={YEAR - 1}")
    assert "Hội Nông dân tỉnh" in page.locator("#seats-title + dl").inner_text()


def test_chair_accepts_the_rotation_suggestion_for_next_year(page, bloc, units, seats, users):  # noqa: F811
    log_in(page, "chair", PASSWORD)
    page.goto(f"/blocs/{bloc.pk}/seats/{YEAR + 1}/")
    assert page.locator("#suggested-chair").inner_text() == "Liên đoàn Lao động tỉnh"
    page.click("button[name=accept_suggestion]")
    page.wait_for_url(f"**/blocs/{bloc.pk}/?year={YEAR + 1}")
    assert "Liên đoàn Lao động tỉnh" in page.locator("#seats-title + dl").inner_text()
    assert [(s.unit.code, s.rank) for s in bloc.seats_of(YEAR + 1)] == [("LDLD", 0), ("LHPN", 1)]
