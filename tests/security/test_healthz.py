"""``/healthz``: reachable without a session, shows no data, says 503 when the database is gone."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


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
