"""The named-responsibility pages: access for schools, townships, villages and the education
bureau; the form (pickers, a child assigned twice refused); the contact form for the
assignee; the lists of children without anyone and of silent assignees; query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from weibao.accounts.models import Role
from weibao.drowning.models import Assignment, Contact
from weibao.drowning.tests.conftest import make_pupil
from weibao.testing import make_user


@pytest.fixture
def world(assignment) -> dict:
    return {"assignment": assignment}


PAGES = [
    ("assignment_list", None, "liaison_a", "police"),
    ("assignment_create", None, "township_worker", "village_clerk"),
    ("assignment_unassigned", None, "village_clerk", "water_bureau"),
    ("assignment_silent", None, "edu_reader", "outsider"),
    ("assignment_detail", "assignment", "teacher_a", "liaison_b"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused) -> None:
    url = reverse(f"drowning:{name}", args=[world[arg].pk] if arg else [])
    response = client_for(request.getfixturevalue(allowed)).get(url)
    assert response.status_code == 200, response.content[:300]
    assert client_for(request.getfixturevalue(refused)).get(url).status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider"])
def test_nobody_else(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    for name in ("assignment_list", "assignment_unassigned", "assignment_silent"):
        assert client.get(reverse(f"drowning:{name}")).status_code == 403


def test_form_uses_pickers(client_for, liaison_a, pupils, teacher_a) -> None:
    page = client_for(liaison_a).get(reverse("drowning:assignment_create")).content.decode()
    assert "/pick/minor/" in page and "/pick/drowning-assignee/" in page
    assert "张小明" not in page and "李老师" not in page  # nothing listed until searched


def test_assignee_picker_scoped(client_for, liaison_a, teacher_a, police) -> None:
    found = client_for(liaison_a).get("/pick/drowning-assignee/?q=teacher").content.decode()
    assert "李老师" in found
    assert (
        "police_a"
        not in client_for(liaison_a).get("/pick/drowning-assignee/?q=police").content.decode()
    )


def test_assign_twice_from_the_form(client_for, liaison_a, pupils, teacher_a) -> None:
    url = reverse("drowning:assignment_create")
    data = {"child": pupils[1].pk, "assignee": teacher_a.pk, "year": 2026, "season": "summer"}
    assert client_for(liaison_a).post(url, data).status_code == 302
    response = client_for(liaison_a).post(url, data)
    assert response.status_code == 400
    assert "already assigned to 李老师" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_assignee_logs_a_contact(client_for, world, teacher_a, liaison_b, village_clerk) -> None:
    url = reverse("drowning:assignment_detail", args=[world["assignment"].pk])
    future = {"contacted_on": "2026-07-20", "way": "phone"}
    response = client_for(teacher_a).post(url, future)
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    assert (
        client_for(teacher_a).post(url, {"contacted_on": "2026-07-14", "way": "phone"}).status_code
        == 302
    )
    assert (
        client_for(village_clerk)
        .post(url, {"contacted_on": "2026-07-14", "way": "phone"})
        .status_code
        == 403
    )
    assert Contact.objects.count() == 1


def test_unassigned_list(client_for, world, liaison_a, pupils) -> None:
    page = client_for(liaison_a).get(reverse("drowning:assignment_unassigned")).content.decode()
    assert "王*红" in page and "李*刚" in page and "张*明" not in page


def test_silent_list(client_for, world, liaison_a) -> None:
    url = reverse("drowning:assignment_silent")
    assert "李老师" not in client_for(liaison_a).get(url).content.decode()
    with time_machine.travel(date(2026, 7, 15) + timedelta(days=20)):
        assert "李老师" in client_for(liaison_a).get(url).content.decode()


def _silent_child(county, teacher, i):
    child = make_pupil(county, f"学生{i}", date(2015, 1, 1), 400 + i)
    Assignment.objects.create(child=child, assignee=teacher, year=2026, season="summer",
                              assigned_on=date(2026, 6, 1))  # fmt: skip


@pytest.mark.parametrize("name", ["assignment_list", "assignment_unassigned", "assignment_silent"])
def test_query_count_flat(
    client_for, world, liaison_a, teacher_a, county, django_assert_max_num_queries, name
) -> None:
    client = client_for(liaison_a)
    url = reverse(f"drowning:{name}")
    _silent_child(county, teacher_a, 0)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(1, 7):
        teacher = make_user(f"t{i}", county.school_a, Role.CASE_WORKER, full_name=f"老师{i}")
        _silent_child(county, teacher, i)
        make_pupil(county, f"未包保{i}", date(2016, 1, 1), 500 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "老师6" in client.get(url).content.decode() or name == "assignment_unassigned"
