"""The API token service: the one-time code and a live password are checked in the service."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.accounts.services import TokenRefused, api_token_issue
from weibao.audit.models import AuditEvent


def _request():
    return RequestFactory().post("/api/v1/token/")


def test_a_token_for_a_live_account(liaison_a: User) -> None:
    key = api_token_issue(actor=liaison_a, request=_request(), otp_code=None)
    assert Token.objects.get(user=liaison_a).key == key
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, actor=liaison_a).exists()


def test_an_otp_account_needs_its_code(sysadmin: User) -> None:
    with pytest.raises(TokenRefused) as refused:
        api_token_issue(actor=sysadmin, request=_request(), otp_code="123456")
    assert refused.value.field == "otp_code"
    assert not Token.objects.filter(user=sysadmin).exists()


def test_an_expired_password_gets_no_token(liaison_a: User) -> None:
    User.objects.filter(pk=liaison_a.pk).update(
        password_changed_at=timezone.now().replace(year=2000)
    )
    liaison_a.refresh_from_db()
    with pytest.raises(TokenRefused) as refused:
        api_token_issue(actor=liaison_a, request=_request(), otp_code=None)
    assert refused.value.expired
    assert not Token.objects.filter(user=liaison_a).exists()
