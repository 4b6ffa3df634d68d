"""API tokens expire (API_TOKEN_MAX_AGE_DAYS), and end at logout, password change, reset and
deactivation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.accounts.services import (
    api_token_issue,
    password_change,
    user_deactivate,
    user_reset_password,
)
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

pytestmark = pytest.mark.usefixtures("english")

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _issue(user: User) -> str:
    return api_token_issue(
        actor=user, request=RequestFactory().post("/api/v1/token/"), otp_code=None
    )


def _me(key: str) -> Any:
    return Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")


def test_the_default_age_is_90_days(settings) -> None:
    assert settings.API_TOKEN_MAX_AGE_DAYS == 90
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication",
        "weibao.core.api.ExpiringTokenAuthentication",
    ]


def test_a_token_works_until_it_expires(liaison_a: User) -> None:
    with time_machine.travel(START, tick=False):
        key = _issue(liaison_a)
    with time_machine.travel(START + timedelta(days=89, hours=23), tick=False):
        assert _me(key).status_code == 200
    with time_machine.travel(START + timedelta(days=90), tick=False):
        response = _me(key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


@override_settings(API_TOKEN_MAX_AGE_DAYS=7)
def test_the_age_is_configurable(liaison_a: User) -> None:
    with time_machine.travel(START, tick=False):
        key = _issue(liaison_a)
    with time_machine.travel(START + timedelta(days=7, seconds=1), tick=False):
        assert _me(key).status_code == 401


def test_an_expired_token_is_replaced_at_the_next_issue(liaison_a: User) -> None:
    with time_machine.travel(START, tick=False):
        old = _issue(liaison_a)
    with time_machine.travel(START + timedelta(days=30), tick=False):
        assert _issue(liaison_a) == old  # still live: the same token
    with time_machine.travel(START + timedelta(days=91), tick=False):
        new = _issue(liaison_a)
        assert new != old
        assert _me(new).status_code == 200
    assert list(Token.objects.filter(user=liaison_a).values_list("key", flat=True)) == [new]


def test_logout_ends_the_token(liaison_a: User, client_for) -> None:
    key = _issue(liaison_a)
    client = client_for(liaison_a)
    assert client.post("/accounts/logout/").status_code == 302
    assert not Token.objects.filter(user=liaison_a).exists()
    assert _me(key).status_code == 403  # an unknown token
    event = AuditEvent.objects.get(detail__operation="api_tokens_end")
    assert event.detail["reason"] == "logout" and event.detail["tokens_deleted"] == 1


def test_another_users_logout_leaves_the_token(liaison_a: User, liaison_b: User, client_for):
    key = _issue(liaison_a)
    client_for(liaison_b).post("/accounts/logout/")
    assert _me(key).status_code == 200


def test_a_password_change_ends_the_token(liaison_a: User) -> None:
    key = _issue(liaison_a)
    password_change(actor=liaison_a, new_password="Weibao-fresh-8x")
    assert _me(key).status_code == 403
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD)
    assert event.detail["tokens_deleted"] == 1


def test_a_reset_and_a_deactivation_end_the_token(
    admin_a: User, liaison_a: User, sysadmin: User
) -> None:
    key = _issue(liaison_a)
    user_reset_password(actor=admin_a, user=liaison_a)
    assert _me(key).status_code == 403
    liaison_a.refresh_from_db()
    liaison_a.set_password(PASSWORD)
    liaison_a.save()
    key = _issue(liaison_a)
    user_deactivate(actor=sysadmin, user=liaison_a)
    assert not Token.objects.filter(key=key).exists()
