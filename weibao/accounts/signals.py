"""A successful login clears the failures of its own account from its own address, and no others.

django-axes' own reset on success (AXES_RESET_ON_SUCCESS) deletes every failure that matches any
lockout parameter, so a login from an address wiped the failures other usernames had from it:
four guesses at a colleague's password, one right login to one's own account, and again.
"""

from __future__ import annotations

import time
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from weibao.accounts.middleware import RENEWED_KEY
from weibao.kit.http import client_ip


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
