"""Proposals (đề nghị khen thưởng) while the bloc drafts them: the recipient (a unit, a collective
inside one, or a person), the tally, the achievement report, the written reasons for warnings."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.integrity import violated_unique
from blocs.models import Bloc, Unit, User
from blocs.text import fold, nfc, nfc_text
from documents.uploads import CheckedUpload, upload_check

from ..models import AwardType, Person, Proposal, ProposalEvent
from .states import Status


def person_get_or_create(*, unit: Unit, name: str, position: str = "", by: User | None = None) -> Person:
    """The person of ``unit`` with this name (compared without case or diacritics), or a new one.

    A different position given for a known person updates it (people are promoted); the history keeps
    the old one.
    """
    name = nfc(name)
    position = nfc(position)
    if not name:
        raise ValidationError({"person_name": _("Give the person's full name.")})
    with transaction.atomic():
        # People of one unit are created one at a time (the unit's row is the queue; NO KEY leaves rows that
        # point at the unit free to be written), so a double-submitted proposal names one person, not two.
        Unit.objects.select_for_update(no_key=True).filter(pk=unit.pk).first()
        person: Person | None = Person.objects.filter(unit=unit, search_text=fold(name)).order_by("pk").first()
        if person is None:
            person = Person(council_id=unit.council_id, unit=unit, name=name, position=position)
        elif position and person.position != position:
            person.position = position
        else:
            return person
        person.full_clean()
        with_history_user(person, by)
        person.save()
    return person


@dataclass(frozen=True)
class Tally:
    """The vote on a proposal (bình xét, suy tôn): counts of a secret ballot, or acclamation."""

    members_present: int | None = None
    ballots_cast: int | None = None
    votes_for: int | None = None
    acclamation: bool = False


def proposal_find(
    *,
    bloc: Bloc | None,
    year: int,
    award_type: AwardType,
    unit: Unit | None = None,
    collective_name: str = "",
    person: Person | None = None,
) -> Proposal | None:
    """The proposal of this recipient for this type in this bloc-year, if any (the natural key)."""
    qs = Proposal.objects.filter(bloc=bloc, year=year, award_type=award_type)
    if person is not None:
        qs = qs.filter(person=person)
    else:
        qs = qs.filter(unit=unit, person__isnull=True, collective_name=nfc(collective_name))
    return qs.first()


def proposal_save(
    *,
    bloc: Bloc,
    year: int,
    award_type: AwardType,
    unit: Unit | None = None,
    collective_name: str = "",
    person: Person | None = None,
    summary: str | None = None,
    award_reason: str | None = None,
    tally: Tally | None = None,
    achievement_report: UploadedFile | None = None,
    proposal: Proposal | None = None,
    new: bool = False,
    by: User | None,
) -> Proposal:
    """Create or update a proposal; never a duplicate, never a 500 for one.

    Without ``proposal`` it upserts by (bloc, year, award type, recipient): the meetings app calls it to
    record a conference's tallies, and a second call updates the first one's proposal. With ``new`` (the
    chair's "new proposal" form) an existing proposal of the recipient is refused with the field error
    instead of being overwritten by a form that never showed it. With ``proposal`` (the edit form) that
    proposal is changed, its recipient included. ``summary``, ``award_reason`` (lý do khen thưởng, e.g. a
    ranking), ``tally`` and ``achievement_report`` left as None keep what is stored. Only draft and
    returned proposals change.

    Two requests at once (a double click) both find no proposal; the database's one-per-recipient
    constraint refuses the second insert. That refusal, in a savepoint, ends like the sequential case: the
    upsert updates the proposal that won, the create form and the edit form get the field error.
    """
    collective_name = "" if person is not None else nfc(collective_name)
    checked = None
    if achievement_report is not None:
        try:
            checked = upload_check(achievement_report)
        except ValidationError as error:
            raise ValidationError({"achievement_report": error.messages}) from error
    write = dict(
        key=_ProposalKey(
            bloc=bloc, year=year, award_type=award_type, unit=unit, collective_name=collective_name, person=person
        ),
        summary=summary,
        award_reason=award_reason,
        tally=tally,
        achievement_report=achievement_report,
        checked=checked,
        by=by,
    )
    upsert = proposal is None and not new
    try:
        return _proposal_write(proposal=proposal, new=new, **write)
    except _ProposalClash as clash:
        if not upsert:
            raise _already_proposed(clash.existing, award_type, year) from clash
    # The upsert lost a race: the proposal that won is there now, and this write updates it.
    try:
        return _proposal_write(proposal=None, new=False, **write)
    except _ProposalClash as clash:
        raise _already_proposed(clash.existing, award_type, year) from clash


@dataclass(frozen=True)
class _ProposalKey:
    """What the one-proposal-per-recipient constraint compares: the bloc-year, the award type, the recipient."""

    bloc: Bloc
    year: int
    award_type: AwardType
    unit: Unit | None
    collective_name: str
    person: Person | None

    def find(self) -> Proposal | None:
        return proposal_find(
            bloc=self.bloc,
            year=self.year,
            award_type=self.award_type,
            unit=self.unit,
            collective_name=self.collective_name,
            person=self.person,
        )


class _ProposalClash(Exception):
    """Internal: another proposal of the same recipient, type and bloc-year is there (or won a race)."""

    def __init__(self, existing: Proposal | None):
        super().__init__()
        self.existing = existing


def _already_proposed(existing: Proposal | None, award_type: AwardType, year: int) -> ValidationError:
    recipient = existing.recipient_name if existing is not None else _("This recipient")
    return ValidationError(
        {
            "award_type": _("%(recipient)s is already proposed for %(type)s in %(year)s.")
            % {"recipient": recipient, "type": award_type.name, "year": year}
        },
        code="unique",
    )


def _proposal_write(
    *,
    key: _ProposalKey,
    summary: str | None,
    award_reason: str | None,
    tally: Tally | None,
    achievement_report: UploadedFile | None,
    checked: CheckedUpload | None,
    proposal: Proposal | None,
    new: bool,
    by: User | None,
) -> Proposal:
    """One attempt of ``proposal_save`` in its own atomic block; raises ``_ProposalClash`` for a duplicate."""
    with transaction.atomic():
        existing = key.find()
        if proposal is None and not new:
            proposal = existing
        elif existing is not None and (proposal is None or existing.pk != proposal.pk):
            raise _ProposalClash(existing)
        created = proposal is None
        proposal = _proposal_new(key.bloc, key.award_type, by) if created else _proposal_locked_editable(proposal)
        _proposal_assign(proposal, key, summary=summary, award_reason=award_reason, tally=tally)
        # The database's constraints hold the same; clean() says it in words, per field.
        proposal.full_clean(exclude=["achievement_report"], validate_constraints=False)
        if checked is not None:
            name = f"{key.award_type.code or 'de-nghi'}-{key.year}.{checked.extension}"
            proposal.achievement_report.save(name, achievement_report, save=False)
            proposal.achievement_report_sha256 = checked.sha256
        with_history_user(proposal, by)
        try:
            with transaction.atomic():  # a savepoint: a lost race keeps an outer transaction usable
                proposal.save()
        except Exception as error:
            # The storage is outside the transaction: do not leave an orphan file behind.
            if checked is not None:
                proposal.achievement_report.delete(save=False)
            if isinstance(error, IntegrityError) and violated_unique(Proposal, error) is not None:
                raise _ProposalClash(key.find()) from error
            raise
        if created:
            ProposalEvent.objects.create(proposal=proposal, from_status="", to_status=Status.DRAFT, by=by)
    return proposal


def _proposal_new(bloc: Bloc, award_type: AwardType, by: User | None) -> Proposal:
    if award_type.council_id != bloc.council_id:
        raise ValidationError({"award_type": _("The award type belongs to another council.")})
    if not award_type.active:
        raise ValidationError({"award_type": _("%(type)s is no longer in use.") % {"type": award_type.name}})
    return Proposal(council_id=bloc.council_id, created_by=by)


def _proposal_locked_editable(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_editable:
        raise ValidationError(
            _("This proposal is “%(status)s”: it can no longer be changed.") % {"status": proposal.get_status_display()}
        )
    return proposal


def _proposal_assign(
    proposal: Proposal, key: _ProposalKey, *, summary: str | None, award_reason: str | None, tally: Tally | None
) -> None:
    """Set the fields ``proposal_save`` was given; a text or tally passed as None stays as recorded."""
    proposal.bloc = key.bloc
    proposal.year = key.year
    proposal.award_type = key.award_type
    proposal.person = key.person
    proposal.unit = key.person.unit if key.person is not None else key.unit
    proposal.collective_name = key.collective_name
    if summary is not None:
        proposal.summary = summary
    if award_reason is not None:
        proposal.award_reason = award_reason
    if tally is not None:
        proposal.members_present = tally.members_present
        proposal.acclamation = tally.acclamation
        proposal.ballots_cast = None if tally.acclamation else tally.ballots_cast
        proposal.votes_for = None if tally.acclamation else tally.votes_for


def proposal_reason_set(*, proposal: Proposal, key: str, reason: str, by: User | None) -> Proposal:
    """Write (or clear, with an empty text) the reason for one warning of a proposal."""
    reason = nfc_text(reason)  # kept in a JSON column, which no text field normalises
    with transaction.atomic():
        proposal = _proposal_locked_editable(proposal)
        reasons = dict(proposal.warning_reasons or {})
        if reason:
            reasons[key] = reason
        else:
            reasons.pop(key, None)
        proposal.warning_reasons = reasons
        with_history_user(proposal, by)
        proposal.save(update_fields=["warning_reasons"])
    return proposal


def proposal_delete(*, proposal: Proposal, by: User | None) -> None:
    """Delete a draft that never went out (anything submitted once keeps its history)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Status.DRAFT or proposal.submission_id:
            raise ValidationError(_("Only a draft that was never submitted can be deleted."))
        with_history_user(proposal, by)
        proposal.delete()
