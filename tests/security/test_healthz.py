"""``/healthz``: reachable without a session, shows no data, says 503 when the database or (with the database
task backend) the queue's table is gone."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from config.settings.base import tasks_setting


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_session(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_healthz_shows_the_same_to_a_logged_in_user(client_as):
    response = client_as("officer").get(reverse("healthz"))
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_refuses_a_post(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
def test_healthz_says_503_and_nothing_else_when_the_database_is_unreachable(client):
    with mock.patch("blocs.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.django_db
@override_settings(TASKS=tasks_setting("database"))
def test_healthz_reads_the_queue_table_with_the_database_backend(client, django_assert_num_queries):
    with django_assert_num_queries(2) as captured:  # the SELECT 1 and one read of the queue's table
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert DBTaskResult._meta.db_table in captured.captured_queries[1]["sql"]


@pytest.mark.django_db
@override_settings(TASKS=tasks_setting("database"))
def test_healthz_says_503_and_nothing_else_when_the_queue_table_cannot_be_read(client):
    # A table that is not there, as after a migration that never ran: the real query fails in the database.
    with mock.patch.object(DBTaskResult._meta, "db_table", "django_tasks_db_missing_table"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.django_db
@override_settings(TASKS=tasks_setting("immediate"))
def test_healthz_leaves_the_queue_table_alone_with_the_immediate_backend(client, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:  # the SELECT 1 only
        response = client.get(reverse("healthz"))
    assert response.content == b"ok\n"
    assert DBTaskResult._meta.db_table not in captured.captured_queries[0]["sql"]
