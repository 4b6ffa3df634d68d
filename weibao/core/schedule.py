"""Scheduled jobs: registered in one place, claimed by the scheduler, run by the worker.

Register a job in your app (in a module imported by its AppConfig.ready(), usually tasks.py)::

    from weibao.core.schedule import scheduled

    @scheduled("supervision_reminders", hour=7, minute=30)   # daily, county time
    def supervision_reminders() -> str:
        count = services.supervision_remind_due()
        return f"{count} reminders"

    @scheduled("coverage_recompute", every_minutes=60)
    def coverage_recompute() -> str: ...

`manage.py run_scheduler` (started by `make demo` beside the worker; a service in production)
wakes every 20 seconds, and for each job whose latest due slot it has not yet run, claims that
slot with a conditional UPDATE (so two schedulers never both take it) and queues the job for the
worker. A scheduler that was down runs each missed job once, not once per missed slot.
`manage.py run_job <name>` runs one now, by hand.

A job MUST be safe to run twice (idempotent): a hand run, a retry after a crash, or a slot
claimed just before a restart can repeat it. Write it as "bring the data to the state it should
be in" (remind what is due and not yet reminded; recompute totals), never "add one more".
It returns a short summary for the record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from weibao.core.models import ScheduledRun

logger = logging.getLogger(__name__)

JobFunction = Callable[[], str]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    func: JobFunction
    hour: int | None = None
    minute: int = 0
    every_minutes: int | None = None

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent time at or before `now` at which the job was due."""
        if self.every_minutes:
            period = self.every_minutes * 60
            start = int(now.timestamp()) // period * period
            return datetime.fromtimestamp(start, tz=timezone.get_default_timezone())
        # The county's zone (settings.TIME_ZONE), whatever zone a request may have activated.
        local = timezone.localtime(now, timezone.get_default_timezone())
        slot = local.replace(hour=self.hour or 0, minute=self.minute, second=0, microsecond=0)
        if slot > local:
            slot -= timedelta(days=1)  # Wall-clock arithmetic: still hour:minute the day before.
        return slot

    @property
    def when(self) -> str:
        if self.every_minutes:
            return f"every {self.every_minutes} min"
        return f"daily {self.hour or 0:02d}:{self.minute:02d}"


REGISTRY: dict[str, ScheduledJob] = {}


def scheduled(
    name: str, *, hour: int | None = None, minute: int = 0, every_minutes: int | None = None
) -> Callable[[JobFunction], JobFunction]:
    """Register `fn() -> str` to run daily at hour:minute (county time) or every N minutes."""
    if (hour is None) == (every_minutes is None):
        raise ValueError("give either hour (daily) or every_minutes")
    if hour is not None and not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError("hour must be 0-23 and minute 0-59")
    if every_minutes is not None and not 0 < every_minutes <= 24 * 60:
        raise ValueError("every_minutes must be between 1 and 1440")
    if len(name) > ScheduledRun._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValueError(f"scheduled job name too long: {name!r}")

    def decorator(func: JobFunction) -> JobFunction:
        existing = REGISTRY.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"a scheduled job named {name!r} is already registered")
        REGISTRY[name] = ScheduledJob(name, func, hour, minute, every_minutes)
        return func

    return decorator


def claim(name: str, slot: datetime) -> bool:
    """Take the slot for this job, unless it (or a later one) was taken already.

    One conditional UPDATE: of two schedulers racing for a slot, exactly one changes the row.
    """
    if not ScheduledRun.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name)
        except IntegrityError:
            pass  # Another scheduler created it first.
    updated = (
        ScheduledRun.objects.filter(name=name)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(last_slot=slot)
    )
    return updated == 1


def tick(now: datetime | None = None) -> list[str]:
    """Claim and queue every job that is due; returns the names queued."""
    from weibao.core import tasks

    now = now or timezone.now()
    queued = []
    for job in list(REGISTRY.values()):
        slot = job.latest_slot(now)
        if not claim(job.name, slot):
            continue
        try:
            tasks.run_scheduled.enqueue(job.name)
        except Exception:
            logger.exception("could not queue scheduled job %s for %s", job.name, slot)
            ScheduledRun.objects.filter(name=job.name).update(
                last_error=f"could not queue the run for {slot:%Y-%m-%d %H:%M}"
            )
            continue
        logger.info("queued scheduled job %s for %s", job.name, slot)
        queued.append(job.name)
    return queued


def run(name: str) -> str:
    """Run one job now, in this process, recording when it started and ended, and how."""
    job = REGISTRY.get(name)
    if job is None:
        raise LookupError(f"no scheduled job named {name!r}")
    ScheduledRun.objects.get_or_create(name=name)
    ScheduledRun.objects.filter(name=name).update(last_started_at=timezone.now())
    try:
        summary = str(job.func() or "")
    except Exception as error:
        logger.exception("scheduled job %s failed", name)
        ScheduledRun.objects.filter(name=name).update(
            last_finished_at=timezone.now(),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    ScheduledRun.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_error="", last_summary=summary[:2000]
    )
    logger.info("scheduled job %s: %s", name, summary)
    return summary
