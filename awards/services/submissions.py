"""Submissions (tờ trình): the dossier check, the batch sent to the Board, its numbered cover letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.history import with_history_user
from blocs.models import Bloc, User
from documents import render  # the module, so a test can make its render_pdf fail (content_pdf calls it)
from documents.models import IssuedDocument
from documents.services import DocumentSpec, document_issue_once, issuer_key, number_text_peek

from .. import registry
from ..models import AwardRule, Proposal, Submission
from ..printing import COVER_LETTER_TYPE, cover_letter_content, cover_letter_subject_key, cover_letter_title
from ..rules import Phase, proposals_check
from .notices import submission_received_notify
from .states import Status, _locked, _move


def dossier_check(*, bloc: Bloc, year: int, proposals: Sequence[Proposal]) -> list[str]:
    """What the submission's dossier lacks: each proposal's tally and achievement report, then what the
    checks other apps registered (``awards.registry``) report. Empty: the dossier is complete."""
    problems = []
    unexplained = _tally_warnings_unexplained(proposals)
    for proposal in proposals:
        what = {"recipient": proposal.recipient_name, "type": proposal.award_type.name}
        if _tally_not_recorded(proposal):
            # Unknown is a valid answer (a tally the record does not give stays unknown): refused only while
            # a vote-threshold rule, which it cannot meet or fail, waits for the written reason.
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
        with_history_user(submission, by)
        submission.save()
        for proposal in proposals:
            _move(proposal, Status.SUBMITTED, by=by, submission=submission)
        submission_received_notify(submission=submission, proposals=proposals)
    return submission


def submission_draft(*, bloc: Bloc, year: int, on: date | None = None) -> Submission:
    """The submission the bloc-year's next batch would be, not saved: what the submit step previews
    (its draft cover letter, "Số: …/TTr-KTĐ6"). Nothing is written and no number is taken."""
    last = Submission.objects.filter(bloc=bloc, year=year).aggregate(last=Max("sequence"))["last"] or 0
    return Submission(bloc=bloc, year=year, sequence=last + 1, submitted_on=on or timezone.localdate())


class CoverLetterUnavailable(Exception):
    """The cover letter could not be issued now: its render failed (kept on the submission) or another
    request is issuing it at this moment."""


def _cover_register(submission: Submission) -> dict[str, Any]:
    """The register of a bloc's cover letters (TTr), of the calendar year the submission was made."""
    return {
        "issuer": issuer_key("bloc", submission.bloc_id),
        "issuer_code": submission.bloc.code,
        "doc_type": COVER_LETTER_TYPE,
        "year": submission.submitted_on.year,  # numbers count per calendar year of issue
    }


def submission_cover_number_peek(*, submission: Submission) -> str:
    """ "03/TTr-KTĐ6": the number ``submission_cover_issue`` would issue the cover letter with now, in the
    same register; nothing is taken."""
    return number_text_peek(**_cover_register(submission))


def submission_cover_issue(*, submission: Submission, by: User | None) -> IssuedDocument:
    """Issue the submission's cover letter (Số: 01/TTr-KTĐ6) as a PDF, once; returns the IssuedDocument.

    Through ``documents.services.document_issue_once``, like every numbered document: a double click, or
    the submit page and the "issue" button at once, never take two numbers. Call it after the submission
    is committed, outside a transaction (a render takes a second and must not hold the submission's
    locks): a render failure raises ``CoverLetterUnavailable``, is kept in ``pdf_error`` and leaves the
    submission as it was, to issue again.
    """
    if submission.document_id:
        return submission.document

    def spec() -> DocumentSpec:
        content = cover_letter_content(submission=submission)
        return DocumentSpec(
            **_cover_register(submission),
            title=cover_letter_title(submission),
            subject_key=cover_letter_subject_key(submission),
            render=lambda number_text: render.content_pdf(content, number_text=number_text),
        )

    return document_issue_once(holder=submission, spec=spec, by=by, unavailable=CoverLetterUnavailable)
