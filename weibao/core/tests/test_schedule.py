"""Scheduled jobs: slots, claiming once across schedulers, run_scheduler and run_job."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from weibao.accounts.models import User
from weibao.core import schedule
from weibao.core.models import Notification, ScheduledRun
from weibao.core.schedule import ScheduledJob, claim, scheduled, tick

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALLS: list[str] = []


def _noop() -> str:
    return ""


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, ScheduledJob]:
    """An empty registry holding only the jobs a test registers."""
    jobs: dict[str, ScheduledJob] = {}
    monkeypatch.setattr(schedule, "REGISTRY", jobs)
    CALLS.clear()
    return jobs


@pytest.fixture
def counting_job(registry: dict[str, ScheduledJob], db: None) -> str:
    @scheduled("test_counting", hour=2, minute=0)
    def counting() -> str:
        CALLS.append("ran")
        return f"run {len(CALLS)}"

    return "test_counting"


def test_daily_slot_is_in_county_time() -> None:
    job = ScheduledJob("j", _noop, hour=2, minute=30)

    before = datetime(2026, 3, 10, 1, 0, tzinfo=SHANGHAI)
    after = datetime(2026, 3, 10, 2, 30, tzinfo=SHANGHAI)

    assert job.latest_slot(before) == datetime(2026, 3, 9, 2, 30, tzinfo=SHANGHAI)
    assert job.latest_slot(after) == datetime(2026, 3, 10, 2, 30, tzinfo=SHANGHAI)
    # The same instant given in UTC gives the same slot.
    assert job.latest_slot(after.astimezone(ZoneInfo("UTC"))) == after


def test_every_minutes_slot() -> None:
    job = ScheduledJob("j", _noop, every_minutes=10)

    assert job.latest_slot(datetime(2026, 3, 10, 10, 7, 42, tzinfo=SHANGHAI)) == datetime(
        2026, 3, 10, 10, 0, tzinfo=SHANGHAI
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"hour": 2, "every_minutes": 5}, {"hour": 24}, {"every_minutes": 0}],
)
def test_bad_schedule_is_refused(registry: dict[str, ScheduledJob], kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        scheduled("bad", **kwargs)(_noop)


def test_name_registered_twice_is_an_error(registry: dict[str, ScheduledJob]) -> None:
    scheduled("dup", hour=1)(_noop)
    with pytest.raises(ValueError, match="already registered"):
        scheduled("dup", hour=1)(lambda: "")


def test_a_slot_is_claimed_once(db: None) -> None:
    slot = timezone.now().replace(microsecond=0)

    assert claim("j", slot) is True
    assert claim("j", slot) is False  # a second scheduler, same slot
    assert claim("j", slot - timedelta(days=1)) is False  # an older slot
    assert claim("j", slot + timedelta(days=1)) is True
    assert ScheduledRun.objects.get(name="j").last_slot == slot + timedelta(days=1)


def test_run_scheduler_twice_runs_the_job_once(counting_job: str, immediate_tasks: None) -> None:
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    call_command("run_scheduler", "--once", stdout=out)

    assert CALLS == ["ran"]
    assert out.getvalue().count("queued test_counting") == 1
    run = ScheduledRun.objects.get(name=counting_job)
    assert run.last_slot is not None
    assert run.last_started_at is not None and run.last_finished_at is not None
    assert run.last_summary == "run 1"
    assert run.last_error == ""


def test_next_slot_runs_again(counting_job: str, immediate_tasks: None) -> None:
    now = timezone.now()

    assert tick(now) == [counting_job]
    assert tick(now + timedelta(minutes=5)) == []
    assert tick(now + timedelta(days=1)) == [counting_job]
    assert CALLS == ["ran", "ran"]


def test_scheduler_queues_for_the_worker(counting_job: str) -> None:
    # With the database queue, the scheduler only queues; the worker runs it.
    assert tick() == [counting_job]

    assert CALLS == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "weibao.core.tasks.run_scheduled"
    assert task.args_kwargs["args"] == [counting_job]


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_scheduled_job(counting_job: str) -> None:
    call_command("run_scheduler", "--once", stdout=StringIO())
    call_command("run_scheduler", "--once", stdout=StringIO())
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )

    assert CALLS == ["ran"]
    assert ScheduledRun.objects.get(name=counting_job).last_summary == "run 1"


def test_failing_job_records_its_error(registry: dict[str, ScheduledJob], db: None) -> None:
    @scheduled("test_broken", every_minutes=5)
    def broken() -> str:
        raise RuntimeError("disk full")

    with pytest.raises(CommandError, match="disk full"):
        call_command("run_job", "test_broken", stdout=StringIO())

    run = ScheduledRun.objects.get(name="test_broken")
    assert "disk full" in run.last_error
    assert run.last_finished_at is not None


def test_run_job_by_hand(counting_job: str) -> None:
    out = StringIO()

    call_command("run_job", counting_job, stdout=out)
    call_command("run_job", counting_job, stdout=out)  # by hand it runs every time

    assert CALLS == ["ran", "ran"]
    assert "test_counting: run 2" in out.getvalue()
    # A hand run does not take the scheduler's slot.
    assert ScheduledRun.objects.get(name=counting_job).last_slot is None


def test_run_job_unknown_name(db: None) -> None:
    with pytest.raises(CommandError, match="No scheduled job named 'nope'"):
        call_command("run_job", "nope")


def test_run_job_lists_the_jobs(db: None) -> None:
    out = StringIO()
    call_command("run_job", "--list", stdout=out)

    assert "notifications_prune" in out.getvalue()
    assert "webhook_retry_stale" in out.getvalue()


def test_notifications_prune(liaison_a: User) -> None:
    old = timezone.now() - timedelta(days=181)
    recent = timezone.now() - timedelta(days=10)
    Notification.objects.bulk_create(
        [
            Notification(recipient=liaison_a, title="old read", created_at=old, read_at=old),
            Notification(recipient=liaison_a, title="old unread", created_at=old),
            Notification(
                recipient=liaison_a, title="recent read", created_at=recent, read_at=recent
            ),
        ]
    )
    out = StringIO()

    call_command("run_job", "notifications_prune", stdout=out)
    call_command("run_job", "notifications_prune", stdout=out)  # safe to run twice

    assert sorted(Notification.objects.values_list("title", flat=True)) == [
        "old unread",
        "recent read",
    ]
    assert "notifications_prune: 1 read notifications deleted" in out.getvalue()
    assert ScheduledRun.objects.get(name="notifications_prune").last_summary.startswith("0 ")


def test_webhook_retry_stale_job(db: None) -> None:
    out = StringIO()
    call_command("run_job", "webhook_retry_stale", stdout=out)
    assert "0 webhook deliveries queued again" in out.getvalue()
