from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import Role, User
from weibao.testing import County, make_user

URL = "/accounts/users/"


def _usernames(response) -> set[str]:
    return {user.username for user in response.context["page"]}


def test_sysadmin_sees_everyone(
    sysadmin: User,
    liaison_a: User,
    liaison_b: User,
    auditor: User,
    client_for,
) -> None:
    response = client_for(sysadmin).get(URL)
    assert response.status_code == 200
    assert {"sysadmin", "liaison_a", "liaison_b", "auditor"} <= _usernames(response)


def test_unit_admin_sees_own_units_staff_only(
    county: County,
    admin_a: User,
    liaison_a: User,
    liaison_b: User,
    client_for,
) -> None:
    make_user("coord_here", county.school_a, Role.COUNTY_COORDINATOR)
    response = client_for(admin_a).get(URL)
    assert _usernames(response) == {"admin_a", "liaison_a"}
    # No unit to choose: a unit administrator has only their own.
    assert "unit" not in response.context["form"].fields


def test_filters(sysadmin: User, liaison_a: User, liaison_b: User, client_for) -> None:
    client = client_for(sysadmin)
    assert _usernames(client.get(URL, {"q": "liaison"})) == {"liaison_a", "liaison_b"}
    assert _usernames(client.get(URL, {"role": "sysadmin"})) == {"sysadmin"}
    unit = liaison_b.organisation_id
    assert _usernames(client.get(URL, {"unit": unit})) == {"liaison_b"}
    User.objects.filter(pk=liaison_a.pk).update(is_active=False)
    assert _usernames(client.get(URL, {"active": "0"})) == {"liaison_a"}


@pytest.mark.parametrize("who", ["coordinator", "liaison_a", "auditor", "outsider", "police"])
def test_others_are_refused(county: County, who: str, request, client_for) -> None:
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(county: County) -> None:
    assert Client().get(URL)["Location"].startswith("/accounts/login/")


def test_query_count_does_not_grow(
    county: County,
    sysadmin: User,
    client_for,
    django_assert_max_num_queries,
) -> None:
    client = client_for(sysadmin)
    client.get(URL)
    with django_assert_max_num_queries(15) as few:
        client.get(URL)
    for n in range(30):
        unit = county.school_a if n % 2 else county.school_b
        User.objects.create(username=f"u{n}", organisation=unit, role="read_only", full_name="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 25
