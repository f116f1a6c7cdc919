"""Changes of the awards app: keyword-only, typed, atomic, composable (an outer service — the meetings
app recording a conference — may wrap several in one ``transaction.atomic()``).

Permissions are the views' business (``blocs.access``); the services check the state of things and
refuse a change that breaks a rule with a ``ValidationError`` whose messages say what and why, changing
nothing.

Proposal states (DESIGN section 4)::

    draft ──submit──▶ submitted ──approve──▶ approved ──decide──▶ decided
      ▲                 │   ▲                   │
      └───(fix)── returned ─┘ (resubmit)        └──reject──▶ rejected ◀──reject── submitted
    draft ──decide at the conference──▶ decided            (bloc-issued awards only)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.integrity import unique_errors, violated_unique
from blocs.models import Bloc, Council, Unit, User
from blocs.text import fold, nfc, nfc_text
from documents.uploads import upload_check

from . import registry
from .catalogue import STANDARD_CATALOGUE
from .models import (
    AwardRule,
    AwardType,
    Decision,
    DecisionCorrection,
    Person,
    Proposal,
    ProposalEvent,
    Registration,
    Submission,
    SubmissionDeadline,
)
from .rules import Phase, proposals_check

Status = Proposal.Status
# One proposal per recipient, award type and bloc-year (or year, without a bloc): the constraints a save
# can hit when two requests record the same award at once.
_PROPOSAL_UNIQUE = [c for c in Proposal._meta.constraints if isinstance(c, UniqueConstraint)]

# The moves of DESIGN section 4; anything else is refused.
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


def _by(instance, by: User | None) -> None:
    """Name the user in the history entry (django-simple-history reads it outside requests too)."""
    if by is not None:
        instance._history_user = by


# ------------------------------------------------------------------------------------------------------
# Catalogue, rules, deadlines
# ------------------------------------------------------------------------------------------------------


def award_catalogue_install(*, council: Council) -> list[AwardType]:
    """Copy the standard catalogue to ``council``: the types it lacks (by code). Returns those created.

    Called when a council is created (``awards.apps``) and by migration for older councils; running it
    again adds nothing, and types an officer renamed or deactivated are left as they are.
    """
    existing = set(AwardType.objects.filter(council=council).values_list("code", flat=True))
    names = set(AwardType.objects.filter(council=council).values_list("name", flat=True))
    created = []
    with transaction.atomic():
        for order, standard in enumerate(STANDARD_CATALOGUE, start=1):
            if standard.code in existing or standard.name in names:
                continue
            created.append(
                AwardType.objects.create(
                    council=council,
                    code=standard.code,
                    name=standard.name,
                    recipient_kind=standard.recipient_kind,
                    level=standard.level,
                    authority=standard.authority,
                    order=order * 10,
                )
            )
    return created


def award_type_save(*, award_type: AwardType, by: User | None = None) -> AwardType:
    """Add or change an award type; a new one gets a code from its name (unique in the council)."""
    if not award_type.code:
        base = fold(award_type.name).replace(" ", "-")[:50] or "hinh-thuc"
        taken = set(
            AwardType.objects.filter(council=award_type.council, code__startswith=base).values_list("code", flat=True)
        )
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}-{n}"
        award_type.code = code
    award_type.full_clean()
    _by(award_type, by)
    # Two officers saving the same name at once both pass full_clean(); the database refuses the second.
    name_taken = ("name", _("The council already has an award type with this name."))
    with unique_errors(
        AwardType, {"award_type_name_unique_per_council": name_taken, "award_type_code_unique_per_council": name_taken}
    ):
        award_type.save()
    return award_type


def award_rule_save(*, rule: AwardRule, by: User | None = None) -> AwardRule:
    """Add or change a rule after checking it is complete for its kind (the constraints say the same)."""
    # Fields of the other kinds are cleared, so a rule never carries a stale threshold or quota.
    if rule.kind != AwardRule.Kind.THRESHOLD:
        rule.threshold_numerator = rule.threshold_denominator = None
        rule.threshold_strict = False
        rule.base = ""
        rule.acclamation_counts = True
    if rule.kind != AwardRule.Kind.QUOTA:
        rule.quota_number = rule.quota_percent = None
    if rule.kind != AwardRule.Kind.ELIGIBILITY:
        rule.requires_type = None
    rule.full_clean()
    _by(rule, by)
    with transaction.atomic():
        rule.save()
    return rule


def award_rule_delete(*, rule: AwardRule, by: User | None = None) -> None:
    _by(rule, by)
    with transaction.atomic():
        rule.delete()


def deadline_set(
    *, council: Council, year: int, deadline: date, note: str = "", by: User | None = None
) -> SubmissionDeadline:
    """Set (or move) the day the council's blocs must submit their proposals for ``year``."""
    with transaction.atomic():
        # Writers of one council's deadlines queue on the council's row: the first of two saves at once
        # creates the deadline and the second changes it (the last write wins), rather than failing.
        Council.objects.select_for_update(no_key=True).filter(pk=council.pk).first()
        item = SubmissionDeadline.objects.select_for_update().filter(council=council, year=year).first()
        if item is None:
            item = SubmissionDeadline(council=council, year=year)
        item.deadline = deadline
        item.note = note or ""
        item.full_clean(validate_unique=False)
        _by(item, by)
        item.save()
    return item


