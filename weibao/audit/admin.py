"""The audit log in the Django admin: read-only, and for auditors only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weibao.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_username", "organisation_name", "ip", "action", "target_type"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_username", "target_id"]
    date_hierarchy = "at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("audit.view_auditevent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
