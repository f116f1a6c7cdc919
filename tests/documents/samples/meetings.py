"""The minutes of the demo's conferences (final versions, as they were kept)."""

from __future__ import annotations

from meetings.models import MinutesVersion
from meetings.printing import version_content, version_number_text

from . import Sample

KINDS = ["minutes (KTĐ6 2020)", "minutes (KCQTU 2021)"]


def build() -> dict[str, Sample]:
    samples = {}
    versions = MinutesVersion.objects.filter(minutes__meeting__bloc__code__in=["KTĐ6", "CHTP", "KCQTU"])
    for version in versions.select_related("minutes__meeting__bloc", "document").order_by("pk"):
        meeting = version.minutes.meeting
        key = f"minutes ({meeting.bloc.code} {meeting.year})"
        if key not in samples:
            content = version_content(version, meeting)
            samples[key] = Sample(content, version_number_text(version, content))
    return samples
