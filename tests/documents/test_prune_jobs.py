"""``manage.py prune_jobs``: background work finished more than FILE_JOB_KEEP_DAYS days ago goes, files first;
waiting, running and recent work stays."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from config.settings.base import tasks_setting
from documents.jobs import run_file_job
from documents.models import FileJob

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
KEEP_DAYS = 7


@pytest.fixture(autouse=True)
def _keep_days(settings):
    settings.FILE_JOB_KEEP_DAYS = KEEP_DAYS


@pytest.fixture
def user():
    return UserFactory(username="officer")


def make_job(user, *, days_ago, status=FileJob.Status.DONE, with_file=True):
    """A job finished ``days_ago`` (or, waiting or running, started then), with its file stored."""
    when = timezone.now() - timedelta(days=days_ago)
    finished = status in (FileJob.Status.DONE, FileJob.Status.FAILED)
    job = FileJob(
        kind="awards.jobs.make_list_pdf",
        title="Danh sách khen thưởng (PDF)",
        subject="council:1",
        requested_by=user,
        status=status,
        created_at=when,
        started_at=when,
        finished_at=when if finished else None,
        error="Danh sách trống." if status == FileJob.Status.FAILED else "",
    )
    if with_file:
        job.file.save("danh-sach.pdf", ContentFile(b"%PDF-1.7 danh sach"), save=False)
        job.file_name, job.content_type = "danh-sach.pdf", "application/pdf"
    job.save()
    return job


def prune(*args):
    out = StringIO()
    call_command("prune_jobs", *args, stdout=out)
    return out.getvalue()


def test_an_old_done_job_goes_with_its_file_and_a_recent_one_stays(user):
    old = make_job(user, days_ago=KEEP_DAYS + 1)
    recent = make_job(user, days_ago=KEEP_DAYS - 1)
    assert old.file.name.startswith(f"jobs/{old.created_at:%Y/%m}/")
    assert default_storage.exists(old.file.name)

    output = prune()

    assert not FileJob.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    assert FileJob.objects.filter(pk=recent.pk).exists()
    assert default_storage.exists(recent.file.name)
    assert "Removed 1 file job(s)" in output


def test_an_old_failed_job_goes(user):
    failed = make_job(user, days_ago=KEEP_DAYS + 1, status=FileJob.Status.FAILED, with_file=False)
    prune()
    assert not FileJob.objects.filter(pk=failed.pk).exists()


@pytest.mark.parametrize("status", [FileJob.Status.QUEUED, FileJob.Status.RUNNING])
def test_an_old_waiting_or_running_job_stays(user, status):
    pending = make_job(user, days_ago=KEEP_DAYS * 4, status=status, with_file=False)
    assert "Removed 0 file job(s)" in prune()
    assert FileJob.objects.filter(pk=pending.pk).exists()


def test_a_job_whose_file_is_already_gone_is_removed_without_error(user):
    job = make_job(user, days_ago=KEEP_DAYS + 1)
    default_storage.delete(job.file.name)
    assert "Removed 1 file job(s)" in prune()
    assert not FileJob.objects.filter(pk=job.pk).exists()


def test_a_job_whose_file_cannot_be_deleted_stays_for_the_next_run(user):
    stuck = make_job(user, days_ago=KEEP_DAYS + 1)
    other = make_job(user, days_ago=KEEP_DAYS + 1)
    real_delete = default_storage.delete

    def delete(name):
        if name == stuck.file.name:
            raise PermissionError(name)
        real_delete(name)

    with mock.patch.object(default_storage._wrapped, "delete", side_effect=delete):
        with pytest.raises(CommandError, match="1 job"):
            prune()
    assert FileJob.objects.filter(pk=stuck.pk).exists()
    assert default_storage.exists(stuck.file.name)
    assert not FileJob.objects.filter(pk=other.pk).exists()


def test_the_days_option_overrides_the_setting(user):
    job = make_job(user, days_ago=3)
    prune("--days", "2")
    assert not FileJob.objects.filter(pk=job.pk).exists()


def queued_result(job_id):
    """A task result as the database backend records it when a job is queued."""
    with override_settings(TASKS=tasks_setting("database")):
        return DBTaskResult.objects.get(pk=run_file_job.enqueue(job_id=job_id).id)


def finish(result, *, days_ago, status=TaskResultStatus.SUCCESSFUL):
    result.status, result.finished_at = status, timezone.now() - timedelta(days=days_ago)
    result.save(update_fields=["status", "finished_at"])
    return result


def test_old_finished_task_results_go_and_waiting_or_recent_ones_stay():
    succeeded = finish(queued_result(1), days_ago=KEEP_DAYS + 1)
    failed = finish(queued_result(2), days_ago=KEEP_DAYS + 1, status=TaskResultStatus.FAILED)
    recent = finish(queued_result(3), days_ago=1)
    waiting = queued_result(4)
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=timezone.now() - timedelta(days=KEEP_DAYS * 4))

    output = prune()

    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk}
    assert succeeded.pk not in remaining and failed.pk not in remaining
    assert "and 2 task result(s)" in output
