"""Venues' background work: overdue orders escalated, expired licences told, the county-wide
re-check (nightly, and as a job with a progress bar after a rule changes), and a school's
re-check queued when a school is saved (it moved, opened or closed).

One shape for every app: scheduled jobs (@scheduled) and long jobs (@register) live in tasks.py;
the queue's tasks (@task) take plain JSON arguments."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job
from weibao.core.schedule import scheduled
from weibao.schools.models import School
from weibao.venues import services


@scheduled("venues_orders_overdue", hour=7, minute=20)
def venues_orders_overdue() -> str:
    """Escalate rectification orders fallen overdue (each once: idempotent)."""
    return f"{services.orders_escalate_overdue()} escalated"


@scheduled("venues_licences_expired", hour=7, minute=25)
def venues_licences_expired() -> str:
    """Tell supervising units of licences that expired (each once per licence)."""
    return f"{services.licences_notify_expired()} told"


@scheduled("venues_recheck", hour=2, minute=50)
def venues_recheck_nightly() -> str:
    """Check every venue against every school (idempotent: a safety net for the hooks)."""
    return str(services.recheck())


@register(services.RECHECK_JOB)
def venues_recheck_job(job: Job, progress: Progress) -> Attachment | None:
    """The county-wide re-check after a rule changed, with its progress."""
    outcome = services.recheck(progress=progress)
    Job.objects.filter(pk=job.pk).update(message=str(outcome))
    job.message = str(outcome)
    return None


@task()
def recheck_school(school_id: int) -> str:
    """Check every venue against one school (queued when the school is saved)."""
    return str(services.recheck(school_ids=[school_id]))


def _school_saved(sender: Any, instance: School, **kwargs: Any) -> None:
    """A school moved, opened or closed: queue its re-check once the save commits."""
    if kwargs.get("raw"):
        return
    transaction.on_commit(partial(_enqueue, instance.pk), robust=True)


def _enqueue(school_id: int) -> None:
    recheck_school.enqueue(school_id)


post_save.connect(_school_saved, sender=School, dispatch_uid="venues_school_saved")
