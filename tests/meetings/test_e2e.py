"""End-to-end: the chair records a conference's results on the one page, finalises the minutes and downloads
them (PDF and Word), in a real headless Chromium."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from blocs.models import SeatWrite
from meetings import services
from meetings.models import Meeting

from ..browser import browser, log_in, page  # noqa: F401  (fixtures)
from ..conftest import PASSWORD, YEAR
from ..fixtures.meetings import docx_text, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_records_the_conference_and_downloads_its_minutes(page, bloc, units, seats, users):  # noqa: F811
    meeting = services.meeting_schedule(
        bloc=bloc,
        kind=Meeting.Kind.YEAR_END,
        year=YEAR,
        date=date(YEAR, 12, 28),
        start_time=time(14, 0),
        end_time=time(16, 30),
        place="Hội trường Ủy ban MTTQ tỉnh",
        presiding_name="Nguyễn Văn Hòa",
        presiding_title="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        secretary_name="Lê Thị Thu",
        secretary_title="Chuyên viên",
        by=users["chair"],
    )
    log_in(page, "chair", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.click("#record-results")
    page.wait_for_url(f"**/meetings/{meeting.pk}/results/")

    # Every member is listed; nobody is ticked and nobody elected until the chair says so.
    assert page.locator("#attendance-table tbody tr").count() == 5
    assert page.input_value("select[name=election_chair]") == ""
    if page.locator("input[name=attendance_state][value=list]").count():  # what is known of the attendance
        page.check("input[name=attendance_state][value=list]")
    for index in range(4):  # Hội Cựu chiến binh did not come
        page.check(f"input[name=attendance-{index}-present]")
    page.select_option("select[name=election_chair]", str(units["vice_unit"].pk))
    page.select_option("select[name=election_method]", "acclamation")  # the minutes say "thống nhất" only then
    page.fill("textarea[name=report_summary]", "Năm 2021, các đơn vị hoàn thành xuất sắc nhiệm vụ.")

    page.select_option("select[name=votes-0-award_type]", label="Cờ thi đua của UBND tỉnh")
    page.select_option("select[name=votes-0-unit]", label="Hội Liên hiệp Phụ nữ tỉnh")
    page.check("input[name=votes-0-acclamation]")
    page.click("#add-vote")  # a second candidate row, added in the page
    page.select_option("select[name=votes-1-award_type]", label="Bằng khen của Chủ tịch UBND tỉnh")
    page.select_option("select[name=votes-1-unit]", label="Hội Nông dân tỉnh")
    page.fill("input[name=votes-1-ballots_cast]", "4")
    page.fill("input[name=votes-1-votes_for]", "5")  # a slip: more votes than ballots
    page.click("#save-results")

    # Nothing saved; the error stands next to its field.
    row = page.locator("#votes-table tbody tr").nth(1)
    assert "cannot exceed ballots cast" in row.inner_text() or "vượt quá" in row.inner_text()
    assert not Meeting.objects.get(pk=meeting.pk).is_held
    page.fill("input[name=votes-1-votes_for]", "3")
    page.click("#save-results")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Hội Nông dân tỉnh" in page.locator("#votes-table").inner_text()
    assert Meeting.objects.get(pk=meeting.pk).is_held
    assert SeatWrite.objects.filter(bloc=bloc, year=YEAR + 1, source=SeatWrite.Source.CONFERENCE).exists()

    # Finalise: the confirmation page names the number; confirmed, the minutes get it and their PDF at once.
    page.click("#finalise-minutes")
    page.wait_for_url(f"**/meetings/{meeting.pk}/minutes/finalise/")
    assert "01/BB-KTĐ6" in page.locator("#confirm-consequences").inner_text()
    page.click("#confirm-button")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "01/BB-KTĐ6" in page.locator("#minutes-versions").inner_text()

    with page.expect_download() as download:
        page.click("#minutes-versions a.minutes-docx")
    word = docx_text(Path(download.value.path()).read_bytes())
    assert "Số: 01/BB-KTĐ6" in word and "BIÊN BẢN" in word

    response = page.request.get(f"/meetings/{meeting.pk}/minutes/v1.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    for fact in [
        "Số: 01/BB-KTĐ6",
        "Vào lúc 14 giờ 00 phút, ngày 28 tháng 12 năm 2021",
        "(có mặt 4/5 đơn vị)",
        "Vắng mặt: Hội Cựu chiến binh tỉnh.",
        "Cờ thi đua của UBND tỉnh: Hội Liên hiệp Phụ nữ tỉnh (thống nhất)",
        "Bằng khen của Chủ tịch UBND tỉnh: Hội Nông dân tỉnh (3/4 phiếu tán thành, đạt 75%; 4 đơn vị có mặt)",
        "Hội nghị thống nhất bầu Liên đoàn Lao động tỉnh làm Khối trưởng",
        "Hội nghị kết thúc vào lúc 16 giờ 30 phút cùng ngày",
    ]:
        assert fact in text, fact
    assert "DỰ THẢO" not in text
