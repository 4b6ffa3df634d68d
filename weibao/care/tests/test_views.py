"""The care pages: each opens for the right user and refuses the wrong one; the lists keep
their query count and their filters; the child's page records contacts, visits and
difficulties through the services and shows their errors; a warning closes with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.care import services
from weibao.care.models import CareAppointment, CareWarning, Contact, Visit
from weibao.people.models import LeftBehindStatus
from weibao.schools.models import School


@pytest.fixture
def world(county, civil, director, supervisor, child_a, child_b):
    warning = services.visit_record(
        actor=director,
        child=child_a,
        data={"visited_on": timezone.localdate(), "carer_fit": False, "concern": "child_alone"},
    ).warnings.get()
    difficulty = services.difficulty_record(
        actor=civil,
        child=child_b,
        data={"category": "hardship", "since": timezone.localdate() - timedelta(days=90)},
    )
    return {
        "child_a": child_a,
        "child_b": child_b,
        "warning": warning,
        "difficulty": difficulty,
        "appointment": CareAppointment.objects.get(user=director),
        "township_a": county.township_a,
    }


# url name, argument key, the user who may open it, a user refused (403/404), method.
PAGES = [
    ("child_list", None, "director", "police", "get"),
    ("child_list", None, "liaison_a", "outsider", "get"),
    ("child_detail", "child_a", "director", "liaison_b", "get"),
    ("child_detail", "child_b", "civil_reader", "director", "get"),
    ("contact_create", "child_a", None, "liaison_a", "post"),
    ("visit_create", "child_a", None, "civil_reader", "post"),
    ("difficulty_create", "child_b", None, "director", "post"),
    ("difficulty_end", "difficulty", None, "supervisor", "post"),
    ("warning_list", None, "supervisor", "auditor", "get"),
    ("warning_close", "warning", None, "liaison_a", "post"),
    ("overview", None, "civil_reader", "supervisor", "get"),
    ("township", "township_a", "supervisor", "director", "get"),
    ("appointment_list", None, "supervisor", "liaison_a", "get"),
    ("appointment_create", None, "civil", "supervisor", "get"),
    ("appointment_end", "appointment", None, "civil_reader", "post"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused", "method"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused, method) -> None:
    args = [world[arg].pk] if arg else []
    url = reverse(f"care:{name}", args=args)
    if allowed:
        response = getattr(client_for(request.getfixturevalue(allowed)), method)(url)
        assert response.status_code in (200, 302), response.content[:300]
    response = getattr(client_for(request.getfixturevalue(refused)), method)(url)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider", "police", "coordinator"])
def test_nobody_else_or_everything(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    expected = 200 if user == "coordinator" else 403
    for name in ("child_list", "warning_list", "overview", "appointment_list"):
        assert client.get(reverse(f"care:{name}")).status_code == expected


def test_a_director_sees_the_children_of_their_village(client_for, world, director) -> None:
    page = client_for(director).get(reverse("care:child_list"))
    assert world["child_a"].masked_name.encode() in page.content
    assert world["child_b"].masked_name.encode() not in page.content


def test_a_school_sees_its_left_behind_pupils_and_keeps_nothing(client_for, world, liaison_a):
    page = client_for(liaison_a).get(reverse("care:child_detail", args=[world["child_a"].pk]))
    assert page.status_code == 200 and b"Record the visit" not in page.content


def test_the_filters(client_for, world, civil, make_child, county) -> None:
    quiet = make_child(county.village_a, county.school_a, name="赵小雨")
    LeftBehindStatus.objects.filter(child=quiet).update(
        last_contact_date=timezone.localdate() - timedelta(days=2)
    )
    client = client_for(civil)
    url = reverse("care:child_list")
    page = client.get(url, {"overdue": "on"})
    assert world["child_a"].masked_name.encode() in page.content
    assert quiet.masked_name.encode() not in page.content
    page = client.get(url, {"warning": "on"})
    assert world["child_a"].masked_name.encode() in page.content
    assert world["child_b"].masked_name.encode() not in page.content
    page = client.get(url, {"kind": "hardship"})
    assert world["child_b"].masked_name.encode() in page.content
    assert world["child_a"].masked_name.encode() not in page.content
    page = client.get(url, {"not_visited": "on"})
    assert world["child_a"].masked_name.encode() not in page.content  # visited today
    page = client.get(url, {"village": county.village_a.pk})
    assert world["child_a"].masked_name.encode() in page.content
    assert world["child_b"].masked_name.encode() not in page.content
    school_b = School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    page = client.get(url, {"school": school_b.pk})
    assert world["child_b"].masked_name.encode() in page.content
    assert world["child_a"].masked_name.encode() not in page.content
    page = client.get(url, {"township": county.township_b.pk})
    assert world["child_b"].masked_name.encode() in page.content
    assert world["child_a"].masked_name.encode() not in page.content


def test_list_query_count(
    client_for, world, civil, make_child, county, django_assert_max_num_queries
):
    client = client_for(civil)
    url = reverse("care:child_list")
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for _n in range(5):
        child = make_child(county.village_a, county.school_a)
        services.contact_record(
            actor=civil,
            child=child,
            data={"contacted_on": timezone.localdate(), "by_whom": "母亲", "means": "phone"},
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_child_page_is_audited(client_for, world, director) -> None:
    client_for(director).get(reverse("care:child_detail", args=[world["child_a"].pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_id=str(world["child_a"].pk)
    ).exists()


def test_recording_a_contact_and_its_errors(client_for, world, director) -> None:
    child = world["child_a"]
    url = reverse("care:contact_create", args=[child.pk])
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(director).post(
        url, {"contacted_on": future, "by_whom": "", "means": "phone"}
    )
    assert response.status_code == 400 and not Contact.objects.exists()
    today = timezone.localdate().isoformat()
    response = client_for(director).post(
        url, {"contacted_on": today, "by_whom": "母亲", "means": "video"}
    )
    assert response.status_code == 302
    assert LeftBehindStatus.objects.get(child=child).last_contact_date == timezone.localdate()


def test_a_visit_in_the_future_is_refused(client_for, world, director) -> None:
    url = reverse("care:visit_create", args=[world["child_a"].pk])
    before = Visit.objects.count()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(director).post(url, {"visited_on": future, "carer_fit": "on"})
    assert response.status_code == 400 and Visit.objects.count() == before


def test_a_warning_closes_with_a_reason(client_for, world, director) -> None:
    url = reverse("care:warning_close", args=[world["warning"].pk])
    assert client_for(director).post(url, {"reason": ""}).status_code == 400
    response = client_for(director).post(url, {"reason": "祖母已回家照料"})
    assert response.status_code == 302
    assert not CareWarning.objects.open().exists()


def test_the_overview_counts(client_for, world, civil, county) -> None:
    page = client_for(civil).get(reverse("care:overview"))
    body = page.content.decode()
    row = body[body.index(county.township_a.name) :].split("</tr>")[0]
    # township A: child A, left behind, visited today, contact overdue (never), one warning.
    assert row.count("<td>") >= 7
    assert ">1<" in row


def test_appointing_ends_the_one_before(client_for, world, civil, county) -> None:
    url = reverse("care:appointment_create")
    data = {
        "role": "director",
        "division": county.village_a.pk,
        "person_name": "陈主任",
        "phone": "13900000000",
        "starts_on": timezone.localdate().isoformat(),
    }
    assert client_for(civil).post(url, data).status_code == 302
    current = CareAppointment.objects.current().get(role="director", division=county.village_a)
    assert current.person_name == "陈主任"
    assert world["appointment"].__class__.objects.get(pk=world["appointment"].pk).ends_on
    data["division"] = county.township_a.pk  # a director for a township
    response = client_for(civil).post(url, data)
    assert response.status_code == 400
