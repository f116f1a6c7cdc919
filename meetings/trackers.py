"""What meetings tells the base app's deadlines (``blocs.registry.register_deadline_tracker``): the
bloc-years whose year-end conference is not recorded as held. Tracked only where the council set the
deadline (without one, the home page's seat-holder reminder speaks from December). One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, Deadline
from blocs.registry import DeadlineTracker, Owing

from .models import Meeting


def conference_owing(bloc_years: list[tuple[Bloc, int]]) -> dict[tuple[int, int], Owing]:
    wanted = {(bloc.pk, year) for bloc, year in bloc_years}
    if not wanted:
        return {}
    held = set(
        Meeting.objects.filter(
            bloc_id__in={b for b, _year in wanted},
            year__in={y for _bloc, y in wanted},
            kind=Meeting.Kind.YEAR_END,
            status=Meeting.Status.HELD,
        ).values_list("bloc_id", "year")
    )
    return {
        key: Owing(total=1, pending=0 if key in held else 1, url=reverse("meetings:bloc_meetings", args=[key[0]]))
        for key in wanted
    }


TRACKERS = [
    DeadlineTracker(
        kind=Deadline.Kind.CONFERENCE,
        owing=conference_owing,
        by_members=False,
        needs_deadline=True,
        seat_text=_("%(bloc)s: the year-end conference of %(year)s is not recorded yet"),
    ),
]
