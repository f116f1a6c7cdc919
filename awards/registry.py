"""Dossier checks other apps add to a submission (DESIGN section 3: a higher app registers, the lower
app never imports it).

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

from collections.abc import Callable, Iterator
from contextlib import contextmanager

dossier_checks: list[Callable] = []


def register_dossier_check(check: Callable) -> Callable:
    """Add a dossier check (idempotent: registering the same function twice keeps one)."""
    if check not in dossier_checks:
        dossier_checks.append(check)
    return check


def unregister_dossier_check(check: Callable) -> None:
    """Remove a check (tests use it to clean up)."""
    if check in dossier_checks:
        dossier_checks.remove(check)


@contextmanager
def dossier_checks_suspended() -> Iterator[None]:
    """Run without the registered checks: only for loading records of the past (the demo), whose other
    parts — e.g. the conference minutes, loaded by the meetings demo after the awards demo — are written
    later in the same load. Never used by a page."""
    saved = list(dossier_checks)
    dossier_checks.clear()
    try:
        yield
    finally:
        dossier_checks[:] = saved
