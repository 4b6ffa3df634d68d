"""Divisions, units and users in the Django admin.

Units and users are changed only in the app's own pages, whose services audit each change;
here they are read-only. Divisions (reference data) may be edited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import is_sysadmin


class PlatformAdminSite(admin.AdminSite):
    """The Django admin, open only to a signed-in system administrator whose one-time code is
    verified. It has no login form of its own: a visitor is sent to the platform's login (with
    its lockout and one-time codes); anyone else signed in gets a 404."""

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and is_sysadmin(user) and user.is_verified()  # type: ignore[attr-defined]
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise Http404
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "division", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]
