"""Submissions and their cover letters, and the bloc's own awards decided at its conference."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access
from blocs.models import Bloc, Deadline
from blocs.web import (
    DOCX_CONTENT_TYPE,
    Confirmation,
    attach_errors,
    confirm_page,
    confirmed,
    file_response,
    pdf_response,
)
from documents.docx import content_docx
from documents.render import content_pdf
from documents.services import number_format

from .. import forms, printing, selectors, services
from ..models import AwardType, Proposal, Submission
from .common import Status, _bloc_year, _with_findings

# The submit step's confirmation: a signed token of the bloc-year and the proposals whose draft cover
# letter the chair was shown, so that only a POST confirming that very batch submits it.
SUBMIT_CONFIRM_SALT = "awards.submission_confirm"
SUBMIT_CONFIRM_MAX_AGE = 12 * 60 * 60  # seconds: a confirmation page left open overnight is shown again


def submit_confirmation(bloc: Bloc, year: int, proposals: Iterable[Proposal]) -> str:
    """The token the confirm step posts back for these proposals (``submission_create``)."""
    return signing.dumps(
        {"bloc": bloc.pk, "year": year, "proposals": sorted(p.pk for p in proposals)}, salt=SUBMIT_CONFIRM_SALT
    )


def _confirmed(request, bloc: Bloc, year: int, proposals: list[Proposal]) -> bool:
    """The POST confirms the batch it carries, as previewed (a valid, recent token for exactly these)."""
    token = request.POST.get("confirm", "")
    if not token:
        return False
    try:
        value = signing.loads(token, salt=SUBMIT_CONFIRM_SALT, max_age=SUBMIT_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return False
    return value == {"bloc": bloc.pk, "year": year, "proposals": sorted(p.pk for p in proposals)}


@transaction.non_atomic_requests  # the cover letter is rendered after the submission is committed
def submission_create(request, pk: int, year: int):
    """Choose the ready proposals, check the dossier, preview the draft cover letter, then (on the
    confirming POST only) submit them and issue the numbered cover letter.

    Three steps on one URL: GET shows the choice; a POST of the choice checks it and shows the confirm
    step (the chosen proposals and a link to their draft cover letter, ``submission_preview_pdf``);
    a POST carrying the confirm step's token for the same proposals submits. Nothing is written before.
    """
    bloc = _bloc_year(request, pk, year, manage=True)
    queryset = selectors.submittable_proposals(bloc=bloc, year=year)
    form = forms.SubmitForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["proposals"])
        if _confirmed(request, bloc, year, chosen):
            try:
                submission = services.submission_create(bloc=bloc, year=year, proposals=chosen, by=request.user)
            except ValidationError as error:
                form.add_error(None, error.messages)  # on top: the problems are the whole dossier's
            else:
                messages.success(request, _("%(count)s proposals were submitted.") % {"count": len(chosen)})
                _issue_cover(request, submission)
                return redirect(submission)
        else:
            problems = services.submission_problems(bloc=bloc, year=year, proposals=chosen)
            if problems:
                form.add_error(None, problems)
            else:
                if request.POST.get("confirm"):
                    messages.warning(
                        request, _("The confirmation did not match the proposals: check the preview and confirm again.")
                    )
                return _confirm_page(request, bloc, year, chosen)
    candidates = _with_findings(list(queryset))
    problems = services.submission_problems(bloc=bloc, year=year, proposals=candidates) if candidates else []
    return render(
        request,
        "awards/submission_form.html",
        {"bloc": bloc, "year": year, "form": form, "candidates": candidates, "problems": problems},
    )


def _preview_submission(request, pk: int, year: int) -> tuple[Submission, list[Proposal]] | None:
    """The next submission of the bloc-year and the proposals of the query string that may go out with
    it; None without any (none chosen, or submitted meanwhile). For those who may submit."""
    bloc = _bloc_year(request, pk, year, manage=True)
    form = forms.SubmitForm(request.GET, queryset=selectors.submittable_proposals(bloc=bloc, year=year))
    if not form.is_valid():
        return None
    return services.submission_draft(bloc=bloc, year=year), list(form.cleaned_data["proposals"])


def _confirm_page(request, bloc: Bloc, year: int, chosen: list[Proposal]) -> HttpResponse:
    """The confirm step: the chosen proposals, links to their draft cover letter, the signed token."""
    query = "?" + urlencode([("proposals", p.pk) for p in chosen])
    return render(
        request,
        "awards/submission_confirm.html",
        {
            "bloc": bloc,
            "year": year,
            "proposals": chosen,
            "draft": services.submission_draft(bloc=bloc, year=year),
            "number_text": _draft_number(bloc),
            "preview_url": reverse("awards:submission_preview_pdf", args=[bloc.pk, year]) + query,
            "preview_docx_url": reverse("awards:submission_preview_docx", args=[bloc.pk, year]) + query,
            "confirm": submit_confirmation(bloc, year, chosen),
        },
    )


@require_safe
@transaction.non_atomic_requests
def submission_preview_pdf(request, pk: int, year: int):
    """The submit step's preview: the draft cover letter ("Số: …/TTr-KTĐ6", DỰ THẢO) of the proposals in
    the query string, as the next submission would print it. Writes nothing; for those who may submit.
    Without proposals that may go out (none chosen, or submitted meanwhile) it leads back to the choice."""
    preview = _preview_submission(request, pk, year)
    if preview is None:
        return redirect("awards:submission_create", pk, year)
    return _cover_file(preview[0], proposals=preview[1], ext="pdf")


@require_safe
@transaction.non_atomic_requests
def submission_preview_docx(request, pk: int, year: int):
    """The same draft cover letter as an editable Word file."""
    preview = _preview_submission(request, pk, year)
    if preview is None:
        return redirect("awards:submission_create", pk, year)
    return _cover_file(preview[0], proposals=preview[1], ext="docx")


def _draft_number(bloc: Bloc) -> str:
    return number_format(number=None, doc_type=printing.COVER_LETTER_TYPE, issuer_code=bloc.code)


def _cover_file(
    submission: Submission, *, proposals: list[Proposal] | None = None, ext: str, number_text: str = ""
) -> HttpResponse:
    """The cover letter of a submission (saved, or the next one with its ``proposals``) as PDF or Word:
    with the issued ``number_text``, or else the draft's "…/TTr-KTĐ6" and DỰ THẢO."""
    content = printing.cover_letter_content(submission=submission, proposals=proposals)
    draft = not number_text
    number_text = number_text or _draft_number(submission.bloc)
    name = printing.cover_letter_file_name(content, number_text, ext)
    if ext == "docx":
        data = content_docx(content, number_text=number_text, draft=draft)
        return file_response(data, content_type=DOCX_CONTENT_TYPE, filename=name, attachment=True)
    return pdf_response(content_pdf(content, number_text=number_text, draft=draft), filename=name)


