"""Test settings: fast hashing, files in a temporary folder, the database from DATABASE_URL or SQLite."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A process the tests start (a job worker) is told the test run's folder.
MEDIA_ROOT = env.str("TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="thidua-test-media-")
# Tests run against local files; the S3 tests (tests/documents/test_storage_s3.py) switch to a local S3
# server themselves.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Jobs run in the test process; tests/documents/test_jobs.py runs a real worker on PostgreSQL.
TASKS = tasks_setting(env.str("TASKS_BACKEND", default="immediate"))  # noqa: F405
