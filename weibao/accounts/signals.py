"""Login hooks. A successful login clears the failures of its own account from its own address, and
no others; a system administrator's or auditor's login ends their other sessions; a page login
notes the previous login for the home page; a logout ends the user's API tokens.

django-axes' own reset on success (AXES_RESET_ON_SUCCESS) deletes every failure that matches any
lockout parameter, so a login from an address wiped the failures other usernames had from it:
four guesses at a colleague's password, one right login to one's own account, and again.
"""

from __future__ import annotations

import time
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from weibao.accounts import services
from weibao.accounts.middleware import RENEWED_KEY
from weibao.audit.models import AuditEvent
from weibao.kit.http import client_ip

# The session key under which a page login leaves the previous login for the home page.
PREVIOUS_LOGIN_KEY = "_previous_login"


def _page_login(request: Any) -> bool:
    """A login through the pages (with a session), not a token issued by the API."""
    return (
        request is not None
        and getattr(request, "session", None) is not None
        and not request.path.startswith("/api/")
    )


@receiver(user_logged_in)
def clear_own_failures(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=address).delete()


@receiver(user_logged_in)
def start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing in is activity: the new session's expiry needs no renewal for a minute."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(time.time())


@receiver(user_logged_in)
def note_previous_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Keep the previous login's time and address for the home page to show once.

    Runs before the audit app records this login (accounts comes first in INSTALLED_APPS, so its
    receivers are connected first): the latest LOGIN event is still the previous one."""
    if not _page_login(request):
        return
    previous = (
        AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, actor_id=user.pk)
        .order_by("-id")
        .values("at", "ip")
        .first()
    )
    request.session[PREVIOUS_LOGIN_KEY] = (
        {"at": previous["at"].isoformat(), "ip": previous["ip"]} if previous else {}
    )


@receiver(user_logged_in)
def end_concurrent_sessions(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """System administrators and auditors have one session at a time: the newest. One who owes
    a one-time code (every one, as OTP_REQUIRED_ROLES stands) ends the others only once the
    code is verified (services.otp_verify); here, only one who signs in with a password alone."""
    if not _page_login(request) or not services.single_session(user):
        return
    if user.needs_otp or user.otp_device_set_up:
        return
    services.sessions_end_others(user=user, keep=request.session.session_key)


@receiver(user_logged_out)
def end_tokens_at_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Logging out ends the user's API tokens too."""
    if user is not None and user.pk:
        services.api_tokens_end(user=user, reason="logout")
