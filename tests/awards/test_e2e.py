"""End to end in headless Chromium: one proposal from the chair's draft to the Board's decision.

Every dossier check production runs is live here, the meetings app's "the year-end minutes are final"
included: the bloc's conference is recorded and its minutes made final before the chair submits.
"""

# Fixtures imported from the browser module are parameters of the tests: F811 is expected.
# ruff: noqa: F811

from datetime import date

import pytest
from playwright.sync_api import expect

from awards import registry
from awards.catalogue import PROVINCIAL_FLAG
from awards.models import AwardType, Proposal, Submission
from meetings import providers as meetings_providers
from meetings.models import Meeting
from meetings.services import AttendanceEntry, VoteEntry, meeting_record_results, meeting_schedule, minutes_finalise

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR
from ..fixtures.awards import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = ["chair_unit", "vice_unit", "member_unit", "farmers", "veterans"]


def conference_record_and_finalise(bloc, units, chair) -> Meeting:
    """The bloc's year-end conference of YEAR, as its chair records it: all five members present, the
    provincial flag for LĐLĐ by acclamation (the tally the chair's draft holds), then the minutes final."""
    meeting = meeting_schedule(
        bloc=bloc, kind=Meeting.Kind.YEAR_END, year=YEAR, date=date(YEAR, 12, 28), place="Hội trường", by=chair
    )
    flag = AwardType.objects.get(council=bloc.council, code=PROVINCIAL_FLAG)
    meeting_record_results(
        meeting=meeting,
        attendance=[AttendanceEntry(unit=units[key], present=True) for key in MEMBERS],
        votes=[VoteEntry(award_type=flag, unit=units["vice_unit"], members_present=5, acclamation=True)],
        by=chair,
    )
    minutes_finalise(meeting=meeting, by=chair, issue_pdf=False)
    return meeting


def test_a_proposal_goes_from_the_chairs_draft_to_the_boards_decision(
    page, browser, live_server, bloc, units, seats, users, tmp_path
):
    # Production's dossier checks, not a test's reduced set.
    assert meetings_providers.minutes_final_check in registry.dossier_checks
    report = tmp_path / "bao-cao-thanh-tich.pdf"
    report.write_bytes(PDF_BYTES)

    # The chair records the proposal: the flag for LĐLĐ, by acclamation, with the achievement report.
    log_in(page, "chair", PASSWORD)
    page.goto(f"/awards/blocs/{bloc.pk}/{YEAR}/")
    page.click(f"a[href='/awards/blocs/{bloc.pk}/{YEAR}/new/']")
    page.select_option("select[name=award_type]", label="Cờ thi đua của UBND tỉnh")
    page.check("input[name=recipient][value=unit]")
    page.select_option("select[name=unit]", label="Liên đoàn Lao động tỉnh")
    # Only the fields of the chosen recipient show (the script hides the others: wait for it, as a user would).
    expect(page.locator("#div_id_person_name")).to_be_hidden()
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

    # Before the conference's minutes are final the dossier is refused, and the page says why.
    page.click(f"a[href='/awards/blocs/{bloc.pk}/{YEAR}/submit/']")
    problems = page.locator("#dossier-problems").inner_text()
    assert f"biên bản hội nghị tổng kết năm {YEAR}" in problems.lower()
    assert page.locator("#dossier-complete").count() == 0

    # The chair records the conference, which voted the flag, and makes its minutes final.
    meeting = conference_record_and_finalise(bloc, units, users["chair"])
    assert Proposal.objects.get().meeting_votes.get().meeting == meeting

    # Submit: the dossier is complete; the confirm step links the draft cover letter ("…/TTr-KTĐ6") and
    # nothing is issued until the chair confirms; then it takes the bloc's first number.
    page.reload()
    page.wait_for_selector("#dossier-complete")
    page.click("form button.btn-success[type=submit]")
    page.wait_for_selector("#cover-preview")
    assert "…/TTr-KTĐ6" in page.locator("#cover-preview").inner_text()
    assert "/submit/cover.pdf?proposals=" in page.locator("#cover-preview-link").get_attribute("href")
    assert not Submission.objects.exists()
    page.click("#confirm-form button[type=submit]")
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
