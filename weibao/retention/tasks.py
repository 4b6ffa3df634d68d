"""Retention's background work: the rules applied each night (idempotent: what was archived or
erased is no longer due, and audit events past their rule are only reported).

One shape for every app: scheduled jobs (@scheduled) live in the app's tasks.py."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.retention import services


@scheduled("retention_apply", hour=3, minute=20)
def retention_apply() -> str:
    """Apply the county's retention rules; the run's report says what was due and done."""
    run = services.retention_apply()
    parts = [
        f"{kind}: {row['due']} due, {row['archived']} archived, {row['erased']} erased"
        for kind, row in run.counts.items()
    ]
    return f"run {run.pk}: " + "; ".join(parts)
