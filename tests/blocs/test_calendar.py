"""The calendar (blocs:calendar): a month of the user's events — the conferences meetings registers, each
shown to whoever may open its page (``access.can_read_bloc_year``), never another council's — weeks Monday
first with today marked and the month's list under the grid; and the user's iCalendar feed, read without a
login by its secret address alone, which a reset replaces. Both cost the same whatever the number of
meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blocs import registry, services
from blocs.ical import feed_window
from blocs.models import CalendarFeed, Membership, Seat
from blocs.services import calendar_feed_for, calendar_feed_reset
from meetings.models import Meeting

from ..conftest import YEAR
from ..factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from ..roles import CONFIRMED, EVERYONE, NOT_FOUND, OK, REDIRECT, ROLES, check_get, check_post

pytestmark = pytest.mark.django_db

MONTH = date(2022, 3, 1)  # a month shown by ?month=2022-03: the 2022 meetings below
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def meeting(bloc, day: date, *, year: int | None = None, kind=Meeting.Kind.OTHER, **facts) -> Meeting:
    return Meeting.objects.create(bloc=bloc, kind=kind, year=year or day.year, date=day, **facts)


@pytest.fixture
def other_bloc(other_council, users):
    """Another council's bloc, whose officer is ``other_officer``, with a member unit of its own."""
    other = BlocFactory(council=other_council, name="Khối thi đua các đoàn thể", code="KTĐ1")
    MembershipFactory(bloc=other, unit=UnitFactory(council=other_council, code="HND"), first_year=2018)
    return other


@pytest.fixture
def month_meetings(bloc, other_bloc, units, users):
    """In March 2022: a timed conference of KTĐ6 with its place, an all-day one, and another council's."""
    return {
        "timed": meeting(
            bloc,
            date(2022, 3, 15),
            title="Hội nghị sơ kết quý I",
            start_time=time(14, 0),
            end_time=time(16, 30),
            place="Hội trường Ủy ban MTTQ tỉnh",
        ),
        "all_day": meeting(bloc, date(2022, 3, 28), kind=Meeting.Kind.MID_YEAR),
        "other_council": meeting(other_bloc, date(2022, 3, 15), title="Hội nghị của Bắc Kạn"),
    }


def month_uids(client, month: date = MONTH) -> list[str]:
    response = client.get(reverse("blocs:calendar"), {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    return [event.uid for event in response.context["month_events"]]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("officer", ["timed", "all_day"]),
        ("chair", ["timed", "all_day"]),
        ("vice_chair", ["timed", "all_day"]),
        ("member", ["timed", "all_day"]),
        ("outsider", []),
        ("other_officer", ["other_council"]),
    ],
)
def test_the_month_shows_the_meetings_whose_page_the_user_opens(client_as, month_meetings, role, sees):
    assert month_uids(client_as(role)) == [f"meeting-{month_meetings[key].pk}" for key in sees]


def test_every_meeting_shown_opens_for_the_user(client_as, month_meetings):
    client = client_as("member")
    response = client.get(reverse("blocs:calendar"), {"month": "2022-03"})
    for event in response.context["month_events"]:
        assert client.get(event.url).status_code == 200
    assert client.get(month_meetings["other_council"].get_absolute_url()).status_code == 404


def test_a_past_member_does_not_see_the_years_it_left(client_as, bloc, units, month_meetings):
    Membership.objects.filter(bloc=bloc, unit=units["member_unit"]).update(last_year=2021)
    assert month_uids(client_as("member")) == []


def test_the_seat_holders_of_the_year_before_see_the_year_they_prepare(client_as, bloc, units, seats):
    """The chair of 2021 opens the pages of 2022 while 2022 has no seats, even once its unit left the bloc
    (``access.can_prepare_year``); not those of 2023."""
    Membership.objects.filter(bloc=bloc, unit=units["chair_unit"]).update(last_year=2021)
    prepared = meeting(bloc, date(2022, 3, 10), year=YEAR + 1)
    meeting(bloc, date(2022, 3, 11), year=YEAR + 2)
    assert month_uids(client_as("chair")) == [f"meeting-{prepared.pk}"]
    Seat.objects.create(bloc=bloc, year=YEAR + 1, unit=units["farmers"], rank=0)
    assert month_uids(client_as("chair")) == [f"meeting-{prepared.pk}"]  # the pledge's signing never opened


