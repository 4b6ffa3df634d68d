"""Idle sessions end after 30 minutes: the expiry moves with every request."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from weibao.accounts.models import User


def test_settings() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_renews_the_expiry(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/").status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_session_idle_for_thirty_minutes_is_refused(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me/").status_code == 403
