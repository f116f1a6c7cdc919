"""What the awards services tell people (``blocs.services.notification_send``), inside the transaction of
the change they tell about, so a change rolled back tells nobody.

- A proposal returned, approved, rejected or decided: the users of its bloc-year's seat holders (the chair
  and vice-chairs, who act on it) and of its recipient unit (a collective's unit, an individual's unit);
  only units that are members of the bloc that year (``blocs.selectors.bloc_year_audience``). An award
  entered from outside the portal tells nobody.
- A bloc-year's proposals submitted: the officers of the bloc's council.

A batch (the review queue's selection, a decision) is told in one notice per bloc-year: one
``notification_send`` per bloc-year and kind, the recipients read in three queries for the whole batch.
Every member of a bloc-year reads all of its proposals (``blocs.access.can_read_bloc_year``), so a notice
naming the year's other proposals tells its recipients nothing they may not read.

Titles and bodies are written in the portal's language whoever acts: they are stored, and read by others.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.models import Bloc, Notification, User
from blocs.selectors import BlocYear, bloc_year_audience
from blocs.services import notification_send

from ..models import Decision, Proposal, Submission
from .states import Status

KINDS = {
    Status.RETURNED: Notification.Kind.PROPOSAL_RETURNED,
    Status.APPROVED: Notification.Kind.PROPOSAL_APPROVED,
    Status.REJECTED: Notification.Kind.PROPOSAL_REJECTED,
    Status.DECIDED: Notification.Kind.PROPOSAL_DECIDED,
}
# A notice about a batch lists at most this many proposals; its page lists them all.
LISTED = 20


def recipient_unit(proposal: Proposal) -> int | None:
    """The unit the award goes to: a collective's unit, an individual's unit (kept on the proposal)."""
    if proposal.unit_id is not None:
        return proposal.unit_id
    return proposal.person.unit_id if proposal.person is not None else None


def proposals_moved_notify(
    *,
    proposals: Sequence[Proposal],
    to: str,
    reason: str = "",
    decision: Decision | None = None,
    conference_date_text: str = "",
) -> None:
    """Tell the seat holders and the recipient units of these (moved, locked) proposals that they are now
    ``to``: one notice per bloc-year, with the reason of a return or a rejection."""
    groups: dict[BlocYear, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.source == Proposal.Source.PORTAL and proposal.bloc_id is not None:
            groups.setdefault((proposal.bloc_id, proposal.year), []).append(proposal)
    if not groups:
        return
    wanted = {pair: {unit for p in group if (unit := recipient_unit(p)) is not None} for pair, group in groups.items()}
    audiences = bloc_year_audience(wanted, seat_holders=True)
    for pair, group in groups.items():
        bloc = group[0].bloc
        assert bloc is not None  # grouped by it
        with translation.override(settings.LANGUAGE_CODE):
            title = _moved_title(to, bloc, pair[1], group)
            body = _moved_body(to, group, reason=reason, decision=decision, conference_date_text=conference_date_text)
        url = group[0].get_absolute_url() if len(group) == 1 else reverse("awards:bloc_year", args=[bloc.pk, pair[1]])
        notification_send(kind=KINDS[Status(to)], users=audiences[pair], title=title, url=url, body=body)


def _moved_title(to: str, bloc: Bloc, year: int, group: Sequence[Proposal]) -> str:
    what: dict[str, object] = {"bloc": bloc.name, "year": year, "count": len(group)}
    if len(group) == 1:
        proposal = group[0]
        what |= {"type": proposal.award_type.name, "recipient": proposal.recipient_name}
        one = {
            Status.RETURNED: _("%(bloc)s, %(year)s: the proposal of %(type)s for %(recipient)s was returned"),
            Status.APPROVED: _("%(bloc)s, %(year)s: the proposal of %(type)s for %(recipient)s was approved"),
            Status.REJECTED: _("%(bloc)s, %(year)s: the proposal of %(type)s for %(recipient)s was rejected"),
            Status.DECIDED: _("%(bloc)s, %(year)s: %(type)s was awarded to %(recipient)s"),
        }
        return one[Status(to)] % what
    count = len(group)
    many = {
        Status.RETURNED: ngettext(
            "%(bloc)s, %(year)s: %(count)s proposal was returned",
            "%(bloc)s, %(year)s: %(count)s proposals were returned",
            count,
        ),
        Status.APPROVED: ngettext(
            "%(bloc)s, %(year)s: %(count)s proposal was approved",
            "%(bloc)s, %(year)s: %(count)s proposals were approved",
            count,
        ),
        Status.REJECTED: ngettext(
            "%(bloc)s, %(year)s: %(count)s proposal was rejected",
            "%(bloc)s, %(year)s: %(count)s proposals were rejected",
            count,
        ),
        Status.DECIDED: ngettext(
            "%(bloc)s, %(year)s: %(count)s award was decided",
            "%(bloc)s, %(year)s: %(count)s awards were decided",
            count,
        ),
    }
    return many[Status(to)] % what


def _moved_body(
    to: str, group: Sequence[Proposal], *, reason: str, decision: Decision | None, conference_date_text: str
) -> str:
    """The reason (its line breaks kept), the decision, and for a batch the proposals it names."""
    parts: list[str] = []
    if len(group) > 1:
        parts.append(_proposal_lines(group))
    if reason and to in (Status.RETURNED, Status.REJECTED):
        parts.append(_("Reason: %(reason)s") % {"reason": reason})
    elif to == Status.APPROVED:
        parts.append(_("The Board found the dossier in order; the award decision follows."))
    elif to == Status.DECIDED and decision is not None:
        parts.append(
            _("Decision %(number)s of %(date)s.") % {"number": decision.number_text, "date": decision.date_text}
        )
    elif to == Status.DECIDED and conference_date_text:
        parts.append(_("Decided at the bloc's conference of %(date)s.") % {"date": conference_date_text})
    return "\n\n".join(parts)


def _proposal_lines(proposals: Sequence[Proposal]) -> str:
    lines = [
        _("– %(recipient)s: %(type)s") % {"recipient": p.recipient_name, "type": p.award_type.name}
        for p in proposals[:LISTED]
    ]
    if len(proposals) > LISTED:
        rest = len(proposals) - LISTED
        lines.append(ngettext("… and %(count)s more", "… and %(count)s more", rest) % {"count": rest})
    return "\n".join(lines)


def submission_received_notify(*, submission: Submission, proposals: Sequence[Proposal]) -> None:
    """Tell the officers of the bloc's council that the bloc submitted these proposals (the submission's
    page lists them and links the cover letter)."""
    bloc = submission.bloc
    count = len(proposals)
    with translation.override(settings.LANGUAGE_CODE):
        what = {"bloc": bloc.name, "year": submission.year, "count": count, "sequence": submission.sequence}
        if submission.is_supplementary:
            title = ngettext(
                "%(bloc)s submitted %(count)s more proposal of %(year)s (batch %(sequence)s)",
                "%(bloc)s submitted %(count)s more proposals of %(year)s (batch %(sequence)s)",
                count,
            )
        else:
            title = ngettext(
                "%(bloc)s submitted %(count)s proposal of %(year)s",
                "%(bloc)s submitted %(count)s proposals of %(year)s",
                count,
            )
        title = title % what
        body = "\n\n".join(
            [
                _("Submitted on %(date)s.") % {"date": f"{submission.submitted_on:%d/%m/%Y}"},
                _proposal_lines(proposals),
            ]
        )
    officers: Sequence[User] = list(User.objects.officers_of(bloc.council_id))
    notification_send(
        kind=Notification.Kind.SUBMISSION_RECEIVED,
        users=officers,
        title=title,
        url=reverse("awards:submission_detail", args=[submission.pk]),
        body=body,
    )
