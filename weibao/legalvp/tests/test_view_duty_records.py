"""Duty records through the pages: the appointee and the bureau record; a school only reads."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from weibao.legalvp import services
from weibao.legalvp.models import DutyRecord


def data(school, hours="2") -> dict:
    return {"school": school.pk, "kind": "FD1", "date": timezone.localdate(), "hours": hours}


def test_appointee_records(client_for, vp_user, appointment, school_a) -> None:
    url = reverse("legalvp:duty_add", args=[appointment.pk])
    response = client_for(vp_user).post(url, data(school_a))
    assert response.status_code == 302
    assert DutyRecord.objects.get().hours == Decimal(2)


def test_too_many_hours_names_the_field(client_for, vp_user, appointment, school_a) -> None:
    url = reverse("legalvp:duty_add", args=[appointment.pk])
    response = client_for(vp_user).post(url, data(school_a, "9"))
    assert response.status_code == 400
    assert "at most 8" in response.content.decode()
    assert not DutyRecord.objects.exists()


def test_school_and_others_cannot_record(
    client_for, liaison_a, prosecutor, liaison_b, outsider, appointment, school_a
) -> None:
    url = reverse("legalvp:duty_add", args=[appointment.pk])
    for user in (liaison_a, prosecutor):
        assert client_for(user).post(url, data(school_a)).status_code == 403
    assert client_for(liaison_b).post(url, data(school_a)).status_code == 404
    assert client_for(outsider).post(url, data(school_a)).status_code == 403
    assert not DutyRecord.objects.exists()


def test_edit_and_delete(client_for, vp_user, liaison_a, appointment, school_a) -> None:
    duty = services.duty_record_add(
        actor=vp_user,
        appointment=appointment,
        data={"school": school_a, "kind": "FD1", "hours": Decimal(2), "date": timezone.localdate()},
    )
    edit = reverse("legalvp:duty_edit", args=[duty.pk])
    delete = reverse("legalvp:duty_delete", args=[duty.pk])
    assert client_for(liaison_a).post(edit, data(school_a, "3")).status_code == 403
    assert client_for(liaison_a).post(delete).status_code == 403
    assert client_for(vp_user).post(edit, data(school_a, "3")).status_code == 302
    duty.refresh_from_db()
    assert duty.hours == Decimal(3)
    assert client_for(vp_user).post(delete).status_code == 302
    assert not DutyRecord.objects.exists()
