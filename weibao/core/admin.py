"""Read-only admin pages for the platform's records: inspect them; change them through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from weibao.core.models import Attachment, Job, Notification, ScheduledRun, WebhookDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    """No adding, changing or deleting here: writes go through the services, which audit them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["organisation__name", "last_error"]
    list_select_related = ["organisation"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    # The stored path is left out: files are fetched only through the checked, audited view.
    fields = ["name", "content_type", "size", "sha256", "owner_type", "owner_id", "uploaded_by"]
    list_display = [
        "name",
        "content_type",
        "size",
        "owner_type",
        "owner_id",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["content_type"]
    search_fields = ["name", "sha256"]
    list_select_related = ["owner_type", "uploaded_by"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "done",
        "total",
        "started_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["started_by"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "last_slot",
        "last_started_at",
        "last_finished_at",
        "last_summary",
        "last_error",
    ]
