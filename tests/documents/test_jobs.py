"""Files made by background jobs (docs/architecture.md, "Background jobs"): the queue runs the maker, the
user follows its progress and downloads the file, only they may, a failure is tried again and then said,
and a real ``db_worker`` runs the job on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.settings.base import tasks_setting
from documents import jobs
from documents.jobs import FileJobFailed, JobFile, file_job_can_retry, file_job_retry, file_job_start
from documents.models import FileJob

from ..roles import NOT_FOUND, OK, REDIRECT, ROLES, check_get, expect

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CALLS: list[int] = []


def make_text(*, job, progress):
    """A maker for the tests: reports progress and returns the job's text."""
    progress(50)
    CALLS.append(job.pk)
    return JobFile(content=job.params["text"].encode(), file_name="ghi-chu.txt", content_type="text/plain")


def make_broken(*, job, progress):
    CALLS.append(job.pk)
    raise RuntimeError("the renderer crashed")


def make_refused(*, job, progress):
    CALLS.append(job.pk)
    raise FileJobFailed("Danh sách trống: không có gì để in.")


def start(officer, council, kind="make_text", text="Danh sách khen thưởng"):
    return file_job_start(
        kind=f"{__name__}.{kind}",
        title="Danh sách (PDF)",
        subject=f"council:{council.pk}",
        params={"text": text},
        by=officer,
    )


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


def test_a_job_runs_after_the_commit_and_stores_its_file(users, council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(users["officer"], council)
    job.refresh_from_db()
    assert (job.status, CALLS) == (FileJob.Status.QUEUED, [])  # nothing runs inside the transaction
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts, job.file_name) == (FileJob.Status.DONE, 100, 1, "ghi-chu.txt")
    with job.file.open("rb") as handle:
        assert handle.read() == "Danh sách khen thưởng".encode()


def test_a_wrong_maker_path_fails_in_the_request_not_in_a_worker(users, council):
    with pytest.raises(ImportError):
        start(users["officer"], council, kind="no_such_maker")
    assert not FileJob.objects.exists()


def test_a_job_is_made_once_even_if_two_workers_take_it(users, council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council)
    jobs.file_job_run(job_id=job.pk)  # a second delivery of the same job
    assert CALLS == [job.pk]


def test_a_crashing_job_is_tried_again_then_failed_with_a_message(users, council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council, kind="make_broken")
    job.refresh_from_db()
    assert len(CALLS) == settings.FILE_JOB_MAX_ATTEMPTS
    assert job.status == FileJob.Status.FAILED and job.attempts == settings.FILE_JOB_MAX_ATTEMPTS
    assert "error in the portal" in job.error or "lỗi" in job.error
    assert "crashed" not in job.error  # the traceback is logged, not shown


def test_a_refusal_by_the_maker_is_not_tried_again(users, council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council, kind="make_refused")
    job.refresh_from_db()
    assert (job.status, job.error, len(CALLS)) == (FileJob.Status.FAILED, "Danh sách trống: không có gì để in.", 1)


def test_a_failed_job_can_be_made_again(users, council, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council, kind="make_broken")
    job.refresh_from_db()
    assert file_job_can_retry(job)
    job.kind = f"{__name__}.make_text"
    job.save(update_fields=["kind"])
    with django_capture_on_commit_callbacks(execute=True):
        file_job_retry(job=job, by=users["officer"])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (FileJob.Status.DONE, 1, "")
    assert not file_job_can_retry(job)


def test_a_job_lost_by_its_worker_can_be_started_again(users, council, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = start(users["officer"], council)
    FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    assert not file_job_can_retry(job)  # still being made
    later = timezone.now() + jobs.FILE_JOB_STALE_AFTER + timedelta(seconds=1)
    assert file_job_can_retry(job, now=later)


def test_the_job_page_follows_the_progress_and_then_offers_the_file(
    client_as, users, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(users["officer"], council)
    client = client_as("officer")
    waiting = client.get(reverse("blocs:file_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in waiting and "Đang chờ" in waiting
    FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.RUNNING, progress=40)
    running = client.get(reverse("blocs:file_job", args=[job.pk])).content.decode()
    assert "40%" in running
    FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.QUEUED, progress=0)
    for callback in callbacks:
        callback()
    ready = client.get(reverse("blocs:file_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert reverse("blocs:file_job_download", args=[job.pk]) in ready
    download = client.get(reverse("blocs:file_job_download", args=[job.pk]))
    assert b"".join(download.streaming_content) == "Danh sách khen thưởng".encode()
    assert download["Cache-Control"].startswith("private") or "no-store" in download["Cache-Control"]


def test_a_download_before_the_file_is_ready_goes_to_the_job_page(
    client_as, users, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = start(users["officer"], council)
    response = client_as("officer").get(reverse("blocs:file_job_download", args=[job.pk]))
    assert response.status_code == REDIRECT and response["Location"] == reverse("blocs:file_job", args=[job.pk])


JOB_PAGES = ["blocs:file_job", "blocs:file_job_download"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", JOB_PAGES)
def test_only_the_officer_who_asked_sees_the_job_and_its_file(
    client_as, users, council, role, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council)
    check_get(client_as(role), reverse(name, args=[job.pk]), expect(), role, name=name)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_officer_who_asked_may_start_a_failed_job_again(
    client_as, users, council, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council, kind="make_refused")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role).post(reverse("blocs:file_job_retry", args=[job.pk]))
    assert response.status_code == (REDIRECT if role in ("anonymous", "officer") else NOT_FOUND), role
    assert len(CALLS) == (2 if role == "officer" else 1), role


def test_an_officer_moved_to_another_council_loses_the_file(
    client_as, users, council, other_council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council)
    officer = users["officer"]
    officer.council = other_council
    officer.save(update_fields=["council"])
    client = client_as("officer")
    assert client.get(reverse("blocs:file_job_download", args=[job.pk])).status_code == NOT_FOUND


def test_another_officer_of_the_same_council_does_not_see_someone_elses_job(
    client, users, council, django_capture_on_commit_callbacks
):
    from ..factories import UserFactory

    colleague = UserFactory(username="colleague", council=council, unit=None)
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users["officer"], council)
    client.force_login(colleague)
    assert client.get(reverse("blocs:file_job", args=[job.pk])).status_code == NOT_FOUND
    assert client.get(reverse("blocs:file_job", args=[start(colleague, council).pk])).status_code == OK


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the real worker test runs on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_makes_the_file(users, council):
    """The production path: the job waits in the database and ``manage.py db_worker`` (another process)
    makes the file."""
    with override_settings(TASKS=tasks_setting("database")):
        job = start(users["officer"], council)
        job.refresh_from_db()
        assert job.status == FileJob.Status.QUEUED  # nothing ran in this process
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TASKS_BACKEND": "database",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONPATH": str(ROOT),
        }
        worker = subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == FileJob.Status.DONE, (job.status, job.error, worker.stderr[-2000:])
    assert job.file_name == "ghi-chu.txt"
    with job.file.open("rb") as handle:
        assert handle.read() == "Danh sách khen thưởng".encode()
