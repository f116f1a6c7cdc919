"""The client's address behind a known number of trusted reverse proxies (for failed-login throttling).

django-axes locks a username together with the client's address. Behind a reverse proxy REMOTE_ADDR is the
proxy's, the same for everyone, so the address has to come from X-Forwarded-For — but only the part the
trusted proxies wrote: each appends the address it saw, and anything to the left of those came from the
client and could be anything. django-ipware is not installed; this is the one rule the portal needs.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The Nth address from the right of X-Forwarded-For behind N trusted proxies (TRUSTED_PROXY_COUNT);
    REMOTE_ADDR with no proxy, or when the header does not have the N addresses the proxies add (the
    request did not come through them all) or the address is malformed."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
