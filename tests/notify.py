"""Helpers of the notification tests (``tests/<app>/test_notify.py``): who was told what, and the base users
given e-mail addresses so that the mail sent after the commit can be checked in Django's locmem outbox."""

from __future__ import annotations

from blocs.models import Notification

# The base users who are never told anything about the fixture bloc: a unit outside it and another
# council's officer.
NEVER_TOLD = {"outsider", "other_officer"}


def told(kind: str) -> dict[str, list[Notification]]:
    """The notices of ``kind``, by the username of whoever got them."""
    found: dict[str, list[Notification]] = {}
    for notice in Notification.objects.filter(kind=kind).select_related("user").order_by("pk"):
        found.setdefault(notice.user.username, []).append(notice)
    return found


def only(kind: str, username: str) -> Notification:
    """The one notice of ``kind`` the user got."""
    (notice,) = told(kind)[username]
    return notice


def with_addresses(users: dict) -> dict:
    """Give every base user an e-mail address (``username@example.org``); returns ``users``."""
    for user in users.values():
        if user is not None:
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
    return users


def mailed_to(outbox) -> set[str]:
    """The usernames the outbox's messages went to."""
    return {address.split("@")[0] for message in outbox for address in message.to}
