"""The portal's 500 handler: a Vietnamese page even when the database is down.

Django calls the handler inside the ``except`` of the failed request. A database that cannot be reached
(restarting, failing over, too many connections) is not a bug of the page: the user gets the 503 "hệ
thống tạm thời gián đoạn" page with a Retry-After, anything else the 500 page. Both are standalone
templates rendered without the request or a context processor, so neither needs the database or a user.
Writes are safe either way: every request is one transaction (ATOMIC_REQUESTS), rolled back when it fails.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

# Seconds a client (or a load balancer) should wait before trying again: a restart takes a few seconds.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