def test_the_grid_starts_on_monday_and_marks_today(client_as, users):
    response = client_as("member").get(reverse("blocs:calendar"))
    grid = response.context["grid"]
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in grid)
    today = timezone.localdate()
    assert [cell.day for week in grid for cell in week if cell.today] == [today]
    page = response.content.decode()
    assert page.count('aria-current="date"') == 1
    assert page.index("Thứ 2") < page.index("Chủ nhật")
    assert response.context["month"] == today.replace(day=1)


def test_the_month_links_to_its_neighbours_and_the_events_pages(client_as, month_meetings):
    response = client_as("chair").get(reverse("blocs:calendar"), {"month": "2022-03"})
    page = response.content.decode()
    assert 'href="?month=2022-02"' in page and 'href="?month=2022-04"' in page
    assert page.count(f'href="{month_meetings["timed"].get_absolute_url()}"') == 2  # the grid and the list
    assert "14:00–16:30" in page and "Hội trường Ủy ban MTTQ tỉnh" in page and "cả ngày" in page
    assert "Hội nghị của Bắc Kạn" not in page
    assert "Lịch tháng 3/2022" in page and "Các sự kiện tháng 3/2022" in page


@pytest.mark.parametrize("value", ["2022-13", "abc", "0000-01", "2022-3", "99999-01"])
def test_a_bad_month_shows_this_month(client_as, users, value):
    response = client_as("member").get(reverse("blocs:calendar"), {"month": value})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_january_leads_back_to_december(client_as, users):
    page = client_as("member").get(reverse("blocs:calendar"), {"month": "2022-01"}).content.decode()
    assert 'href="?month=2021-12"' in page and 'href="?month=2022-02"' in page


def test_the_navigation_bar_links_to_the_calendar(client_as, users):
    assert f'href="{reverse("blocs:calendar")}"' in client_as("member").get(reverse("blocs:home")).content.decode()


# The role matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_calendar_is_every_users_own(client_as, month_meetings, role):
    check_get(client_as(role), reverse("blocs:calendar") + "?month=2022-03", EVERYONE, role, name="calendar")


@pytest.mark.parametrize("role", ROLES)
def test_the_reset_confirmation_is_every_users_own(client_as, users, role):
    response = check_get(client_as(role), reverse("blocs:calendar_feed_reset"), EVERYONE, role, name="reset")
    if response.status_code == OK:
        assert 'id="confirm-form"' in response.content.decode()
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_reset_changes_only_the_users_own_feed(client_as, users, role):
    for user in users.values():
        if user is not None:
            calendar_feed_for(user)

    def tokens():
        return dict(CalendarFeed.objects.values_list("user__username", "token"))

    before = tokens()
    expected = {name: REDIRECT if status == OK else status for name, status in EVERYONE.items()}
    check_post(client_as(role), reverse("blocs:calendar_feed_reset"), CONFIRMED, expected, role, state=tokens)
    after = tokens()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == (set() if role == "anonymous" else {users[role].username})


def test_a_reset_without_the_confirmation_changes_nothing(client_as, users):
    token = calendar_feed_for(users["chair"]).token
    response = client_as("chair").post(reverse("blocs:calendar_feed_reset"))
    assert response.status_code == 200 and 'id="confirm-again"' in response.content.decode()
    assert CalendarFeed.objects.get(user=users["chair"]).token == token


# The feed ----------------------------------------------------------------------------------------------