def _issue_cover(request, submission: Submission) -> None:
    try:
        document = services.submission_cover_issue(submission=submission, by=request.user)
    except services.CoverLetterUnavailable:
        if submission.pdf_error:
            messages.error(
                request, _("The cover letter could not be rendered, so no number was taken. Issue it again below.")
            )
        else:  # another request (a double click) is issuing it right now
            messages.info(request, _("The cover letter is being issued right now; reload the page in a moment."))
    else:
        messages.success(
            request, _("The cover letter was issued as No. %(number)s.") % {"number": document.number_text}
        )


@require_safe
def submission_detail(request, pk: int):
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document", "created_by"), pk=pk)
    bloc = _bloc_year(request, submission.bloc_id, submission.year)
    proposals = list(
        Proposal.objects.filter(events__submission=submission)
        .distinct()
        .with_related()
        .order_by("award_type__order", "id")
    )
    deadline = Deadline.objects.effective(bloc, submission.year).get(Deadline.Kind.SUBMISSION)
    return render(
        request,
        "awards/submission_detail.html",
        {
            "submission": submission,
            "bloc": bloc,
            "proposals": proposals,
            "deadline": deadline,
            "late": bool(deadline and submission.submitted_on > deadline.due_on),
            "can_manage": access.can_manage_bloc_year(request.user, bloc, submission.year),
        },
    )


@require_safe
@transaction.non_atomic_requests
def submission_cover_pdf(request, pk: int):
    """The cover letter: the issued PDF once issued, a preview with "Số: …/TTr-KTĐ6" before."""
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document"), pk=pk)
    _bloc_year(request, submission.bloc_id, submission.year)
    if submission.cover_letter_id:
        return redirect("blocs:issued_document_download", submission.cover_letter_id)
    return _cover_file(submission, ext="pdf")


@require_safe
@transaction.non_atomic_requests
def submission_cover_docx(request, pk: int):
    """The cover letter as an editable Word file, for the readers of its PDF: with its number once issued
    (the issued PDF stays the document of record), a draft with "Số: …/TTr-KTĐ6" before."""
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document"), pk=pk)
    _bloc_year(request, submission.bloc_id, submission.year)
    issued = submission.cover_letter
    return _cover_file(submission, ext="docx", number_text=issued.number_text if issued else "")


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def submission_cover_issue(request, pk: int):
    """Issue the cover letter of a submission whose letter was not issued when it was submitted (its
    render failed): the submit step's confirmation covered the batch, this one names the number."""
    submission = get_object_or_404(Submission.objects.select_related("bloc__council", "document"), pk=pk)
    _bloc_year(request, submission.bloc_id, submission.year, manage=True)
    if submission.cover_letter_id:
        messages.info(request, _("The cover letter is already issued."))
    elif not confirmed(request):
        number = services.submission_cover_number_peek(submission=submission)
        return confirm_page(
            request,
            Confirmation(
                title=_("Issue the cover letter?"),
                consequences=[
                    _("The cover letter will be issued as No. %(number)s and can no longer be changed.")
                    % {"number": number},
                ],
                back_url=submission.get_absolute_url(),
            ),
        )
    else:
        _issue_cover(request, submission)
    return redirect(submission)


def bloc_award_decide(request, pk: int, year: int):
    """The chair records the bloc's own awards as decided at the conference (no Board review)."""
    bloc = _bloc_year(request, pk, year, manage=True)
    queryset = (
        Proposal.objects.of_bloc_year(bloc, year)
        .filter(status=Status.DRAFT, award_type__authority=AwardType.Authority.BLOC)
        .with_related()
        .order_by("award_type__order", "id")
    )
    form = forms.BlocAwardDecideForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.bloc_award_decide(
                proposals=list(form.cleaned_data["proposals"]),
                conference_date=form.cleaned_data["conference_date"],
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("%(count)s awards of the bloc were recorded as decided.") % {"count": len(decided)}
            )
            return redirect("awards:bloc_year", bloc.pk, year)
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "title": _("The bloc's own awards decided at the conference"),
            "back_url": reverse("awards:bloc_year", args=[bloc.pk, year]),
            "intro": _(
                "Awards the bloc gives itself (its exemplary collectives and individuals) are decided at the "
                "year-end conference and need no review by the Board. Choose the drafts the conference decided."
            ),
        },
    )
