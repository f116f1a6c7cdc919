"""``manage.py prune_jobs``: forget background work finished long enough ago (daily in production, README).

A ``FileJob`` done or failed more than ``FILE_JOB_KEEP_DAYS`` days ago goes with its file, and so do the
task queue's finished results of the same age (what django-tasks-db's ``prune_db_task_results`` deletes,
here for every backend and queue: that command refuses to run unless the default backend is the database
one, and the results a database backend left stay after a switch). Waiting and running work is never
touched, however old: a lost job is for its user to start again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from documents.models import FileJob, FileJobQuerySet

logger = logging.getLogger(__name__)

FINISHED = [FileJob.Status.DONE, FileJob.Status.FAILED]
BATCH = 500


def _finished_before(cutoff: datetime) -> FileJobQuerySet:
    return FileJob.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)


def prune_file_jobs(cutoff: datetime) -> tuple[int, int]:
    """Delete the jobs finished before ``cutoff``, each file first: (jobs deleted, jobs kept)."""
    deleted = kept = 0
    batch: list[int] = []

    def delete_batch() -> int:
        # Filtered again: a failed job started again meanwhile is waiting, not finished, and stays.
        _, per_model = _finished_before(cutoff).filter(pk__in=batch).delete()
        batch.clear()
        return per_model.get(FileJob._meta.label, 0)

    for job in _finished_before(cutoff).only("pk", "file").order_by("pk").iterator(chunk_size=BATCH):
        if job.file:
            try:
                # A file already gone is fine: the storages in use delete a missing name without error.
                job.file.storage.delete(job.file.name)
            except Exception:
                # The row stays so that the next run tries the file again instead of leaving it stored.
                logger.exception("prune_jobs: the file %s of job %s could not be deleted", job.file.name, job.pk)
                kept += 1
                continue
        batch.append(job.pk)
        if len(batch) >= BATCH:
            deleted += delete_batch()
    if batch:
        deleted += delete_batch()
    return deleted, kept


def prune_task_results(cutoff: datetime) -> int:
    """Delete the queue's task results that succeeded or failed before ``cutoff``."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult  # only where the app is installed

    _, per_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return per_model.get(DBTaskResult._meta.label, 0)


class Command(BaseCommand):
    help = (
        "Delete background file jobs finished (done or failed) more than FILE_JOB_KEEP_DAYS days ago with "
        "their stored files, and the task queue's finished results of the same age."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep what finished within this many days (default: the FILE_JOB_KEEP_DAYS setting).",
        )

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        keep_days: int = settings.FILE_JOB_KEEP_DAYS if days is None else days
        if keep_days < 0:
            raise CommandError("--days must be 0 or more.")
        cutoff = timezone.now() - timedelta(days=keep_days)
        jobs, kept = prune_file_jobs(cutoff)
        results = prune_task_results(cutoff)
        self.stdout.write(
            f"Removed {jobs} file job(s) with their files and {results} task result(s) "
            f"finished more than {keep_days} day(s) ago."
        )
        if kept:
            raise CommandError(f"{kept} job(s) kept: their files could not be deleted (see the log).")
