"""``/healthz``: whether this web process can serve, for a load balancer or a monitor.

The one address besides the login forms that needs no session (docs/domain.md, "Who may do what"). It
shows no data — "ok", or "unavailable" with a 503 — so it tells an outsider nothing but that the portal is
up. It checks the database with one ``SELECT 1`` outside the request's transaction: under ATOMIC_REQUESTS
a lost database would otherwise fail before the view could answer 503.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("healthz: the database cannot be reached")
        return False


@login_not_required
@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> HttpResponse:
    if database_reachable():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
