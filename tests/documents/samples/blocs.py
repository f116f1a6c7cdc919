"""The bloc's membership list, for a bloc (Khối) and a cluster (Cụm)."""

from __future__ import annotations

from blocs.models import Bloc
from blocs.printing import membership_list_content

from . import ISSUE_DAY, Sample

KINDS = ["membership list (khối)", "membership list (cụm)"]


def build() -> dict[str, Sample]:
    samples = {}
    for name, code in (("membership list (khối)", "KTĐ6"), ("membership list (cụm)", "CHTP")):
        bloc = Bloc.objects.get(code=code)
        year = bloc.council.current_year
        samples[name] = Sample(membership_list_content(bloc=bloc, year=year, today=ISSUE_DAY), "…/DS-" + code)
    return samples
