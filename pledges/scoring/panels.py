"""What scoring adds to the bloc page: the year's scoring state and ranking, with links (registered in
``PledgesConfig.ready()``). Two queries whatever the size of the bloc."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.registry import Panel

from . import access
from .models import Ranking, RankingEntry, ScoringTable


def bloc_page_provider(user, bloc, year: int) -> list[Panel]:
    if not access.can_read_scoring(user, bloc, year):
        return []
    table = ScoringTable.objects.filter(bloc=bloc, year=year).only("state").first()
    ranking = Ranking.objects.filter(bloc=bloc, year=year).only("state", "method").first()
    first = None
    if ranking is not None and ranking.is_final:
        first = (
            RankingEntry.objects.filter(ranking=ranking, rank=1)
            .order_by("position")
            .values_list("unit_name", flat=True)
        )
    if table is None:
        state = _("Scoring: no table")
    else:
        state = table.get_state_display()
    context = {
        "year": year,
        "state": state,
        "ranking": ranking,
        "first": list(first) if first is not None else [],
        "scoring_url": reverse("scoring:scoring_detail", args=[bloc.pk, year]),
        "ranking_url": reverse("scoring:ranking_detail", args=[bloc.pk, year]),
    }
    return [Panel(title=_("Scoring and ranking"), template="scoring/_bloc_panel.html", context=context)]
