"""Dossier checks other apps add to a submission (a higher app registers its check here; awards, the lower
app, never imports it: docs/architecture.md).

Before a bloc-year's proposals are submitted, ``awards.services.dossier_check`` asks every registered
check. The meetings app, for instance, registers "the year-end conference's minutes are final" in its
``AppConfig.ready()``::

    from awards.registry import register_dossier_check
    register_dossier_check(minutes_final_check)

A check is called as ``check(bloc=…, year=…, proposals=[…])`` and returns a list of problems, each a
sentence saying what is missing (already translated); an empty list means the dossier is complete as far
as that check goes. Any problem blocks the submission. A check should cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

dossier_checks: list[Callable] = []


def register_dossier_check(check: Callable) -> Callable:
    """Add a dossier check (idempotent: registering the same function twice keeps one)."""
    if check not in dossier_checks:
        dossier_checks.append(check)
    return check


def unregister_dossier_check(check: Callable) -> None:
    """Remove a check (tests use it to clean up). Every registered check runs on every submission: there is
    no way to skip one, the demo included (it submits once the conferences' minutes are final)."""
    if check in dossier_checks:
        dossier_checks.remove(check)


# Links from a bloc-year's proposals to its conference (the meetings app knows it): a provider is called as
# ``provider(bloc_years)`` with a set of ``(bloc id, year)`` and returns ``{(bloc id, year): ConferenceLink}``
# for those it knows, in a fixed number of queries whatever the number of bloc-years (the review queue asks
# about a whole page). With no provider there are no links.
@dataclass(frozen=True)
class ConferenceLink:
    """A link to a bloc-year's conference record: its final minutes' PDF, or the meeting's page."""

    text: str
    url: str
    final: bool = False


conference_link_providers: list[Callable] = []


def register_conference_link_provider(provider: Callable) -> Callable:
    """Add a conference link provider (idempotent)."""
    if provider not in conference_link_providers:
        conference_link_providers.append(provider)
    return provider


def conference_links(bloc_years: set[tuple[int, int]]) -> dict[tuple[int, int], ConferenceLink]:
    """The conference link of each bloc-year a provider knows."""
    links: dict[tuple[int, int], ConferenceLink] = {}
    if not bloc_years:
        return links
    for provider in conference_link_providers:
        for key, link in provider(bloc_years).items():
            links.setdefault(key, link)
    return links
