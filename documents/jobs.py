"""Files made off the request by background jobs (docs/architecture.md, "Background jobs").

A view checks what the user asked for, then ``file_job_start`` records a ``FileJob`` and, once the request's
transaction has committed, puts ``run_file_job`` on the queue (Django's Tasks API, the backend of the
``TASKS`` setting). A worker (``manage.py db_worker``; in development and tests the request's own process)
runs ``file_job_run``: it claims the job, calls the job's ``kind`` — the dotted path of a function of the
asking app, ``make(*, job, progress) -> JobFile`` — and stores the file. The user's page shows the progress
and then the download; who may see it is the asking app's rule on the job's ``subject``.

A job that raises is tried again up to ``FILE_JOB_MAX_ATTEMPTS`` times in all, then marked failed with a
message for the user; the user may try again (``file_job_retry``), also when a worker died mid-job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .models import FileJob

if TYPE_CHECKING:
    from blocs.models import User  # the user model (typing only)

logger = logging.getLogger(__name__)

# A job waiting or running longer than this is taken as lost (its worker died, or the queue lost it): the
# user may start it again.
FILE_JOB_STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class JobFile:
    """What a job made: the bytes and how to serve them."""

    content: bytes
    file_name: str
    content_type: str


Progress = Callable[[int], None]


class FileMaker(Protocol):
    def __call__(self, *, job: FileJob, progress: Progress) -> JobFile: ...


class FileJobFailed(Exception):
    """Raised by a maker to fail the job with this message for the user (it is not tried again)."""


def _enqueue_on_commit(job_id: int) -> None:
    # robust: the job is recorded whatever happens to the queue; a job that never runs becomes stale and
    # the user may start it again.
    transaction.on_commit(lambda: run_file_job.enqueue(job_id=job_id), robust=True)


@transaction.atomic
def file_job_start(*, kind: str, title: str, subject: str, params: dict[str, Any], by: User) -> FileJob:
    """Record a job that makes a file, and queue it once the caller's transaction commits."""
    import_string(kind)  # a wrong path fails here, in the request, not later in a worker
    job = FileJob.objects.create(kind=kind, title=title, subject=subject, params=params, requested_by=by)
    _enqueue_on_commit(job.pk)
    return job


def file_job_can_retry(job: FileJob, *, now: Any = None) -> bool:
    """A failed job, or one waiting or running for longer than a job takes (lost)."""
    if job.status == FileJob.Status.FAILED:
        return True
    if job.is_pending:
        since = job.started_at or job.created_at
        return since < (now or timezone.now()) - FILE_JOB_STALE_AFTER
    return False


@transaction.atomic
def file_job_retry(*, job: FileJob, by: User) -> FileJob:
    """Make a failed (or lost) job's file again, from its first attempt."""
    job = FileJob.objects.select_for_update().get(pk=job.pk)
    if not file_job_can_retry(job):
        raise ValidationError(_("This file is ready or still being made; it cannot be started again now."))
    job.status, job.progress, job.attempts, job.error = FileJob.Status.QUEUED, 0, 0, ""
    job.started_at = job.finished_at = None
    job.save(update_fields=["status", "progress", "attempts", "error", "started_at", "finished_at"])
    logger.info("file job %s started again by user %s", job.pk, by.pk)
    _enqueue_on_commit(job.pk)
    return job


def _progress_setter(job_id: int) -> Progress:
    def progress(percent: int) -> None:
        # 100 means stored: a maker reports at most 99.
        FileJob.objects.filter(pk=job_id, status=FileJob.Status.RUNNING).update(progress=max(0, min(percent, 99)))

    return progress


def file_job_run(*, job_id: int) -> None:
    """Make one job's file: what the worker runs. Claims the job first, so two workers never both make it."""
    claimed = FileJob.objects.filter(pk=job_id, status=FileJob.Status.QUEUED).update(
        status=FileJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, progress=0
    )
    if not claimed:
        return  # already made, being made by another worker, or deleted
    job = FileJob.objects.get(pk=job_id)
    try:
        maker: FileMaker = import_string(job.kind)
        made = maker(job=job, progress=_progress_setter(job_id))
        stored_name = job.file.storage.save(
            job.file.field.generate_filename(job, made.file_name), ContentFile(made.content)
        )
    except FileJobFailed as failure:
        _fail(job_id, str(failure))
        return
    except Exception:
        logger.exception("file job %s (%s) failed, attempt %s", job_id, job.kind, job.attempts)
        if job.attempts < settings.FILE_JOB_MAX_ATTEMPTS:
            FileJob.objects.filter(pk=job_id).update(status=FileJob.Status.QUEUED, progress=0)
            _enqueue_on_commit(job_id)
        else:
            _fail(job_id, _("The file could not be made because of an error in the portal; it has been logged."))
        return
    FileJob.objects.filter(pk=job_id).update(
        status=FileJob.Status.DONE,
        progress=100,
        file=stored_name,
        file_name=made.file_name,
        content_type=made.content_type,
        error="",
        finished_at=timezone.now(),
    )


def _fail(job_id: int, message: str) -> None:
    FileJob.objects.filter(pk=job_id).update(
        status=FileJob.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


@task()
def run_file_job(job_id: int) -> None:
    """The queue's entry point: a job id only (arguments must be JSON), the rest is in the job's row."""
    file_job_run(job_id=job_id)
