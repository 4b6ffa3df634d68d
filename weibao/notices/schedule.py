"""Scheduled jobs of the liaison group."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.notices import services


@scheduled("notices_overdue_reminders", hour=9, minute=0)
def notices_overdue_reminders() -> str:
    """Remind the liaisons whose reply is overdue; each at most once a day."""
    count = services.notices_remind_overdue_daily()
    return f"{count} reminders"
