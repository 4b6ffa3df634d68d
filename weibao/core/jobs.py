"""Long jobs with a progress bar: the registry of handlers, and the run the worker does.

An app registers a handler for a kind of job::

    from weibao.core.jobs import register

    @register("people_export")
    def people_export(job: Job, progress: Progress) -> Attachment | None:
        rows = ...
        for done, row in enumerate(rows, 1):
            ...
            progress(done, len(rows))
        return attachment_store_bytes(actor=job.started_by, name=..., content=..., owner=job)

and a view starts one with `weibao.core.services.job_start(actor=..., kind="people_export",
title=..., params={...})`, then redirects to `job.get_absolute_url()`, whose page polls the bar.

The handler runs in the worker, outside any transaction (so the page sees the progress); it
writes through services, which own theirs. What it raises becomes the job's message, so raise
ValidationError or an error whose text a user can read. Import the module that registers it in
your AppConfig.ready().
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from weibao.core.models import Attachment, Job

logger = logging.getLogger(__name__)

# With no total to count percents against, at most one progress write per this many seconds.
PROGRESS_MIN_SECONDS = 1.0


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


Handler = Callable[[Job, Progress], Attachment | None]

HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn(job, progress) -> Attachment | None` as the handler of jobs of `kind`."""

    def decorator(handler: Handler) -> Handler:
        if HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"a job handler for {kind!r} is already registered")
        HANDLERS[kind] = handler
        return handler

    return decorator


class ProgressWriter:
    """Writes done/total to the job at most once per whole percent (or per second, with no total).

    Writing on every row would make the progress bar cost more than the job.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.written_percent = -1
        self.written_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        done, total = max(0, done), max(0, total)
        if done == self.job.done and total == self.job.total:
            return
        percent = int(100 * done / total) if total else 0
        now = time.monotonic()
        if (
            total != self.job.total
            or percent > self.written_percent
            or (not total and now - self.written_at >= PROGRESS_MIN_SECONDS)
        ):
            self.job.done, self.job.total = done, total
            self.job.save(update_fields=["done", "total"])
            self.written_percent, self.written_at = percent, now


def execute(job_id: str) -> str:
    """Run one job: claim it, call its handler, record the result. Safe to run twice."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = Job.objects.select_related("started_by").get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    language = job.started_by.language if job.started_by else None
    # Messages the handler writes are for the user who started it, in their language.
    with override(language):
        try:
            if handler is None:
                raise ValidationError(
                    _("There is no job of the kind %(kind)s.") % {"kind": job.kind}
                )
            result = handler(job, ProgressWriter(job))
        except Exception as error:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job.status = Job.Status.FAILED
            job.message = _error_text(error)
            job.result = None
        else:
            job.status = Job.Status.DONE
            job.result = result
            if job.total == 0 or job.done < job.total:
                job.done = job.total
            if result is not None and not result.owner_id:
                # The result belongs to the job, so whoever may see the job may download it.
                result.owner_type = ContentType.objects.get_for_model(Job)
                result.owner_id = str(job.pk)
                result.save(update_fields=["owner_type", "owner_id"])
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "result", "done", "finished_at"])
        _tell_starter(job)
    return job.status


def _error_text(error: Exception) -> str:
    """What the starter reads: a ValidationError's own words; for anything else (a database
    error, a bug) a plain sentence in their language, never the exception's English text, which
    stays in the log."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _(
        "The job stopped because of an error on the server. Start it again; if it fails again, "
        "tell the system administrator (the details are in the server's log)."
    )


def _tell_starter(job: Job) -> None:
    """Put a line in the starter's inbox: long jobs finish after people have moved on."""
    from weibao.core.services import notify

    if job.started_by is None:
        return
    if job.status == Job.Status.DONE:
        title = _("Finished: %(title)s") % {"title": job.title}
    else:
        title = _("Failed: %(title)s") % {"title": job.title}
    try:
        notify(
            recipients=[job.started_by],
            title=title,
            body=job.message,
            link=job.get_absolute_url(),
            kind="job",
            email=False,
        )
    except Exception:
        logger.exception("could not notify the starter of job %s", job.pk)
