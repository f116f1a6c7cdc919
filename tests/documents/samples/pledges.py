"""The demo's pledges: final ones, signed by every member at a conference (Bắc Kạn 2021, six units;
Tuyên Quang 2022, nine, whose grid of signatures runs onto a page of its own), and one being signed, whose
unsigned blocks wait for a hand (An Giang 2021). The demo has no pledge still drafting.
"""

from __future__ import annotations

from pledges.models import PledgeVersion
from pledges.printing import draft_number_text, pledge_content

from . import Sample

KINDS = ["pledge (final, KMTTQ 2021)", "pledge (final, KCQTU 2022)", "pledge (being signed, KTĐ6 2021)"]


def build() -> dict[str, Sample]:
    samples = {}
    versions = PledgeVersion.objects.select_related("pledge__bloc__council", "document").order_by("pk")
    for version in versions:
        state = "final" if version.is_final else "being signed" if version.is_signing else "draft"
        key = f"pledge ({state}, {version.pledge.bloc.code} {version.pledge.year})"
        if key in KINDS and key not in samples:
            samples[key] = Sample(pledge_content(version=version), draft_number_text(version))
    return samples
