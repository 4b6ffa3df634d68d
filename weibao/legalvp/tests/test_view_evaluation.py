"""Evaluations through the page: the school's staff evaluate for their own school."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.legalvp.models import Evaluation

pytestmark = pytest.mark.usefixtures("midyear")


def data(school, grade="excellent") -> dict:
    return {
        "school": school.pk,
        "year": timezone.localdate().year,
        "grade": grade,
        "comments": "认真",
    }


def test_school_evaluates(client_for, admin_a, appointment, school_a) -> None:
    url = reverse("legalvp:evaluate", args=[appointment.pk])
    assert client_for(admin_a).post(url, data(school_a)).status_code == 302
    assert Evaluation.objects.get().grade == "excellent"
    assert client_for(admin_a).post(url, data(school_a, "competent")).status_code == 302
    assert Evaluation.objects.get().grade == "competent"  # still one for the year


def test_school_cannot_evaluate_for_another(
    client_for, admin_a, make_appointment, school_a, school_b
) -> None:
    appointment = make_appointment([school_a, school_b])
    url = reverse("legalvp:evaluate", args=[appointment.pk])
    response = client_for(admin_a).post(url, data(school_b))
    assert response.status_code == 400  # school B is not a choice for school A's staff
    assert not Evaluation.objects.exists()


def test_not_allowed(client_for, prosecutor, vp_user, liaison_b, outsider, appointment, school_a):
    url = reverse("legalvp:evaluate", args=[appointment.pk])
    for user in (prosecutor, vp_user):
        assert client_for(user).post(url, data(school_a)).status_code == 403
    assert client_for(liaison_b).post(url, data(school_a)).status_code == 404
    assert client_for(outsider).post(url, data(school_a)).status_code == 403
    assert not Evaluation.objects.exists()
