"""Drowning prevention's background work: overdue rectifications told to their townships, the
season's reminders (before summer and each holiday), and
the schools' catchments kept up with schools that moved or opened.

One shape for every app: scheduled jobs (@scheduled) live in the app's tasks.py."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.drowning import services


@scheduled("drowning_rectifications_overdue", hour=7, minute=10)
def drowning_rectifications_overdue() -> str:
    """Tell townships of rectifications fallen overdue (each once: idempotent)."""
    return f"{services.rectifications_notify_overdue()} told"


@scheduled("drowning_catchments", hour=2, minute=40)
def drowning_catchments() -> str:
    """Recompute nearest schools and catchments (idempotent)."""
    return f"{services.catchments_recompute()} waters changed"


@scheduled("drowning_season_reminders", hour=8, minute=0)
def drowning_season_reminders() -> str:
    """Before summer and each holiday: schools, townships and assignees reminded (once)."""
    return f"{services.reminders_send()} told"
