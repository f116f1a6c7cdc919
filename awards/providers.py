"""What awards adds to the base app's pages (registered in ``AwardsConfig.ready()``; blocs never imports
this): badges and "needs your attention" items on the home page, the award history on a unit's page.

Each provider costs a fixed number of queries whatever the number of blocs, units and proposals.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs import access
from blocs.charts import bar_chart
from blocs.models import Bloc
from blocs.registry import AttentionItem, HomeContribution, Panel, SearchHit, SearchSource

from .models import Proposal, Submission
from .selectors import decisions_found, people_found, proposals_found, unit_award_history

Status = Proposal.Status
AWARD_YEARS_SHOWN = 15  # a unit's awards over the years: at most this many years, the latest


def home_provider(user, year: int, blocs, *, listed=None) -> HomeContribution:
    """Per bloc of the page (``blocs``), the proposals of ``year`` and the year before by status; over every
    bloc listed (``listed``, a queryset), officers' submissions to review and chairs' returned proposals.
    Five queries at most."""
    contribution = HomeContribution()
    if listed is None:  # asked about these blocs alone
        listed = Bloc.objects.filter(pk__in=[bloc.pk for bloc in blocs])
    _proposal_badges(contribution, user, year, {bloc.pk: bloc for bloc in blocs})
    if access.is_officer(user):
        _waiting_for_review(contribution, user, listed)
    if user.unit_id:
        _returned_to_chair(contribution, user, listed)
    return contribution


def _proposal_badges(contribution: HomeContribution, user, year: int, by_pk: dict) -> None:
    """Each shown bloc's badge: its proposals of ``year`` and the year before, counted by status."""
    counts: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    rows = (
        Proposal.objects.filter(bloc_id__in=by_pk, year__in=[year - 1, year], source=Proposal.Source.PORTAL)
        .values_list("bloc_id", "year", "status")
        .annotate(n=Count("id"))
        .order_by("bloc_id", "-year", "status")
    )
    for bloc_id, proposal_year, status, n in rows:
        bloc = by_pk[bloc_id]
        # Members read the proposals of the years they were members, officers of the council every year.
        if proposal_year != year and not (
            access.is_officer_of(user, bloc.council_id) or access.is_member(user, bloc, proposal_year)
        ):
            continue
        counts[(bloc_id, proposal_year)].append((status, n))
    order = {status: index for index, status in enumerate(Status.values)}
    for (bloc_id, proposal_year), items in sorted(counts.items(), key=lambda item: (item[0][0], -item[0][1])):
        items.sort(key=lambda item: order[item[0]])
        text = ", ".join(f"{n} {Status(status).label.lower()}" for status, n in items)
        contribution.bloc_badges.setdefault(bloc_id, []).append(
            _("Awards %(year)s: %(counts)s") % {"year": proposal_year, "counts": text}
        )


def _waiting_for_review(contribution: HomeContribution, user, listed) -> None:
    """An officer's to-do items, from one query over the listed blocs of their councils: the submitted
    proposals per bloc-year (to review), and the approved ones per year (a decision to record)."""
    rows = (
        Proposal.objects.filter(bloc__in=listed, status__in=[Status.SUBMITTED, Status.APPROVED])
        .filter(access.officer_councils_q(user, council="bloc__council"))
        .values_list("status", "bloc_id", "bloc__name", "year")
        .annotate(n=Count("id"))
        .order_by("bloc_id", "year")
    )
    queue = reverse("awards:review_queue")
    approved: dict[int, int] = defaultdict(int)
    for status, bloc_id, bloc_name, proposal_year, n in rows:
        if status == Status.APPROVED:
            approved[proposal_year] += n
            continue
        query = urlencode({"bloc": bloc_id, "year": proposal_year, "status": Status.SUBMITTED})
        contribution.attention.append(
            AttentionItem(
                text=ngettext(
                    "%(bloc)s: %(count)s proposal for %(year)s is waiting for your review.",
                    "%(bloc)s: %(count)s proposals for %(year)s are waiting for your review.",
                    n,
                )
                % {"bloc": bloc_name, "count": n, "year": proposal_year},
                url=f"{queue}?{query}",
                level="info",
                count=n,
            )
        )
    for proposal_year, n in sorted(approved.items()):
        contribution.attention.append(
            AttentionItem(
                text=ngettext(
                    "%(count)s approved proposal for %(year)s waits for its decision to be recorded.",
                    "%(count)s approved proposals for %(year)s wait for their decision to be recorded.",
                    n,
                )
                % {"count": n, "year": proposal_year},
                url=reverse("awards:decision_create"),
                level="info",
                count=n,
            )
        )