# ------------------------------------------------------------------------------------------------------
# Registrations (đăng ký thi đua)
# ------------------------------------------------------------------------------------------------------


def registration_add(
    *, bloc: Bloc, year: int, unit: Unit, award_type: AwardType, note: str = "", by: User | None
) -> Registration:
    """A member unit registers a target title for a bloc-year.

    Registering what is already registered with the same note (a double click, a second tab) is the
    registration there is: it is returned and nothing is written. With another note it is refused with
    the field error, so the note typed is not silently dropped. Two requests at once end the same way:
    the database's constraint refuses the second insert, and the registration that won is looked at.
    """
    note = nfc(note)
    errors: dict[str, list[str]] = {}
    if award_type.council_id != bloc.council_id:
        errors.setdefault("award_type", []).append(_("The award type belongs to another council."))
    elif not award_type.active:
        errors.setdefault("award_type", []).append(_("%(type)s is no longer in use.") % {"type": award_type.name})
    if not bloc.memberships.covering(year).filter(unit=unit).exists():
        errors.setdefault("unit", []).append(
            _("%(unit)s is not a member of the bloc in %(year)s.") % {"unit": unit.name, "year": year}
        )
    if errors:
        raise ValidationError(errors)
    existing = registration_find(bloc=bloc, year=year, unit=unit, award_type=award_type)
    if existing is not None:
        return _registration_same(existing, note)
    registration = Registration(bloc=bloc, year=year, unit=unit, award_type=award_type, note=note, created_by=by)
    _by(registration, by)
    try:
        with transaction.atomic():  # a savepoint: a lost race keeps an outer transaction usable
            registration.save()
    except IntegrityError as error:
        if violated_unique(Registration, error) != "award_registration_once":
            raise
        return _registration_same(registration_find(bloc=bloc, year=year, unit=unit, award_type=award_type), note)
    return registration


def registration_find(*, bloc: Bloc, year: int, unit: Unit, award_type: AwardType) -> Registration | None:
    """The unit's registration of this title for the bloc-year, if any (the natural key)."""
    return Registration.objects.filter(bloc=bloc, year=year, unit=unit, award_type=award_type).first()


def _registration_same(existing: Registration, note: str) -> Registration:
    """The registration already there, if registering again means the same; a field error otherwise."""
    if existing.note == note:
        return existing
    raise ValidationError(
        {
            "award_type": [
                _("%(unit)s has already registered for %(type)s in %(year)s.")
                % {"unit": existing.unit.name, "type": existing.award_type.name, "year": existing.year}
            ]
        },
        code="unique",
    )


def registration_remove(*, registration: Registration, by: User | None) -> None:
    _by(registration, by)
    with transaction.atomic():
        registration.delete()


