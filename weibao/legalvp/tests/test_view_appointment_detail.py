"""An appointment's page: who sees it, what each may do there."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.legalvp import services

pytestmark = pytest.mark.usefixtures("midyear")


def url(appointment) -> str:
    return reverse("legalvp:detail", args=[appointment.pk])


def test_page_shows_term_hours_and_forms(client_for, bureau, appointment) -> None:
    text = client_for(bureau).get(url(appointment)).content.decode()
    assert appointment.serial_number in text
    assert "0 of 4" in text
    assert "Record a duty" in text
    assert reverse("legalvp:renew", args=[appointment.pk]) in text


def test_school_sees_but_cannot_manage(client_for, liaison_a, appointment) -> None:
    response = client_for(liaison_a).get(url(appointment))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("legalvp:renew", args=[appointment.pk]) not in text
    assert "Evaluate" in text
    assert "Record a duty" not in text


def test_appointee_records_duties(client_for, vp_user, appointment) -> None:
    text = client_for(vp_user).get(url(appointment)).content.decode()
    assert "Record a duty" in text


def test_not_allowed_is_404(client_for, liaison_b, police, outsider, appointment) -> None:
    for user in (liaison_b, police, outsider):
        assert client_for(user).get(url(appointment)).status_code in (403, 404)
    assert client_for(liaison_b).get(url(appointment)).status_code == 404


def test_liaison_b_does_not_see_school_as_evaluation(
    client_for, make_appointment, school_a, school_b, admin_a, bureau, liaison_b
) -> None:
    appointment = make_appointment([school_a, school_b])
    services.evaluation_set(
        actor=admin_a,
        appointment=appointment,
        school=school_a,
        year=timezone.localdate().year,
        grade="excellent",
        comments="甲校评语",
    )
    services.duty_record_add(
        actor=bureau,  # a school records duties only through its law-education sessions
        appointment=appointment,
        data={
            "school": school_a,
            "kind": "FD1",
            "hours": Decimal(1),
            "date": timezone.localdate(),
            "notes": "甲校授课",
        },
    )
    text = client_for(liaison_b).get(url(appointment)).content.decode()
    assert "甲校评语" not in text
    assert "甲校授课" not in text
