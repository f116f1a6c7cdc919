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


def test_officer_adds_three_members_at_once_and_orders_them_by_dragging(page, bloc, units, seats, users):  # noqa: F811
    from blocs.models import Membership

    from ..factories import UnitFactory

    joining = {
        code: UnitFactory(council=bloc.council, code=code, name=name)
        for code, name in [
            ("DTN", "Đoàn Thanh niên tỉnh"),
            ("SGD", "Sở Giáo dục và Đào tạo tỉnh"),
            ("SYT", "Sở Y tế tỉnh"),
        ]
    }
    log_in(page, "officer", PASSWORD)
    page.goto(f"/blocs/{bloc.pk}/?year={YEAR + 1}")
    page.click("a:has-text('Thêm thành viên')")
    page.wait_for_url(f"**/blocs/{bloc.pk}/members/new/?year={YEAR + 1}")
    # The form starts from the year the bloc page showed.
    assert page.input_value("#id_first_year") == str(YEAR + 1)

    # The filter (shown by the script) finds a unit without its accents.
    page.fill("#unit-filter", "so y te")
    assert page.locator("#add-units tbody tr:visible").count() == 1
    page.fill("#unit-filter", "")
    assert page.locator("#add-units tbody tr:visible").count() == 4  # the three and Sở Nội vụ

    for unit in joining.values():
        page.check(f"#unit-{unit.pk}")

    def row(code):
        return page.locator(f"#add-units tr:has(#unit-{joining[code].pk})")

    # Sở Y tế dragged above Đoàn Thanh niên, the first row: the numbers follow the rows.
    row("SYT").locator(".drag-handle").drag_to(row("DTN").locator(".drag-handle"), target_position={"x": 4, "y": 2})
    assert page.locator("#add-units tbody tr label").all_inner_texts()[:2] == ["Sở Y tế tỉnh", "Đoàn Thanh niên tỉnh"]
    assert [row(code).locator("input[type=number]").input_value() for code in ["SYT", "DTN", "SGD"]] == ["1", "2", "3"]

    page.click("button:has-text('Thêm các đơn vị đã chọn')")
    page.wait_for_url(f"**/blocs/{bloc.pk}/?year={YEAR + 1}")
    assert "Đã thêm 3 thành viên." in page.content()
    members = page.locator("#members-table tbody tr")
    assert members.count() == 8
    assert [members.nth(i).locator("td").nth(1).inner_text() for i in range(5, 8)] == [
        "Sở Y tế tỉnh",
        "Đoàn Thanh niên tỉnh",
        "Sở Giáo dục và Đào tạo tỉnh",
    ]
    added = Membership.objects.filter(unit__in=joining.values()).order_by("display_order")
    assert [(m.unit.code, m.display_order, m.first_year) for m in added] == [
        ("SYT", 6, YEAR + 1),
        ("DTN", 7, YEAR + 1),
        ("SGD", 8, YEAR + 1),
    ]
