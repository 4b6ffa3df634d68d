"""Django admin for notices: read-only. Notices are written, sent and answered through the pages
and the API, whose services check and audit every step; the admin would bypass both."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weibao.notices.models import Notice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "sender_unit", "status", "requires", "sent_at", "deadline"]
    list_filter = ["status", "requires"]
    list_select_related = ["sender_unit"]
    search_fields = ["title"]
