"""The demo's pledges: a final one, signed by every member at a conference (Bắc Kạn 2021, six units), and one
being signed, whose unsigned blocks wait for a hand (An Giang 2021). The demo has no pledge still drafting.

The Tuyên Quang 2022 pledge (nine signers) is left out: its fifth row of signatures goes to a page of its
own, which a grid longer than a page cannot avoid and ``pdf_no_signature_only_page`` does not yet allow.
"""

from __future__ import annotations

from pledges.models import PledgeVersion
from pledges.printing import draft_number_text, pledge_content

from . import Sample

KINDS = ["pledge (final, KMTTQ 2021)", "pledge (being signed, KTĐ6 2021)"]


def build() -> dict[str, Sample]:
    samples = {}
    versions = PledgeVersion.objects.select_related("pledge__bloc__council", "document").order_by("pk")
    for version in versions:
        state = "final" if version.is_final else "being signed" if version.is_signing else "draft"
        key = f"pledge ({state}, {version.pledge.bloc.code} {version.pledge.year})"
        if key in KINDS and key not in samples:
            samples[key] = Sample(pledge_content(version=version), draft_number_text(version))
    return samples
