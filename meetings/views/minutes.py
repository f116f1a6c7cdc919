"""The minutes' pages: the PDF and Word copies of a version, finalising, a new PDF after a failure, a
correction, the signed scans."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs.web import (
    DOCX_CONTENT_TYPE,
    Confirmation,
    confirm_page,
    confirmed,
    document_issue_report,
    errors_to_messages,
    file_response,
    pdf_response,
    stored_file_response,
)

from .. import services
from ..forms import (
    CorrectionForm,
    ScanUploadForm,
)
from ..models import MinutesScan
from ..printing import minutes_docx, minutes_pdf_render, version_content, version_number_text
from ._common import (
    _attach,
    _file_name,
    _meeting_for_managing,
    _meeting_for_reading,
    _version,
)

# Minutes ------------------------------------------------------------------------------------------------


@require_safe
@transaction.non_atomic_requests  # a render can take a second, and the first download issues the number
def minutes_pdf(request, pk: int, number: int):
    """A version's PDF: a final version's issued PDF (numbered on its first download if need be); a
    draft's preview, marked "DỰ THẢO", numbered "…/BB-…"."""
    meeting = _meeting_for_reading(request.user, pk)
    version = _version(meeting, number)
    if version.is_final:
        try:
            document = services.minutes_pdf_issue(version=version, by=request.user)
        except services.MinutesPdfUnavailable as error:
            messages.error(request, _("The PDF of the minutes could not be made: %(error)s") % {"error": error})
            return redirect(meeting)
        return stored_file_response(document.file, filename=_file_name(meeting, version, "pdf"))
    content = version_content(version, meeting)
    try:
        pdf = minutes_pdf_render(content=content, number_text=version_number_text(version, content), draft=True)
    except Exception as error:  # the record is untouched; say what failed
        messages.error(request, _("The PDF of the minutes could not be made: %(error)s") % {"error": error})
        return redirect(meeting)
    return pdf_response(pdf, filename=_file_name(meeting, version, "pdf"))


@require_safe
@transaction.non_atomic_requests
def minutes_word(request, pk: int, number: int):
    """A version as an editable Word document, with the same content as its PDF."""
    meeting = _meeting_for_reading(request.user, pk)
    version = _version(meeting, number)
    if version.is_final and not version.document_id:
        # The Word copy of final minutes carries their number: issue it first (as the PDF's download would).
        try:
            services.minutes_pdf_issue(version=version, by=request.user)
        except services.MinutesPdfUnavailable:
            pass  # the Word copy says "…/BB-…" until the PDF can be made; the meeting page says why
    content = version_content(version, meeting)
    try:
        data = minutes_docx(content=content, number_text=version_number_text(version, content), draft=version.is_draft)
    except Exception as error:  # the record is untouched; say what failed
        messages.error(request, _("The Word document could not be made: %(error)s") % {"error": error})
        return redirect(meeting)
    return file_response(
        data, content_type=DOCX_CONTENT_TYPE, filename=_file_name(meeting, version, "docx"), attachment=True
    )


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests  # finalisation commits first; the number and PDF follow (on_commit)
def minutes_finalise(request, pk: int):
    """Finalise the minutes, after a confirmation page naming the number they will be issued with."""
    meeting = _meeting_for_managing(request.user, pk)
    if not confirmed(request):
        number = services.minutes_number_peek(meeting=meeting)
        return confirm_page(
            request,
            Confirmation(
                title=_("Finalise the minutes?"),
                consequences=[
                    _("The minutes will be issued as No. %(number)s and can no longer be changed.")
                    % {"number": number},
                    _("The results of %(meeting)s are then frozen; a later change needs a correction with a reason.")
                    % {"meeting": meeting.display_title},
                ],
                back_url=meeting.get_absolute_url(),
            ),
        )
    try:
        version = services.minutes_finalise(meeting=meeting, by=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(meeting)
    version.refresh_from_db()
    if version.document_id:
        messages.success(
            request, _("The minutes are final: No. %(number)s.") % {"number": version.document.number_text}
        )
    else:
        messages.warning(
            request,
            _("The minutes are final, but their PDF could not be made: %(error)s. You can try again below.")
            % {"error": version.pdf_error or _("unknown error")},
        )
    return redirect(meeting)


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def minutes_pdf_retry(request, pk: int, number: int):
    """Make the PDF of final minutes again after a failure; the confirmation page names its number."""
    meeting = _meeting_for_managing(request.user, pk)
    version = _version(meeting, number)
    if not confirmed(request):
        if not version.is_final or version.document_id:
            return redirect(meeting)  # nothing to issue: nothing to confirm
        return confirm_page(
            request,
            Confirmation(
                title=_("Make the PDF of the minutes?"),
                consequences=[
                    _("The minutes will be issued as No. %(number)s.")
                    % {"number": services.minutes_number_peek(meeting=meeting)}
                ],
                back_url=meeting.get_absolute_url(),
            ),
        )
    document_issue_report(
        request,
        lambda: services.minutes_pdf_issue(version=version, by=request.user),
        unavailable=services.MinutesPdfUnavailable,
        failed=_("The PDF of the minutes could not be made: %(error)s"),
        issued=_("The PDF of the minutes was made: No. %(number)s."),
    )
    return redirect(meeting)


def minutes_correction(request, pk: int):
    meeting = _meeting_for_managing(request.user, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.minutes_correction_start(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _attach(form, error.messages, "reason" if hasattr(error, "error_dict") else None)
        else:
            messages.success(
                request,
                _("Version %(number)s of the minutes was started. Change the results, then finalise it.")
                % {"number": version.number},
            )
            return redirect("meetings:meeting_results", pk=meeting.pk)
    return render(request, "meetings/minutes_correction.html", {"meeting": meeting, "bloc": meeting.bloc, "form": form})


def minutes_scan_upload(request, pk: int, number: int):
    meeting = _meeting_for_managing(request.user, pk)
    version = _version(meeting, number)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_scan_upload(version=version, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            _attach(
                form,
                error.message_dict.get("file", error.messages) if hasattr(error, "error_dict") else error.messages,
                "file",
            )
        else:
            messages.success(request, _("The scan of the signed minutes was uploaded."))
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_scan.html",
        {
            "meeting": meeting,
            "bloc": meeting.bloc,
            "version": version,
            "form": form,
            "limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        },
    )


@require_safe
def minutes_scan_download(request, pk: int):
    scan = get_object_or_404(MinutesScan.objects.select_related("version__minutes"), pk=pk)
    meeting = _meeting_for_reading(request.user, scan.version.minutes.meeting_id)
    extension = os.path.splitext(scan.file.name)[1] or ".pdf"
    stem = _file_name(meeting, scan.version, "x").rpartition(".")[0]
    filename = f"{stem}-scan{extension}"
    return stored_file_response(scan.file, filename=filename, content_type=_content_type(scan.kind))


def _content_type(kind: str) -> str:
    return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}.get(kind, "application/octet-stream")
