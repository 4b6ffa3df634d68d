"""`{% previous_login %}`: the home page's note of the user's previous login."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from weibao.accounts.signals import PREVIOUS_LOGIN_KEY

register = template.Library()


def previous_login_text(previous: dict[str, Any]) -> str:
    """ "上次登录：2026-12-01 09:12，来自 10.0.0.5", or the first-login note."""
    if not previous.get("at"):
        return _("This is your first login.")
    at = timezone.localtime(datetime.fromisoformat(previous["at"])).strftime("%Y-%m-%d %H:%M")
    if previous.get("ip"):
        # "address" is the network address here, not a postal one.
        return pgettext("network address", "Last login: %(time)s, from address %(address)s") % {
            "time": at,
            "address": previous["ip"],
        }
    return _("Last login: %(time)s") % {"time": at}


@register.simple_tag(takes_context=True)
def previous_login(context: template.Context) -> SafeString | str:
    """Shown on the home page for the session that the login started. Read, not popped: showing
    it must not write the session (a page view writes it at most once a minute)."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None or PREVIOUS_LOGIN_KEY not in session:
        return ""
    text = previous_login_text(session[PREVIOUS_LOGIN_KEY])
    return format_html('<ul class="messages" role="status"><li class="info">{}</li></ul>', text)
