"""End to end in headless Chromium: one proposal from the chair's draft to the Board's decision."""

# Fixtures imported from test_awards_support are parameters of the tests: F811 is expected.
# ruff: noqa: F811

import pytest

from .browser import browser, log_in, page  # noqa: F401  (fixtures)
from .conftest import PASSWORD, YEAR
from .test_awards_support import PDF_BYTES, awards_checks_only  # noqa: F401  (autouse fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_goes_from_the_chairs_draft_to_the_boards_decision(
    page, browser, live_server, bloc, units, seats, users, tmp_path
):
    from awards.models import Proposal

    report = tmp_path / "bao-cao-thanh-tich.pdf"
    report.write_bytes(PDF_BYTES)

    # The chair records the proposal: the flag for LĐLĐ, by acclamation, with the achievement report.
    log_in(page, "chair", PASSWORD)
    page.goto(f"/awards/blocs/{bloc.pk}/{YEAR}/")
    page.click(f"a[href='/awards/blocs/{bloc.pk}/{YEAR}/new/']")
    page.select_option("select[name=award_type]", label="Cờ thi đua của UBND tỉnh")
    page.check("input[name=recipient][value=unit]")
    page.select_option("select[name=unit]", label="Liên đoàn Lao động tỉnh")
    assert page.locator("#div_id_person_name").is_hidden()  # only the fields of the chosen recipient show
    page.fill("textarea[name=summary]", "Dẫn đầu phong trào thi đua của khối.")
    page.check("input[name=acclamation]")
    page.fill("input[name=members_present]", "5")
    page.set_input_files("input[name=achievement_report]", str(report))
    page.click("#proposal-form button[type=submit]")
    page.wait_for_url("**/awards/proposals/*/")
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT and proposal.achievement_report

    # The live check warns that LĐLĐ did not register for the flag; the chair writes why.
    assert "Liên đoàn Lao động tỉnh" in page.locator("#findings").inner_text()
    page.fill(".reason-form textarea[name=reason]", "Đơn vị đăng ký bổ sung trong năm.")
    page.click(".reason-form button[type=submit]")
    page.wait_for_url(f"**/awards/proposals/{proposal.pk}/")

    # Submit: the dossier is complete, the cover letter is issued with the bloc's first number.
    page.click(f"a[href='/awards/blocs/{bloc.pk}/{YEAR}/submit/']")
    page.wait_for_selector("#dossier-complete")
    page.click("form button.btn-success[type=submit]")
    page.wait_for_url("**/awards/submissions/*/")
    assert "01/TTr-KTĐ6" in page.locator("#cover-letter").inner_text()

    # The Board's officer finds it in the review queue, approves it and records the decision.
    officer_context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    log_in(officer, "officer", PASSWORD)
    officer.goto("/awards/review/")
    row = officer.locator(f"#queue tr[data-proposal='{proposal.pk}']")
    assert "Liên đoàn Lao động tỉnh" in row.inner_text()
    row.locator("a").first.click()
    officer.wait_for_url(f"**/awards/proposals/{proposal.pk}/")
    officer.click("button[name=approve]")
    officer.wait_for_url(f"**/awards/proposals/{proposal.pk}/")
    assert officer.locator("#proposal-status [data-status]").get_attribute("data-status") == "approved"

    officer.goto(f"/awards/decisions/new/?year={YEAR}")
    officer.fill("input[name=number]", "412/QĐ-UBND")
    officer.fill("input[name=date]", "15/03/2022")
    officer.fill("input[name=signer]", "Nguyễn Văn Bình, Chủ tịch UBND tỉnh")
    officer.check(f"input[name=proposals][value='{proposal.pk}']")
    officer.click("#decision-form button[type=submit]")
    officer.wait_for_url("**/awards/decisions/*/")
    assert "Liên đoàn Lao động tỉnh" in officer.locator("#decision-proposals").inner_text()
    officer_context.close()

    # Back on the chair's page: decided, with the decision's number.
    page.goto(f"/awards/blocs/{bloc.pk}/{YEAR}/")
    row = page.locator(f"#proposals tr[data-proposal='{proposal.pk}']")
    assert row.locator("[data-status]").get_attribute("data-status") == "decided"
    assert "412/QĐ-UBND" in row.inner_text()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECIDED and proposal.decision.number == "412/QĐ-UBND"
