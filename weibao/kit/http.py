"""HTTP helpers that know nothing of users: the client's address behind trusted proxies."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest

from weibao.lib.clientaddr import Network, client_address, networks


@cache
def _proxies(specs: tuple[str, ...]) -> tuple[Network, ...]:
    return networks(specs)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or the forwarded address when REMOTE_ADDR is one of the
    configured TRUSTED_PROXIES. The lockout (AXES_CLIENT_IP_CALLABLE) and the audit log use it."""
    if request is None:
        return None
    return client_address(
        request.META.get("REMOTE_ADDR") or "",
        request.META.get("HTTP_X_FORWARDED_FOR") or "",
        _proxies(tuple(settings.TRUSTED_PROXIES)),
    )
