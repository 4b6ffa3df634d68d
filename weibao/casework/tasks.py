"""The nightly casework job: reminders for what falls due tomorrow and what is overdue.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from weibao.casework import services
from weibao.core.schedule import scheduled


@scheduled("casework_reminders", hour=6, minute=30)
def casework_reminders() -> str:
    """Idempotent per day: each reminder is keyed by record, step and date."""
    return f"{services.reminders_send()} reminders or escalations sent"
