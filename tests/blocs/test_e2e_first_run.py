"""The first run in a real headless Chromium: from an empty database to a central council with one officer."""

import pytest

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_superuser_sets_up_a_central_council_and_its_first_officer(page, browser, live_server):  # noqa: F811
    from awards.models import AwardType
    from blocs.models import Council, User

    User.objects.create_superuser("quantri", password=PASSWORD)
    log_in(page, "quantri", PASSWORD)
    assert page.locator("h1").first.inner_text() == "Các bước bắt đầu"
    assert page.locator(".first-steps li[data-done='0']").count() == 5

    page.locator(".btn-primary", has_text="Tạo hội đồng").click()
    page.wait_for_url("**/councils/new/")
    page.fill("input[name=name]", "Hội đồng Thi đua – Khen thưởng Trung ương")
    page.select_option("select[name=level]", "central")
    page.fill("input[name=place_name]", "Hà Nội")
    page.fill("input[name=issuing_body]", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TRUNG ƯƠNG")
    page.click("form.col-lg-8 button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert "Đã tạo hội đồng." in page.content()
    council = Council.objects.get()
    assert set(AwardType.objects.filter(council=council).values_list("name", flat=True)) >= {
        "Cờ thi đua của Chính phủ",
        "Bằng khen của Thủ tướng Chính phủ",
    }

    steps = page.locator(".first-steps li")
    assert [steps.nth(i).get_attribute("data-done") for i in range(5)] == ["1", "0", "0", "0", "0"]
    steps.nth(1).locator("a").first.click()
    page.wait_for_url("**/accounts/users/new/")
    password = "Ban-TDKT-trung-uong-2025"
    page.fill("input[name=username]", "canbo.tw")
    page.fill("input[name=last_name]", "Trần Thị")
    page.fill("input[name=first_name]", "Hoa")
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.click("form.col-lg-8 button[type=submit]")
    page.wait_for_url("**/accounts/users/*/")
    page.goto("/")
    assert page.locator(".first-steps li").nth(1).get_attribute("data-done") == "1"

    # The officer, in a browser of their own: chooses a password, then sees the home and the next steps.
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    officer = context.new_page()
    log_in(officer, "canbo.tw", password)
    officer.wait_for_url("**/accounts/password/")
    own = "Mat-khau-cua-Hoa-2025"
    officer.fill("input[name=old_password]", password)
    officer.fill("input[name=new_password1]", own)
    officer.fill("input[name=new_password2]", own)
    officer.click("form.col-lg-8 button[type=submit]")
    officer.wait_for_url(live_server.url + "/")
    assert officer.locator("#first-steps-title").inner_text() == "Các bước bắt đầu"
    assert officer.locator(".first-steps li.list-group-item-primary a").first.inner_text() == "Thêm các đơn vị"
    context.close()
