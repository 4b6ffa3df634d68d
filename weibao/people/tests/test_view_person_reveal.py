from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.audit.models import AuditEvent


def _url(person) -> str:
    return reverse("people:reveal", args=[person.pk])


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_reveal_shows_the_value_once_in_a_partial(client_for, liaison_a, pupil_a, field):
    response = client_for(liaison_a).post(
        _url(pupil_a), {"field": field, "reason": "家访核实身份"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert getattr(pupil_a, field) in body
    assert "<html" not in body
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert event.detail == {"field": field, "reason": "家访核实身份"}


def test_without_htmx_a_whole_page_is_rendered(client_for, liaison_a, pupil_a) -> None:
    response = client_for(liaison_a).post(
        _url(pupil_a), {"field": "id_number", "reason": "家访核实身份"}
    )
    assert response.status_code == 200
    assert pupil_a.id_number in response.content.decode()


@pytest.mark.parametrize("reason", ["", "abc"])
def test_reason_is_required(client_for, liaison_a, pupil_a, reason) -> None:
    response = client_for(liaison_a).post(
        _url(pupil_a), {"field": "id_number", "reason": reason}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert pupil_a.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


def test_get_is_not_allowed(client_for, liaison_a, pupil_a) -> None:
    assert client_for(liaison_a).get(_url(pupil_a)).status_code == 405


@pytest.mark.parametrize("user", ["liaison_b", "outsider"])
def test_out_of_scope_gets_404(request, client_for, pupil_a, user) -> None:
    response = client_for(request.getfixturevalue(user)).post(
        _url(pupil_a), {"field": "id_number", "reason": "家访核实身份"}
    )
    assert response.status_code == 404
    assert pupil_a.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_get_403(request, client_for, pupil_a, user) -> None:
    response = client_for(request.getfixturevalue(user)).post(
        _url(pupil_a), {"field": "id_number", "reason": "家访核实身份"}
    )
    assert response.status_code == 403
