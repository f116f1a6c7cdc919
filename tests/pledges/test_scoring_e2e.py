"""End-to-end, in a real headless Chromium: a member fills and submits its score sheet, the chair reviews
it, finalises the ranking and sees the unit ranked first, also beside its votes on the conference's
results page."""

import pytest

from pledges.scoring.models import Ranking, ScoreSheet

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR
from ..fixtures.scoring import criteria_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_submits_its_sheet_and_the_chair_reviews_and_finalises(page, bloc, sheets, users, meeting, record):  # noqa: F811
    sheet = sheets["member_unit"]
    criteria = criteria_of(sheet.table)
    log_in(page, "member", PASSWORD)
    page.goto(f"/blocs/{bloc.pk}/scoring/{YEAR}/")
    page.click("#my-sheet")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/")
    page.fill(f"input[name=points_{criteria['c1'].pk}]", "18,5")
    page.fill(f"textarea[name=note_{criteria['c1'].pk}]", "Vượt chỉ tiêu\nxem báo cáo số 12")
    page.click("#save-draft")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/")
    assert page.locator("#self-total").inner_text() == "18,5"
    assert page.locator("#empty-criteria").count() == 1  # four criteria still empty
    for key in ("c2", "c3", "bonus"):
        page.fill(f"input[name=points_{criteria[key].pk}]", str(int(criteria[key].maximum)))
    page.fill(f"input[name=points_{criteria['penalty'].pk}]", "-1")
    page.click("#save-submit")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/submit/")
    page.click("#confirm-button")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/")
    assert page.locator("#sheet-state").get_attribute("data-status") == ScoreSheet.State.SUBMITTED
    assert page.locator("#self-total").inner_text() == "77,5"  # 18,5 + 30 + 25 + 5 − 1

    page.context.clear_cookies()
    log_in(page, "chair", PASSWORD)
    page.goto(f"/scoring/sheets/{sheet.pk}/")
    for key, criterion in criteria.items():
        value = page.locator(f"input[name=review_{criterion.pk}]").input_value()
        assert value == "", key  # the review starts empty: the unit's own score is not a review score
    own = {"c1": "18,5", "c2": "30", "c3": "25", "bonus": "5", "penalty": "-1"}
    for key, value in own.items():
        page.fill(f"input[name=review_{criteria[key].pk}]", value)
    page.fill(f"input[name=review_{criteria['bonus'].pk}]", "3")
    page.click("#finish-review")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/")
    # A different score needs its reason: the message is at the field and nothing is saved.
    assert page.locator(f"textarea[name=reason_{criteria['bonus'].pk}] ~ .invalid-feedback").count() == 1
    page.fill(f"textarea[name=reason_{criteria['bonus'].pk}]", "Sáng kiến chưa được công nhận cấp tỉnh")
    page.click("#finish-review")
    page.wait_for_url(f"**/scoring/sheets/{sheet.pk}/")
    assert page.locator("#sheet-state").get_attribute("data-status") == ScoreSheet.State.REVIEWED
    assert page.locator("#review-total").inner_text() == "75,5"

    page.goto(f"/blocs/{bloc.pk}/ranking/{YEAR}/")
    assert page.locator("#provisional").count() == 1
    page.click("#finalise")
    page.click("#confirm-button")
    page.wait_for_url(f"**/blocs/{bloc.pk}/ranking/{YEAR}/")
    assert Ranking.objects.get(bloc=bloc, year=YEAR).is_final
    first = page.locator("#ranking tbody tr[data-rank='1']")
    assert "Hội Liên hiệp Phụ nữ tỉnh" in first.inner_text() and "75,5" in first.inner_text()
    assert page.locator("#ranking-chart svg rect").count() == 1
    assert "Không xếp hạng" in page.locator("#ranking").inner_text()  # the others: never zero

    # The year-end conference votes the flag for the unit: its rank is beside its votes.
    record()
    page.goto(f"/meetings/{meeting.pk}/results/")
    row = page.locator("#votes-table tbody tr", has_text="Hội Liên hiệp Phụ nữ tỉnh").first
    assert row.locator("td.cell-rank").inner_text().strip() == "1"
    assert "2021" in page.locator("#rank-note").inner_text()
