"""What pledges adds to the base app's pages (registered in ``PledgesConfig.ready()``; blocs never
imports this): the year's pledge state per bloc on the home page, a
panel on the bloc page, the pledges a unit signed on the unit's page; and of scoring, the year's scoring
state and first-ranked unit per bloc on the home page and a unit's ranks by year on its page.

Each provider costs a fixed number of queries whatever the number of blocs, units and signatories.
"""

from __future__ import annotations

import re

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs import access
from blocs.models import Bloc
from blocs.registry import HomeContribution, Panel

from .models import Pledge, PledgeSignatory, PledgeVersion
from .scoring.models import Ranking, RankingEntry, ScoreSheet, ScoringTable
from .scoring.services import points_text


def state_label(state: str | None, signed: int = 0, total: int = 0) -> str:
    """ "Pledge: signing 5/8" and the like: a pledge's state in a few words."""
    if state is None:
        return _("Pledge: none")
    if state == PledgeVersion.State.DRAFTING:
        return _("Pledge: draft")
    if state == PledgeVersion.State.SIGNING:
        return _("Pledge: signing %(signed)s/%(total)s") % {"signed": signed, "total": total}
    return _("Pledge: final")


def _latest_versions(bloc_ids, years) -> dict[tuple[int, int], dict]:
    """{(bloc id, year): the newest version's state and signature counts}, in one query."""
    rows = (
        PledgeVersion.objects.filter(pledge__bloc_id__in=bloc_ids, pledge__year__in=years)
        .values("pk", "pledge_id", "pledge__bloc_id", "pledge__year", "number", "state")
        .annotate(
            total=Count("signatories"),
            signed=Count("signatories", filter=Q(signatories__signed_on__isnull=False)),
        )
        .order_by("pledge_id", "number")
    )
    latest: dict[tuple[int, int], dict] = {}
    for row in rows:  # ordered by number: the newest version of each pledge comes last and wins
        latest[(row["pledge__bloc_id"], row["pledge__year"])] = row
    return latest


def home_provider(user, year: int, blocs, *, listed=None) -> HomeContribution:
    """A badge per bloc of the page (``blocs``) with the year's pledge state, linking to its page. One
    query. (Who has still to sign is the signing tracker's, ``pledges.trackers``: the to-do list.)"""
    contribution = HomeContribution()
    bloc_ids = [bloc.pk for bloc in blocs]
    if bloc_ids:
        latest = _latest_versions(bloc_ids, [year])
        for bloc_id in bloc_ids:
            row = latest.get((bloc_id, year))
            text = state_label(row["state"], row["signed"], row["total"]) if row else state_label(None)
            url = reverse("pledges:pledge_detail", args=[bloc_id, year])
            # A SafeString is still a str: the badge links to the pledge page.
            contribution.bloc_badges[bloc_id] = [
                format_html('<a class="link-dark text-decoration-none pledge-badge" href="{}">{}</a>', url, text)
            ]
    return contribution


def bloc_page_provider(user, bloc, year: int) -> list[Panel]:
    """The pledges of ``year`` and ``year + 1`` (drafted at the end of ``year``) on the bloc page, for
    those who may read them. One query."""
    years = [y for y in (year, year + 1) if access.can_read_bloc_year(user, bloc, y)]
    if not years:
        return []
    latest = _latest_versions([bloc.pk], years)
    rows = []
    for y in years:
        row = latest.get((bloc.pk, y))
        rows.append(
            {
                "year": y,
                "label": state_label(row["state"], row["signed"], row["total"]) if row else state_label(None),
                "url": reverse("pledges:pledge_detail", args=[bloc.pk, y]),
                "exists": row is not None,
            }
        )
    return [Panel(title=_("Emulation pledge"), template="pledges/_bloc_panel.html", context={"rows": rows})]


def unit_page_provider(user, unit) -> list[Panel]:
    """The pledges the unit signed, newest first, in the blocs the viewer may see. One query."""
    signed = (
        PledgeSignatory.objects.filter(unit=unit, signed_on__isnull=False)
        .select_related("version__pledge__bloc")
        .order_by("-version__pledge__year", "version__pledge__bloc__sort_name", "-version__number")
    )
    rows = []
    for s in signed:
        pledge = s.version.pledge
        if access.can_view_bloc(user, pledge.bloc):
            url = reverse("pledges:pledge_detail", args=[pledge.bloc_id, pledge.year])
            rows.append({"pledge": pledge, "version": s.version, "signatory": s, "url": f"{url}?v={s.version.number}"})
    if not rows:
        return []
    return [Panel(title=_("Pledges signed"), template="pledges/_unit_panel.html", context={"rows": rows})]


def document_subject(subject_key: str) -> tuple[int, int] | None:
    """The bloc-year of a pledge version's issued PDF ("pledge:<pledge>:v<number>", see
    ``PledgeVersion.subject_key``): the year the pledge commits to, whatever year it was issued in."""
    match = re.fullmatch(r"pledge:([0-9]{1,18}):v[0-9]+", subject_key)
    if match is None:
        return None
    return Pledge.objects.filter(pk=int(match[1])).values_list("bloc_id", "year").first()


def signing_opened(bloc, year: int) -> bool:
    """Whether signing of the bloc-year's pledge ever opened (a version left drafting). One query."""
    return PledgeVersion.objects.filter(pledge__bloc=bloc, pledge__year=year, signing_opened_at__isnull=False).exists()


