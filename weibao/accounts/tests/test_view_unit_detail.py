from __future__ import annotations

import pytest

from weibao.accounts.models import User
from weibao.testing import County


def test_shows_the_units_users(
    county: County,
    sysadmin: User,
    liaison_a: User,
    admin_a: User,
    liaison_b: User,
    client_for,
) -> None:
    response = client_for(sysadmin).get(f"/accounts/units/{county.school_a.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "liaison_a" in body and "admin_a" in body
    assert "liaison_b" not in body


def test_missing_unit_is_404(county: County, sysadmin: User, client_for) -> None:
    assert client_for(sysadmin).get("/accounts/units/999999/").status_code == 404


@pytest.mark.parametrize("who", ["admin_a", "coordinator", "liaison_a", "auditor"])
def test_others_are_refused(county: County, who: str, request, client_for) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/accounts/units/{county.school_a.pk}/").status_code == 403
