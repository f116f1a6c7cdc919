"""The Board's review (return, approve, reject), its decisions and their corrections, and the awards
a bloc gives itself at its conference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.integrity import unique_errors
from blocs.models import Council, User
from blocs.text import nfc

from ..models import AwardRule, Decision, DecisionCorrection, Proposal
from ..rules import Phase, RuleFinding, proposals_check
from .notices import proposals_moved_notify
from .states import Status, _locked, _move, _require_reason


def proposal_return(*, proposal: Proposal, reason: str, by: User | None) -> Proposal:
    """The Board returns a submitted proposal to the bloc with a reason; the chair fixes and resubmits."""
    reason = _require_reason(reason)
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        _move(proposal, Status.RETURNED, by=by, reason=reason)
        proposals_moved_notify(proposals=[proposal], to=Status.RETURNED, reason=reason)
    return proposal


def proposal_approve(*, proposal: Proposal, by: User | None) -> Proposal:
    """The Board finds the dossier in order; the proposal waits for a decision."""
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        _move(proposal, Status.APPROVED, by=by)
        proposals_moved_notify(proposals=[proposal], to=Status.APPROVED)
    return proposal


def proposal_reject(*, proposal: Proposal, reason: str, by: User | None) -> Proposal:
    """The Board (or the decision-maker) turns a submitted or approved proposal down, with a reason."""
    reason = _require_reason(reason)
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        _move(proposal, Status.REJECTED, by=by, reason=reason)
        proposals_moved_notify(proposals=[proposal], to=Status.REJECTED, reason=reason)
    return proposal


# The Board's actions a whole selection of the review queue can take at once.
REVIEW_MANY_ACTIONS = ("approve", "return")


def proposal_review_many(
    *, proposals: Sequence[Proposal], action: str, reason: str = "", by: User | None, council: Council
) -> list[Proposal]:
    """Approve, or return with one reason, every proposal of a selection of the review queue: all or nothing.

    Each proposal makes the single action's move (``proposal_approve`` / ``proposal_return``), so the rules
    are the same as one by one; all of them run in one transaction, and each bloc-year is told once for the
    whole selection (``notices``). If any cannot move (not submitted any more, of another council, deleted
    meanwhile), nothing changes and the ``ValidationError`` names every one of them and why (under
    ``proposals``); an empty reason for a return is an error on ``reason``.
    Who may review is the view's business (``blocs.access``); ``council`` is the reviewer's, checked again
    here so a hand-made selection never reaches another council's proposals.
    """
    if action not in REVIEW_MANY_ACTIONS:
        raise ValidationError({"action": _("Choose to approve or to return the selected proposals.")})
    if not proposals:
        raise ValidationError({"proposals": _("Select the proposals first.")})
    if action == "return":
        reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked(proposals)
        problems = []
        for proposal in locked:
            what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
            if proposal.council_id != council.pk:
                problems.append(_("%(recipient)s (%(type)s) belongs to another council.") % what)
            elif proposal.status != Status.SUBMITTED:
                problems.append(
                    _("%(recipient)s (%(type)s) is “%(status)s”; only submitted proposals are reviewed.")
                    % {**what, "status": proposal.get_status_display()}
                )
        if problems:
            raise ValidationError({"proposals": problems})
        to = Status.APPROVED if action == "approve" else Status.RETURNED
        done = [_move(proposal, to, by=by, reason=reason if to == Status.RETURNED else "") for proposal in locked]
        proposals_moved_notify(proposals=done, to=to, reason=reason)
    return done


def decision_record(
    *,
    council: Council,
    number: str,
    date: date,
    signer: str,
    proposals: Sequence[Proposal],
    by: User | None,
) -> Decision:
    """Record a decision (quyết định khen thưởng) deciding many approved proposals at once.

    Eligibility is checked again: a proposal that requires another award of the same year (the
    Government's flag after the province's) is decided only once that award is decided, or by this same
    decision.
    """
    number = nfc(number)
    errors: dict[str, list[str]] = {}
    if not number:
        errors.setdefault("number", []).append(_("Give the decision's number, e.g. 123/QĐ-UBND."))
    if date is None:
        errors.setdefault("date", []).append(_("Give the decision's date."))
    if not proposals:
        errors.setdefault("proposals", []).append(_("Choose the approved proposals the decision covers."))
    if number and date and Decision.objects.filter(council=council, number=number, date__year=date.year).exists():
        errors.setdefault("number", []).append(
            _("Decision %(number)s of %(year)s is already recorded.") % {"number": number, "year": date.year}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposals = _locked(proposals)
        problems = []
        for proposal in proposals:
            what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
            if proposal.council_id != council.pk:
                problems.append(_("%(recipient)s (%(type)s) belongs to another council.") % what)
            elif proposal.status != Status.APPROVED:
                problems.append(
                    _("%(recipient)s (%(type)s) is “%(status)s”; only approved proposals are decided.")
                    % {**what, "status": proposal.get_status_display()}
                )
        if not problems:
            problems = _batch_findings(
                proposals, phase=Phase.DECIDE, stops=lambda f: f.kind == AwardRule.Kind.ELIGIBILITY and f.is_blocking
            )
        if problems:
            raise ValidationError({"proposals": problems})
        decision = Decision(council=council, number=number, date=date, signer=signer or "", created_by=by)
        decision.full_clean()
        with_history_user(decision, by)
        with unique_errors(Decision, {"award_decision_unique": ("number", _decision_taken(number, date))}):
            decision.save()
        for proposal in proposals:
            _move(proposal, Status.DECIDED, by=by, decision=decision)
        proposals_moved_notify(proposals=proposals, to=Status.DECIDED, decision=decision)
    return decision


def _decision_taken(number: str, on: date | None) -> str:
    if on is None:
        return _("Decision %(number)s is already recorded.") % {"number": number}
    return _("Decision %(number)s of %(year)s is already recorded.") % {"number": number, "year": on.year}


def decision_correct(
    *,
    decision: Decision,
    reason: str,
    by: User | None,
    number: str | None = None,
    date: date | None = None,
    signer: str | None = None,
) -> Decision:
    """Correct a decision's number, date or signer. The correction and its reason are recorded; the old
    values stay readable in the corrections and the history."""
    reason = _require_reason(reason)
    wanted = {
        "number": nfc(number) if number is not None else None,
        "date": date,
        "signer": nfc(signer) if signer is not None else None,
    }
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        changes = []
        for field, value in wanted.items():
            if value is None or value == getattr(decision, field):
                continue
            changes.append([field, _plain(getattr(decision, field)), _plain(value)])
            setattr(decision, field, value)
        if not changes:
            raise ValidationError(_("Nothing to correct: the values are those recorded."))
        # A decision recorded in the portal has both; one decided outside may keep either unknown.
        if not decision.external and not decision.number:
            raise ValidationError({"number": _("Give the decision's number, e.g. 123/QĐ-UBND.")})
        if not decision.external and decision.date is None:
            raise ValidationError({"date": _("Give the decision's date.")})
        clash = (
            bool(decision.number)
            and decision.date is not None
            and Decision.objects.filter(
                council=decision.council_id, number=decision.number, date__year=decision.date.year
            )
            .exclude(pk=decision.pk)
            .exists()
        )
        if clash:
            raise ValidationError(
                {
                    "number": _("Decision %(number)s of %(year)s is already recorded.")
                    % {"number": decision.number, "year": decision.date.year}
                }
            )
        with_history_user(decision, by)
        # The whole reason is kept on the DecisionCorrection below; the history row's label shows its start.
        decision._change_reason = reason[:100]
        with unique_errors(
            Decision, {"award_decision_unique": ("number", _decision_taken(decision.number, decision.date))}
        ):
            decision.save()
        DecisionCorrection.objects.create(decision=decision, changes=changes, reason=reason, by=by)
    return decision


def _batch_findings(proposals: Sequence[Proposal], *, phase: Phase, stops: Callable[[RuleFinding], bool]) -> list[str]:
    """The rule findings that stop a batch of proposals (checked together), as "recipient (type): message"."""
    findings = proposals_check(proposals=proposals, phase=phase, batch=proposals)
    return [
        f"{proposal.recipient_name} ({proposal.award_type.name}): {finding.message}"
        for proposal in proposals
        for finding in findings[proposal.pk]
        if stops(finding)
    ]


def _plain(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def bloc_award_decide(
    *, proposals: Sequence[Proposal], conference_date: date, by: User | None, meeting_ref: str = ""
) -> list[Proposal]:
    """The bloc's own awards (its exemplary collectives and individuals), decided at its conference.

    Draft → decided directly, with the conference's date (and, from the meetings app, a reference to the
    meeting); no Board review. The rules still apply: a blocking finding, or a warning without a reason,
    refuses the whole batch.
    """
    if conference_date is None:
        raise ValidationError({"conference_date": _("Give the date of the conference that decided it.")})
    if not proposals:
        raise ValidationError(_("Choose the awards the conference decided."))
    with transaction.atomic():
        proposals = _locked(proposals)
        problems = []
        for proposal in proposals:
            what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
            if not proposal.award_type.is_bloc_issued:
                problems.append(
                    _("%(recipient)s (%(type)s): only the bloc's own awards are decided at the conference.") % what
                )
            elif proposal.status != Status.DRAFT:
                problems.append(
                    _("%(recipient)s (%(type)s) is “%(status)s”, not a draft.")
                    % {**what, "status": proposal.get_status_display()}
                )
        if not problems:
            problems = _batch_findings(proposals, phase=Phase.SUBMIT, stops=lambda f: f.prevents_submission)
        if problems:
            raise ValidationError(problems)
        for proposal in proposals:
            proposal.conference_date = conference_date
            proposal.meeting_ref = meeting_ref
            _move(proposal, Status.DECIDED, by=by)
        proposals_moved_notify(
            proposals=proposals, to=Status.DECIDED, conference_date_text=f"{conference_date:%d/%m/%Y}"
        )
    return proposals
