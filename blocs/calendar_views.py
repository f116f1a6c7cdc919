"""Lịch: the user's month of events (conferences, deadlines: whatever the higher apps register in
``blocs.registry.calendar_providers``, each scoped by the rule of the page it links to), and the user's
iCalendar feed, a secret address a phone subscribes to without logging in."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from . import access, ical, registry, services
from .fields import FIRST_YEAR, LAST_YEAR
from .models import CalendarFeed
from .web import Confirmation, confirm_page, confirmed, file_response

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# Weeks begin on Monday (Thứ Hai), as Vietnamese calendars print them.
_WEEKS = calendar.Calendar(firstweekday=calendar.MONDAY)


def month_param(request, today: date) -> date:
    """The first day of the month of ``?month=YYYY-MM``; today's month when it is missing or not a month of
    the portal's years (a bad value is ignored rather than failing the page)."""
    match = _MONTH.fullmatch(request.GET.get("month", "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def _month_key(first: date) -> str:
    return f"{first:%Y-%m}"


@dataclass
class Day:
    """A cell of the month grid."""

    day: date
    in_month: bool
    today: bool
    events: list[registry.CalendarEvent]


@require_safe
def calendar_month(request):
    """The month's grid (weeks Monday first, today marked) and under it the same events as a list, the one
    a phone shows; previous and next months by ``?month=``. The feed's address and its reset are below."""
    user = request.user
    today = timezone.localdate()
    first = month_param(request, today)
    weeks = _WEEKS.monthdatescalendar(first.year, first.month)
    events = registry.calendar_events(user, weeks[0][0], weeks[-1][-1])
    by_day: dict[date, list[registry.CalendarEvent]] = defaultdict(list)
    for event in events:
        by_day[event.day].append(event)
    grid = [
        [
            Day(day=day, in_month=day.month == first.month, today=day == today, events=by_day.get(day, []))
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    feed = services.calendar_feed_for(user)
    feed_url = ical.site_url(reverse("blocs:calendar_feed", args=[feed.token]))
    return render(
        request,
        "blocs/calendar.html",
        {
            "month": first,
            "today": today,
            "weekdays": [WEEKDAYS[index] for index in range(7)],
            "grid": grid,
            "month_events": [event for event in events if event.day.month == first.month],
            "previous": _month_key(previous) if previous.year >= FIRST_YEAR else "",
            "following": _month_key(following) if following.year <= LAST_YEAR else "",
            "this_month": _month_key(today.replace(day=1)) if first != today.replace(day=1) else "",
            "has_role": access.has_role(user),
            "feed": feed,
            "feed_url": feed_url,
            "feed_webcal": re.sub(r"^https?://", "webcal://", feed_url),
            "feed_months": ical.FEED_MONTHS,
        },
    )


@login_not_required
@require_safe
def calendar_feed(request, token: str):
    """The iCalendar file of the feed whose secret is ``token``, for a phone: no login, the token is the
    check. An unknown token (a reset one, a guess) or the feed of an inactive account is not found."""
    feed = (
        CalendarFeed.objects.select_related("user__council", "user__unit")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    name = _("Emulation calendar · %(name)s") % {"name": feed.user.display_name}
    # A file (it has a Content-Disposition): blocs.middleware.DownloadNoStoreMiddleware keeps it out of every cache.
    return file_response(
        ical.feed_calendar(feed.user, name=name),
        content_type="text/calendar; charset=utf-8",
        filename="lich-thi-dua.ics",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed_reset(request):
    """A new secret for the user's feed: the address on every phone that has it stops working."""
    back = reverse("blocs:calendar")
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Reset the calendar address?"),
                consequences=[
                    _("The calendar gets a new secret address; the current one stops working at once."),
                    _(
                        "Every phone or calendar program subscribed to it stops receiving events until it is "
                        "added again with the new address."
                    ),
                ],
                back_url=back,
            ),
        )
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("The calendar has a new address. Add it to your phone again."))
    return redirect(back)
