"""The task pages: list, board, detail, the forms, the notice; who may not; query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.mechanisms.models import Decision, Meeting, PlanItem, SupervisionNotice, Task
from weibao.mechanisms.services import tasks as services
from weibao.testing import County

TODAY = date(2026, 9, 15)
ClientFor = Callable[[User], Client]


def make(lead: User, county: County, n: int = 1, **extra: object) -> list[Task]:
    return [
        services.task_create(
            actor=lead,
            data={
                "title": f"任务{i}",
                "owner": county.education,
                "co_units": [county.school_a],
                "deadline": TODAY + timedelta(days=i),
                **extra,
            },
        )
        for i in range(n)
    ]


@pytest.fixture
def task(lead: User, county: County) -> Task:
    return make(lead, county)[0]


def test_list_shows_own_and_shared_tasks(
    client_for: ClientFor, task: Task, edu_clerk: User, liaison_a: User, police: User
) -> None:
    for user in (edu_clerk, liaison_a):
        page = client_for(user).get(reverse("mechanisms:task_list"))
        assert page.status_code == 200
        assert "任务0" in page.content.decode()
    page = client_for(police).get(reverse("mechanisms:task_list"))
    assert "任务0" not in page.content.decode()


def test_list_filters_and_overdue_first(
    client_for: ClientFor, lead: User, county: County, edu_clerk: User
) -> None:
    _a, b = make(lead, county, 2)
    Task.objects.filter(pk=b.pk).update(deadline=TODAY - timedelta(days=3))
    body = client_for(edu_clerk).get(reverse("mechanisms:task_list")).content.decode()
    assert body.index("任务1") < body.index("任务0")
    body = (
        client_for(edu_clerk).get(reverse("mechanisms:task_list") + "?overdue=on").content.decode()
    )
    assert "任务1" in body and "任务0" not in body
    body = (
        client_for(edu_clerk).get(reverse("mechanisms:task_list") + "?state=done").content.decode()
    )
    assert "任务0" not in body


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_list_not_allowed(client_for: ClientFor, request: pytest.FixtureRequest, who: str) -> None:
    assert (
        client_for(request.getfixturevalue(who)).get(reverse("mechanisms:task_list")).status_code
        == 403
    )


def test_list_shows_an_outsider_nothing(client_for: ClientFor, task: Task, outsider: User) -> None:
    page = client_for(outsider).get(reverse("mechanisms:task_list"))
    assert list(page.context["page"]) == []


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "edu_clerk", "liaison_a", "admin_a"])
def test_board_not_allowed(
    client_for: ClientFor, request: pytest.FixtureRequest, who: str, group: object
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("mechanisms:task_board")).status_code == 403


def test_board_counts(client_for: ClientFor, lead: User, county: County, coordinator: User) -> None:
    _a, b, c = make(lead, county, 3)
    Task.objects.filter(pk=b.pk).update(deadline=TODAY - timedelta(days=3))
    Task.objects.filter(pk=c.pk).update(state=Task.State.DONE, submitted_on=TODAY)
    for user in (lead, coordinator):
        page = client_for(user).get(reverse("mechanisms:task_board"))
        assert page.status_code == 200
        row = next(u for u in page.context["units"] if u["owner"] == county.education.pk)
        assert (row["n_open"], row["n_overdue"], row["n_on_time"], row["n_late"]) == (2, 1, 1, 0)


def test_list_and_board_queries_do_not_grow(
    client_for: ClientFor,
    lead: User,
    county: County,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(lead)
    make(lead, county, 2)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("mechanisms:task_list"))
        client.get(reverse("mechanisms:task_board"))
    count = len(few.captured_queries)
    make(lead, county, 15)
    with django_assert_max_num_queries(count):
        client.get(reverse("mechanisms:task_list"))
        client.get(reverse("mechanisms:task_board"))


def test_create_page_from_a_decision(
    client_for: ClientFor, lead: User, county: County, plan_item: PlanItem
) -> None:
    meeting = Meeting.objects.create(
        title="第一次联席会议", held_on=TODAY, convener=county.procuratorate
    )
    decision = Decision.objects.create(meeting=meeting, number=1, text="开展专项行动")
    Task.objects.create(
        title="早先", owner=county.education, deadline=TODAY, decision=decision, plan_item=plan_item
    )
    client = client_for(lead)
    page = client.get(reverse("mechanisms:task_create") + f"?decision={decision.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial == {"decision": decision.pk, "plan_item": plan_item.pk}
    response = client.post(
        reverse("mechanisms:task_create"),
        {
            "decision": decision.pk,
            "plan_item": plan_item.pk,
            "title": "新任务",
            "owner": county.police_a.pk,
            "co_units": [county.school_b.pk],
            "deadline": "2026-10-01",
        },
    )
    task = Task.objects.get(title="新任务")
    assert response.status_code == 302
    assert response["Location"] == task.get_absolute_url()
    assert task.decision == decision


def test_create_bad_input_names_the_field(
    client_for: ClientFor, lead: User, county: County
) -> None:
    client = client_for(lead)
    response = client.post(
        reverse("mechanisms:task_create"),
        {"title": "x", "owner": county.hotel.pk, "deadline": "2026-09-01"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "owner" in errors
    assert not Task.objects.exists()
    response = client.post(
        reverse("mechanisms:task_create"),
        {"title": "x", "owner": county.education.pk, "deadline": "2026-09-01"},
    )
    assert response.context["form"].errors["deadline"] == ["The deadline cannot be in the past."]


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "edu_clerk", "liaison_a"])
def test_create_and_edit_not_allowed(
    client_for: ClientFor, request: pytest.FixtureRequest, who: str, task: Task
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("mechanisms:task_create")).status_code == 403
    assert client.post(reverse("mechanisms:task_edit", args=[task.pk]), {}).status_code in (
        403,
        404,
    )


def test_detail_and_the_whole_flow(
    client_for: ClientFor, task: Task, lead: User, edu_clerk: User, liaison_a: User
) -> None:
    owner, co, lead_client = client_for(edu_clerk), client_for(liaison_a), client_for(lead)
    page = owner.get(task.get_absolute_url())
    assert page.status_code == 200
    assert page.context["can_submit"] and page.context["can_report"]
    assert not co.get(task.get_absolute_url()).context["can_submit"]
    upload = SimpleUploadedFile("p.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = co.post(
        reverse("mechanisms:task_progress", args=[task.pk]),
        {"progress-text": "学校已开展", "progress-files": [upload]},
    )
    assert response.status_code == 302
    page = owner.get(task.get_absolute_url())
    ((_report, files),) = page.context["timeline"]
    assert [f.name for f in files] == ["p.pdf"]
    assert (
        co.post(reverse("mechanisms:task_submit", args=[task.pk]), {"result-text": "x"}).status_code
        == 403
    )
    assert (
        owner.post(
            reverse("mechanisms:task_submit", args=[task.pk]), {"result-text": ""}
        ).status_code
        == 400
    )
    assert (
        owner.post(
            reverse("mechanisms:task_submit", args=[task.pk]), {"result-text": "完成"}
        ).status_code
        == 302
    )
    assert owner.post(reverse("mechanisms:task_accept", args=[task.pk]), {}).status_code == 403
    response = lead_client.post(
        reverse("mechanisms:task_return", args=[task.pk]), {"return-reason": ""}
    )
    assert response.status_code == 400
    assert (
        lead_client.post(
            reverse("mechanisms:task_return", args=[task.pk]), {"return-reason": "补材料"}
        ).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.state == Task.State.RETURNED
    owner.post(reverse("mechanisms:task_submit", args=[task.pk]), {"result-text": "已补"})
    assert (
        lead_client.post(
            reverse("mechanisms:task_accept", args=[task.pk]), {"accept-text": "好"}
        ).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.state == Task.State.DONE


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "police", "liaison_b"])
def test_detail_and_actions_not_allowed(
    client_for: ClientFor, request: pytest.FixtureRequest, who: str, task: Task
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(task.get_absolute_url()).status_code in (403, 404)
    for name in ("task_progress", "task_submit", "task_accept", "task_return", "notice_issue"):
        assert client.post(reverse(f"mechanisms:{name}", args=[task.pk]), {}).status_code in (
            403,
            404,
        )
    assert not task.reports.exists()


def test_another_unit_gets_404_on_progress(client_for: ClientFor, task: Task, police: User) -> None:
    response = client_for(police).post(
        reverse("mechanisms:task_progress", args=[task.pk]), {"progress-text": "x"}
    )
    assert response.status_code == 404


def test_notice_issue_and_docx(
    client_for: ClientFor, task: Task, lead: User, edu_clerk: User, police: User
) -> None:
    client = client_for(lead)
    page = client.get(reverse("mechanisms:notice_issue", args=[task.pk]))
    assert page.context["form"].initial["addressee"] == "乐安县教育局主要负责人"
    bad = client.post(
        reverse("mechanisms:notice_issue", args=[task.pk]), {"reason": "", "reply_by": "x"}
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"reason", "reply_by"}
    ok = client.post(
        reverse("mechanisms:notice_issue", args=[task.pk]),
        {"reason": "进度滞后", "reply_by": "2026-09-20"},
    )
    assert ok.status_code == 302
    notice = SupervisionNotice.objects.get()
    response = client_for(edu_clerk).get(reverse("mechanisms:notice_docx", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client_for(police).get(reverse("mechanisms:notice_docx", args=[notice.pk])).status_code
        == 404
    )


def test_waiting_lines(task: Task, lead: User, edu_clerk: User, county: County) -> None:
    from weibao.mechanisms.waiting import waiting

    labels = [item.label for item in waiting(edu_clerk)]
    assert labels == ["Tasks due within three days"]
    Task.objects.filter(pk=task.pk).update(deadline=TODAY - timedelta(days=1))
    (item,) = waiting(edu_clerk)
    assert item.overdue
    services.result_submit(actor=edu_clerk, task=task, text="完成")
    (item,) = waiting(lead)
    assert item.label == "Task results waiting for acceptance"


def test_api_lists_the_callers_tasks(
    client_for: ClientFor, task: Task, edu_clerk: User, police: User
) -> None:
    url = "/api/v1/mechanisms/tasks/"
    body = client_for(edu_clerk).get(url, {"state": "open"}).json()
    assert [row["id"] for row in body["results"]] == [task.pk]
    assert client_for(police).get(url).json()["results"] == []
    assert client_for(police).get(f"{url}{task.pk}/").status_code == 404
