"""Login-security rules applied on every request: one-time codes and password age."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user may still reach before meeting the rules.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/health")


class SecurityPolicyMiddleware:
    """Sends users who must enrol or verify a one-time code, or change an expired password,
    to the page that does it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            target = self.required_step(request)
            if target is not None:
                if request.path.startswith("/api/"):
                    return HttpResponse(status=403)
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def required_step(request: HttpRequest) -> str | None:
        user = request.user
        if user.needs_otp or user.otp_device_set_up:  # type: ignore[union-attr]
            if not user.is_verified():  # type: ignore[union-attr]
                if user.otp_device_set_up:  # type: ignore[union-attr]
                    return "accounts:otp_verify"
                return "accounts:otp_setup"
        if user.password_expired:  # type: ignore[union-attr]
            return "accounts:password_change"
        return None