def _returned_to_chair(contribution: HomeContribution, user, listed) -> None:
    """A seat holder's attention items: returned proposals of the bloc-years the user manages."""
    returned = list(
        Proposal.objects.filter(bloc__in=listed, status=Status.RETURNED)
        .values_list("bloc_id", "bloc__name", "year")
        .annotate(n=Count("id"))
        .order_by("bloc__name", "year")
    )
    returned_blocs = listed.in_bulk({row[0] for row in returned}) if returned else {}
    for bloc_id, bloc_name, proposal_year, n in returned:
        bloc = returned_blocs.get(bloc_id)
        if bloc is None or not access.can_manage_bloc_year(user, bloc, proposal_year):
            continue
        contribution.attention.append(
            AttentionItem(
                text=ngettext(
                    "%(bloc)s: %(count)s proposal for %(year)s was returned; fix it and submit it again.",
                    "%(bloc)s: %(count)s proposals for %(year)s were returned; fix them and submit them again.",
                    n,
                )
                % {"bloc": bloc_name, "count": n, "year": proposal_year},
                url=reverse("awards:bloc_year", args=[bloc_id, proposal_year]),
                count=n,
            )
        )


def unit_page_provider(user, unit) -> list[Panel]:
    """The unit's award history (``selectors.unit_award_history``): the proposals of the unit, its named
    collectives and its people with their state, and the decided awards.

    The unit page has already checked that the user may see the unit. One query (and the viewer's
    memberships, read once).
    """
    awards = unit_award_history(user=user, unit=unit)
    panels = [
        Panel(
            title=_("Award history"),
            template="awards/_award_history.html",
            context={"awards": awards, "show_recipient": True},
        )
    ]
    years = award_years(awards)
    if years:
        chart = bar_chart(
            key="unit-award-years-chart",
            title=_("Awards of %(unit)s by year") % {"unit": unit.display_name},
            items=[(str(row["year"]), row["total"], str(row["total"])) for row in years],
            table_id="unit-award-years",
        )
        panels.append(
            Panel(
                title=_("Awards over the years"),
                template="awards/_unit_award_years.html",
                context={"years": years, "chart": chart},
            )
        )
    return panels


def award_years(awards: list[Proposal]) -> list[dict[str, int]]:
    """The decided awards of a unit's history counted by year (collectives: the unit and its named
    collectives; individuals: its people), every year from the first award's to the last one's, at most
    the last ``AWARD_YEARS_SHOWN`` of them. No query: ``awards`` is the history already read."""
    counts: dict[int, dict[str, int]] = {}
    for award in awards:
        if award.status == Status.DECIDED:
            row = counts.setdefault(award.year, {"collective": 0, "individual": 0})
            row["individual" if award.person_id else "collective"] += 1
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - AWARD_YEARS_SHOWN + 1)
    rows = []
    for year in range(first, last + 1):
        row = counts.get(year, {"collective": 0, "individual": 0})
        rows.append({"year": year, **row, "total": row["collective"] + row["individual"]})
    return rows


def bloc_page_provider(user, bloc, year: int) -> list[Panel]:
    """On a bloc's page: the proposals of the year and the year before, by status, with links. One query."""
    years = [y for y in (year, year - 1) if access.can_read_bloc_year(user, bloc, y)]
    if not years:
        return []
    counts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for proposal_year, status, n in (
        Proposal.objects.filter(bloc=bloc, year__in=years, source=Proposal.Source.PORTAL)
        .values_list("year", "status")
        .annotate(n=Count("id"))
        .order_by("year", "status")
    ):
        counts[proposal_year].append((Status(status).label, n))
    rows = [
        {"year": y, "counts": counts.get(y, []), "url": reverse("awards:bloc_year", args=[bloc.pk, y])} for y in years
    ]
    return [Panel(title=_("Award proposals"), template="awards/_bloc_panel.html", context={"rows": rows})]


def document_subject(subject_key: str) -> tuple[int, int] | None:
    """The bloc-year of a cover letter ("award_submission:<submission>", see
    ``printing.cover_letter_subject_key``): the year of the achievements it submits."""
    match = re.fullmatch(r"award_submission:([0-9]{1,18})", subject_key)
    if match is None:
        return None
    return Submission.objects.filter(pk=int(match[1])).values_list("bloc_id", "year").first()


def search_provider(user, query: str) -> list[SearchSource]:
    """The search page's people, proposals and decisions, each scoped by the rule of its page (the
    selectors say which); a group the user can never open is left out (decisions: officers only)."""

    def person_hits(people) -> list[SearchHit]:
        return [
            SearchHit(p.name, p.get_absolute_url(), ", ".join(part for part in (p.position, p.unit.name) if part))
            for p in people
        ]

    def proposal_hits(proposals) -> list[SearchHit]:
        return [
            SearchHit(
                p.recipient_name,
                p.get_absolute_url(),
                " · ".join(
                    str(part)
                    for part in (p.award_type.name, p.year, p.bloc.code if p.bloc_id else "", p.get_status_display())
                    if part
                ),
            )
            for p in proposals
        ]

    def decision_hits(decisions) -> list[SearchHit]:
        return [
            SearchHit(d.number_text, d.get_absolute_url(), f"{d.date_text} · {d.signer}".strip(" ·")) for d in decisions
        ]

    sources = [
        SearchSource(key="person", title=_("People"), items=people_found(user=user, text=query), hits=person_hits),
        SearchSource(
            key="proposal", title=_("Award proposals"), items=proposals_found(user=user, text=query), hits=proposal_hits
        ),
    ]
    if access.is_officer(user):
        sources.append(
            SearchSource(
                key="decision", title=_("Decisions"), items=decisions_found(user=user, text=query), hits=decision_hits
            )
        )
    return sources
