"""The yearly task: open the annual re-check for every close-contact unit and tell them."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from weibao.core.schedule import scheduled
from weibao.staffchecks import services


@scheduled("staffchecks_annual_open", hour=6, minute=10)
def staffchecks_annual_open() -> str:
    """Runs daily; from the configured month (January by default) it opens the year's re-check
    for units that have none. Idempotent: one annual re-check per unit and year."""
    today = timezone.localdate()
    if today.month < int(getattr(settings, "STAFFCHECKS_ANNUAL_MONTH", 1)):
        return "not yet"
    opened = services.annual_open_all(year=today.year)
    return f"{opened} annual re-checks opened for {today.year}"
