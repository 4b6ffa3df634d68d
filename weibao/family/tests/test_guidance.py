"""Family-education guidance on casework's orders: an order waiting for guidance is assigned to
a cleared lecturer, its sessions are recorded by the lecturers' team lead, and its result goes
back to the issuing unit (the order's compliance, a notification) through casework's service."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.casework import services as casework_services
from weibao.casework.models import GuardianOrder
from weibao.core.models import Notification
from weibao.family import services
from weibao.family.models import Guidance, Topic
from weibao.people.models import Person
from weibao.testing import id_for


@pytest.fixture
def child(county) -> Person:
    birth = date(2014, 6, 1)
    person = Person(
        name="李小红",
        sex="F",
        birth_date=birth,
        division=county.village_a,
        school=county.school_a,
        registered_by=county.school_a,
    )
    person.set_id_number(id_for(birth, 124))
    person.save()
    return person


def _order(police, child, kind: str = "guidance_order") -> GuardianOrder:
    return casework_services.guardian_order_issue(
        actor=police,
        data={
            "kind": kind,
            "child": child,
            "guardian_name": "李大山",
            "facts": "长期放任不管",
            "required_actions": "接受家庭教育指导",
            "followups": 0,
        },
    )


@pytest.fixture
def order(police, child) -> GuardianOrder:
    return _order(police, child)


@pytest.fixture
def lecturer(make_volunteer, lecturers_team, cleared):
    volunteer = make_volunteer(name="周杰", team=lecturers_team)
    cleared(volunteer)
    return volunteer


@pytest.fixture
def guidance(civil, order, lecturer) -> Guidance:
    return services.guidance_assign(actor=civil, order=order, lecturer=lecturer)


def test_orders_waiting_for_guidance(police, child, order, civil, lecturer) -> None:
    _order(police, child, kind="admonition")  # an admonition calls for no guidance
    assert list(services.orders_awaiting_guidance()) == [order]
    services.guidance_assign(actor=civil, order=order, lecturer=lecturer)
    assert not services.orders_awaiting_guidance().exists()


def test_assigning_refuses_an_uncleared_or_wrong_lecturer(
    civil, order, make_volunteer, lecturers_team, volunteer
) -> None:
    unchecked = make_volunteer(name="黄敏", team=lecturers_team)
    with pytest.raises(ValidationError) as error:
        services.guidance_assign(actor=civil, order=order, lecturer=unchecked)
    assert error.value.error_dict["lecturer"][0].code == "not_cleared"
    with pytest.raises(ValidationError) as error:
        services.guidance_assign(actor=civil, order=order, lecturer=volunteer)
    assert "lecturer team" in error.value.message_dict["lecturer"][0]
    assert not Guidance.objects.exists()


def test_assigning_twice_or_an_admonition_is_refused(civil, police, child, order, lecturer):
    services.guidance_assign(actor=civil, order=order, lecturer=lecturer)
    with pytest.raises(ValidationError) as error:
        services.guidance_assign(actor=civil, order=order, lecturer=lecturer)
    assert error.value.error_dict["order"][0].code == "duplicate"
    admonition = _order(police, child, kind="admonition")
    with pytest.raises(ValidationError):
        services.guidance_assign(actor=civil, order=admonition, lecturer=lecturer)


@pytest.mark.parametrize("actor", ["police", "team_lead", "liaison_a", "civil_reader"])
def test_only_the_network_writers_assign(request, order, lecturer, actor) -> None:
    with pytest.raises(PermissionDenied):
        services.guidance_assign(
            actor=request.getfixturevalue(actor), order=order, lecturer=lecturer
        )


def test_the_lecturers_lead_records_sessions(guidance, other_lead, team_lead) -> None:
    session = services.guidance_session_record(
        actor=other_lead,
        guidance=guidance,
        data={"held_on": timezone.localdate(), "attended": True, "topic": Topic.VIRTUE},
    )
    assert session.attended and guidance.sessions.count() == 1
    with pytest.raises(PermissionDenied):  # the lead of another team
        services.guidance_session_record(
            actor=team_lead,
            guidance=guidance,
            data={"held_on": timezone.localdate(), "attended": True, "topic": Topic.VIRTUE},
        )
    with pytest.raises(ValidationError) as error:
        services.guidance_session_record(
            actor=other_lead,
            guidance=guidance,
            data={"held_on": timezone.localdate() + timedelta(days=1), "topic": "nonsense"},
        )
    assert {"held_on", "topic"} <= set(error.value.message_dict)


def test_completing_reports_back_to_the_issuer(guidance, civil, other_lead, police) -> None:
    with pytest.raises(ValidationError) as error:
        services.guidance_complete(
            actor=civil, guidance=guidance, data={"result": "已改善", "compliance": "complied"}
        )
    assert error.value.error_dict["compliance"][0].code == "no_session"
    services.guidance_session_record(
        actor=other_lead,
        guidance=guidance,
        data={"held_on": timezone.localdate(), "attended": True, "topic": Topic.VIRTUE},
    )
    services.guidance_complete(
        actor=civil,
        guidance=guidance,
        data={"result": "监护意识明显增强", "compliance": "complied"},
    )
    guidance.refresh_from_db()
    assert guidance.status == Guidance.Status.COMPLETED and guidance.reported_at
    guidance.order.refresh_from_db()
    assert guidance.order.compliance == GuardianOrder.Compliance.COMPLIED
    told = Notification.objects.get(recipient=police, kind="casework.guidance_reported")
    assert guidance.order.number in told.title_text() and "complied" in told.title_text()
    assert AuditEvent.objects.filter(target_id=str(guidance.order.pk)).exists()
    with pytest.raises(ValidationError):  # finished: no more sessions
        services.guidance_session_record(
            actor=other_lead,
            guidance=guidance,
            data={"held_on": timezone.localdate(), "attended": True, "topic": Topic.VIRTUE},
        )


def test_the_lecturers_lead_may_not_report(guidance, other_lead) -> None:
    with pytest.raises(PermissionDenied):
        services.guidance_complete(
            actor=other_lead, guidance=guidance, data={"result": "x", "compliance": "partly"}
        )


def test_casework_refuses_a_report_on_an_order_without_guidance(civil, police, child) -> None:
    admonition = _order(police, child, kind="admonition")
    with pytest.raises(PermissionDenied):
        casework_services.order_guidance_report(
            actor=civil, order=admonition, result="x", compliance="complied"
        )


PAGES = [
    ("guidance_list", None, "civil", "liaison_a", "get"),
    ("guidance_list", None, "other_lead", "police", "get"),
    ("guidance_assign", "order", "womens", "other_lead", "get"),
    ("guidance_detail", "guidance", "other_lead", "team_lead", "get"),
    ("guidance_session", "guidance", None, "team_lead", "post"),
    ("guidance_complete", "guidance", None, "other_lead", "post"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused", "method"), PAGES)
def test_page_access(
    request, client_for, police, child, civil, lecturer, name, arg, allowed, refused, method
) -> None:
    world: dict[str, Any] = {"order": _order(police, child)}
    world["guidance"] = services.guidance_assign(
        actor=civil, order=_order(police, child), lecturer=lecturer
    )
    args = [world[arg].pk] if arg else []
    url = reverse(f"family:{name}", args=args)
    if allowed:
        response = getattr(client_for(request.getfixturevalue(allowed)), method)(url)
        assert response.status_code in (200, 302), response.content[:300]
    response = getattr(client_for(request.getfixturevalue(refused)), method)(url)
    assert response.status_code in (403, 404)


def test_the_pages_assign_record_and_report(client_for, civil, other_lead, order, lecturer):
    page = client_for(civil).get(reverse("family:guidance_list"))
    assert order.number.encode() in page.content
    url = reverse("family:guidance_assign", args=[order.pk])
    response = client_for(civil).post(url, {"lecturer": lecturer.pk, "sessions_planned": 30})
    assert response.status_code == 400 and not Guidance.objects.exists()
    response = client_for(civil).post(url, {"lecturer": lecturer.pk, "sessions_planned": 3})
    guidance = Guidance.objects.get()
    assert response.status_code == 302 and guidance.sessions_planned == 3
    url = reverse("family:guidance_session", args=[guidance.pk])
    data = {"held_on": timezone.localdate().isoformat(), "attended": "on", "topic": "a16_2"}
    assert client_for(other_lead).post(url, data).status_code == 302
    url = reverse("family:guidance_complete", args=[guidance.pk])
    response = client_for(civil).post(url, {"compliance": "partly", "result": ""})
    assert response.status_code == 400
    response = client_for(civil).post(url, {"compliance": "partly", "result": "仍需跟进"})
    assert response.status_code == 302
    guidance.order.refresh_from_db()
    assert guidance.order.compliance == "partly"
    page = client_for(civil).get(guidance.get_absolute_url())
    assert "仍需跟进".encode() in page.content and b"Report the result" not in page.content


def test_the_completed_guidance_indicator(guidance, civil, other_lead, county) -> None:
    from weibao.core.contract import Period, figure

    year = Period.year(2026)
    assert figure("family.family_guidance_completed", division=None, period=year) == 0
    services.guidance_session_record(
        actor=other_lead,
        guidance=guidance,
        data={"held_on": timezone.localdate(), "attended": True, "topic": Topic.VIRTUE},
    )
    services.guidance_complete(
        actor=civil, guidance=guidance, data={"result": "有改善", "compliance": "partly"}
    )
    assert figure("family.family_guidance_completed", division=None, period=year) == 1
    assert figure("family.family_guidance_completed", division=county.township_a, period=year) == 1
    assert figure("family.family_guidance_completed", division=county.township_b, period=year) == 0
    assert figure("family.family_guidance_completed", division=None, period=Period.year(2025)) == 0
