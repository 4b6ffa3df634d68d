"""Keeps the current request's address and user where the audit service can find them."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from weibao.lib.clientaddr import Network, client_address, networks

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


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
