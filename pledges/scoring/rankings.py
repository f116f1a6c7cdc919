"""The stored rankings as the other pages read them (xếp hạng đã chốt): the award rules and the award forms
(through ``blocs.registry.rankings``, since awards does not import pledges), and the reason an award cites.
The home page and a unit's page read the rankings in ``pledges.providers``, the conference's pages with
their own rows (``meetings.selectors``). Only a ``final`` ranking is a result; a reopened one is said to be
reopened.

``bloc_year_rankings`` reads any number of bloc-years in two queries. ``ranking_reason`` is the line an
award's reason cites ("Xếp hạng Nhất Khối thi đua … năm 2020"): record text, Vietnamese whatever the page's
language, offered beside the reason field and saved only when the user puts it there and saves.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from blocs.models import Bloc
from blocs.registry import BlocYearRanking, RankLine
from blocs.text import fold

from .models import Ranking, RankingEntry

# Hạng Nhất, Nhì, Ba, Tư …: how a rank is said in a reason; past ten, the number.
RANK_WORDS = {1: "Nhất", 2: "Nhì", 3: "Ba", 4: "Tư", 5: "Năm", 6: "Sáu", 7: "Bảy", 8: "Tám", 9: "Chín", 10: "Mười"}


def rank_word(rank: int) -> str:
    return RANK_WORDS.get(rank, str(rank))


def bloc_words(bloc_name: str, is_cluster: bool) -> str:
    """The bloc as a reason names it: its name when that already says "Khối …" or "Cụm …", else the kind's
    words before it ("Cụm thi đua Tây Nguyên")."""
    kind = "Cụm thi đua" if is_cluster else "Khối thi đua"
    if fold(bloc_name).split(" ", 1)[0] in ("khoi", "cum"):
        return bloc_name
    return f"{kind} {bloc_name}"


def ranking_reason(*, bloc_name: str, is_cluster: bool, year: int, rank: int, shared: bool = False) -> str:
    """ "Xếp hạng Nhất Khối thi đua các sở, ban, ngành năm 2020"; a rank shared with another unit is said
    so ("Đồng xếp hạng Nhất …"), since that too is what the ranking recorded."""
    verb = "Đồng xếp hạng" if shared else "Xếp hạng"
    return f"{verb} {rank_word(rank)} {bloc_words(bloc_name, is_cluster)} năm {year}"


def bloc_year_rankings(bloc_years: set[tuple[int, int]]) -> dict[tuple[int, int], BlocYearRanking]:
    """Every asked bloc-year of an existing bloc, with its stored ranking if it has one (state "none"
    otherwise): two queries whatever the number of bloc-years and units."""
    if not bloc_years:
        return {}
    blocs = {
        bloc.pk: bloc
        for bloc in Bloc.objects.filter(pk__in={bloc_id for bloc_id, _year in bloc_years}).only("pk", "name", "kind")
    }
    return _rankings(blocs, bloc_years)


def _rankings(blocs: dict[int, Bloc], bloc_years: set[tuple[int, int]]) -> dict[tuple[int, int], BlocYearRanking]:
    """The asked bloc-years of ``blocs`` with their rankings, in one query: a stored ranking always has a
    line per member of its year (finalising stores every member's, ranked or not), so its lines find it."""
    entries: dict[tuple[int, int], list[RankingEntry]] = defaultdict(list)
    rankings: dict[tuple[int, int], Ranking] = {}
    # The blocs' rankings of the years asked, cut to the pairs asked here (a page asks about a few years).
    for entry in (
        RankingEntry.objects.filter(
            ranking__bloc_id__in=blocs, ranking__year__in={year for _bloc_id, year in bloc_years}
        )
        .select_related("ranking")
        .order_by("ranking_id", "position")
    ):
        key = (entry.ranking.bloc_id, entry.ranking.year)
        if key not in bloc_years:
            continue
        rankings[key] = entry.ranking
        entries[key].append(entry)
    found: dict[tuple[int, int], BlocYearRanking] = {}
    for bloc_id, year in bloc_years:
        bloc = blocs.get(bloc_id)
        if bloc is None:
            continue
        ranking = rankings.get((bloc_id, year))
        if ranking is None:
            found[(bloc_id, year)] = BlocYearRanking(bloc_id=bloc_id, year=year, bloc_name=bloc.name)
            continue
        found[(bloc_id, year)] = BlocYearRanking(
            bloc_id=bloc_id,
            year=year,
            bloc_name=bloc.name,
            state=ranking.state,
            reopen_reason=ranking.reopen_reason,
            lines=_lines(bloc, year, entries[(bloc_id, year)]),
        )
    return found


def _lines(bloc: Bloc, year: int, entries: list[RankingEntry]) -> dict[int, RankLine]:
    shared = Counter(entry.rank for entry in entries if entry.rank is not None)
    is_cluster = bloc.kind == Bloc.Kind.CLUSTER
    return {
        entry.unit_id: RankLine(
            unit_id=entry.unit_id,
            unit_name=entry.unit_name,
            rank=entry.rank,
            final_score=entry.final_score,
            not_ranked=str(RankingEntry.NotRanked(entry.not_ranked).label) if entry.not_ranked else "",
            joined_during_year=entry.joined_during_year,
            reason=ranking_reason(
                bloc_name=bloc.name, is_cluster=is_cluster, year=year, rank=entry.rank, shared=shared[entry.rank] > 1
            )
            if entry.rank is not None
            else "",
        )
        for entry in entries
    }
