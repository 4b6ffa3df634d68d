"""Core's background work: thin tasks that call services, and core's scheduled jobs.

Tasks take plain JSON arguments (ids as int or str), because the queue stores them as JSON.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from weibao.audit import tasks as audit_tasks
from weibao.core import jobs, ratelimit, schedule, services


@task()
def send_webhook(delivery_id: int) -> str:
    """One attempt at posting a message to a unit's group robot; queues its own retry."""
    return services.webhook_deliver(delivery_id=delivery_id)


@task()
def send_email(addresses: list[str], subject: str, body: str, link: str = "") -> int:
    """E-mail a notification, one message per address."""
    return services.email_send(addresses=addresses, subject=subject, body=body, link=link)


@task()
def run_job(job_id: str) -> str:
    """Run a long job (see weibao.core.jobs), updating its progress as it goes."""
    return jobs.execute(job_id)


@task()
def run_scheduled(name: str) -> str:
    """Run a scheduled job whose slot the scheduler has claimed."""
    return schedule.run(name)


# Core's scheduled jobs ------------------------------------------------------------------------


@schedule.scheduled("notifications_prune", hour=3, minute=10)
def notifications_prune() -> str:
    """Delete read messages older than 180 days (inboxes stay small)."""
    return f"{services.notifications_prune(older_than_days=180)} read notifications deleted"


@schedule.scheduled("webhook_retry_stale", every_minutes=10)
def webhook_retry_stale() -> str:
    """Queue again group-robot messages left pending while the worker was down."""
    return f"{services.webhook_retry_stale()} webhook deliveries queued again"


@schedule.scheduled("ratelimit_prune", hour=3, minute=20)
def ratelimit_prune() -> str:
    """Delete rate-limit counts older than the longest window."""
    return f"{ratelimit.prune()} rate-limit counts deleted"


# The audit chains' signed checkpoint (audit sits below core, so its job is registered here).
@schedule.scheduled("audit_checkpoint", every_minutes=settings.AUDIT_CHECKPOINT_MINUTES)
def audit_checkpoint() -> str:
    """Sign the audit chains' heads (weibao.audit.tasks). When it cannot (a chain broken or
    cut short since the last checkpoint, or the checkpoint folder unwritable), the auditors
    are told at once, and the run fails with the reason in the scheduler's record."""
    try:
        return audit_tasks.audit_checkpoint()
    except Exception:
        services.audit_checkpoint_failed_notify()
        raise


@schedule.scheduled("exports_expire", hour=3, minute=30)
def exports_expire() -> str:
    """Delete the files of exports past their time (settings.EXPORT_EXPIRY_DAYS)."""
    return f"{services.exports_expire()} expired export files deleted"
