"""The proposal's states and the one way to move a proposal between them.

Proposal states (docs/domain.md)::

    draft ──submit──▶ submitted ──approve──▶ approved ──decide──▶ decided
      ▲                 │   ▲                   │
      └───(fix)── returned ─┘ (resubmit)        └──reject──▶ rejected ◀──reject── submitted
    draft ──decide at the conference──▶ decided            (bloc-issued awards only)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.models import User

from ..models import Decision, Proposal, ProposalEvent, Submission

Status = Proposal.Status
# One proposal per recipient, award type and bloc-year (or year, without a bloc): the constraints a save
# can hit when two requests record the same award at once.
_PROPOSAL_UNIQUE = [c for c in Proposal._meta.constraints if isinstance(c, UniqueConstraint)]


# The moves the states above allow; anything else is refused.
TRANSITIONS: set[tuple[str, str]] = {
    (Status.DRAFT, Status.SUBMITTED),
    (Status.RETURNED, Status.SUBMITTED),
    (Status.SUBMITTED, Status.RETURNED),
    (Status.SUBMITTED, Status.APPROVED),
    (Status.SUBMITTED, Status.REJECTED),
    (Status.APPROVED, Status.REJECTED),
    (Status.APPROVED, Status.DECIDED),
    (Status.DRAFT, Status.DECIDED),  # bloc-issued awards, at the conference
}


def _move(
    proposal: Proposal,
    to: str,
    *,
    by: User | None,
    reason: str = "",
    submission: Submission | None = None,
    decision: Decision | None = None,
) -> Proposal:
    """Change a (locked) proposal's status by one of the TRANSITIONS and record the event."""
    if (proposal.status, to) not in TRANSITIONS:
        raise ValidationError(
            _("The proposal for %(recipient)s is “%(status)s”: it cannot become “%(to)s”.")
            % {"recipient": proposal.recipient_name, "status": proposal.get_status_display(), "to": Status(to).label}
        )
    event = ProposalEvent(
        proposal=proposal,
        from_status=proposal.status,
        to_status=to,
        by=by,
        reason=reason,
        submission=submission,
        decision=decision,
    )
    proposal.status = to
    if to in (Status.RETURNED, Status.REJECTED):
        proposal.status_reason = reason
    elif to == Status.SUBMITTED:
        proposal.status_reason = ""
    if submission is not None:
        proposal.submission = submission
    if decision is not None:
        proposal.decision = decision
    with_history_user(proposal, by)
    # The whole reason is kept on the event; the history row's label (simple-history's 100-character
    # column) shows its start.
    proposal._change_reason = reason[:100] if reason else None
    proposal.save()
    event.save()
    return proposal


def _locked(proposals: Iterable[Proposal]) -> list[Proposal]:
    """The proposals read again under a row lock, in a stable order, so their status is current."""
    ids = [p.pk for p in proposals]
    # Lock the rows first (PostgreSQL cannot lock the nullable side of the joins), then read them whole.
    list(Proposal.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    locked = {
        p.pk: p for p in Proposal.objects.filter(pk__in=ids).select_related("award_type", "unit", "person", "bloc")
    }
    missing = [pk for pk in ids if pk not in locked]
    if missing:
        raise ValidationError(_("A proposal was deleted in the meantime; reload the page."))
    return [locked[pk] for pk in ids]


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason.")})
    return reason
