"""Renewing and ending through the pages: the bureau only."""

from __future__ import annotations

from django.urls import reverse

from weibao.legalvp.models import Appointment


def test_bureau_renews(client_for, bureau, appointment, school_a) -> None:
    url = reverse("legalvp:renew", args=[appointment.pk])
    start = appointment.term_end.replace(day=1)
    response = client_for(bureau).post(url, {"term_start": start, "schools": [school_a.pk]})
    assert response.status_code == 302
    new = Appointment.objects.get(renewed_from=appointment)
    assert response["Location"] == new.get_absolute_url()


def test_bureau_ends(client_for, bureau, appointment) -> None:
    url = reverse("legalvp:end", args=[appointment.pk])
    response = client_for(bureau).post(url, {"ended_on": appointment.term_start, "reason": "调任"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ENDED


def test_bad_end_date_names_the_field(client_for, bureau, appointment) -> None:
    url = reverse("legalvp:end", args=[appointment.pk])
    response = client_for(bureau).post(url, {"ended_on": "2000-01-01"})
    assert response.status_code == 400
    assert "before the term starts" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE


def test_school_and_sending_body_cannot(
    client_for, admin_a, liaison_a, prosecutor, vp_user, appointment
) -> None:
    for name in ("renew", "end"):
        url = reverse(f"legalvp:{name}", args=[appointment.pk])
        for user in (admin_a, liaison_a, prosecutor, vp_user):
            assert client_for(user).post(url, {"ended_on": "2026-01-01"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE
