"""The icon: every page names it, and /favicon.ico (which browsers and tools ask for regardless) redirects
to the static file without a login, so no page requests a missing asset."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_the_icon_files_exist():
    assert finders.find("img/favicon.svg")
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO header


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_static_icon_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    assert client.head(reverse("favicon")).status_code == 302
    assert client.post(reverse("favicon")).status_code == 405


@pytest.mark.django_db
def test_every_page_names_the_icon(client_as, client):
    link = f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">'
    assert link in client.get(reverse("blocs:login")).text
    assert link in client_as("officer").get(reverse("blocs:home")).text
