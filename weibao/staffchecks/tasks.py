"""Staff checks' background work: the check-run job (with a progress bar) and the yearly
re-check, opened for every close-contact unit.

One shape for every app: scheduled jobs (@scheduled) and long jobs with a progress bar
(@register) live in the app's tasks.py, which its weibao_app names."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job
from weibao.core.schedule import scheduled
from weibao.staffchecks import services


@register(services.RUN_JOB_KIND)
def staffchecks_run(job: Job, progress: Progress) -> Attachment | None:
    return services.batches_run_job(job, progress)


@scheduled("staffchecks_annual_open", hour=6, minute=10)
def staffchecks_annual_open() -> str:
    """Runs daily; from the configured month (January by default) it opens the year's re-check
    for units that have none. Idempotent: one annual re-check per unit and year."""
    today = timezone.localdate()
    if today.month < int(getattr(settings, "STAFFCHECKS_ANNUAL_MONTH", 1)):
        return "not yet"
    opened = services.annual_open_all(year=today.year)
    return f"{opened} annual re-checks opened for {today.year}"