# ------------------------------------------------------------------------------------------------------
# People and proposals
# ------------------------------------------------------------------------------------------------------


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
        person = Person.objects.filter(unit=unit, search_text=fold(name)).order_by("pk").first()
        if person is None:
            person = Person(council_id=unit.council_id, unit=unit, name=name, position=position)
        elif position and person.position != position:
            person.position = position
        else:
            return person
        person.full_clean()
        _by(person, by)
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
        bloc=bloc,
        year=year,
        award_type=award_type,
        person=person,
        unit=unit,
        collective_name=collective_name,
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
    bloc: Bloc,
    year: int,
    award_type: AwardType,
    unit: Unit | None,
    collective_name: str,
    person: Person | None,
    summary: str | None,
    award_reason: str | None,
    tally: Tally | None,
    achievement_report: UploadedFile | None,
    checked,
    proposal: Proposal | None,
    new: bool,
    by: User | None,
) -> Proposal:
    """One attempt of ``proposal_save`` in its own atomic block; raises ``_ProposalClash`` for a duplicate."""
    with transaction.atomic():
        existing = proposal_find(
            bloc=bloc, year=year, award_type=award_type, unit=unit, collective_name=collective_name, person=person
        )
        if proposal is None and not new:
            proposal = existing
        elif existing is not None and (proposal is None or existing.pk != proposal.pk):
            raise _ProposalClash(existing)
        created = proposal is None
        if created:
            if award_type.council_id != bloc.council_id:
                raise ValidationError({"award_type": _("The award type belongs to another council.")})
            if not award_type.active:
                raise ValidationError({"award_type": _("%(type)s is no longer in use.") % {"type": award_type.name}})
            proposal = Proposal(council_id=bloc.council_id, created_by=by)
        else:
            proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if not proposal.is_editable:
                raise ValidationError(
                    _("This proposal is “%(status)s”: it can no longer be changed.")
                    % {"status": proposal.get_status_display()}
                )
        proposal.bloc = bloc
        proposal.year = year
        proposal.award_type = award_type
        proposal.person = person
        proposal.unit = person.unit if person is not None else unit
        proposal.collective_name = collective_name
        if summary is not None:
            proposal.summary = summary
        if award_reason is not None:
            proposal.award_reason = award_reason
        if tally is not None:
            proposal.members_present = tally.members_present
            proposal.acclamation = tally.acclamation
            proposal.ballots_cast = None if tally.acclamation else tally.ballots_cast
            proposal.votes_for = None if tally.acclamation else tally.votes_for
        # The database's constraints hold the same; clean() says it in words, per field.
        proposal.full_clean(exclude=["achievement_report"], validate_constraints=False)
        if checked is not None:
            name = f"{award_type.code or 'de-nghi'}-{year}.{checked.extension}"
            proposal.achievement_report.save(name, achievement_report, save=False)
            proposal.achievement_report_sha256 = checked.sha256
        _by(proposal, by)
        try:
            with transaction.atomic():  # a savepoint: a lost race keeps an outer transaction usable
                proposal.save()
        except Exception as error:
            # The storage is outside the transaction: do not leave an orphan file behind.
            if checked is not None:
                proposal.achievement_report.delete(save=False)
            if isinstance(error, IntegrityError) and violated_unique(Proposal, error) is not None:
                raise _ProposalClash(
                    proposal_find(
                        bloc=bloc,
                        year=year,
                        award_type=award_type,
                        unit=unit,
                        collective_name=collective_name,
                        person=person,
                    )
                ) from error
            raise
        if created:
            ProposalEvent.objects.create(proposal=proposal, from_status="", to_status=Status.DRAFT, by=by)
    return proposal


def proposal_reason_set(*, proposal: Proposal, key: str, reason: str, by: User | None) -> Proposal:
    """Write (or clear, with an empty text) the reason for one warning of a proposal."""
    reason = nfc_text(reason)  # kept in a JSON column, which no text field normalises
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_editable:
            raise ValidationError(
                _("This proposal is “%(status)s”: it can no longer be changed.")
                % {"status": proposal.get_status_display()}
            )
        reasons = dict(proposal.warning_reasons or {})
        if reason:
            reasons[key] = reason
        else:
            reasons.pop(key, None)
        proposal.warning_reasons = reasons
        _by(proposal, by)
        proposal.save(update_fields=["warning_reasons"])
    return proposal


