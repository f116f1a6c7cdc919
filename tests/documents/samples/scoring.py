"""The printed ranking ("Bảng tổng hợp kết quả chấm điểm thi đua") of a bloc (Khối) and of a cluster (Cụm).

The bloc's is the demo's latest final computed ranking. A bloc without one (the demo scores no cluster) is
scored here, inside the demo's rolled-back transaction, in its latest year without a table: the standard
table of the scoring tests, every member's sheet reviewed with scores that differ by unit, then finalised.
"""

from __future__ import annotations

from blocs.models import Bloc
from pledges.scoring.models import Ranking, ScoringTable
from pledges.scoring.printing import ranking_content
from pledges.scoring.selectors import ranking_stored
from pledges.scoring.services import ranking_finalise, scoring_open
from tests.fixtures.scoring import build_table, scored

from . import Sample

KINDS = ["ranking (khối)", "ranking (cụm)"]


def _final_ranking(bloc: Bloc):
    final = Ranking.objects.filter(bloc=bloc, state=Ranking.State.FINAL, method=Ranking.Method.COMPUTED)
    latest = final.order_by("-year").values_list("year", flat=True).first()
    if latest is not None:
        return ranking_stored(bloc, latest)
    scored_years = set(ScoringTable.objects.filter(bloc=bloc).values_list("year", flat=True))
    year = next(y for y in range(bloc.council.current_year, 2000, -1) if y not in scored_years)
    table = scoring_open(table=build_table(bloc, year), by=None)
    for index, sheet in enumerate(table.sheets.order_by("unit__sort_name")):
        scored(sheet, {"c1": f"{19 - index % 8}.5" if index % 3 else "20", "penalty": f"-{index % 4}"})
    ranking_finalise(table=table, by=None)
    return ranking_stored(bloc, year)


def build() -> dict[str, Sample]:
    samples = {}
    for name, code in (("ranking (khối)", "KTĐ6"), ("ranking (cụm)", "CHTP")):
        bloc = Bloc.objects.select_related("council").get(code=code)
        ranking = _final_ranking(bloc)
        samples[name] = Sample(ranking_content(ranking=ranking, bloc=bloc), "")
    return samples