def feed_url(user) -> str:
    return reverse("blocs:calendar_feed", args=[calendar_feed_for(user).token])


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def soon(bloc, other_bloc, units):
    """Conferences around today: a timed one in ten days, an all-day one last month, one beyond the
    feed's window, and another council's."""
    today = timezone.localdate()
    first, last = feed_window(today)
    return {
        "timed": meeting(
            bloc,
            today + timedelta(days=10),
            title="Hội nghị chuyên đề",
            start_time=time(8, 0),
            end_time=time(11, 30),
            place="Hội trường Liên đoàn Lao động tỉnh",
        ),
        "all_day": meeting(bloc, today - timedelta(days=30), kind=Meeting.Kind.MID_YEAR),
        "outside": meeting(bloc, last + timedelta(days=1)),
        "before": meeting(bloc, first - timedelta(days=1)),
        "other_council": meeting(other_bloc, today + timedelta(days=10)),
    }


def test_the_feed_is_read_without_a_login_and_parsed_by_icalendar(client, users, soon, settings):
    settings.SITE_URL = "https://thidua.example.gov.vn"
    events = events_of(parse(client.get(feed_url(users["member"]))))
    timed, all_day = soon["timed"], soon["all_day"]
    assert set(events) == {f"meeting-{timed.pk}@thidua.example.gov.vn", f"meeting-{all_day.pk}@thidua.example.gov.vn"}

    event = events[f"meeting-{timed.pk}@thidua.example.gov.vn"]
    assert str(event["SUMMARY"]) == "KTĐ6: Hội nghị chuyên đề"
    assert event.decoded("DTSTART") == datetime.combine(timed.date, time(8, 0), tzinfo=VN)
    assert event.decoded("DTEND") == datetime.combine(timed.date, time(11, 30), tzinfo=VN)
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert str(event["URL"]) == f"https://thidua.example.gov.vn{timed.get_absolute_url()}"
    assert str(event["LOCATION"]) == "Hội trường Liên đoàn Lao động tỉnh"
    assert "DTSTAMP" in event

    event = events[f"meeting-{all_day.pk}@thidua.example.gov.vn"]
    assert event.decoded("DTSTART") == all_day.date  # a DATE: all day
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTEND") == all_day.date + timedelta(days=1)
    assert "LOCATION" not in event


def test_the_feed_carries_its_time_zone(client, users, soon):
    calendar = parse(client.get(feed_url(users["member"])))
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert "Asia/Ho_Chi_Minh" in str(calendar["X-WR-TIMEZONE"])


@pytest.mark.parametrize(("role", "count"), [("officer", 2), ("outsider", 0), ("other_officer", 1)])
def test_each_feed_holds_its_users_events(client, users, soon, role, count):
    assert len(events_of(parse(client.get(feed_url(users[role]))))) == count


def test_the_feed_needs_its_secret(client, users, soon):
    calendar_feed_for(users["member"])
    assert client.get(reverse("blocs:calendar_feed", args=["not-the-token"])).status_code == NOT_FOUND
    assert client.get("/calendar/feed/.ics").status_code == NOT_FOUND
    assert client.get("/calendar/feed/").status_code in (302, NOT_FOUND)  # not a feed: behind login


def test_after_a_reset_the_old_address_is_not_found_and_the_new_one_works(client, users, soon):
    old = feed_url(users["member"])
    assert client.get(old).status_code == 200
    feed = calendar_feed_reset(user=users["member"])
    assert client.get(old).status_code == NOT_FOUND
    assert client.get(reverse("blocs:calendar_feed", args=[feed.token])).status_code == 200


def test_the_reset_page_gives_a_new_address(client_as, client, users, soon):
    old = feed_url(users["member"])
    response = client_as("member").post(reverse("blocs:calendar_feed_reset"), CONFIRMED)
    assert response.status_code == 302 and response.url == reverse("blocs:calendar")
    new = feed_url(users["member"])
    assert new != old
    page = client_as("member").get(reverse("blocs:calendar")).content.decode()
    assert new in page and old not in page
    client.logout()
    assert client.get(old).status_code == NOT_FOUND
    assert client.get(new).status_code == 200


def test_an_inactive_accounts_feed_is_not_found(client, users, soon):
    url = feed_url(users["member"])
    users["member"].is_active = False
    users["member"].save()
    assert client.get(url).status_code == NOT_FOUND


