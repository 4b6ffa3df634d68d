from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.accounts.services import user_reset_password
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

from .conftest import post_login


def test_temporary_password_must_be_changed(sysadmin: User, liaison_a: User) -> None:
    Token.objects.create(user=liaison_a)
    password = user_reset_password(actor=sysadmin, user=liaison_a)
    liaison_a.refresh_from_db()
    validate_password(password, liaison_a)
    assert liaison_a.check_password(password) and not liaison_a.check_password(PASSWORD)
    assert liaison_a.password_expired
    assert not Token.objects.filter(user=liaison_a).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD, target_id=str(liaison_a.pk))
    assert event.detail["operation"] == "reset"
    assert password not in json.dumps(event.detail, ensure_ascii=False)
    # At next login the user is sent to change it.
    client = Client()
    post_login(client, "liaison_a", password)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/password/" in response["Location"]


def test_reset_lifts_a_lockout(admin_a: User, liaison_a: User) -> None:
    client = Client()
    for _ in range(5):
        post_login(client, "liaison_a", "wrong-Password-1")
    assert AccessAttempt.objects.filter(username="liaison_a").exists()
    password = user_reset_password(actor=admin_a, user=liaison_a)
    response = post_login(Client(), "liaison_a", password, ip="10.0.0.2")
    assert response.status_code == 302


def test_passwords_differ_each_time(sysadmin: User, liaison_a: User) -> None:
    first = user_reset_password(actor=sysadmin, user=liaison_a)
    assert user_reset_password(actor=sysadmin, user=liaison_a) != first


def test_unit_admin_cannot_reset_other_units_users(admin_a: User, liaison_b: User) -> None:
    with pytest.raises(PermissionDenied):
        user_reset_password(actor=admin_a, user=liaison_b)
    liaison_b.refresh_from_db()
    assert liaison_b.check_password(PASSWORD)


def test_unit_admin_cannot_reset_sysadmin(county: object, admin_a: User, sysadmin: User) -> None:
    with pytest.raises(PermissionDenied):
        user_reset_password(actor=admin_a, user=sysadmin)
