"""scripts/backup.sh and scripts/restore.sh (docs/architecture.md, "Backup and restore"): a backup of the
demo, restored into a fresh database and a fresh media directory, holds every row of the project's apps
and every stored file byte for byte. PostgreSQL only: the scripts use pg_dump and pg_restore."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import FileField

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backup.sh and restore.sh use pg_dump/pg_restore (PostgreSQL only)"
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ["blocs", "pledges", "awards", "meetings", "documents"]
ISSUE_ONE_PDF = (
    "from pledges.models import PledgeVersion; from pledges.services import pledge_pdf_issue; "
    "v = next(v for v in PledgeVersion.objects.order_by('pk') if v.is_final); pledge_pdf_issue(version=v, by=None)"
)


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _query(url: str, sql: str) -> list[tuple]:
    import psycopg2  # type: ignore[import-untyped]  # the driver config/settings use for PostgreSQL

    conn = psycopg2.connect(url)
    conn.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def _admin(sql: str) -> None:
    _query(_url("postgres"), sql)


def _run(args: list[str], *, url: str, media: Path) -> None:
    # manage.py's own settings, as an operator runs the scripts (pytest-django exported the test settings).
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (args, result.stdout, result.stderr)


def _counts(url: str) -> dict[str, int]:
    return {table: _query(url, f'select count(*) from "{table}"')[0][0] for table in _tables()}


def _tables() -> list[str]:
    return [m._meta.db_table for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()]


def _stored_files(url: str) -> list[str]:
    names = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, FileField):
                    table, column = model._meta.db_table, field.column
                    rows = _query(url, f'select "{column}" from "{table}" where "{column}" <> \'\' order by 1')
                    names += [row[0] for row in rows]
    return names


def test_restored_backup_holds_every_row_and_stored_file(tmp_path):
    # Unique per run and per xdist worker: CI runs the suite with -n auto on one server.
    tag = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    source, target = f"thidua_bk_src_{tag}", f"thidua_bk_dst_{tag}"
    source_media, target_media, backup = tmp_path / "media", tmp_path / "restored-media", tmp_path / "backup"
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    _admin(f'create database "{source}"')
    _admin(f'create database "{target}"')
    try:
        _run([*manage, "migrate", "-v0"], url=_url(source), media=source_media)
        _run([*manage, "load_demo"], url=_url(source), media=source_media)
        _run([*manage, "shell", "-c", ISSUE_ONE_PDF], url=_url(source), media=source_media)
        stored = _stored_files(_url(source))
        assert stored, "the demo with one issued PDF names at least one stored file"

        _run(["scripts/backup.sh", str(backup)], url=_url(source), media=source_media)
        _run(["scripts/restore.sh", str(backup)], url=_url(target), media=target_media)

        assert _counts(_url(target)) == _counts(_url(source))
        assert _stored_files(_url(target)) == stored
        for name in stored:
            assert (target_media / name).read_bytes() == (source_media / name).read_bytes(), name
    finally:
        _admin(f'drop database if exists "{source}" with (force)')
        _admin(f'drop database if exists "{target}" with (force)')