# Scoring and ranking ---------------------------------------------------------------------------------


def scoring_state_label(year: int, row: dict, *, reads_ranking: bool = True) -> str:
    """ "Scoring 2021: 3 of 5 sheets submitted" and the like: where a bloc-year's scoring stands, from what
    is stored — the final ranking (with the unit ranked first, for those who read the bloc-year), a
    reopened one, the open table's sheets (submitted, then reviewed), or nothing opened yet. ``row`` is a
    row of ``_scoring_rows``."""
    words = {"year": year}
    if row["ranking_state"] == Ranking.State.FINAL:
        if reads_ranking and row["first_name"]:
            others = row["first_count"] - 1
            if others:
                first = ngettext("%(unit)s and %(count)s other unit", "%(unit)s and %(count)s other units", others) % {
                    "unit": row["first_name"],
                    "count": others,
                }
            else:
                first = row["first_name"]
            return _("Ranking %(year)s: final; first: %(units)s") % {**words, "units": first}
        return _("Ranking %(year)s: final") % words
    if row["ranking_state"] == Ranking.State.REOPENED:
        return _("Ranking %(year)s: reopened") % words
    if row["table_state"] != ScoringTable.State.OPEN:
        return _("Scoring %(year)s: not opened") % words
    if row["submitted"] < row["total"]:
        return _("Scoring %(year)s: %(submitted)s of %(total)s sheets submitted") % {
            **words,
            "submitted": row["submitted"],
            "total": row["total"],
        }
    return _("Scoring %(year)s: reviewing, %(reviewed)s of %(total)s sheets reviewed") % {
        **words,
        "reviewed": row["reviewed"],
        "total": row["total"],
    }


def _scoring_rows(bloc_ids: list[int], year: int) -> dict[int, dict]:
    """Per bloc, in one query: the year's table state and its sheets (all, sent, reviewed), the ranking's
    state, and the unit ranked first in a final ranking (the first in protocol order where the first rank
    is shared) with the number of units sharing it."""
    ranking = Ranking.objects.filter(bloc=OuterRef("pk"), year=year)
    firsts = RankingEntry.objects.filter(
        ranking__bloc=OuterRef("pk"), ranking__year=year, ranking__state=Ranking.State.FINAL, rank=1
    )
    in_year = Q(scoring_tables__year=year)
    rows = (
        Bloc.objects.filter(pk__in=bloc_ids)
        .values("pk")
        .annotate(
            table_state=Subquery(ScoringTable.objects.filter(bloc=OuterRef("pk"), year=year).values("state")[:1]),
            ranking_state=Subquery(ranking.values("state")[:1]),
            first_name=Subquery(firsts.order_by("position").values("unit_name")[:1]),
            first_count=Subquery(
                firsts.order_by().values("ranking_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            total=Count("scoring_tables__sheets", filter=in_year),
            submitted=Count("scoring_tables__sheets", filter=in_year & Q(scoring_tables__sheets__state__in=_SENT)),
            reviewed=Count(
                "scoring_tables__sheets",
                filter=in_year & Q(scoring_tables__sheets__state=ScoreSheet.State.REVIEWED),
            ),
        )
    )
    return {row["pk"]: row for row in rows}


_SENT = (ScoreSheet.State.SUBMITTED, ScoreSheet.State.REVIEWED)


def scoring_home_provider(user, year: int, blocs, *, listed=None) -> HomeContribution:
    """A badge per bloc of the page (``blocs``) with the year's scoring state, linking to its scoring page;
    a final ranking names the unit ranked first to those who read the bloc-year. One query."""
    contribution = HomeContribution()
    rows = _scoring_rows([bloc.pk for bloc in blocs], year) if blocs else {}
    for bloc in blocs:
        row = rows.get(bloc.pk)
        if row is None:
            continue
        reads = access.is_officer_of(user, bloc.council_id) or access.is_member(user, bloc, year)
        text = scoring_state_label(year, row, reads_ranking=reads)
        url = reverse("scoring:scoring_detail", args=[bloc.pk, year])
        contribution.bloc_badges[bloc.pk] = [
            format_html('<a class="link-dark text-decoration-none scoring-badge" href="{}">{}</a>', url, text)
        ]
    return contribution


def ranking_unit_page_provider(user, unit) -> list[Panel]:
    """The unit's lines of final rankings, newest year first (rank or why not ranked, final score), of the
    bloc-years the viewer reads (officers of the council; members of the bloc that year). One query."""
    entries = (
        RankingEntry.objects.filter(unit=unit, ranking__state=Ranking.State.FINAL)
        .select_related("ranking__bloc")
        .order_by("-ranking__year", "ranking__bloc__sort_name", "ranking__bloc_id")
    )
    rows = []
    for entry in entries:
        bloc, year = entry.ranking.bloc, entry.ranking.year
        if not (access.is_officer_of(user, bloc.council_id) or access.is_member(user, bloc, year)):
            continue
        rows.append(
            {
                "year": year,
                "bloc": bloc,
                "entry": entry,
                "not_ranked": entry.get_not_ranked_display() if entry.not_ranked else "",
                "score": points_text(entry.final_score) if entry.final_score is not None else "",
                "url": reverse("scoring:scoring_detail", args=[bloc.pk, year]),
            }
        )
    if not rows:
        return []
    return [Panel(title=capfirst(_("rankings")), template="pledges/_unit_ranks.html", context={"rows": rows})]
