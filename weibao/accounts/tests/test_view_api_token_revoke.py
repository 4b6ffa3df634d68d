"""The account page lists the user's own API token; the owner revokes it after a confirmation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.accounts.services import api_token_revoke
from weibao.audit.models import AuditEvent

pytestmark = pytest.mark.usefixtures("english")

URL = "/accounts/api-token/revoke/"
ISSUED = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _token(user: User) -> Token:
    with time_machine.travel(ISSUED, tick=False):
        return Token.objects.create(user=user)


def test_the_account_page_lists_the_token_without_its_key(liaison_a: User, client_for) -> None:
    token = _token(liaison_a)
    with time_machine.travel(datetime(2026, 4, 1, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client_for(liaison_a).get("/accounts/password/").content.decode()
    assert "2026-03-02 09:00" in page  # issued
    assert "2026-05-31 09:00" in page  # expires, 90 days on
    assert URL in page
    assert token.key not in page


def test_no_token_says_so(liaison_a: User, client_for) -> None:
    page = client_for(liaison_a).get("/accounts/password/").content.decode()
    assert "You have no API token" in page


def test_get_asks_for_confirmation_and_changes_nothing(liaison_a: User, client_for) -> None:
    _token(liaison_a)
    response = client_for(liaison_a).get(URL)
    assert response.status_code == 200
    assert "Revoke your API token?" in response.content.decode()
    assert Token.objects.filter(user=liaison_a).exists()


def test_post_revokes_and_is_audited(liaison_a: User, client_for) -> None:
    token = _token(liaison_a)
    response = client_for(liaison_a).post(URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert not Token.objects.filter(user=liaison_a).exists()
    event = AuditEvent.objects.get(detail__operation="api_token_revoke")
    assert event.actor == liaison_a and event.target_id == str(liaison_a.pk)
    assert token.key not in str(event.detail) and token.key not in event.target_repr


def test_one_revokes_only_ones_own(liaison_a: User, liaison_b: User, client_for) -> None:
    _token(liaison_a)
    response = client_for(liaison_b).post(URL)
    assert response.status_code == 302
    assert Token.objects.filter(user=liaison_a).exists()
    assert not AuditEvent.objects.filter(detail__operation="api_token_revoke").exists()


def test_anonymous_is_sent_to_login(liaison_a: User, client) -> None:
    _token(liaison_a)
    response = client.post(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Token.objects.filter(user=liaison_a).exists()


def test_the_service_refuses_anothers_token(liaison_a: User, liaison_b: User) -> None:
    token = _token(liaison_a)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=liaison_b, token=token)
    assert Token.objects.filter(pk=token.pk).exists()
