"""Logins, failed logins and logouts are on the record, with the address they came from."""

from __future__ import annotations

from django.test import Client

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD


def _login(client: Client, username: str, password: str, ip: str) -> None:
    client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_is_recorded_with_address(liaison_a: User) -> None:
    _login(Client(), "liaison_a", PASSWORD, "10.20.30.40")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor == liaison_a and event.actor_username == "liaison_a"
    assert event.ip == "10.20.30.40"
    assert event.organisation_id == liaison_a.organisation_id
    assert event.organisation_name == "鳌溪镇中心小学"


def test_failed_login_is_recorded_without_the_password(liaison_a: User) -> None:
    _login(Client(), "liaison_a", "Guess-2026!", "10.20.30.41")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.actor is None and event.actor_username == "liaison_a"
    assert event.ip == "10.20.30.41"
    assert "Guess-2026!" not in str(event.detail)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_failed_login_for_unknown_user_is_recorded(county: object) -> None:
    _login(Client(), "nobody", "Guess-2026!", "10.20.30.42")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).actor_username == "nobody"


def test_logout_is_recorded_with_address(liaison_a: User) -> None:
    client = Client()
    _login(client, "liaison_a", PASSWORD, "10.20.30.43")
    client.post("/accounts/logout/", REMOTE_ADDR="10.20.30.43")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.actor == liaison_a and event.ip == "10.20.30.43"


def test_logout_needs_post(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
