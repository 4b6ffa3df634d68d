"""Password rules: 8+ characters, 3 of 4 classes, not the username — on every path that sets one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.models import Role, User
from weibao.accounts.services import user_create
from weibao.testing import PASSWORD, County

CASES = [
    ("Ab1!xyz", "password_too_short"),
    ("abcdefgh12", "password_too_simple"),  # two classes: lower case and digits
    ("ABCDEFGH!!", "password_too_simple"),
]


@pytest.mark.parametrize(("password", "code"), CASES)
def test_password_page_refuses(liaison_a: User, client_for, password: str, code: str) -> None:
    response = client_for(liaison_a).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    # Django puts the password rules' errors on the confirmation field.
    assert response.context["form"].has_error("new_password2", code)
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)


def test_password_page_refuses_the_username(liaison_a: User, client_for) -> None:
    password = "Liaison_A-2026"
    response = client_for(liaison_a).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.context["form"].has_error("new_password2", "password_contains_username")
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)


def test_password_page_accepts_a_good_password(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Gx7#kLm2pq", "new_password2": "Gx7#kLm2pq"},
    )
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.check_password("Gx7#kLm2pq")
    assert not liaison_a.password_expired
    # Still signed in: the session follows the new password.
    assert client.get("/").status_code == 200


def _create(county: County, actor: User, password: str) -> User:
    user, _ = user_create(
        actor=actor,
        data={
            "username": "new_liaison",
            "full_name": "新联络员",
            "organisation": county.school_a,
            "role": Role.CAMPUS_LIAISON,
            "password": password,
        },
    )
    return user


@pytest.mark.parametrize(
    ("password", "code"), [*CASES, ("New_Liaison#1", "password_contains_username")]
)
def test_user_create_refuses(county: County, sysadmin: User, password: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(county, sysadmin, password)
    assert code in [error.code for error in caught.value.error_dict["password"]]
    assert not User.objects.filter(username="new_liaison").exists()


def test_user_create_accepts_a_good_password(county: County, sysadmin: User) -> None:
    assert _create(county, sysadmin, "Gx7#kLm2pq").check_password("Gx7#kLm2pq")


def test_user_create_page_shows_the_rule(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).post(
        "/accounts/users/new/",
        {
            "username": "new_liaison",
            "full_name": "新联络员",
            "organisation": county.school_a.pk,
            "role": Role.CAMPUS_LIAISON,
            "language": "zh-hans",
            "password": "abcdefgh12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("password", "password_too_simple")
    assert not User.objects.filter(username="new_liaison").exists()
