"""The nightly reminders and supervision (on core.deadlines), and the notice in Word."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from docx import Document

from weibao.accounts.models import User
from weibao.core.models import Notification
from weibao.mechanisms.models import SUPERVISE_AFTER_DAYS, Progress, SupervisionNotice, Task
from weibao.mechanisms.services import tasks as services
from weibao.testing import County

TODAY = date(2026, 9, 15)
DEADLINE = TODAY + timedelta(days=2)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


@pytest.fixture
def task(lead: User, edu_clerk: User, county: County) -> Task:
    return services.task_create(
        actor=lead,
        data={"title": "建立强制报告台账", "owner": county.education, "deadline": DEADLINE},
    )


def reminders(user: User) -> int:
    return (
        Notification.objects.filter(recipient=user).exclude(title__startswith="A task for").count()
    )


def test_due_soon_reminds_once(task: Task, edu_clerk: User) -> None:
    assert services.tasks_remind() == 1
    assert services.tasks_remind() == 0
    assert services.tasks_remind(on=TODAY + timedelta(days=1)) == 0  # once for the deadline
    assert reminders(edu_clerk) == 1


def test_overdue_reminds_daily(task: Task, edu_clerk: User) -> None:
    late = DEADLINE + timedelta(days=1)
    with time_machine.travel(at(late), tick=False):
        assert services.tasks_remind() == 1
        assert services.tasks_remind() == 0
    assert services.tasks_remind(on=late + timedelta(days=1)) == 1
    assert task.reports.filter(kind=Progress.Kind.REMINDED).count() == 2


def test_escalation_issues_one_notice_and_tells_the_group(
    task: Task, lead: User, coordinator: User, edu_clerk: User
) -> None:
    day = DEADLINE + timedelta(days=SUPERVISE_AFTER_DAYS)
    with time_machine.travel(at(day), tick=False):
        first = services.tasks_remind()
        second = services.tasks_remind()
    assert first == 2  # the notice and the day's reminder
    assert second == 0
    notice = SupervisionNotice.objects.get()
    assert notice.issued_by is None
    assert notice.issued_on == day
    assert notice.number == "乐未保督〔2026〕1号"
    assert notice.addressee == "乐安县教育局主要负责人"
    task.refresh_from_db()
    assert task.supervised_on == day
    assert Notification.objects.filter(
        recipient=coordinator, kind="mechanisms_supervision"
    ).exists()
    assert Notification.objects.filter(recipient=lead, kind="mechanisms_supervision").exists()
    assert Notification.objects.filter(recipient=edu_clerk, kind="mechanisms_supervision").exists()
    # The next day: another reminder, no second notice.
    assert services.tasks_remind(on=day + timedelta(days=1)) == 1
    assert SupervisionNotice.objects.count() == 1


def test_returned_task_past_deadline_escalates(task: Task, lead: User, edu_clerk: User) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成")
    services.task_return(actor=lead, task=task, reason="材料不全")
    day = DEADLINE + timedelta(days=SUPERVISE_AFTER_DAYS + 1)
    assert services.tasks_remind(on=day) == 2
    assert SupervisionNotice.objects.filter(task=task).count() == 1


def test_submitted_and_done_tasks_are_left_alone(task: Task, edu_clerk: User) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成")
    assert services.tasks_remind(on=DEADLINE + timedelta(days=SUPERVISE_AFTER_DAYS)) == 0
    assert not SupervisionNotice.objects.exists()


def test_the_scheduled_job_runs_the_reminders(task: Task) -> None:
    from weibao.mechanisms.tasks import mechanisms_tasks_remind

    assert mechanisms_tasks_remind() == "1 sent"


def test_notice_docx_holds_number_and_title(
    task: Task, lead: User, edu_clerk: User, police: User
) -> None:
    notice = services.notice_issue(
        actor=lead,
        task=task,
        data={"reason": "进度明显滞后", "reply_by": TODAY + timedelta(days=3)},
    )
    content = services.notice_docx(actor=edu_clerk, notice=notice)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert notice.number in text
    assert "建立强制报告台账" in text
    assert "乐安县教育局主要负责人" in text
    assert "进度明显滞后" in text
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.notice_docx(actor=police, notice=notice)
