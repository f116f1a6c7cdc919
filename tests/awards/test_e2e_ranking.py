"""End to end in headless Chromium: the final ranking in the chair's pages, with their scripts running.

The proposal form's "Chèn xếp hạng" puts the chosen unit's line in the reason field in the page (no round
trip, nothing saved) and follows the unit chosen; the proposal is saved with it only when the chair saves.
The results page's rank column follows the unit chosen in a new vote row.
"""

# Fixtures imported from the browser module are parameters of the tests: F811 is expected.
# ruff: noqa: F811

import pytest
from playwright.sync_api import expect

from awards.models import Proposal

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Xếp hạng Nhất Khối thi đua các tổ chức chính trị - xã hội năm 2021"
THIRD = "Xếp hạng Ba Khối thi đua các tổ chức chính trị - xã hội năm 2021"


def test_the_chair_inserts_the_ranking_into_the_reason_and_saves_it(page, bloc, units, seats, users, ranked):
    log_in(page, "chair", PASSWORD)
    page.goto(f"/awards/blocs/{bloc.pk}/{YEAR}/new/")
    button = page.locator("#insert-ranking")
    expect(button).to_be_disabled()  # no unit chosen yet
    page.select_option("select[name=award_type]", label="Cờ thi đua của UBND tỉnh")
    page.select_option("select[name=unit]", str(units["member_unit"].pk))
    expect(page.locator("#ranking-offer-line")).to_have_text(THIRD)
    page.select_option("select[name=unit]", str(units["vice_unit"].pk))
    expect(page.locator("#ranking-offer-line")).to_have_text(FIRST)
    page.fill("textarea[name=award_reason]", "Dẫn đầu phong trào.")
    button.click()
    expect(page.locator("textarea[name=award_reason]")).to_have_value(f"Dẫn đầu phong trào.\n{FIRST}")
    button.click()  # once only
    expect(page.locator("textarea[name=award_reason]")).to_have_value(f"Dẫn đầu phong trào.\n{FIRST}")
    assert not Proposal.objects.exists()  # in the page only
    # A person is not what the ranking ranks: nothing to insert.
    page.check("input[name=recipient][value=person]")
    expect(button).to_be_disabled()
    page.check("input[name=recipient][value=unit]")
    page.check("input[name=acclamation]")
    page.click("#proposal-form button.btn-primary[type=submit]")
    page.wait_for_url("**/awards/proposals/*/")
    assert Proposal.objects.get().award_reason == f"Dẫn đầu phong trào.\n{FIRST}"


def test_the_rank_column_follows_the_unit_chosen_in_a_new_vote_row(page, meeting, units, users, ranked):
    log_in(page, "chair", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/results/")
    row = page.locator("#votes-table tbody tr.vote-row").last
    row.locator("select[name$='-unit']").select_option(str(units["member_unit"].pk))
    expect(row.locator(".cell-rank")).to_have_text("3")
    row.locator("select[name$='-unit']").select_option(str(units["veterans"].pk))
    expect(row.locator(".cell-rank")).to_have_text("chưa xếp hạng")
    row.locator("input[name$='-person_name']").fill("Nguyễn Văn Hùng")
    expect(row.locator(".cell-rank")).to_have_text("")
