"""``manage.py loadtest`` refuses what would measure nothing true (it never runs in CI)."""

import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.django_db
def test_loadtest_refuses_sqlite_which_says_nothing_about_production():
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("loadtest", "--duration", "1")


@pytest.mark.django_db
def test_loadtest_without_wrk_names_the_command_that_installs_it(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("past the database check only on PostgreSQL")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="system-deps.sh load"):
        call_command("loadtest", "--duration", "1")
