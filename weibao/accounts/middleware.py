"""Login-security rules applied on every request: one-time codes and password age, idle
sessions, and no caching of signed-in pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Reachable before meeting the rules: static files, the health check, switching language.
EXEMPT_PREFIXES = ("/i18n/", "/static/", "/health")
# Pages reachable whatever step is owed: signing in and out.
EXEMPT_URL_NAMES = ("accounts:login", "accounts:logout")


class SecurityPolicyMiddleware:
    """Sends users who must enrol or verify a one-time code, or change an expired password,
    to the page that does it. Every other page (the administration pages too) waits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not self.exempt(request.path):
            step = self.required_step(request)
            # Only the page of the step owed is open: a user who owes a one-time code cannot
            # reach the password page (or the admin pages), so a stolen password is not enough.
            if step is not None and request.path != reverse(step):
                if self.is_api(request.path):
                    return JsonResponse({"detail": self.step_message(step)}, status=403)
                return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def is_api(path: str) -> bool:
        """JSON endpoints get a 403 with a reason; the API's docs page is a page."""
        return path.startswith("/api/") and path != reverse("api:docs")

    @staticmethod
    def exempt(path: str) -> bool:
        return path.startswith(EXEMPT_PREFIXES) or path in {
            reverse(name) for name in EXEMPT_URL_NAMES
        }

    @staticmethod
    def required_step(request: HttpRequest) -> str | None:
        """The URL name of the step the signed-in user still owes, or None."""
        user = request.user
        owes_code = user.needs_otp or user.otp_device_set_up  # type: ignore[union-attr]
        if owes_code and not user.is_verified():  # type: ignore[union-attr]
            if user.otp_device_set_up:  # type: ignore[union-attr]
                return "accounts:otp_verify"
            return "accounts:otp_setup"
        if user.password_expired:  # type: ignore[union-attr]
            return "accounts:password_change"
        return None

    @staticmethod
    def step_message(step: str) -> str:
        if step == "accounts:password_change":
            return _("Your password has expired: change it on the web page first.")
        return _("Enter your one-time code on the web page first.")


class NoStoreMiddleware:
    """Pages and API answers for a signed-in user carry children's data: no browser or proxy may
    keep a copy (`Cache-Control: no-store, private`), unless the view set its own caching.
    Static files (served by WhiteNoise before this runs) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control") or request.path.startswith(EXEMPT_PREFIXES):
            return response
        # After the view: an API view's token authentication has set request.user by now.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store, private"
        return response


# Renew an idle session's expiry at most once per this many seconds: a page's every request
# used to write the session, so polling a progress bar wrote to the database every second.
SESSION_RENEW_SECONDS = 60
RENEWED_KEY = "_renewed_at"


def passive(request: HttpRequest) -> None:
    """Mark a request that a page makes by itself (a progress bar's poll): it neither writes the
    session nor keeps it alive, so an open page does not hold off the idle timeout."""
    request.passive = True  # type: ignore[attr-defined]


class IdleSessionMiddleware:
    """Moves a signed-in session's expiry forward when the user does something, at most once a
    minute (SESSION_COOKIE_AGE after the last activity), and never on a passive request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is None
            or getattr(request, "passive", False)
            or not request.user.is_authenticated
            or session.is_empty()
        ):
            return response
        now = int(time.time())
        if now - int(session.get(RENEWED_KEY, 0)) >= SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response
