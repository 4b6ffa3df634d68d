"""Logins, failed logins, logouts and lockouts go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from weibao.audit.models import AuditEvent
from weibao.audit.services import record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and request.path.startswith("/api/"):
        record(AuditEvent.Action.LOGIN, actor=user, via="api")
    else:
        record(AuditEvent.Action.LOGIN, actor=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditEvent.Action.LOGOUT, actor=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    record(AuditEvent.Action.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kw: Any) -> None:
    record(AuditEvent.Action.LOCKED_OUT, username=(username or "")[:150])
