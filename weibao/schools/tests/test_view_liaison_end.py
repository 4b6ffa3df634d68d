from __future__ import annotations

import pytest
from django.urls import reverse


def _url(appointment) -> str:
    return reverse("schools:liaison_end", args=[appointment.pk])


def test_bureau_ends_a_term(client_for, education, appointed_a) -> None:
    response = client_for(education).post(_url(appointed_a))
    assert response.status_code == 302
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is not None


def test_missing_appointment_is_404(client_for, education, county) -> None:
    response = client_for(education).post(reverse("schools:liaison_end", args=[999]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["liaison_a", "liaison_b", "outsider"])
def test_not_allowed(request, client_for, appointed_a, name) -> None:
    assert client_for(request.getfixturevalue(name)).post(_url(appointed_a)).status_code == 403
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is None


def test_a_school_cannot_end_another_schools_term(client_for, county, appointed_a) -> None:
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    admin_b = make_user("admin_b", county.school_b, Role.UNIT_ADMIN)
    assert client_for(admin_b).post(_url(appointed_a)).status_code == 403
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is None
