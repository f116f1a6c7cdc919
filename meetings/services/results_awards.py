"""The awards a conference deals with, through the ``awards`` app (its tables are never written here):
the proposals voted on, the bloc's own awards decided there, and awards decided earlier that were
handed over at it. Each keeps a link row with the names as recorded that day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards import services as awards_services
from awards.models import AwardType, Person, Proposal
from blocs.history import with_history_user
from blocs.models import Bloc, Unit, User
from blocs.text import nfc_line

from ..content import proposal_snapshot
from ..models import (
    Meeting,
    MeetingAwardHandedOver,
    MeetingBlocAward,
    MeetingProposalVote,
)
from ._shared import _Errors, _fixed, _require_minutes_open, _row_key, meeting_reference


@dataclass(frozen=True)
class VoteEntry:
    """A candidate the conference voted on: the award, the recipient (a member unit, a collective named
    inside one, or a person with position and unit) and the tally — counts, or acclamation (thống nhất).
    ``members_present`` left empty is the number of member units present."""

    award_type: AwardType
    unit: Unit | None = None
    collective_name: str = ""
    person_name: str = ""
    person_position: str = ""
    members_present: int | None = None
    ballots_cast: int | None = None
    votes_for: int | None = None
    acclamation: bool = False


@dataclass(frozen=True)
class BlocAwardEntry:
    """An award the bloc gives itself at the conference: a collective (a unit, or a named collective inside
    one) or a person of a member unit."""

    award_type: AwardType
    unit: Unit | None = None
    collective_name: str = ""
    person_name: str = ""
    person_position: str = ""


# Votes on proposals (awards) ---------------------------------------------------------------------------

VOTE_ALIASES = {
    "person": "person_name",
    "collective_name": "collective_name",
    "bloc": "award_type",
    "year": "award_type",
}


def _person(entry: VoteEntry | BlocAwardEntry, by: User | None) -> Person | None:
    """The person an individual award names (found again by name within the unit), or None."""
    if not nfc_line(entry.person_name):
        return None
    if entry.unit is None:
        raise ValidationError({"unit": _("Choose the person's unit.")})
    return awards_services.person_get_or_create(
        unit=entry.unit, name=entry.person_name, position=entry.person_position, by=by
    )


def _tally_matches(proposal: Proposal, entry: VoteEntry) -> bool:
    """The proposal already holds this tally (members present left empty matches any count)."""
    return (
        proposal.acclamation == entry.acclamation
        and (entry.members_present is None or proposal.members_present == entry.members_present)
        and proposal.ballots_cast == (None if entry.acclamation else entry.ballots_cast)
        and proposal.votes_for == (None if entry.acclamation else entry.votes_for)
    )


def _vote_check(entry: VoteEntry, index: int, present_count: int | None, bloc: Bloc, errors: _Errors) -> bool:
    """The tally in words, before awards checks it again (the same rules, said per field here)."""
    key = _row_key("votes", index)
    before = len(errors.errors)
    if entry.award_type.council_id != bloc.council_id:
        errors.add(key("award_type"), _("The award type belongs to another council."))
    elif entry.award_type.is_bloc_issued:
        errors.add(
            key("award_type"),
            _("%(type)s is an award of the bloc itself: record it under the bloc's own awards.")
            % {"type": entry.award_type.name},
        )
    if entry.unit is None:
        errors.add(key("unit"), _("Choose the recipient unit (for a person: the person's unit)."))
    if entry.acclamation:
        if entry.ballots_cast is not None or entry.votes_for is not None:
            errors.add(
                key("acclamation"), _("By acclamation there are no ballots: leave ballots cast and votes for empty.")
            )
    else:
        # No counts and no acclamation is a tally "not recorded" (the record does not say); one count
        # without the other is a typing slip.
        if entry.ballots_cast is None and entry.votes_for is not None:
            errors.add(key("ballots_cast"), _("Give the ballots cast with the votes for, or leave both empty."))
        if entry.votes_for is None and entry.ballots_cast is not None:
            errors.add(key("votes_for"), _("Give the votes for with the ballots cast, or leave both empty."))
        if entry.ballots_cast is not None and entry.votes_for is not None and entry.votes_for > entry.ballots_cast:
            errors.add(
                key("votes_for"),
                _("Votes for (%(for)s) cannot exceed ballots cast (%(cast)s).")
                % {"for": entry.votes_for, "cast": entry.ballots_cast},
            )
    members_present = entry.members_present if entry.members_present is not None else present_count
    if members_present is None:
        return len(errors.errors) == before  # attendance not recorded: nothing to check the counts against
    if present_count is not None and members_present > present_count:
        errors.add(
            key("members_present"),
            _("Only %(count)s member units were present at the meeting.") % {"count": present_count},
        )
    if not entry.acclamation and entry.ballots_cast is not None and entry.ballots_cast > members_present:
        errors.add(
            key("ballots_cast"),
            _("Ballots cast (%(cast)s) cannot exceed members present (%(present)s).")
            % {"cast": entry.ballots_cast, "present": members_present},
        )
    return len(errors.errors) == before


def _votes_record(
    meeting: Meeting, votes: Sequence[VoteEntry], present: set[int] | None, errors: _Errors, by: User | None
) -> None:
    bloc = meeting.bloc
    kept: set[int] = set()
    present_count = len(present) if present is not None else None
    for index, entry in enumerate(votes):
        key = _row_key("votes", index, VOTE_ALIASES)
        if not _vote_check(entry, index, present_count, bloc, errors):
            continue
        with errors.step(key):
            recipient = _recipient(entry, by)
            tally = awards_services.Tally(
                members_present=entry.members_present if entry.members_present is not None else present_count,
                ballots_cast=None if entry.acclamation else entry.ballots_cast,
                votes_for=None if entry.acclamation else entry.votes_for,
                acclamation=entry.acclamation,
            )
            proposal = awards_services.proposal_find(
                bloc=bloc, year=meeting.year, award_type=entry.award_type, **recipient
            )
            if proposal is not None and proposal.pk in kept:
                raise ValidationError(
                    {
                        "award_type": _("%(recipient)s is already listed for %(type)s above.")
                        % {"recipient": proposal.recipient_name, "type": entry.award_type.name}
                    }
                )
            # The same tally on an existing proposal is a link, not a change: a proposal already
            # submitted or decided (e.g. entered before the minutes) keeps its state.
            if proposal is None or not _tally_matches(proposal, entry):
                proposal = awards_services.proposal_save(
                    bloc=bloc, year=meeting.year, award_type=entry.award_type, tally=tally, by=by, **recipient
                )
            kept.add(proposal.pk)
            proposal = Proposal.objects.select_related("award_type", "unit", "person").get(pk=proposal.pk)
            _link_save(
                MeetingProposalVote,
                meeting=meeting,
                proposal=proposal,
                values=proposal_snapshot(proposal, index, tally=True),
                by=by,
            )
    if errors:
        return
    # Rows removed from the form: their drafts go (through awards); a proposal that went out stays, and
    # so does its place in the minutes.
    with errors.step(_fixed("votes")):
        for link in meeting.votes.exclude(proposal_id__in=kept).select_related("proposal"):
            proposal = link.proposal
            if proposal.status != Proposal.Status.DRAFT or proposal.submission_id:
                raise ValidationError(
                    _("%(recipient)s (%(type)s) is already “%(status)s”; it stays in the record.")
                    % {
                        "recipient": proposal.recipient_name,
                        "type": link.award_type_name,
                        "status": proposal.get_status_display(),
                    }
                )
            with_history_user(link, by).delete()
            if not MeetingProposalVote.objects.filter(proposal=proposal).exists():
                awards_services.proposal_delete(proposal=proposal, by=by)


def _link_save(
    model: type[MeetingProposalVote] | type[MeetingBlocAward] | type[MeetingAwardHandedOver],
    *,
    meeting: Meeting,
    proposal: Proposal,
    values: dict[str, Any],
    by: User | None,
) -> None:
    """Create or update a link row, saving only when something differs (each save is a history entry)."""
    link = model.objects.filter(meeting=meeting, proposal=proposal).first()
    if link is None:
        link = model(meeting=meeting, proposal=proposal)
    elif all(getattr(link, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(link, name, value)
    with_history_user(link, by).save()


# The bloc's own awards (awards) ------------------------------------------------------------------------


def _recipient(entry: VoteEntry | BlocAwardEntry, by: User | None) -> dict[str, Any]:
    """The recipient of a row as awards names it: a person (found again within the unit), a collective
    named inside a unit, or the unit itself."""
    person = _person(entry, by)
    return {
        "unit": None if person else entry.unit,
        "collective_name": "" if person else nfc_line(entry.collective_name),
        "person": person,
    }


def _bloc_award_entry_check(entry: BlocAwardEntry, key: Callable[[str], str], bloc: Bloc, errors: _Errors) -> bool:
    if entry.award_type.council_id != bloc.council_id:
        errors.add(key("award_type"), _("The award type belongs to another council."))
    elif not entry.award_type.is_bloc_issued:
        errors.add(
            key("award_type"),
            _("%(type)s is not an award of the bloc itself: record its vote under the candidates above.")
            % {"type": entry.award_type.name},
        )
    elif entry.unit is None:
        errors.add(key("unit"), _("Choose the unit (for a person: the person's unit)."))
    else:
        return True
    return False


def _bloc_award_find(meeting: Meeting, entry: BlocAwardEntry, seen: set[int], by: User | None) -> Proposal:
    """The row's proposal: found again (a draft, or decided at this conference) or created as a draft."""
    recipient = _recipient(entry, by)
    proposal = awards_services.proposal_find(
        bloc=meeting.bloc, year=meeting.year, award_type=entry.award_type, **recipient
    )
    if proposal is not None and proposal.pk in seen:
        raise ValidationError({"award_type": _("This recipient is already listed above.")})
    if proposal is None:
        return awards_services.proposal_save(
            bloc=meeting.bloc, year=meeting.year, award_type=entry.award_type, by=by, **recipient
        )
    words = {"recipient": proposal.recipient_name, "type": entry.award_type.name, "year": meeting.year}
    if proposal.status == Proposal.Status.DECIDED:
        # Decided already: at this conference (recorded again), or entered in awards with the
        # conference's date. Anything else is another conference's award.
        if proposal.meeting_ref not in ("", meeting_reference(meeting)) or (
            proposal.conference_date and proposal.conference_date != meeting.date
        ):
            raise ValidationError(
                {"award_type": _("%(recipient)s already received %(type)s for %(year)s at another conference.") % words}
            )
    elif proposal.status != Proposal.Status.DRAFT:
        raise ValidationError(
            {
                "award_type": _("%(recipient)s (%(type)s) is “%(status)s”.")
                % {**words, "status": proposal.get_status_display()}
            }
        )
    return proposal


