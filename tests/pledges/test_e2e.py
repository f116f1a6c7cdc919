"""End-to-end: a member signs the bloc's pledge in a real headless Chromium and sees the progress move."""

import pytest

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_the_pledge_from_the_home_page_and_sees_the_progress(page, signing, users):  # noqa: F811
    log_in(page, "member", PASSWORD)
    # The home page says the pledge waits for the unit's signature.
    page.click(f"a[href='/pledges/{signing.pledge.pk}/sign/']")
    page.wait_for_url(f"**/pledges/{signing.pledge.pk}/sign/")
    assert page.locator("input[name=signatory_name]").input_value() == "Nguyễn Thị Kim Loan"
    page.fill("input[name=signatory_title]", "Chủ tịch Hội")
    page.click("#sign-form button[type=submit]")
    page.wait_for_url(f"**/blocs/{signing.pledge.bloc_id}/pledges/{signing.pledge.year}/**")
    assert page.locator("#pledge-progress").inner_text().startswith("1/5")
    row = page.locator("#signatories-table tbody tr.table-info")
    assert "Hội Liên hiệp Phụ nữ tỉnh" in row.inner_text() and "Chủ tịch Hội" in row.inner_text()
    assert page.locator("#sign-button").count() == 0  # signed once, no second button

    # The chair sees the same progress and records the others from the paper ceremony.
    page.context.clear_cookies()
    log_in(page, "chair", PASSWORD)
    page.goto(f"/pledges/{signing.pledge.pk}/signatures/")
    page.check("#tick-all")
    page.fill("input[name=signed_on]", "29/12/2020")
    page.click("#record-form button[type=submit]")
    page.wait_for_url(f"**/blocs/{signing.pledge.bloc_id}/pledges/{signing.pledge.year}/**")
    assert page.locator("#pledge-progress").inner_text().startswith("5/5")
    assert "text-bg-success" in page.locator("#pledge-state").get_attribute("class")  # final
