"""What meetings adds to the pages and checks of the lower apps (registered in ``MeetingsConfig.ready()``;
blocs and awards never import this):

* home page: a badge per bloc with the state of the year's year-end conference, and for the year's
  chair and vice-chairs "the year-end conference is not recorded / its minutes are not final" — for
  officers one line counting the blocs still missing it, linking to the overview;
* bloc page: a panel with the year's meetings;
* award dossier: a submission of a bloc-year needs the final minutes of its year-end conference;
* award pages: a link from a bloc-year's proposals to its year-end conference's minutes;
* calendar: the meetings the user may open, on the month page and in the user's feed.

Each costs a fixed number of queries, whatever the number of blocs.
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from awards.registry import ConferenceLink
from blocs import access
from blocs.models import Bloc
from blocs.registry import AttentionItem, CalendarEvent, HomeContribution, Panel, SearchHit, SearchSource

from .models import Meeting, Minutes, MinutesVersion
from .selectors import meetings_by_ids, meetings_dated, meetings_found
from .trackers import conference_expected


def _year_end_meetings(bloc_ids, year: int, *, with_bloc: bool = False) -> dict[int, Meeting]:
    """{bloc id: its year-end conference reviewing ``year``}, with ``final_versions`` counted (and its bloc,
    ``with_bloc``). One query."""
    meetings = (
        Meeting.objects.filter(bloc_id__in=bloc_ids, year=year, kind=Meeting.Kind.YEAR_END)
        .annotate(final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final")))
        .only("pk", "bloc_id", "year", "kind", "date", "status")
    )
    if with_bloc:
        meetings = meetings.select_related("bloc").only(
            "pk", "bloc_id", "year", "kind", "date", "status", "bloc__name", "bloc__sort_name", "bloc__council_id"
        )
    return {meeting.bloc_id: meeting for meeting in meetings}


def state_label(meeting: Meeting | None) -> str:
    """ "Year-end conference: held 29/12/2020, minutes final" and the like."""
    if meeting is None:
        return _("Year-end conference: not scheduled")
    day = meeting.date.strftime("%d/%m/%Y")
    if not meeting.is_held:
        return _("Year-end conference: scheduled %(date)s") % {"date": day}
    if getattr(meeting, "final_versions", 0):
        return _("Year-end conference: held %(date)s, minutes final") % {"date": day}
    return _("Year-end conference: held %(date)s, minutes draft") % {"date": day}


# A year's conference is expected from December of that year on: no reminder earlier (one rule with the
# conference's deadline tracker).
_due = conference_expected


def home_provider(user, year: int, blocs, *, listed=None) -> HomeContribution:
    """A badge per bloc of the page (``blocs``); over every bloc listed (``listed``, a queryset), the seat
    holders' reminders and the officers' count of blocs still missing the conference. Four queries."""
    contribution = HomeContribution()
    if listed is None:  # asked about these blocs alone
        listed = Bloc.objects.filter(pk__in=[bloc.pk for bloc in blocs])
    meetings = _year_end_meetings([bloc.pk for bloc in blocs], year)
    for bloc in blocs:
        meeting = meetings.get(bloc.pk)
        contribution.bloc_badges[bloc.pk] = [
            format_html(
                '<a class="link-dark text-decoration-none meeting-badge" href="{}">{}</a>',
                _meeting_url(bloc, meeting),
                state_label(meeting),
            )
        ]
    if user.is_authenticated and user.unit_id:
        # The blocs of the year's chair and vice-chairs (the access rules' seat cache), among those listed.
        seated = access.seated_bloc_ids(user, year)
        theirs = _year_end_meetings(listed.filter(pk__in=seated), year, with_bloc=True) if seated else {}
        for meeting in sorted(theirs.values(), key=lambda m: (m.bloc.sort_name, m.bloc.pk)):
            item = _seat_holder_reminder(meeting.bloc, meeting, year)
            if item is not None:
                contribution.attention.append(item)
    if access.is_officer(user) and _due(year):
        held = Q(meetings__year=year, meetings__kind=Meeting.Kind.YEAR_END, meetings__status=Meeting.Status.HELD)
        totals = listed.order_by().aggregate(
            total=Count("pk", distinct=True), held=Count("pk", distinct=True, filter=held)
        )
        if totals["total"]:
            missing = totals["total"] - totals["held"]
            contribution.attention.append(
                AttentionItem(
                    text=_("%(missing)s of %(total)s blocs have not recorded their year-end conference of %(year)s.")
                    % {"missing": missing, "total": totals["total"], "year": year},
                    url=f"{reverse('meetings:overview')}?year={year}",
                    level="warning" if missing else "info",
                )
            )
    return contribution


def _meeting_url(bloc, meeting: Meeting | None) -> str:
    if meeting:
        return reverse("meetings:meeting_detail", args=[meeting.pk])
    return reverse("meetings:bloc_meetings", args=[bloc.pk])


def _seat_holder_reminder(bloc, meeting: Meeting | None, year: int) -> AttentionItem | None:
    """The minutes of a held year-end conference not final yet, for a seat holder. (A conference not
    recorded yet is the conference tracker's item, ``meetings.trackers``, with its deadline.)"""
    if meeting is not None and meeting.is_held and not meeting.final_versions:  # type: ignore[attr-defined]
        return AttentionItem(
            text=_("%(bloc)s: the minutes of the year-end conference of %(year)s are not final yet.")
            % {"bloc": bloc.name, "year": year},
            url=_meeting_url(bloc, meeting),
        )
    return None


def bloc_page_provider(user, bloc, year: int) -> list[Panel]:
    """The meetings reviewing ``year``, for those who may read the year. One query."""
    if not access.can_read_bloc_year(user, bloc, year):
        return []
    meetings = list(
        Meeting.objects.filter(bloc=bloc, year=year)
        .annotate(final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final")))
        .order_by("date", "start_time")
    )
    return [
        Panel(
            title=_("Meetings"),
            template="meetings/_bloc_panel.html",
            context={
                "meetings": meetings,
                "year": year,
                "bloc": bloc,
                "list_url": reverse("meetings:bloc_meetings", args=[bloc.pk]),
                "schedule_url": f"{reverse('meetings:meeting_schedule', args=[bloc.pk])}?year={year}"
                if access.can_manage_bloc_year(user, bloc, year)
                else "",
            },
        )
    ]


def minutes_final_check(*, bloc, year: int, proposals) -> list[str]:
    """Dossier check (awards registry): the bloc-year's year-end conference has final minutes. One query.

    Only proposals voted at the conference need it; a batch of nothing (or only of the bloc's own
    awards, never submitted) passes."""
    if not proposals:
        return []
    meeting = (
        Meeting.objects.filter(bloc=bloc, year=year, kind=Meeting.Kind.YEAR_END)
        .annotate(final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final")))
        .first()
    )
    if meeting is None or not meeting.is_held:
        return [
            _("The minutes of the year-end conference of %(year)s are missing: record the conference first.")
            % {"year": year}
        ]
    if not meeting.final_versions:
        return [_("The minutes of the year-end conference of %(year)s are not final yet.") % {"year": year}]
    return []


def year_end_closed(bloc, year: int) -> bool:
    """Seats rule (blocs registry): a version of the bloc-year's year-end minutes has been final. One query.

    A correction started after that does not reopen the year to the seat holders: the election is on a
    signed record, and changing the seats it elected is an officer's correction (docs/domain.md)."""
    return MinutesVersion.objects.filter(
        minutes__meeting__bloc=bloc,
        minutes__meeting__year=year,
        minutes__meeting__kind=Meeting.Kind.YEAR_END,
        state=MinutesVersion.State.FINAL,
    ).exists()


def document_subject(subject_key: str) -> tuple[int, int] | None:
    """The bloc-year of a minutes version's issued PDF ("minutes:<minutes>:v<number>", see
    ``MinutesVersion.subject_key``): the year the meeting reviews — the 2020 conference held in February
    2021 is 2020's, though its number is of 2021's register."""
    match = re.fullmatch(r"minutes:([0-9]{1,18}):v[0-9]+", subject_key)
    if match is None:
        return None
    return Minutes.objects.filter(pk=int(match[1])).values_list("meeting__bloc_id", "meeting__year").first()


def search_provider(user, query: str) -> list[SearchSource]:
    """The search page's meetings (``selectors.meetings_found``): two queries for a group, whatever it
    matches."""

    def meeting_hits(ids) -> list[SearchHit]:
        return [
            SearchHit(
                m.display_title, m.get_absolute_url(), f"{m.bloc.code} · {m.date:%d/%m/%Y} · {m.get_kind_display()}"
            )
            for m in meetings_by_ids(list(ids))
        ]

    return [
        SearchSource(key="meeting", title=_("Meetings"), items=meetings_found(user=user, text=query), hits=meeting_hits)
    ]


def conference_links(bloc_years: set[tuple[int, int]]) -> dict[tuple[int, int], ConferenceLink]:
    """Conference links (awards registry): for each bloc-year, the PDF of its year-end conference's latest
    final minutes, or the meeting's page while they are not final (nothing when no conference is recorded).
    One query, whatever the number of bloc-years."""
    meetings = (
        Meeting.objects.filter(
            bloc_id__in={bloc_id for bloc_id, _year in bloc_years},
            year__in={year for _bloc_id, year in bloc_years},
            kind=Meeting.Kind.YEAR_END,
        )
        .annotate(final_number=Max("minutes__versions__number", filter=Q(minutes__versions__state="final")))
        .only("pk", "bloc_id", "year", "kind")
        .order_by("date", "pk")
    )
    links: dict[tuple[int, int], ConferenceLink] = {}
    for meeting in meetings:
        key = (meeting.bloc_id, meeting.year)
        if key not in bloc_years or key in links:
            continue
        values = {"year": meeting.year}
        if meeting.final_number:
            links[key] = ConferenceLink(
                text=_("Minutes of the year-end conference of %(year)s") % values,
                url=reverse("meetings:minutes_pdf", args=[meeting.pk, meeting.final_number]),
                final=True,
            )
        else:
            links[key] = ConferenceLink(
                text=_("Year-end conference of %(year)s (minutes not final)") % values,
                url=reverse("meetings:meeting_detail", args=[meeting.pk]),
            )
    return links


def calendar_provider(user, start: date, end: date) -> list[CalendarEvent]:
    """The calendar's meetings (``selectors.meetings_dated``: those whose page the user opens), each at its
    time and place when recorded (all day otherwise), titled with the bloc's code. A fixed number of queries."""
    return [
        CalendarEvent(
            title=f"{meeting.bloc.code}: {meeting.display_title}",
            day=meeting.date,
            start=meeting.start_time,
            end=meeting.end_time,
            location=meeting.place,
            url=meeting.get_absolute_url(),
            kind="meeting",
            uid=f"meeting-{meeting.pk}",
            detail=f"{meeting.bloc.name} · {meeting.get_kind_display()}",
        )
        for meeting in meetings_dated(user=user, start=start, end=end)
    ]
