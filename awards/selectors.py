"""Reads of proposals that pages (and the meetings app, through this public API) share (DESIGN section 6).

The award history of a unit or a person (lịch sử khen thưởng) lists every proposal of the recipient, not
only decided awards: right after a conference the units the bloc proposed read "Đề nghị", not "no award
recorded". Who sees what follows ``blocs.access``: a decided award is shown to whoever may see the unit
(as before); a proposal not yet decided only to those who read its bloc-year — the council's officers
and the units that are members of the bloc that year, the recipient's own unit included. Each read is one
query (plus the viewer's memberships, read once per request) whatever the number of proposals.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from blocs import access
from blocs.models import Bloc, Unit

from .models import Person, Proposal

Status = Proposal.Status

# The state a history row shows. A draft is what the bloc voted at its conference and has not sent yet.
HISTORY_STATE = {
    Status.DRAFT: _("Proposed"),
    Status.SUBMITTED: Status.SUBMITTED.label,
    Status.RETURNED: Status.RETURNED.label,
    Status.APPROVED: Status.APPROVED.label,
    Status.REJECTED: Status.REJECTED.label,
    Status.DECIDED: Status.DECIDED.label,
}

_HISTORY_RELATED = ("award_type", "bloc", "decision", "person", "unit")
_HISTORY_ORDER = ("-year", "award_type__order", "award_type_id", "id")


def decided_proposals(*, unit: Unit | None = None, bloc: Bloc | None = None, year: int | None = None) -> QuerySet:
    """Decided awards of a unit (its collectives and people included), of a bloc, of a year, or of a
    bloc-year — e.g. the meetings app offering the awards handed over at a conference."""
    proposals = Proposal.objects.decided()
    if unit is not None:
        proposals = proposals.filter(unit=unit)
    if bloc is not None:
        proposals = proposals.filter(bloc=bloc)
    if year is not None:
        proposals = proposals.filter(year=year)
    return proposals.select_related(*_HISTORY_RELATED).order_by(*_HISTORY_ORDER)


def bloc_year_proposals(*, bloc: Bloc, year: int) -> QuerySet:
    """Every proposal of a bloc-year, whatever its state, in the catalogue's order."""
    return (
        Proposal.objects.of_bloc_year(bloc, year)
        .select_related(*_HISTORY_RELATED)
        .order_by("award_type__order", "award_type_id", "id")
    )


def unit_award_history(*, user, unit: Unit) -> list[Proposal]:
    """The unit's award history as ``user`` may read it: its decided awards and, where the user reads the
    bloc-year, its proposals in every other state. The caller has checked that the user sees the unit."""
    return _readable(user, Proposal.objects.filter(unit=unit))


def person_award_history(*, user, person: Person) -> list[Proposal]:
    """A person's award history as ``user`` may read it (see ``unit_award_history``)."""
    return _readable(user, Proposal.objects.filter(person=person))


def _readable(user, proposals: QuerySet) -> list[Proposal]:
    rows = []
    for proposal in proposals.select_related(*_HISTORY_RELATED).order_by(*_HISTORY_ORDER):
        reads_year = _reads_bloc_year(user, proposal)
        if proposal.status != Status.DECIDED and not reads_year:
            continue
        proposal.history_state = HISTORY_STATE[proposal.status]
        # The proposal's own page opens for those who read its bloc-year (a bloc-less entry: officers).
        proposal.history_link = proposal.get_absolute_url() if reads_year else ""
        rows.append(proposal)
    return rows


def _reads_bloc_year(user, proposal: Proposal) -> bool:
    if access.is_officer_of(user, proposal.council_id):
        return True
    if proposal.bloc_id is None:
        return False
    return access.is_member(user, proposal.bloc, proposal.year)
