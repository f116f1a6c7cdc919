"""A user's calendar as an iCalendar file (RFC 5545), the feed a phone's calendar subscribes to.

The events are the calendar page's (``blocs.registry.calendar_events``), over a window around today wide
enough for a phone (the 12 months before and after), so the feed never grows with the years. An event
with a time is at that local time in Asia/Ho_Chi_Minh (with its VTIMEZONE, so every phone shows the right
hour wherever it is); one without is an all-day event (a DATE, its DTEND the day after, as RFC 5545 counts
it). Each has a stable UID (the provider's, at the portal's host), so a phone updates an event that moved
instead of adding another, and an absolute URL to its page built from ``SITE_URL``: the feed is read by a
phone, not by a browser on the portal.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .access import AnyUser
from .registry import CalendarEvent, calendar_events

FEED_MONTHS = 12  # the feed covers this many months before today's month and after it


def feed_window(today: date) -> tuple[date, date]:
    """The first and last day of the feed: from the first day of the month ``FEED_MONTHS`` before today's
    month to the last day of the month ``FEED_MONTHS`` after it."""
    first = _month_shift(today.replace(day=1), -FEED_MONTHS)
    after = _month_shift(today.replace(day=1), FEED_MONTHS + 1)
    return first, after - timedelta(days=1)


def _month_shift(first_day: date, months: int) -> date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def site_url(path: str) -> str:
    """``path`` (a page of the portal) as the absolute address a phone opens: ``SITE_URL`` and the path."""
    return settings.SITE_URL.rstrip("/") + path


def feed_calendar(user: AnyUser, *, name: str, today: date | None = None) -> bytes:
    """The iCalendar file of ``user``'s events in the feed's window (``feed_window``), named ``name``."""
    start, end = feed_window(today or timezone.localdate())
    calendar = Calendar()
    calendar.add("prodid", "-//thidua//calendar//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for event in calendar_events(user, start, end):
        calendar.add_component(_vevent(event, stamp=stamp, host=host))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _vevent(event: CalendarEvent, *, stamp: datetime, host: str) -> Event:
    vevent = Event()
    vevent.add("uid", f"{event.uid}@{host}")
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    url = site_url(event.url)
    vevent.add("url", url)
    if event.start is None:
        vevent.add("dtstart", event.day)
        vevent.add("dtend", event.day + timedelta(days=1))
    else:
        zone = ZoneInfo(settings.TIME_ZONE)
        vevent.add("dtstart", datetime.combine(event.day, event.start, tzinfo=zone))
        if event.end is not None:
            vevent.add("dtend", datetime.combine(event.day, event.end, tzinfo=zone))
    if event.location:
        vevent.add("location", event.location)
    lines = [event.detail] if event.detail else []
    vevent.add("description", "\n".join([*lines, _("Page: %(url)s") % {"url": url}]))
    return vevent
