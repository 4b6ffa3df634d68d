"""Long jobs: job_start, the run in the worker, progress throttling, failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from weibao.accounts.models import User
from weibao.core import jobs
from weibao.core.jobs import Progress, register
from weibao.core.models import Attachment, Job, Notification
from weibao.core.services import attachment_store_bytes, job_start


@register("test_count")
def count_handler(job: Job, progress: Progress) -> Attachment | None:
    """Counts to params["n"], reporting each step; returns a file with the count."""
    n = job.params["n"]
    for i in range(1, n + 1):
        progress(i, n)
    return attachment_store_bytes(
        actor=job.started_by, name="count.txt", content=str(n).encode(), content_type="text/plain"
    )


@register("test_fail")
def failing_handler(job: Job, progress: Progress) -> Attachment | None:
    progress(1, 4)
    raise ValidationError("Row 3: the ID number is not valid.")


@register("test_crash")
def crashing_handler(job: Job, progress: Progress) -> Attachment | None:
    raise OperationalError("database is locked")


@register("test_nothing")
def quiet_handler(job: Job, progress: Progress) -> Attachment | None:
    return None


@pytest.fixture
def run_inline(
    immediate_tasks: None, file_root: Path, django_capture_on_commit_callbacks: Any
) -> Any:
    """Start jobs and let the (inline) worker run them when the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_job_runs_and_stores_its_result(liaison_a: User, run_inline: Any) -> None:
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_count", title="Count", params={"n": 50})

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (50, 50, 100)
    assert job.started_at is not None and job.finished_at is not None
    assert job.result is not None
    assert job.result.name == "count.txt"
    assert job.result.owner == job  # so the starter may download it
    with job.result.file.open("rb") as handle:
        assert handle.read() == b"50"


def test_starter_is_told_when_it_is_finished(liaison_a: User, run_inline: Any) -> None:
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_count", title="Count", params={"n": 1})

    notification = Notification.objects.get(recipient=liaison_a)
    assert "Count" in notification.title
    assert notification.link == job.get_absolute_url()


def test_failed_job_keeps_the_error_for_the_user(liaison_a: User, run_inline: Any) -> None:
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_fail", title="Import", params={})

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Row 3: the ID number is not valid."
    assert (job.done, job.total) == (1, 4)
    assert job.result is None
    assert "Import" in Notification.objects.get(recipient=liaison_a).title


def test_a_crash_is_told_in_the_starters_language_not_as_the_exception(
    liaison_a: User, run_inline: Any
) -> None:
    """ "database is locked" reached the job page and the inbox of a Chinese user."""
    liaison_a.language = "zh-hans"
    liaison_a.save(update_fields=["language"])
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_crash", title="Export", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "locked" not in job.message and "系统管理员" in job.message


def test_job_without_progress_or_result(liaison_a: User, run_inline: Any) -> None:
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_nothing", title="Quiet")

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.percent == 100


def test_job_waits_for_the_commit(
    liaison_a: User, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(actor=liaison_a, kind="test_nothing", title="Quiet")

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_unknown_kind_is_refused(liaison_a: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        job_start(actor=liaison_a, kind="no_such_kind", title="x")

    assert "no_such_kind" in excinfo.value.message_dict["kind"][0]
    assert Job.objects.count() == 0


def test_params_must_be_plain_data(liaison_a: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        job_start(actor=liaison_a, kind="test_nothing", title="x", params={"user": liaison_a})

    assert "params" in excinfo.value.message_dict
    assert Job.objects.count() == 0


def test_progress_writes_are_throttled(liaison_a: User, file_root: Path) -> None:
    job = Job.objects.create(
        kind="test_count", title="Count", params={"n": 5000}, started_by=liaison_a
    )

    with CaptureQueriesContext(connection) as queries:
        jobs.execute(str(job.pk))

    progress_writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('UPDATE "core_job"') and '"status"' not in q["sql"]
    ]
    assert 90 <= len(progress_writes) <= 102  # about one per percent, not 5000


def test_running_twice_runs_once(liaison_a: User, file_root: Path) -> None:
    job = Job.objects.create(
        kind="test_count", title="Count", params={"n": 3}, started_by=liaison_a
    )

    assert jobs.execute(str(job.pk)) == Job.Status.DONE
    assert jobs.execute(str(job.pk)) == "not queued"
    assert Attachment.objects.count() == 1


def test_kind_registered_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("test_count")(quiet_handler)


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_job(liaison_a: User, file_root: Path) -> None:
    job = job_start(actor=liaison_a, kind="test_count", title="Count", params={"n": 10})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.done == 10


def test_a_finished_jobs_page_links_to_what_it_did(
    liaison_a: User, run_inline: Any, client_for: Any
) -> None:
    with run_inline():
        job = job_start(actor=liaison_a, kind="test_nothing", title="Quiet", link="/inbox/")
    page = client_for(liaison_a).get(job.get_absolute_url()).content.decode()
    assert 'href="/inbox/"' in page and "See what the job did" in page


def test_a_job_links_only_within_the_site(liaison_a: User) -> None:
    with pytest.raises(ValidationError):
        job_start(actor=liaison_a, kind="test_nothing", title="x", link="https://evil.example/")
