"""Legal vice-principals' background work: ending appointments whose term ran out.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.legalvp import services


@scheduled("legalvp_end_expired", hour=1, minute=20)
def legalvp_end_expired() -> str:
    """Mark appointments whose term ran out as ended (idempotent)."""
    return f"{services.appointments_end_expired()} ended"
