"""The task services: every state change, and the refusals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment, Notification
from weibao.mechanisms.models import (
    LeadingGroup,
    Member,
    PlanItem,
    Progress,
    SupervisionNotice,
    Task,
)
from weibao.mechanisms.services import tasks as services
from weibao.testing import County, make_user

TODAY = date(2026, 9, 15)
pytestmark = pytest.mark.django_db(transaction=False)


def data(county: County, **changes: Any) -> dict[str, Any]:
    return {
        "title": "开展法治进校园专项活动",
        "deliverable": "活动方案和总结",
        "owner": county.education,
        "co_units": [county.school_a],
        "deadline": TODAY + timedelta(days=20),
        "decision": None,
        "plan_item": None,
        **changes,
    }


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.fixture
def edu_admin(county: County, group: LeadingGroup) -> User:
    return make_user("edu_admin", county.education, Role.UNIT_ADMIN)


@pytest.fixture
def school_worker(county: County, group: LeadingGroup) -> User:
    return make_user("school_worker", county.school_a, Role.CASE_WORKER)


@pytest.fixture
def task(lead: User, county: County, plan_item: PlanItem) -> Task:
    return services.task_create(actor=lead, data=data(county, plan_item=plan_item))


def test_create_sets_the_task_and_tells_owner_and_co_units(
    lead: User, edu_clerk: User, school_worker: User, county: County, plan_item: PlanItem
) -> None:
    task = services.task_create(actor=lead, data=data(county, plan_item=plan_item))
    assert task.state == Task.State.OPEN
    assert list(task.co_units.all()) == [county.school_a]
    assert task.created_by == lead
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"edu_clerk", "school_worker"}
    assert AuditEvent.objects.filter(action="create", target_id=str(task.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"deadline": TODAY - timedelta(days=1)}, "deadline"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"owner": None}, "owner"),
        ({"owner": "education"}, "owner"),
        ({"co_units": ["x"]}, "co_units"),
        ({"plan_item": 3}, "plan_item"),
        ({"decision": "1"}, "decision"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    lead: User, county: County, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county, **changes))
    assert field in caught.value.message_dict
    assert not Task.objects.exists()


def test_owner_not_a_member_is_refused(lead: User, county: County) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county, owner=county.hotel))
    assert caught.value.message_dict["owner"] == [
        "The owner unit must be a member unit of the leading group."
    ]


def test_a_unit_that_left_the_group_cannot_be_given_a_task(
    lead: User, county: County, group: LeadingGroup
) -> None:
    Member.objects.filter(unit=county.education).update(left_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county))
    assert "owner" in caught.value.message_dict


def test_co_unit_not_a_member_or_the_owner_is_refused(lead: User, county: County) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county, co_units=[county.hotel]))
    assert "co_units" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county, co_units=[county.education]))
    assert "co_units" in caught.value.message_dict


def test_deadline_in_the_past_is_refused(lead: User, county: County) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_create(actor=lead, data=data(county, deadline=TODAY - timedelta(days=1)))
    assert caught.value.message_dict["deadline"] == ["The deadline cannot be in the past."]


def test_update_changes_the_task_and_not_once_done(
    lead: User, edu_clerk: User, task: Task, county: County
) -> None:
    services.task_update(
        actor=lead, task=task, data=data(county, title="新标题", co_units=[county.school_b])
    )
    task.refresh_from_db()
    assert task.title == "新标题"
    assert list(task.co_units.all()) == [county.school_b]
    Task.objects.filter(pk=task.pk).update(state=Task.State.DONE)
    task.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.task_update(actor=lead, task=task, data=data(county, title="再改"))
    assert "state" in caught.value.message_dict
    task.refresh_from_db()
    assert task.title == "新标题"


def test_progress_by_owner_and_co_unit_with_files(
    edu_clerk: User, school_worker: User, task: Task
) -> None:
    report = services.progress_report(actor=edu_clerk, task=task, text="已制定方案", files=[pdf()])
    assert report.kind == Progress.Kind.PROGRESS
    assert report.unit_id == edu_clerk.organisation_id
    assert Attachment.objects.for_owner(report).count() == 1
    services.progress_report(actor=school_worker, task=task, text="已开展第一场")
    assert task.reports.filter(kind=Progress.Kind.PROGRESS).count() == 2


def test_progress_refuses_empty_text_and_bad_files(edu_clerk: User, task: Task) -> None:
    with pytest.raises(ValidationError) as caught:
        services.progress_report(actor=edu_clerk, task=task, text=" ")
    assert "text" in caught.value.message_dict
    bad = SimpleUploadedFile("x.exe", b"MZ\x00\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as caught:
        services.progress_report(actor=edu_clerk, task=task, text="进展", files=[bad])
    assert "files" in caught.value.message_dict
    assert not task.reports.filter(kind=Progress.Kind.PROGRESS).exists()
    assert not Attachment.objects.exists()


def test_another_unit_cannot_report_progress(police: User, task: Task) -> None:
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=police, task=task, text="进展")


def test_submit_accept_the_whole_way(lead: User, edu_clerk: User, task: Task) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成", files=[pdf()])
    task.refresh_from_db()
    assert task.state == Task.State.SUBMITTED
    assert task.submitted_on == TODAY
    assert Notification.objects.filter(recipient=lead).exists()
    services.task_accept(actor=lead, task=task, text="同意")
    task.refresh_from_db()
    assert task.state == Task.State.DONE
    assert task.accepted_on == TODAY
    assert Task.objects.done_on_time().filter(pk=task.pk).exists()
    kinds = list(task.reports.values_list("kind", flat=True))
    assert kinds == [Progress.Kind.RESULT, Progress.Kind.ACCEPTED]


def test_return_then_submit_again(lead: User, edu_clerk: User, task: Task) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成")
    services.task_return(actor=lead, task=task, reason="缺少活动照片")
    task.refresh_from_db()
    assert task.state == Task.State.RETURNED
    assert Notification.objects.filter(
        recipient=edu_clerk, title="Your unit's task result was returned"
    ).exists()
    services.result_submit(actor=edu_clerk, task=task, text="补充照片")
    task.refresh_from_db()
    assert task.state == Task.State.SUBMITTED


def test_return_without_reason_is_refused(lead: User, edu_clerk: User, task: Task) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成")
    with pytest.raises(ValidationError) as caught:
        services.task_return(actor=lead, task=task, reason="  ")
    assert "reason" in caught.value.message_dict
    task.refresh_from_db()
    assert task.state == Task.State.SUBMITTED


def test_accept_and_return_need_a_submitted_result(lead: User, task: Task) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_accept(actor=lead, task=task)
    assert "state" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.task_return(actor=lead, task=task, reason="不行")


def test_a_co_unit_cannot_submit_the_result(school_worker: User, task: Task) -> None:
    with pytest.raises(PermissionDenied):
        services.result_submit(actor=school_worker, task=task, text="已完成")
    task.refresh_from_db()
    assert task.state == Task.State.OPEN


def test_only_the_lead_agency_accepts_or_returns(
    edu_clerk: User, edu_admin: User, task: Task
) -> None:
    services.result_submit(actor=edu_clerk, task=task, text="已完成")
    for actor in (edu_clerk, edu_admin):
        with pytest.raises(PermissionDenied):
            services.task_accept(actor=actor, task=task)
        with pytest.raises(PermissionDenied):
            services.task_return(actor=actor, task=task, reason="x")


def test_notice_issue_numbers_per_year_and_supervises(
    lead: User, edu_admin: User, task: Task
) -> None:
    one = services.notice_issue(
        actor=lead, task=task, data={"reason": "进度滞后", "reply_by": TODAY + timedelta(days=5)}
    )
    two = services.notice_issue(
        actor=lead,
        task=task,
        data={"reason": "仍未报送", "reply_by": TODAY + timedelta(days=5), "addressee": "局长"},
    )
    assert one.number == "乐未保督〔2026〕1号"
    assert two.number == "乐未保督〔2026〕2号"
    assert one.addressee == "乐安县教育局主要负责人"
    assert two.addressee == "局长"
    task.refresh_from_db()
    assert task.supervised_on == TODAY
    assert task.reports.filter(kind=Progress.Kind.SUPERVISED).count() == 2
    assert (
        Notification.objects.filter(recipient=edu_admin, kind="mechanisms_supervision").count() == 2
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "", "reply_by": TODAY}, "reason"),
        ({"reason": "滞后", "reply_by": TODAY - timedelta(days=1)}, "reply_by"),
        ({"reason": "滞后", "reply_by": "soon"}, "reply_by"),
        ({"reason": "滞后", "reply_by": TODAY, "addressee": "长" * 101}, "addressee"),
    ],
)
def test_notice_refuses_bad_input(
    lead: User, task: Task, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.notice_issue(actor=lead, task=task, data=payload)
    assert field in caught.value.message_dict
    assert not SupervisionNotice.objects.exists()


def test_a_reports_files_follow_the_task(
    client_for: Any, edu_clerk: User, lead: User, liaison_b: User, task: Task
) -> None:
    """The lead agency downloads the owner's result file; a unit outside the task cannot."""
    report = services.result_submit(actor=edu_clerk, task=task, text="已完成", files=[pdf()])
    (attachment,) = Attachment.objects.for_owner(report)
    url = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for(lead).get(url).status_code == 200
    assert client_for(liaison_b).get(url).status_code == 404
