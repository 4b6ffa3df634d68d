"""Scheduled jobs of legal vice-principals."""

from __future__ import annotations

from weibao.core.schedule import scheduled
from weibao.legalvp import services


@scheduled("legalvp_end_expired", hour=1, minute=20)
def legalvp_end_expired() -> str:
    """Mark appointments whose term ran out as ended (idempotent)."""
    return f"{services.appointments_end_expired()} ended"
