from __future__ import annotations

import pytest

from weibao.accounts.models import User


def test_admin_sees_own_units_user(admin_a: User, liaison_a: User, client_for) -> None:
    response = client_for(admin_a).get(f"/accounts/users/{liaison_a.pk}/")
    assert response.status_code == 200
    assert response.context["target"] == liaison_a


def test_sysadmin_sees_anyone(sysadmin: User, liaison_b: User, client_for) -> None:
    assert client_for(sysadmin).get(f"/accounts/users/{liaison_b.pk}/").status_code == 200


@pytest.mark.parametrize("target", ["liaison_b", "sysadmin", "auditor"])
def test_unit_admin_gets_404_outside_their_unit(
    admin_a: User,
    target: str,
    request,
    client_for,
) -> None:
    other = request.getfixturevalue(target)
    assert client_for(admin_a).get(f"/accounts/users/{other.pk}/").status_code == 404


def test_liaison_is_refused(liaison_a: User, admin_a: User, client_for) -> None:
    assert client_for(liaison_a).get(f"/accounts/users/{admin_a.pk}/").status_code == 403
