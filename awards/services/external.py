"""Awards decided outside the portal (an earlier year, another channel), recorded as decided so that
award history and the eligibility rules read one table."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.integrity import unique_errors, violated_unique
from blocs.models import Bloc, Council, Unit, User
from blocs.text import nfc

from ..models import AwardType, Decision, Person, Proposal, ProposalEvent
from .proposals import proposal_find
from .states import _PROPOSAL_UNIQUE, Status


def award_enter_external(
    *,
    council: Council,
    award_type: AwardType,
    year: int,
    unit: Unit | None = None,
    collective_name: str = "",
    person: Person | None = None,
    bloc: Bloc | None = None,
    decision_number: str = "",
    decision_date: date | None = None,
    signer: str = "",
    conference_date: date | None = None,
    summary: str = "",
    award_reason: str = "",
    by: User | None,
) -> Proposal:
    """Record an award decided outside the portal (an earlier year, another channel) as decided.

    It is decided by a decision — whose number and date may each be unknown (an article names only the
    authority and the year: unknown is stored empty and shown as unknown, never invented) — or, for the
    bloc's own awards, by the bloc's conference on its date. A decision of known number is shared: a second
    award of "123/QĐ-UBND" of the same day (or of the same unknown day) joins it. A decision of unknown
    number identifies nothing, so each such award gets its own.
    """
    collective_name = "" if person is not None else nfc(collective_name)
    decision_number = nfc(decision_number)
    _external_check(
        council=council, award_type=award_type, bloc=bloc, person=person, unit=unit, conference_date=conference_date
    )
    _external_not_recorded(
        bloc=bloc, year=year, award_type=award_type, unit=unit, collective_name=collective_name, person=person
    )
    with transaction.atomic():
        decision = None
        if not award_type.is_bloc_issued:
            decision = _external_decision(council, decision_number, decision_date, signer, by)
        proposal = Proposal(
            council=council,
            bloc=bloc,
            year=year,
            award_type=award_type,
            unit=person.unit if person is not None else unit,
            collective_name=collective_name,
            person=person,
            summary=summary or "",
            award_reason=award_reason or "",
            status=Status.DECIDED,
            source=Proposal.Source.EXTERNAL,
            decision=decision,
            conference_date=conference_date if award_type.is_bloc_issued else None,
            created_by=by,
        )
        proposal.full_clean(exclude=["achievement_report"], validate_constraints=False)
        with_history_user(proposal, by)
        recorded = (
            "award_type",
            _("%(recipient)s already has a record of %(type)s for %(year)s.")
            % {"recipient": proposal.recipient_name, "type": award_type.name, "year": year},
        )
        with unique_errors(Proposal, {constraint.name: recorded for constraint in _PROPOSAL_UNIQUE}):
            proposal.save()
        ProposalEvent.objects.create(
            proposal=proposal,
            from_status="",
            to_status=Status.DECIDED,
            by=by,
            decision=decision,
            reason=str(Proposal.Source.EXTERNAL.label),
        )
    return proposal


def _external_check(
    *,
    council: Council,
    award_type: AwardType,
    bloc: Bloc | None,
    person: Person | None,
    unit: Unit | None,
    conference_date: date | None,
) -> None:
    """Everything named belongs to the council; the bloc's own award has its bloc and conference date."""
    errors: dict[str, list[str]] = {}
    if award_type.council_id != council.pk:
        errors.setdefault("award_type", []).append(_("The award type belongs to another council."))
    if bloc is not None and bloc.council_id != council.pk:
        errors.setdefault("bloc", []).append(_("The bloc belongs to another council."))
    if award_type.is_bloc_issued:
        if bloc is None:
            errors.setdefault("bloc", []).append(_("An award of the bloc itself needs its bloc."))
        if conference_date is None:
            errors.setdefault("conference_date", []).append(_("Give the date of the conference that decided it."))
    target_unit = person.unit if person is not None else unit
    if target_unit is not None and target_unit.council_id != council.pk:
        errors.setdefault("unit", []).append(_("The unit belongs to another council."))
    if errors:
        raise ValidationError(errors)


def _external_not_recorded(
    *,
    bloc: Bloc | None,
    year: int,
    award_type: AwardType,
    unit: Unit | None,
    collective_name: str,
    person: Person | None,
) -> None:
    """Refuse a second record of the same award: a proposal of the bloc-year, or any decided one of the year."""
    duplicate = proposal_find(
        bloc=bloc, year=year, award_type=award_type, unit=unit, collective_name=collective_name, person=person
    )
    if duplicate is None:
        same = Proposal.objects.decided().filter(award_type=award_type, year=year)
        same = (
            same.filter(person=person)
            if person is not None
            else same.filter(unit=unit, person__isnull=True, collective_name=collective_name)
        )
        duplicate = same.first()
    if duplicate is not None:
        raise ValidationError(
            {
                "award_type": _("%(recipient)s already has a record of %(type)s for %(year)s (%(status)s).")
                % {
                    "recipient": duplicate.recipient_name,
                    "type": award_type.name,
                    "year": year,
                    "status": duplicate.get_status_display(),
                }
            }
        )


def _external_decision(council: Council, number: str, on: date | None, signer: str, by: User | None) -> Decision:
    """The decision of known number already recorded, joined; else a new one (a decision of unknown number
    identifies nothing, so each such award gets its own)."""
    decision = _decision_named(council, number, on) if number else None
    if decision is not None:
        return decision
    decision = Decision(council=council, number=number, date=on, signer=signer or "", external=True, created_by=by)
    with_history_user(decision, by)
    try:
        with transaction.atomic():  # a savepoint: another entry may record this decision now
            decision.save()
    except IntegrityError as error:
        if violated_unique(Decision, error) != "award_decision_unique":
            raise
        # Entered at the same moment by another request: join it.
        decision = _decision_named(council, number, on)
    return decision


def _decision_named(council: Council, number: str, on: date | None) -> Decision | None:
    """The recorded decision of this number and date (an unknown date matches an unknown date only)."""
    decisions = Decision.objects.filter(council=council, number=number)
    decisions = decisions.filter(date__isnull=True) if on is None else decisions.filter(date=on)
    return decisions.first()
