"""The pages of a file made by a background job (documents.jobs): its progress, its download, a retry.

Any app may start such a job; these pages serve them all, and who may see one is
``access.file_job_for_user`` (the user who asked, while the job's subject is still theirs to read).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from documents.jobs import file_job_can_retry, file_job_retry

from .access import file_job_for_user
from .web import PDF_CONTENT_TYPE, stored_file_response

# Seconds between reloads of a job's page while its file is being made (a meta refresh: no script).
REFRESH_SECONDS = 2


@require_safe
def file_job_detail(request, pk: int):
    job = file_job_for_user(request.user, pk)
    return render(
        request,
        "blocs/file_job.html",
        {"job": job, "refresh": REFRESH_SECONDS if job.is_pending else None, "can_retry": file_job_can_retry(job)},
    )


@require_safe
def file_job_download(request, pk: int):
    job = file_job_for_user(request.user, pk)
    if job.status != job.Status.DONE:
        return redirect("blocs:file_job", pk=job.pk)
    # A PDF opens in the browser; a workbook is saved.
    return stored_file_response(
        job.file,
        filename=job.file_name,
        content_type=job.content_type,
        as_attachment=job.content_type != PDF_CONTENT_TYPE,
    )


@require_POST
def file_job_retry_view(request, pk: int):
    job = file_job_for_user(request.user, pk)
    try:
        file_job_retry(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is being made again."))
    return redirect("blocs:file_job", pk=job.pk)
