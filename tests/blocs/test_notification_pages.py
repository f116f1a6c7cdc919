"""The notification pages (``blocs/notification_views.py``): the list, opening a notice (it is marked read
and leads to its page), marking read, the e-mail settings. Every signed-in user has them, each for their own
notices only: nobody opens or marks another user's notice (404, nothing changes), whatever their role. The
list costs the same number of queries with a few notices and with many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import EmailOptOut, Notification
from blocs.services import notification_send

from ..factories import UserFactory
from ..roles import EVERYONE, NOT_FOUND, OK, REDIRECT, ROLES, check_get, check_post

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]
# A POST that acts and redirects for every signed-in user (the anonymous one goes to the login page).
ACTS = {role: REDIRECT for role in ROLES}
# Another user's notice: not found for everyone signed in.
SOMEONE_ELSES = {role: NOT_FOUND for role in SIGNED_IN} | {"anonymous": REDIRECT}


def tell(user, title: str = "Khối thi đua năm 2021: giao ước đã mở ký", url: str = "/blocs/") -> Notification:
    (notice,) = notification_send(kind=Notification.Kind.SIGNING_OPENED, users=[user], title=title, url=url)
    return notice


@pytest.fixture
def notices(users) -> dict[str, Notification]:
    """One unread notice of each signed-in role, and one of ``stranger``: a user of the member's own unit."""
    made = {role: tell(users[role], title=f"Thông báo cho {role}") for role in SIGNED_IN}
    stranger = UserFactory(username="stranger", council=users["member"].council, unit=users["member"].unit)
    made["stranger"] = tell(stranger, title="Thông báo của người khác")
    return made


def read_state() -> tuple:
    return tuple(Notification.objects.order_by("pk").values_list("pk", "read_at"))


GET_MATRIX = [
    ("notifications", lambda: reverse("blocs:notifications"), EVERYONE),
    ("notifications_unread", lambda: reverse("blocs:notifications") + "?unread=1", EVERYONE),
    ("email_settings", lambda: reverse("blocs:email_settings"), EVERYONE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_permissions(client_as, notices, role, name, url, expected):
    response = check_get(client_as(role), url(), expected, role, name=name)
    if role != "anonymous" and name != "email_settings":
        page = response.content.decode()
        assert f"Thông báo cho {role}" in page
        assert "Thông báo của người khác" not in page
        assert not any(f"Thông báo cho {other}<" in page for other in SIGNED_IN if other != role)


@pytest.mark.parametrize("role", ROLES)
def test_opening_ones_own_notice_marks_it_read_and_leads_to_its_page(client_as, notices, role):
    notice = notices.get(role) or notices["officer"]
    response = check_post(
        client_as(role),
        reverse("blocs:notification_open", args=[notice.pk]),
        {},
        ACTS,
        role,
        state=read_state,
    )
    if role != "anonymous":
        assert response.url == "/blocs/"
        notice.refresh_from_db()
        assert notice.is_read
        assert Notification.objects.filter(read_at__isnull=False).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_nobody_opens_another_users_notice(client_as, notices, role):
    url = reverse("blocs:notification_open", args=[notices["stranger"].pk])
    check_post(client_as(role), url, {}, SOMEONE_ELSES, role, state=read_state)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_marks_another_users_notice_read(client_as, notices, role):
    data = {"ids": [notices["stranger"].pk]}
    check_post(client_as(role), reverse("blocs:notifications_read"), data, ACTS, role, state=read_state, changes=False)


@pytest.mark.parametrize("role", ROLES)
def test_marking_all_read_marks_only_ones_own(client_as, notices, users, role):
    check_post(client_as(role), reverse("blocs:notifications_read"), {}, ACTS, role, state=read_state)
    if role != "anonymous":
        assert set(Notification.objects.filter(read_at__isnull=False).values_list("user__username", flat=True)) == {
            role
        }


def test_marking_the_ones_ticked(client_as, users):
    first, second = tell(users["member"]), tell(users["member"])
    response = client_as("member").post(reverse("blocs:notifications_read"), {"ids": [first.pk]})
    assert response.status_code == REDIRECT
    first.refresh_from_db(), second.refresh_from_db()
    assert first.is_read and not second.is_read


@pytest.mark.parametrize("role", ROLES)
def test_the_email_settings_are_each_users_own(client_as, users, role):
    kept = [kind for kind in Notification.Kind.values if kind != Notification.Kind.MINUTES_FINAL]

    def state():
        return set(EmailOptOut.objects.values_list("user__username", "kind"))

    check_post(client_as(role), reverse("blocs:email_settings"), {"kinds": kept}, ACTS, role, state=state)
    if role != "anonymous":
        assert state() == {(role, Notification.Kind.MINUTES_FINAL)}


def test_a_notice_whose_page_is_elsewhere_leads_to_the_list(client_as, users):
    notice = tell(users["member"], url="https://example.org/phishing")
    response = client_as("member").post(reverse("blocs:notification_open", args=[notice.pk]))
    assert response.status_code == REDIRECT and response.url == reverse("blocs:notifications")


def test_opening_needs_a_post(client_as, users):
    notice = tell(users["member"])
    assert client_as("member").get(reverse("blocs:notification_open", args=[notice.pk])).status_code == 405
    notice.refresh_from_db()
    assert not notice.is_read


def test_the_list_shows_the_body_with_its_line_breaks_and_the_unread_filter(client_as, users):
    notification_send(
        kind=Notification.Kind.PROPOSAL_RETURNED,
        users=[users["chair"]],
        title="Đề nghị bị trả lại",
        body="Lý do: Bổ sung.\nGhi rõ số phiếu.",
    )
    read = tell(users["chair"], title="Đã đọc rồi")
    read.read_at = read.created_at
    read.save()
    client = client_as("chair")
    page = client.get(reverse("blocs:notifications")).content.decode()
    assert "Lý do: Bổ sung.<br>Ghi rõ số phiếu." in page and "Đã đọc rồi" in page
    unread = client.get(reverse("blocs:notifications") + "?unread=1").content.decode()
    assert "Đề nghị bị trả lại" in unread and "Đã đọc rồi" not in unread


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("blocs:notifications"))
    assert response.status_code == OK
    return len(captured)


def test_the_list_costs_the_same_with_3_and_with_60_notices(client_as, users):
    client = client_as("member")
    for index in range(3):
        tell(users["member"], title=f"Thông báo {index}")
    few = _list_queries(client)
    for index in range(3, 60):
        tell(users["member"], title=f"Thông báo {index}")
    many = _list_queries(client)
    assert few == many, f"{few} queries with 3 notices, {many} with 60"
    assert many <= 20
