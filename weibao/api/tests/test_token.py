"""POST /api/v1/token/: a token for a username and password (and code), audited and rate-locked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

URL = "/api/v1/token/"


def _post(data: dict, ip: str = "10.0.0.1") -> Any:
    return Client().post(URL, data, content_type="application/json", REMOTE_ADDR=ip)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_issues_a_token_that_works(liaison_a: User) -> None:
    response = _post({"username": "liaison_a", "password": PASSWORD}, ip="10.1.1.1")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=liaison_a).key == key
    me = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")
    assert me.json()["username"] == "liaison_a"
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor == liaison_a and event.ip == "10.1.1.1" and event.detail == {"via": "api"}
    liaison_a.refresh_from_db()
    assert liaison_a.last_login is not None


def test_wrong_password_is_refused_and_audited(liaison_a: User) -> None:
    response = _post({"username": "liaison_a", "password": "Wrong-pass-1"}, ip="10.1.1.2")
    assert response.status_code == 400
    assert not Token.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.actor_username == "liaison_a" and event.ip == "10.1.1.2"


def test_missing_fields_are_named(db: None) -> None:
    response = _post({"username": "liaison_a"})
    assert response.status_code == 400 and "password" in response.json()


def test_failures_count_towards_the_lockout(liaison_a: User, settings: Any) -> None:
    # The lockout alone: six tries a minute is accounts/tests/test_login_rate_limit.py's.
    settings.RATE_LIMITS = {"login": (0, 0), "token": (0, 0)}
    for _ in range(5):
        response = _post({"username": "liaison_a", "password": "Wrong-pass-1"}, ip="10.2.0.1")
    assert response.status_code == 429
    response = _post({"username": "liaison_a", "password": PASSWORD}, ip="10.2.0.1")
    assert response.status_code == 429 and "detail" in response.json()
    assert not Token.objects.exists()
    # The login page is locked too: one count for both doors.
    page = Client().post(
        "/accounts/login/", {"username": "liaison_a", "password": PASSWORD}, REMOTE_ADDR="10.2.0.1"
    )
    assert page.status_code == 429
    # The owner at their own desk is not locked out by somebody else's guesses.
    assert _post({"username": "liaison_a", "password": PASSWORD}, ip="10.3.0.1").status_code == 200


def test_a_token_for_ones_own_account_does_not_reset_guesses_at_another(
    liaison_a: User, liaison_b: User
) -> None:
    wrong = {"username": "liaison_a", "password": "Wrong-pass-1"}
    for _ in range(4):
        assert _post(wrong, ip="10.4.0.1").status_code == 400
    assert _post({"username": "liaison_b", "password": PASSWORD}, ip="10.4.0.1").status_code == 200
    assert _post(wrong, ip="10.4.0.1").status_code == 429
    assert _post({"username": "liaison_a", "password": PASSWORD}, ip="10.4.0.1").status_code == 429


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_code_required_for_otp_roles(who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = _post({"username": user.username, "password": PASSWORD})
    assert response.status_code == 400 and "otp_code" in response.json()
    assert not Token.objects.exists()
    response = _post({"username": user.username, "password": PASSWORD, "otp_code": _code(device)})
    assert response.status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_code_is_refused_and_audited(sysadmin: User) -> None:
    device = TOTPDevice.objects.create(user=sysadmin, name="phone", confirmed=True)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = _post({"username": "sysadmin", "password": PASSWORD, "otp_code": wrong})
    assert response.status_code == 400
    assert not Token.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.OTP, actor=sysadmin, detail__result="failed"
    ).exists()


def test_otp_role_without_a_device_gets_no_token(sysadmin: User) -> None:
    response = _post({"username": "sysadmin", "password": PASSWORD, "otp_code": "123456"})
    assert response.status_code == 400 and not Token.objects.exists()


def test_expired_password_gets_no_token(liaison_a: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    User.objects.filter(pk=liaison_a.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    response = _post({"username": "liaison_a", "password": PASSWORD})
    assert response.status_code == 403 and not Token.objects.exists()


def test_get_is_not_allowed(db: None) -> None:
    assert Client().get(URL).status_code == 405
