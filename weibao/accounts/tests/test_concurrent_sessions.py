"""System administrators and auditors have one session: a complete new login (password and
one-time code) ends the others; a password alone does not."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.accounts.models import Role, User
from weibao.accounts.tests.conftest import code_for, post_login, session_user_id
from weibao.audit.models import AuditEvent
from weibao.testing import County, make_user

pytestmark = pytest.mark.usefixtures("english")


def _alive(client: Client) -> bool:
    return Session.objects.filter(session_key=client.session.session_key).exists()


def _full_login(user: User, steps_ahead: int) -> Client:
    """Password, then the one-time code, through the pages."""
    browser = Client()
    assert post_login(browser, user.username).status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = browser.post("/accounts/otp/verify/", {"token": code_for(device, steps_ahead)})
    assert response.status_code == 302, response.content
    return browser


@pytest.mark.parametrize("role_user", ["sysadmin", "auditor"])
def test_a_complete_new_login_ends_the_old_session(role_user: str, request, client_for) -> None:
    user: User = request.getfixturevalue(role_user)
    first = client_for(user)  # verified, with a confirmed device
    assert first.get("/").status_code == 200
    second = _full_login(user, steps_ahead=1)
    assert second.get("/").status_code == 200
    assert not _alive(first)
    response = first.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(detail__reason="concurrent_login")
    assert event.actor == user and event.detail["sessions_ended"] == 1


def test_a_password_alone_ends_nothing(auditor: User, client_for) -> None:
    first = client_for(auditor)
    browser = Client()
    assert post_login(browser, "auditor").status_code == 302
    assert session_user_id(browser) == str(auditor.pk)
    assert _alive(first) and first.get("/").status_code == 200
    assert not AuditEvent.objects.filter(detail__reason="concurrent_login").exists()


@override_settings(OTP_REQUIRED_ROLES=[])
def test_without_a_code_the_login_itself_ends_the_others(county: County) -> None:
    admin = make_user("sysadmin_nocode", county.procuratorate, Role.SYSADMIN)
    first = Client()
    post_login(first, admin.username)
    assert first.get("/").status_code == 200
    second = Client()
    post_login(second, admin.username, ip="10.0.0.2")
    assert second.get("/").status_code == 200 and not _alive(first)


def test_other_roles_keep_several_sessions(liaison_a: User) -> None:
    first, second = Client(), Client()
    post_login(first, "liaison_a")
    post_login(second, "liaison_a", ip="10.0.0.2")
    assert first.get("/").status_code == 200 and second.get("/").status_code == 200
    assert not AuditEvent.objects.filter(detail__reason="concurrent_login").exists()


def test_another_administrators_session_is_kept(sysadmin: User, county: County, client_for):
    other = make_user("sysadmin2", county.procuratorate, Role.SYSADMIN)
    first = client_for(sysadmin)
    client_for(other)
    TOTPDevice.objects.filter(user=other).update(confirmed=True)
    _full_login(other, steps_ahead=1)
    assert first.get("/").status_code == 200
