"""Users in the API: for their administrators only, written through the same services."""

from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD, County, make_user

from .conftest import post_json, token_client

URL = "/api/v1/users/"


def _new(county: County, **extra: object) -> dict:
    return {
        "username": "wang_teacher",
        "full_name": "王老师",
        "organisation": county.school_a.pk,
        "role": "campus_liaison",
    } | extra


def _usernames(response) -> set[str]:
    return {u["username"] for u in response.json()["results"]}


def test_sysadmin_lists_everyone(sysadmin: User, liaison_a: User, liaison_b: User) -> None:
    assert {"sysadmin", "liaison_a", "liaison_b"} <= _usernames(token_client(sysadmin).get(URL))


def test_unit_admin_lists_own_unit(
    county: County, admin_a: User, liaison_a: User, liaison_b: User
) -> None:
    make_user("coord_here", county.school_a, Role.COUNTY_COORDINATOR)
    assert _usernames(token_client(admin_a).get(URL)) == {"admin_a", "liaison_a"}


def test_filters(sysadmin: User, liaison_a: User, liaison_b: User) -> None:
    client = token_client(sysadmin)
    assert _usernames(client.get(URL, {"role": "sysadmin"})) == {"sysadmin"}
    assert _usernames(client.get(URL, {"organisation": liaison_b.organisation_id})) == {"liaison_b"}
    assert _usernames(client.get(URL, {"username": "liaison"})) == {"liaison_a", "liaison_b"}


def test_create_returns_the_generated_password_once(county: County, admin_a: User) -> None:
    response = post_json(token_client(admin_a), URL, _new(county))
    assert response.status_code == 201, response.json()
    password = response.json()["temporary_password"]
    user = User.objects.get(username="wang_teacher")
    assert user.check_password(password) and user.password_expired
    assert "password" not in response.json()
    assert AuditEvent.objects.filter(action="create", target_id=str(user.pk)).exists()
    again = token_client(admin_a).get(f"{URL}{user.pk}/").json()
    assert "temporary_password" not in again


def test_create_with_a_weak_password_names_the_field(county: County, sysadmin: User) -> None:
    response = post_json(token_client(sysadmin), URL, _new(county, password="abcdefgh12"))
    assert response.status_code == 400 and "password" in response.json()
    assert not User.objects.filter(username="wang_teacher").exists()


def test_unit_admin_cannot_create_elsewhere_or_county_roles(county: County, admin_a: User) -> None:
    client = token_client(admin_a)
    response = post_json(client, URL, _new(county, organisation=county.school_b.pk))
    assert response.status_code == 400 and "organisation" in response.json()
    response = post_json(client, URL, _new(county, role="auditor"))
    assert response.status_code == 400 and "role" in response.json()
    assert not User.objects.filter(username="wang_teacher").exists()


def test_role_change_is_audited(sysadmin: User, liaison_a: User) -> None:
    url = f"{URL}{liaison_a.pk}/"
    response = post_json(token_client(sysadmin), url, {"role": "read_only"}, method="patch")
    assert response.status_code == 200 and response.json()["role"] == "read_only"
    event = AuditEvent.objects.get(action="update", target_id=str(liaison_a.pk))
    assert event.detail["changes"]["role"] == ["campus_liaison", "read_only"]


def test_username_cannot_be_changed(sysadmin: User, liaison_a: User) -> None:
    url = f"{URL}{liaison_a.pk}/"
    post_json(token_client(sysadmin), url, {"username": "renamed"}, method="patch")
    liaison_a.refresh_from_db()
    assert liaison_a.username == "liaison_a"


def test_deactivate_and_reset_password(admin_a: User, liaison_a: User) -> None:
    client = token_client(admin_a)
    response = client.post(f"{URL}{liaison_a.pk}/reset-password/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(response.json()["temporary_password"])
    response = client.post(f"{URL}{liaison_a.pk}/deactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is False


def test_cannot_deactivate_yourself(sysadmin: User) -> None:
    response = token_client(sysadmin).post(f"{URL}{sysadmin.pk}/deactivate/")
    assert response.status_code == 400 and "is_active" in response.json()


def test_unit_admin_gets_404_outside_their_unit(admin_a: User, liaison_b: User) -> None:
    client = token_client(admin_a)
    assert client.get(f"{URL}{liaison_b.pk}/").status_code == 404
    assert (
        post_json(client, f"{URL}{liaison_b.pk}/", {"role": "read_only"}, "patch").status_code
        == 404
    )
    assert client.post(f"{URL}{liaison_b.pk}/reset-password/").status_code == 404
    liaison_b.refresh_from_db()
    assert liaison_b.check_password(PASSWORD) and liaison_b.role == "campus_liaison"


@pytest.mark.parametrize("who", ["liaison_a", "coordinator", "auditor", "outsider"])
def test_others_are_refused(county: County, who: str, request, admin_a: User) -> None:
    client = token_client(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{admin_a.pk}/").status_code == 403
    assert post_json(client, URL, _new(county)).status_code == 403
    assert not User.objects.filter(username="wang_teacher").exists()


def test_anonymous_is_refused(county: County) -> None:
    assert Client().get(URL).status_code in (401, 403)


def test_query_count_does_not_grow(
    county: County,
    sysadmin: User,
    django_assert_max_num_queries,
) -> None:
    client = token_client(sysadmin)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(20):
        User.objects.create(
            username=f"u{n}", organisation=county.school_b, role="read_only", full_name="x"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
