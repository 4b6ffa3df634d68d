"""Shared services: notifications, attachments, jobs. Every app calls these."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from weibao.accounts.models import User
from weibao.core.models import Notification


@dataclass(frozen=True)
class WaitingItem:
    """One line in "waiting for you" on the home page."""

    label: str
    count: int
    url: str


# Each app appends a function user -> list[WaitingItem] for its own pending work.
WAITING_SOURCES: list = []


def waiting_for(user: User) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for source in WAITING_SOURCES:
        items.extend(item for item in source(user) if item.count)
    return items


def notification_mark_read(*, actor: User, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