def proposal_delete(*, proposal: Proposal, by: User | None) -> None:
    """Delete a draft that never went out (anything submitted once keeps its history)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Status.DRAFT or proposal.submission_id:
            raise ValidationError(_("Only a draft that was never submitted can be deleted."))
        _by(proposal, by)
        proposal.delete()


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
    _by(proposal, by)
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


# Dossier and submission ---------------------------------------------------------------------------


def dossier_check(*, bloc: Bloc, year: int, proposals: Sequence[Proposal]) -> list[str]:
    """What the submission's dossier lacks: each proposal's tally and achievement report, then what the
    checks other apps registered (``awards.registry``) report. Empty: the dossier is complete."""
    problems = []
    unexplained = _tally_warnings_unexplained(proposals)
    for proposal in proposals:
        what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
        if _tally_not_recorded(proposal):
            # Unknown is a valid answer (DESIGN 1a): refused only while a vote-threshold rule, which it cannot
            # meet or fail, waits for the written reason.
            if proposal.pk in unexplained:
                problems.append(
                    _(
                        "%(recipient)s (%(type)s): the tally was not recorded: enter the counts or the acclamation, "
                        "or write on its vote-threshold warning why they are unknown."
                    )
                    % what
                )
        elif not proposal.has_tally:
            problems.append(
                _("%(recipient)s (%(type)s): the tally is missing (votes for and ballots cast, or acclamation).") % what
            )
        if not proposal.achievement_report:
            problems.append(_("%(recipient)s (%(type)s): the achievement report is not attached.") % what)
    for check in registry.dossier_checks:
        problems.extend(str(problem) for problem in check(bloc=bloc, year=year, proposals=list(proposals)))
    return problems


def _tally_not_recorded(proposal: Proposal) -> bool:
    """No counts and no acclamation: the record does not say how the conference voted."""
    return not proposal.acclamation and proposal.votes_for is None and proposal.ballots_cast is None


def _tally_warnings_unexplained(proposals: Sequence[Proposal]) -> set[int]:
    """The proposals whose tally was not recorded and whose vote-threshold warning has no reason yet."""
    unknown = [p for p in proposals if p.pk and _tally_not_recorded(p)]
    if not unknown:
        return set()
    findings = proposals_check(proposals=unknown, phase=Phase.SUBMIT, batch=proposals)
    return {
        p.pk for p in unknown if any(f.kind == AwardRule.Kind.THRESHOLD and not f.has_reason for f in findings[p.pk])
    }


def submission_problems(*, bloc: Bloc, year: int, proposals: Sequence[Proposal]) -> list[str]:
    """Everything that stops these proposals going out together (empty: they can be submitted)."""
    problems: list[str] = []
    if not proposals:
        return [_("Choose the proposals to submit.")]
    for proposal in proposals:
        what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
        if proposal.bloc_id != bloc.pk or proposal.year != year:
            problems.append(_("%(recipient)s (%(type)s) belongs to another bloc-year.") % what)
        elif proposal.award_type.is_bloc_issued:
            problems.append(
                _(
                    "%(recipient)s (%(type)s) is an award of the bloc itself: it is decided at the conference, "
                    "not submitted."
                )
                % what
            )
        elif not proposal.is_editable:
            problems.append(
                _("%(recipient)s (%(type)s) is “%(status)s” and cannot be submitted.")
                % {**what, "status": proposal.get_status_display()}
            )
    if problems:
        return problems
    problems.extend(dossier_check(bloc=bloc, year=year, proposals=proposals))
    findings = proposals_check(proposals=proposals, phase=Phase.SUBMIT, batch=proposals)
    for proposal in proposals:
        for finding in findings[proposal.pk]:
            if finding.is_blocking:
                problems.append(f"{proposal.recipient_name} ({proposal.award_type.name}): {finding.message}")
            elif finding.kind == AwardRule.Kind.THRESHOLD and _tally_not_recorded(proposal):
                continue  # the dossier check said it, with what to do
            elif not finding.has_reason:
                problems.append(
                    _("%(recipient)s (%(type)s): a warning needs a written reason: %(message)s")
                    % {
                        "recipient": proposal.recipient_name,
                        "type": proposal.award_type.name,
                        "message": finding.message,
                    }
                )
    return problems


def submission_create(
    *, bloc: Bloc, year: int, proposals: Sequence[Proposal], by: User | None, on: date | None = None
) -> Submission:
    """Submit a bloc-year's proposals as one batch (tờ trình); later batches are supplementary.

    Refused, with every problem listed, if a proposal is not draft or returned, the dossier is incomplete,
    a rule blocks, or a warning has no reason. The cover letter is issued afterwards
    (``submission_cover_issue``): rendering never happens inside this transaction.
    """
    with transaction.atomic():
        # Submissions of one bloc queue on the bloc's row (then lock their proposals), so two batches sent
        # at once get sequences 1 and 2 instead of one failing on the sequence's constraint, and a double
        # click finds its proposals submitted already.
        Bloc.objects.select_for_update(no_key=True).filter(pk=bloc.pk).first()
        proposals = _locked(proposals)
        problems = submission_problems(bloc=bloc, year=year, proposals=proposals)
        if problems:
            raise ValidationError(problems)
        last = Submission.objects.filter(bloc=bloc, year=year).aggregate(last=Max("sequence"))["last"] or 0
        submission = Submission(
            bloc=bloc, year=year, sequence=last + 1, submitted_on=on or timezone.localdate(), created_by=by
        )
        _by(submission, by)
        submission.save()
        for proposal in proposals:
            _move(proposal, Status.SUBMITTED, by=by, submission=submission)
    return submission


proposal_submit_batch = submission_create  # the name the issue uses


class CoverLetterUnavailable(Exception):
    """The cover letter could not be issued now: its render failed (kept on the submission) or another
    request is issuing it at this moment."""


def submission_cover_issue(*, submission: Submission, by: User | None):
    """Issue the submission's cover letter (Số: 01/TTr-KTĐ6) as a PDF, once; returns the IssuedDocument.

    Through ``documents.services.document_issue_once``, like every numbered document: a double click, or
    the submit page and the "issue" button at once, never take two numbers. Call it after the submission
    is committed (DESIGN section 6), outside a transaction: a render failure raises
    ``CoverLetterUnavailable``, is kept in ``pdf_error`` and leaves the submission as it was, to issue again.
    """
    from documents.services import DocumentSpec, document_issue_once, issuer_key

    from .printing import COVER_LETTER_TEMPLATE, COVER_LETTER_TYPE, cover_letter_context, cover_letter_subject_key

    if submission.document_id:
        return submission.document

    def spec() -> DocumentSpec:
        from documents.render import render_pdf

        context = cover_letter_context(submission=submission)
        return DocumentSpec(
            issuer=issuer_key("bloc", submission.bloc_id),
            issuer_code=submission.bloc.code,
            doc_type=COVER_LETTER_TYPE,
            year=submission.submitted_on.year,  # numbers count per calendar year of issue
            title=context["title"],
            subject_key=cover_letter_subject_key(submission),
            render=lambda number_text: render_pdf(COVER_LETTER_TEMPLATE, {**context, "number_text": number_text}),
        )

    return document_issue_once(holder=submission, spec=spec, by=by, unavailable=CoverLetterUnavailable)


# Review -------------------------------------------------------------------------------------------


def proposal_return(*, proposal: Proposal, reason: str, by: User | None) -> Proposal:
    """The Board returns a submitted proposal to the bloc with a reason; the chair fixes and resubmits."""
    reason = _require_reason(reason)
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        return _move(proposal, Status.RETURNED, by=by, reason=reason)


def proposal_approve(*, proposal: Proposal, by: User | None) -> Proposal:
    """The Board finds the dossier in order; the proposal waits for a decision."""
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        return _move(proposal, Status.APPROVED, by=by)


def proposal_reject(*, proposal: Proposal, reason: str, by: User | None) -> Proposal:
    """The Board (or the decision-maker) turns a submitted or approved proposal down, with a reason."""
    reason = _require_reason(reason)
    with transaction.atomic():
        (proposal,) = _locked([proposal])
        return _move(proposal, Status.REJECTED, by=by, reason=reason)


# Decisions ----------------------------------------------------------------------------------------


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
            findings = proposals_check(proposals=proposals, phase=Phase.DECIDE, batch=proposals)
            for proposal in proposals:
                problems.extend(
                    f"{proposal.recipient_name} ({proposal.award_type.name}): {f.message}"
                    for f in findings[proposal.pk]
                    if f.kind == AwardRule.Kind.ELIGIBILITY and f.is_blocking
                )
        if problems:
            raise ValidationError({"proposals": problems})
        decision = Decision(council=council, number=number, date=date, signer=signer or "", created_by=by)
        decision.full_clean()
        _by(decision, by)
        with unique_errors(Decision, {"award_decision_unique": ("number", _decision_taken(number, date))}):
            decision.save()
        for proposal in proposals:
            _move(proposal, Status.DECIDED, by=by, decision=decision)
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
        _by(decision, by)
        # The whole reason is kept on the DecisionCorrection below; the history row's label shows its start.
        decision._change_reason = reason[:100]
        with unique_errors(
            Decision, {"award_decision_unique": ("number", _decision_taken(decision.number, decision.date))}
        ):
            decision.save()
        DecisionCorrection.objects.create(decision=decision, changes=changes, reason=reason, by=by)
    return decision


def _plain(value) -> str:
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
            findings = proposals_check(proposals=proposals, phase=Phase.SUBMIT, batch=proposals)
            for proposal in proposals:
                for finding in findings[proposal.pk]:
                    if finding.prevents_submission:
                        problems.append(f"{proposal.recipient_name} ({proposal.award_type.name}): {finding.message}")
        if problems:
            raise ValidationError(problems)
        for proposal in proposals:
            proposal.conference_date = conference_date
            proposal.meeting_ref = meeting_ref
            _move(proposal, Status.DECIDED, by=by)
    return proposals


# Awards decided outside the portal ----------------------------------------------------------------


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
    authority and the year; DESIGN section 1a: unknown is stored empty and shown as unknown, never
    invented) — or, for the bloc's own awards, by the bloc's conference on its date. A decision of known
    number is shared: a second award of "123/QĐ-UBND" of the same day (or of the same unknown day) joins
    it. A decision of unknown number identifies nothing, so each such award gets its own.
    """
    collective_name = "" if person is not None else nfc(collective_name)
    decision_number = nfc(decision_number)
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
    with transaction.atomic():
        decision = None
        if not award_type.is_bloc_issued:
            decision = None
            if decision_number:
                decision = _decision_named(council, decision_number, decision_date)
            if decision is None:
                decision = Decision(
                    council=council,
                    number=decision_number,
                    date=decision_date,
                    signer=signer or "",
                    external=True,
                    created_by=by,
                )
                _by(decision, by)
                try:
                    with transaction.atomic():  # a savepoint: another entry may record this decision now
                        decision.save()
                except IntegrityError as error:
                    if violated_unique(Decision, error) != "award_decision_unique":
                        raise
                    # Entered at the same moment by another request: join it, as the docstring says.
                    decision = _decision_named(council, decision_number, decision_date)
        proposal = Proposal(
            council=council,
            bloc=bloc,
            year=year,
            award_type=award_type,
            unit=target_unit,
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
        _by(proposal, by)
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


def _decision_named(council: Council, number: str, on: date | None) -> Decision | None:
    """The recorded decision of this number and date (an unknown date matches an unknown date only)."""
    decisions = Decision.objects.filter(council=council, number=number)
    decisions = decisions.filter(date__isnull=True) if on is None else decisions.filter(date=on)
    return decisions.first()
