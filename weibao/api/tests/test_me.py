from __future__ import annotations

from django.test import Client

from weibao.accounts.models import User

from .conftest import token_client


def test_me_by_session(liaison_a: User, client_for) -> None:
    data = client_for(liaison_a).get("/api/v1/me/").json()
    assert data["username"] == "liaison_a" and data["role"] == "campus_liaison"
    assert data["organisation"]["name"] == "鳌溪镇中心小学"
    assert "webhook_url" not in data["organisation"]


def test_me_by_token(police: User) -> None:
    assert token_client(police).get("/api/v1/me/").json()["username"] == "police_a"


def test_anonymous_is_refused(db: None) -> None:
    assert Client().get("/api/v1/me/").status_code in (401, 403)


def test_bad_token_is_refused(db: None) -> None:
    client = Client(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_inactive_users_token_is_refused(liaison_a: User) -> None:
    client = token_client(liaison_a)
    User.objects.filter(pk=liaison_a.pk).update(is_active=False)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_sysadmin_session_without_code_is_refused(sysadmin: User) -> None:
    client = Client()
    client.force_login(sysadmin)
    assert client.get("/api/v1/me/").status_code == 403
