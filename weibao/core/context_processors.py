"""What every page's frame needs: the menu and the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from weibao.core.contract import menu_groups


def shell(request: HttpRequest) -> dict[str, Any]:
    # django-htmx's {% htmx_script %} reads the CSP nonce under this name.
    context: dict[str, Any] = {"csp_nonce": getattr(request, "csp_nonce", "")}
    user = request.user
    if not user.is_authenticated:
        return context
    from weibao.core.models import Notification

    return context | {
        "menu_groups": menu_groups(user),
        "unread_count": Notification.objects.for_user(user).unread().count(),
    }