def _bloc_awards_record(meeting: Meeting, entries: Sequence[BlocAwardEntry], errors: _Errors, by: User | None) -> None:
    drafts: list[tuple[int, Proposal]] = []
    keep: list[tuple[int, Proposal]] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        key = _row_key("awards", index, VOTE_ALIASES)
        if not _bloc_award_entry_check(entry, key, meeting.bloc, errors):
            continue
        with errors.step(key):
            proposal = _bloc_award_find(meeting, entry, seen, by)
            seen.add(proposal.pk)
            (keep if proposal.status == Proposal.Status.DECIDED else drafts).append((index, proposal))
    if errors:
        return
    with errors.step(_fixed("awards")):
        _bloc_awards_decide(meeting, keep, drafts, by)


def _bloc_awards_decide(
    meeting: Meeting, keep: list[tuple[int, Proposal]], drafts: list[tuple[int, Proposal]], by: User | None
) -> None:
    """The drafts decided by the conference (through awards), every row linked in the form's order; a row
    removed from the form cannot undo its decision."""
    if drafts:
        awards_services.bloc_award_decide(
            proposals=[proposal for _index, proposal in drafts],
            conference_date=meeting.date,
            meeting_ref=meeting_reference(meeting),
            by=by,
        )
    ids = [proposal.pk for _index, proposal in [*keep, *drafts]]
    order = {proposal.pk: index for index, proposal in [*keep, *drafts]}
    for proposal in Proposal.objects.filter(pk__in=ids).select_related("award_type", "unit", "person"):
        _link_save(
            MeetingBlocAward,
            meeting=meeting,
            proposal=proposal,
            values={**proposal_snapshot(proposal, order[proposal.pk]), "individual": proposal.is_individual},
            by=by,
        )
    removed = list(meeting.bloc_awards.exclude(proposal_id__in=ids))
    if removed:
        # Awards has no way to undo a decided award; the minutes keep saying what was decided.
        raise ValidationError(
            _("%(recipient)s was honoured at this conference (%(type)s); that decision cannot be removed here.")
            % {"recipient": removed[0].recipient_name, "type": removed[0].award_type_name}
        )


