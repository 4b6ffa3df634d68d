"""The liaison group's background work: daily reminders of overdue replies.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.notices import services


@scheduled("notices_overdue_reminders", hour=9, minute=0)
def notices_overdue_reminders() -> str:
    """Remind the liaisons whose reply is overdue; each at most once a day."""
    count = services.notices_remind_overdue_daily()
    return f"{count} reminders"
