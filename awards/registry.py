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
