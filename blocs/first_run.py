"""The first run: what a council still lacks before its blocs can work, as steps in the order they are done.

A fresh portal (``manage.py migrate``, ``createsuperuser``) has no council. Its superuser lands on the
first-steps page instead of an empty home: create the council, then its officers, its units (by hand or
from the Excel template), its blocs and their seats. Each step links to the page where it is done and is
ticked once done; the officer home shows the same panel while the council lacks units, blocs or seats.
Who may open each page is still decided by the pages themselves (``blocs.access``); the steps only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .models import Bloc, Council, Seat, Unit, User


@dataclass(frozen=True)
class Step:
    """One step of a council's set-up: what to do, where, and whether it is done."""

    title: str
    url: str
    done: bool
    hint: str = ""
    other_url: str = ""  # a second way to do it (the units' Excel import)
    other_label: str = ""


def _progress() -> dict[str, Exists]:
    """What a council has: officers (not counting superusers), units, blocs, seats of any year."""
    return {
        "has_officers": Exists(
            User.objects.filter(council=OuterRef("pk"), unit__isnull=True, is_active=True, is_superuser=False)
        ),
        "has_units": Exists(Unit.objects.filter(council=OuterRef("pk"))),
        "has_blocs": Exists(Bloc.objects.filter(council=OuterRef("pk"))),
        "has_seats": Exists(Seat.objects.filter(bloc__council=OuterRef("pk"))),
    }


def with_progress(councils: QuerySet[Council]) -> QuerySet[Council]:
    """``councils`` annotated with ``has_officers``, ``has_units``, ``has_blocs``, ``has_seats`` (one query
    for any number of councils)."""
    return councils.annotate(**_progress())


def council_steps(user: access.AnyUser, council: Council | None) -> list[Step]:
    """The five steps for ``council`` (None: no council yet, only the first step can be taken), as ``user``
    sees them: the council step of a superuser links to the councils' own pages, an officer's to the
    council's settings."""
    manages = access.can_manage_councils(user)
    if council is None:
        create = reverse("blocs:council_create") if manages else ""
        return [
            Step(_("Create the council"), create, False, _("Its name, level, place name and document lines.")),
            Step(_("Create its officers' accounts"), "", False),
            Step(_("Add its units"), "", False),
            Step(_("Create its blocs and clusters"), "", False),
            Step(_("Set each bloc's chair and vice-chairs"), "", False),
        ]
    annotations = _progress()
    progress = Council.objects.filter(pk=council.pk).annotate(**annotations).values(*annotations).get()
    council_url = reverse("blocs:council_edit", args=[council.pk]) if manages else reverse("blocs:council_settings")
    return [
        Step(_("Create the council"), council_url, True, _("Its name, level, place name and document lines.")),
        Step(
            _("Create its officers' accounts"),
            reverse("blocs:user_create"),
            progress["has_officers"],
            _("Board staff: an account of the council without a unit."),
        ),
        Step(
            _("Add its units"),
            reverse("blocs:unit_create"),
            progress["has_units"],
            _("One by one, or many at once from the Excel template."),
            other_url=reverse("blocs:units_import"),
            other_label=_("Import units from Excel"),
        ),
        Step(
            _("Create its blocs and clusters"),
            reverse("blocs:bloc_create"),
            progress["has_blocs"],
            _("Then add each bloc's member units on the bloc's page."),
        ),
        Step(
            _("Set each bloc's chair and vice-chairs"),
            reverse("blocs:bloc_list"),
            progress["has_seats"],
            _("On a bloc's page, once it has members: the seats of the emulation year."),
        ),
    ]


def incomplete(steps: list[Step]) -> bool:
    return not all(step.done for step in steps)


def next_step(steps: list[Step]) -> Step | None:
    """The first step not done yet (the one the page points at)."""
    return next((step for step in steps if not step.done), None)
