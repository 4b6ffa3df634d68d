"""API permission: a signed-in, active member; object checks go through the same `rules` perms."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from weibao.accounts.policy import is_member


class IsActiveMember(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not is_member(user):
            return False
        # Session users who still owe a one-time code or a password change get nothing.
        if request.successful_authenticator.__class__.__name__ == "SessionAuthentication":
            from weibao.accounts.middleware import SecurityPolicyMiddleware

            return SecurityPolicyMiddleware.required_step(request._request) is None
        return True


class RulesPermission(IsActiveMember):
    """Checks `view.permission_required` (list) and `view.object_permission` (detail)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        perm = getattr(view, "permission_required", None)
        return perm is None or request.user.has_perm(perm)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        perm = getattr(view, "object_permission", None)
        return perm is None or request.user.has_perm(perm, obj)
