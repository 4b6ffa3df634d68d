"""One-time codes: required for system administrators and auditors, available to everyone."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

from .conftest import code_for, post_login


def _enrol(client: Client, user: User) -> TOTPDevice:
    assert client.get("/accounts/otp/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/otp/setup/?next=/", {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    return device


def _signed_in(username: str) -> Client:
    client = Client()
    assert post_login(client, username).status_code == 302
    return client


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_required_roles_must_enrol_before_anything(
    who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    client = _signed_in(user.username)
    for path in (
        "/",
        "/accounts/users/",
        "/audit/",
        "/accounts/password/",
        "/accounts/otp/verify/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/otp/setup/?next="), path
    assert client.get("/api/v1/me/").status_code == 403
    _enrol(client, user)
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.OTP, actor=user, detail__result="enrolled"
    ).exists()


def test_enrolment_page_shows_a_qr_code(sysadmin: User) -> None:
    response = _signed_in("sysadmin").get("/accounts/otp/setup/")
    body = response.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=sysadmin)
    assert response.context["secret"] and response.context["secret"] in body
    assert "otpauth://" in device.config_url


def test_next_login_asks_for_the_code(sysadmin: User) -> None:
    client = _signed_in("sysadmin")
    device = _enrol(client, sysadmin)
    client.post("/accounts/logout/")
    client = _signed_in("sysadmin")
    response = client.get("/accounts/users/")
    assert response["Location"].startswith("/accounts/otp/verify/?next=")
    # Enrolling another device is not a way round the code.
    assert client.get("/accounts/otp/setup/")["Location"].startswith("/accounts/otp/verify/")
    response = client.post(
        "/accounts/otp/verify/?next=/accounts/users/", {"token": code_for(device, 1)}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/users/"
    assert client.get("/accounts/users/").status_code == 200


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_code_is_refused_and_audited(sysadmin: User) -> None:
    client = _signed_in("sysadmin")
    device = _enrol(client, sysadmin)
    client.post("/accounts/logout/")
    client = _signed_in("sysadmin")
    wrong = f"{(int(code_for(device, 1)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/verify/", {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get("/")["Location"].startswith("/accounts/otp/verify/")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.OTP, actor=sysadmin, detail__result="failed"
    ).exists()


def test_wrong_code_at_enrolment_is_refused_and_audited(auditor: User) -> None:
    client = _signed_in("auditor")
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=auditor)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/setup/", {"token": wrong})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/")["Location"].startswith("/accounts/otp/setup/")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.OTP, actor=auditor, detail__result="enrol_failed"
    ).exists()


def test_other_roles_need_no_code_but_may_enrol(liaison_a: User) -> None:
    client = _signed_in("liaison_a")
    assert client.get("/").status_code == 200
    page = client.get("/accounts/password/").content.decode()
    assert 'href="/accounts/otp/setup/"' in page
    device = _enrol(client, liaison_a)
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    client = _signed_in("liaison_a")
    assert client.get("/")["Location"].startswith("/accounts/otp/verify/")
    client.post("/accounts/otp/verify/", {"token": code_for(device, 1)})
    assert client.get("/").status_code == 200


def test_password_page_is_closed_until_the_code(sysadmin: User) -> None:
    client = _signed_in("sysadmin")
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Gx7#kLm2pq", "new_password2": "Gx7#kLm2pq"},
    )
    assert response.status_code == 302
    sysadmin.refresh_from_db()
    assert sysadmin.check_password(PASSWORD)
