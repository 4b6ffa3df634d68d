"""Each task service refuses a wrong actor called directly, and writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import User
from weibao.mechanisms.models import Progress, SupervisionNotice, Task
from weibao.mechanisms.services import tasks as services
from weibao.testing import County

TODAY = date(2026, 9, 15)


@pytest.fixture
def task(lead: User, county: County) -> Task:
    return services.task_create(
        actor=lead,
        data={
            "title": "任务",
            "owner": county.education,
            "co_units": [county.school_a],
            "deadline": TODAY + timedelta(days=5),
        },
    )


WRONG = ["outsider", "sysadmin", "auditor", "police", "liaison_b"]


@pytest.mark.parametrize("who", [*WRONG, "edu_clerk", "admin_a"])
def test_create_refused(
    request: pytest.FixtureRequest, who: str, county: County, group: object
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=actor,
            data={"title": "x", "owner": county.education, "deadline": TODAY},
        )
    assert not Task.objects.exists()


@pytest.mark.parametrize("who", [*WRONG, "edu_clerk", "admin_a"])
def test_update_accept_return_notice_refused(
    request: pytest.FixtureRequest, who: str, task: Task, county: County
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.task_update(actor=actor, task=task, data={"title": "y"})
    with pytest.raises(PermissionDenied):
        services.task_accept(actor=actor, task=task)
    with pytest.raises(PermissionDenied):
        services.task_return(actor=actor, task=task, reason="r")
    with pytest.raises(PermissionDenied):
        services.notice_issue(actor=actor, task=task, data={"reason": "r", "reply_by": TODAY})
    assert not SupervisionNotice.objects.exists()
    task.refresh_from_db()
    assert task.title == "任务"


@pytest.mark.parametrize("who", WRONG)
def test_progress_refused(request: pytest.FixtureRequest, who: str, task: Task) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=actor, task=task, text="x")
    assert not task.reports.filter(kind=Progress.Kind.PROGRESS).exists()


@pytest.mark.parametrize("who", [*WRONG, "admin_a", "lead"])
def test_submit_refused(request: pytest.FixtureRequest, who: str, task: Task) -> None:
    """Only the owner unit submits: not a co-unit (school A), not the lead agency."""
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.result_submit(actor=actor, task=task, text="x")
    task.refresh_from_db()
    assert task.state == Task.State.OPEN


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "auditor", "police", "liaison_b"])
def test_notice_docx_refused(
    request: pytest.FixtureRequest, who: str, task: Task, lead: User
) -> None:
    notice = services.notice_issue(actor=lead, task=task, data={"reason": "r", "reply_by": TODAY})
    with pytest.raises(PermissionDenied):
        services.notice_docx(actor=request.getfixturevalue(who), notice=notice)
