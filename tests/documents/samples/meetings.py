"""The minutes of the demo's conferences (final versions, as they were kept) and the news drafts of the
conferences held (a plain document: no national header, number or signature)."""

from __future__ import annotations

from meetings.content import meeting_facts
from meetings.models import Meeting, MinutesVersion
from meetings.news import news_content
from meetings.printing import version_content, version_number_text

from . import Sample

KINDS = [
    "minutes (KTĐ6 2020)",
    "minutes (KCQTU 2021)",
    "news draft (KTĐ6 2020)",
    "news draft (KMTTQ 2020)",
    "news draft (KCQTU 2021)",
]


def build() -> dict[str, Sample]:
    samples = {}
    versions = MinutesVersion.objects.filter(minutes__meeting__bloc__code__in=["KTĐ6", "CHTP", "KCQTU"])
    for version in versions.select_related("minutes__meeting__bloc", "document").order_by("pk"):
        meeting = version.minutes.meeting
        key = f"minutes ({meeting.bloc.code} {meeting.year})"
        if key not in samples:
            content = version_content(version, meeting)
            samples[key] = Sample(content, version_number_text(version, content))
    held = Meeting.objects.filter(status=Meeting.Status.HELD).select_related("bloc__council", "host_unit")
    for meeting in held.order_by("pk"):
        samples[f"news draft ({meeting.bloc.code} {meeting.year})"] = Sample(news_content(meeting_facts(meeting)), "")
    return samples
