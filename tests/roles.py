"""The role matrix every view test uses: the seven users, one ``expect()``, one runner for GET and POST.

The access rule (docs/domain.md, "Who may do what"): every view that reads or changes a bloc's data
is tested with the six roles
(anonymous, outsider, member, vice-chair, chair, officer) and an officer of another council. The users
themselves are the ``users`` fixture of ``tests/conftest.py``; this module says what each of them should
get and checks it, so every app's matrix means the same thing by the same name.

``expect()`` starts from the answer for an object of one bloc of the officer's council that nobody else
may see: the anonymous user is sent to the login page, the officer gets the page, everyone else a 404.
A matrix row names only what differs from that.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.urls import reverse

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

ROLES = ["anonymous", "outsider", "member", "vice_chair", "chair", "officer", "other_officer"]


def expect(**statuses: int) -> dict[str, int]:
    """The status each role gets; ``expect(member=OK)`` changes only the member's."""
    unknown = set(statuses) - set(ROLES)
    if unknown:
        raise TypeError(f"not a role: {', '.join(sorted(unknown))}")
    return {
        "anonymous": REDIRECT,
        "outsider": NOT_FOUND,
        "member": NOT_FOUND,
        "vice_chair": NOT_FOUND,
        "chair": NOT_FOUND,
        "officer": OK,
        "other_officer": NOT_FOUND,
    } | statuses


# The named rows, one meaning each across every app.
EVERYONE = expect(outsider=OK, member=OK, vice_chair=OK, chair=OK, other_officer=OK)
"""Pages of a logged-in user's own (home, search, lists scoped to the user)."""
COUNCIL_OFFICERS = expect(other_officer=OK)
"""Council-wide officer pages: another council's officer gets their own council's page."""
OFFICER_OBJECT = expect()
"""An object of the officer's council that no unit reads (an award type, a decision, a user)."""
READERS = expect(member=OK, vice_chair=OK, chair=OK)
"""A bloc-year's pages and files: its members, its seat holders and the council's officers."""
MANAGERS = expect(member=FORBIDDEN, vice_chair=OK, chair=OK)
"""What the seat holders of the year change; a member reads the page but is refused the change."""
OFFICERS_ONLY = expect(member=FORBIDDEN, vice_chair=FORBIDDEN, chair=FORBIDDEN)
"""What only the council's officers change on a page the bloc's units may see."""


CONFIRMED = {"confirmed": "True"}
"""What a confirmation page (``blocs.web.confirm_page``) posts back: an irreversible action acts only on it."""


def check_get(client, url: str, expected: dict[str, int], role: str, *, name: str = "") -> object:
    """GET ``url`` as ``role`` and check the status; an anonymous redirect must lead to the login page."""
    response = client.get(url)
    label = f"{name or url} as {role}"
    assert response.status_code == expected[role], label
    if role == "anonymous":
        assert response.url.startswith(reverse("blocs:login")), label
    return response


def check_post(
    client,
    url: str,
    data: dict,
    expected: dict[str, int],
    role: str,
    *,
    state: Callable[[], object],
    name: str = "",
    changes: bool | None = None,
) -> object:
    """POST ``data`` to ``url`` as ``role``; a refused role (403, 404, the login redirect) changes nothing.

    ``state`` returns everything the POST could change. For an allowed role (a redirect after success),
    the state must differ and no error message may be shown; pass ``changes=False`` for a POST whose
    success writes nothing (a form shown again with an error is ``expected=OK``: it changes nothing).
    """
    before = state()
    response = client.post(url, data)
    label = f"{name or url} as {role}"
    assert response.status_code == expected[role], label
    refused = role == "anonymous" or expected[role] in (FORBIDDEN, NOT_FOUND, OK)
    if role == "anonymous":
        assert response.url.startswith(reverse("blocs:login")), label
    if refused or changes is False:
        assert state() == before, f"{label} changed something"
    else:
        assert state() != before, f"{label} changed nothing"
        errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert not errors, f"{label}: {errors}"
    return response