# Awards handed over (decided earlier) ------------------------------------------------------------------


def meeting_awards_handed_over_set(*, meeting: Meeting, proposals: Sequence[Proposal], by: User | None) -> None:
    """Record the awards decided earlier (by an outside authority, for an earlier year, say) that were
    handed over at ``meeting``, in the order given; the minutes list them apart from the proposals voted.

    Only decided awards of the meeting's council can be handed over; awards are only read here. The
    names are kept as recorded, like the votes'. Final minutes change only after a correction is started.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("bloc").get(pk=meeting.pk)
        _require_minutes_open(meeting)
        wanted = list(
            Proposal.objects.filter(pk__in=[p.pk for p in proposals]).select_related("award_type", "unit", "person")
        )
        by_pk = {proposal.pk: proposal for proposal in wanted}
        errors = []
        for proposal in wanted:
            if proposal.award_type.council_id != meeting.bloc.council_id:
                errors.append(_("This award belongs to another council."))
            elif proposal.status != Proposal.Status.DECIDED:
                errors.append(
                    _("%(recipient)s (%(type)s) is not decided yet: only a decided award can be handed over.")
                    % {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
                )
        if len(by_pk) != len({p.pk for p in proposals}):
            errors.append(_("This award belongs to another council."))
        if errors:
            raise ValidationError({"awards_handed_over": errors})
        order = [p.pk for p in proposals]
        for link in meeting.awards_handed_over.exclude(proposal_id__in=order):
            with_history_user(link, by).delete()
        for index, pk in enumerate(dict.fromkeys(order)):
            proposal = by_pk[pk]
            _link_save(
                MeetingAwardHandedOver,
                meeting=meeting,
                proposal=proposal,
                values=proposal_snapshot(proposal, index),
                by=by,
            )
