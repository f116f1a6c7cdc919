"""``/healthz``: whether this web process can serve, for a load balancer or a monitor.

The one address besides the login forms that needs no session (docs/domain.md, "Who may do what"). It
shows no data — "ok", or "unavailable" with a 503 — so it tells an outsider nothing but that the portal is
up. It checks the database with one ``SELECT 1`` outside the request's transaction: under ATOMIC_REQUESTS
a lost database would otherwise fail before the view could answer 503. With the database task backend
(production) it also reads the queue's table once: a portal that cannot queue a job makes no long PDF and
issues no numbered document. The immediate backend has no queue to check.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
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


def uses_database_queue() -> bool:
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.split(".")[0] == "django_tasks_db" and apps.is_installed("django_tasks_db")


def queue_reachable() -> bool:
    if not uses_database_queue():
        return True
    from django_tasks_db.models import DBTaskResult  # only where the app is installed

    try:
        DBTaskResult.objects.exists()  # SELECT 1 … LIMIT 1: the table is there and readable
    except DatabaseError:
        logger.exception("healthz: the task queue's table cannot be read")
        return False
    return True


@login_not_required
@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> HttpResponse:
    if database_reachable() and queue_reachable():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
