"""The meetings app's sources of the reports' tables (``blocs/reports.py``; registered in
``MeetingsConfig.ready()``): the year-end conference of each bloc of the year."""

from __future__ import annotations

from django.db.models import Count, Q

from blocs.models import Council
from blocs.registry import ReportRows
from blocs.reporting import report_blocs

from .models import Meeting


def year_end_rows(council: Council, year: int) -> ReportRows:
    """Each bloc of the year and its year-end conference reviewing ``year`` (hội nghị tổng kết): the day and
    place, whether it was held (its results recorded) and whether its minutes are final. One query, and
    the year's blocs (``report_blocs``, read once per report)."""
    blocs = report_blocs(council, year)
    meetings = {
        meeting.bloc_id: meeting
        for meeting in Meeting.objects.filter(bloc__in=blocs, year=year, kind=Meeting.Kind.YEAR_END)
        .annotate(final_versions=Count("minutes__versions", filter=Q(minutes__versions__state="final")))
        .only("pk", "bloc_id", "date", "place", "status")
    }
    rows = []
    for bloc in blocs:
        meeting = meetings.get(bloc.pk)
        rows.append(
            {
                "bloc": bloc.name,
                "date": meeting.date if meeting else None,
                "place": (meeting.place or None) if meeting else None,
                "held": bool(meeting and meeting.is_held),
                "minutes_final": bool(meeting and meeting.final_versions),
            }
        )
    return ReportRows(rows=rows)
