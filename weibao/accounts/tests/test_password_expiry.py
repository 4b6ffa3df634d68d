"""Passwords older than 90 days must be changed before anything else."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.testing import PASSWORD


def _age_password(user: User, days: int) -> None:
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=days)
    )


def test_max_age_is_ninety_days() -> None:
    assert settings.PASSWORD_MAX_AGE_DAYS == 90


def test_old_password_sends_every_page_to_the_change_page(liaison_a: User, client_for) -> None:
    _age_password(liaison_a, 91)
    client = client_for(liaison_a)
    for path in ("/", "/inbox/", "/people/", "/api/v1/docs/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/password/?next=")
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and page.context["expired"]


def test_old_password_blocks_the_api_by_session(liaison_a: User, client_for) -> None:
    _age_password(liaison_a, 91)
    response = client_for(liaison_a).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "password" in response.json()["detail"]


def test_old_password_blocks_the_api_by_token(liaison_a: User, client) -> None:
    _age_password(liaison_a, 91)
    token = Token.objects.create(user=liaison_a)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403


def test_after_the_change_the_user_proceeds(liaison_a: User, client_for) -> None:
    _age_password(liaison_a, 91)
    client = client_for(liaison_a)
    response = client.post(
        "/accounts/password/?next=/inbox/",
        {"old_password": PASSWORD, "new_password1": "Gx7#kLm2pq", "new_password2": "Gx7#kLm2pq"},
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_eighty_nine_days_is_fine(liaison_a: User, client_for) -> None:
    _age_password(liaison_a, 89)
    assert client_for(liaison_a).get("/").status_code == 200