def test_the_feed_is_never_cached(client, users, soon):
    response = client.get(feed_url(users["member"]))
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_page_shows_the_feed_made_on_its_first_view(client_as, users, settings):
    settings.SITE_URL = "https://thidua.example.gov.vn/"
    assert not CalendarFeed.objects.exists()
    page = client_as("chair").get(reverse("blocs:calendar")).content.decode()
    feed = CalendarFeed.objects.get(user=users["chair"])
    assert len(feed.token) >= 43
    assert f'value="https://thidua.example.gov.vn/calendar/feed/{feed.token}.ics"' in page
    assert f'href="webcal://thidua.example.gov.vn/calendar/feed/{feed.token}.ics"' in page
    assert f'href="{reverse("blocs:calendar_feed_reset")}"' in page
    client_as("chair").get(reverse("blocs:calendar"))
    assert CalendarFeed.objects.get(user=users["chair"]).token == feed.token  # made once


def test_the_history_keeps_the_reset_but_not_the_token(users):
    calendar_feed_for(users["chair"])
    calendar_feed_reset(user=users["chair"])
    history = CalendarFeed.history.filter(user_id=users["chair"].pk)
    assert history.count() == 2
    assert all(row.history_user_id == users["chair"].pk for row in history)
    assert not hasattr(history.first(), "token")


# Query counts ------------------------------------------------------------------------------------------


def many_meetings(bloc, other_bloc, count: int) -> None:
    today = timezone.localdate()
    for index in range(count):
        day = today + timedelta(days=index % 20)
        meeting(bloc, day, title=f"Hội nghị {index}", start_time=time(8, index % 50))
        meeting(other_bloc, day, title=f"Hội nghị khác {index}")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["officer", "chair", "member"])
def test_the_page_and_the_feed_cost_the_same_however_many_meetings(client_as, client, bloc, other_bloc, users, role):
    url = reverse("blocs:calendar")
    seen = client_as(role)
    seen.get(url)  # the feed is made
    many_meetings(bloc, other_bloc, 2)
    small_page = queries(seen, url)
    feed = feed_url(users[role])
    anonymous = client.__class__()
    small_feed = queries(anonymous, feed)
    many_meetings(bloc, other_bloc, 30)
    today = timezone.localdate()
    for kind in ("pledge_signing", "registration", "conference"):  # and deadlines, the council's and the bloc's
        services.deadline_set(council=bloc.council, year=today.year, kind=kind, due_on=today)
        services.deadline_set(council=bloc.council, year=today.year, kind=kind, bloc=bloc, due_on=today)
    assert queries(seen, url) == small_page
    assert queries(anonymous, feed) == small_feed
    # The feed: its token and user, then each provider's own (the meetings', the deadlines').
    assert small_page <= 12 and small_feed <= 8
    assert b"UID:deadline-" in anonymous.get(feed).content


def test_the_feed_window_runs_twelve_months_each_way():
    assert feed_window(date(2026, 12, 6)) == (date(2025, 12, 1), date(2027, 12, 31))
    assert feed_window(date(2026, 1, 31)) == (date(2025, 1, 1), date(2027, 1, 31))


def test_events_of_several_providers_come_by_day_and_time(monkeypatch, users):
    def provider(user, start, end):
        return [
            registry.CalendarEvent(title="B", day=date(2022, 3, 2), url="/b/", kind="x", uid="b", start=time(9)),
            registry.CalendarEvent(title="A", day=date(2022, 3, 2), url="/a/", kind="x", uid="a", start=time(8)),
            registry.CalendarEvent(title="C", day=date(2022, 3, 2), url="/c/", kind="deadline", uid="c"),
            registry.CalendarEvent(title="D", day=date(2022, 3, 1), url="/d/", kind="x", uid="d", start=time(17)),
        ]

    monkeypatch.setattr(registry, "calendar_providers", [provider])
    events = registry.calendar_events(users["member"], date(2022, 3, 1), date(2022, 3, 31))
    assert [event.uid for event in events] == ["d", "c", "a", "b"]


def test_a_superuser_sees_every_councils_meetings(client, users, month_meetings):
    client.force_login(UserFactory(username="quantri", council=None, unit=None, is_superuser=True))
    assert len(month_uids(client)) == 3
