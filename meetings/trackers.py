"""What meetings tells the base app's deadlines (``blocs.registry.register_deadline_tracker``): the
bloc-years whose year-end conference is not recorded as held: where the council set the deadline, and
without one from December of the year on. One query."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, Deadline
from blocs.registry import DeadlineTracker, Owing

from .models import Meeting


def conference_expected(year: int) -> bool:
    return timezone.localdate() >= date(year, 12, 1)


def conference_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    wanted = {(bloc.pk, year) for bloc, year in bloc_years}
    if not wanted:
        return {}
    meetings = {
        (meeting.bloc_id, meeting.year): meeting
        for meeting in Meeting.objects.filter(
            bloc_id__in={b for b, _year in wanted}, year__in={y for _bloc, y in wanted}, kind=Meeting.Kind.YEAR_END
        ).only("pk", "bloc_id", "year", "date", "status")
    }
    found = {}
    for key in wanted:
        meeting = meetings.get(key)
        held = meeting is not None and meeting.is_held
        found[key] = Owing(total=1, pending=0 if held else 1, url=_where_to_record(key, meeting))
    return found


def _where_to_record(key: tuple[int, int], meeting: Meeting | None) -> str:
    """The results page of a conference whose day has come, the conference of one scheduled later, or the
    scheduling form of the year."""
    if meeting is None:
        return f"{reverse('meetings:meeting_schedule', args=[key[0]])}?year={key[1]}"
    if meeting.date <= timezone.localdate():
        return reverse("meetings:meeting_results", args=[meeting.pk])
    return reverse("meetings:meeting_detail", args=[meeting.pk])


TRACKERS = [
    DeadlineTracker(
        kind=Deadline.Kind.CONFERENCE,
        owing=conference_owing,
        by_members=False,
        needs_deadline=True,
        seat_text=_("%(bloc)s: the year-end conference of %(year)s is not recorded yet."),
        # Without a deadline, a year's conference is expected from December of that year on.
        due_without_deadline=conference_expected,
    ),
]
