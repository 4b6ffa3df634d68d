"""The family network's background work: volunteers' clearances read again from staff checks.

One shape for every app: scheduled jobs (@scheduled) and long jobs (@register) live in tasks.py."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.family import services


@scheduled("family_clearances", hour=3, minute=40)
def family_clearances() -> str:
    """Read every volunteer's criminal-record clearance from staff checks again (idempotent)."""
    found = services.clearance_refresh_all()
    return f"{found['changed']} of {found['volunteers']} changed"
