"""Idle sessions end after 30 minutes: the expiry moves with every request."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weibao.accounts.models import User
from weibao.core.services import job_start


def test_settings() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "weibao.accounts.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_renews_the_expiry(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    # Renewal is at most once a minute: this request comes a minute after the login.
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
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


def test_renewal_writes_at_most_once_a_minute(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    renewed = _session(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert _session(client).expire_date == renewed


def test_polling_a_job_neither_writes_nor_renews_the_session(liaison_a: User, client_for) -> None:
    """The export failed with "database is locked" while its page polled: each poll wrote."""
    client = client_for(liaison_a)
    job = job_start(actor=liaison_a, kind="people_export", title="t", params={"purpose": "x"})
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    before = _session(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        response = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert _session(client).expire_date == before
