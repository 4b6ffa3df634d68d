"""Lockout (django-axes): 5 failures lock the account, and separately the address, for 30 min."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent

from .conftest import post_login, session_user_id

WRONG = "Wrong-password-1"


def test_settings_are_five_failures_and_thirty_minutes() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_four_failures_do_not_lock(liaison_a: User) -> None:
    client = Client()
    for _ in range(4):
        response = post_login(client, "liaison_a", WRONG)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert post_login(client, "liaison_a").status_code == 302
    assert session_user_id(client) == str(liaison_a.pk)


def test_five_failures_lock_the_account_from_any_address(liaison_a: User) -> None:
    for n in range(5):
        response = post_login(Client(), "liaison_a", WRONG, ip=f"10.0.1.{n}")
    assert response.status_code == 429
    # Even the right password, from an address never seen before, is refused.
    client = Client()
    response = post_login(client, "liaison_a", ip="10.9.9.9")
    assert response.status_code == 429
    assert session_user_id(client) is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOCKED_OUT, actor_username="liaison_a"
    ).exists()


def test_five_failures_from_one_address_lock_the_address(liaison_a: User, liaison_b: User) -> None:
    for n in range(5):
        post_login(Client(), f"guess{n}", WRONG, ip="10.0.2.1")
    client = Client()
    assert post_login(client, "liaison_b", ip="10.0.2.1").status_code == 429
    assert session_user_id(client) is None
    # The same user from another address is not affected.
    assert post_login(Client(), "liaison_b", ip="10.0.2.2").status_code == 302


def test_success_resets_the_count(liaison_a: User) -> None:
    client = Client()
    for _ in range(4):
        post_login(client, "liaison_a", WRONG)
    assert post_login(client, "liaison_a").status_code == 302
    client = Client()
    for _ in range(4):
        assert post_login(client, "liaison_a", WRONG).status_code == 200
    assert post_login(client, "liaison_a").status_code == 302


def _age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_lock_lasts_thirty_minutes(liaison_a: User) -> None:
    for _ in range(5):
        post_login(Client(), "liaison_a", WRONG)
    _age_attempts(29)
    assert post_login(Client(), "liaison_a", ip="10.0.3.1").status_code == 429
    _age_attempts(31)
    client = Client()
    assert post_login(client, "liaison_a", ip="10.0.3.1").status_code == 302
    assert session_user_id(client) == str(liaison_a.pk)


def test_locked_page_is_in_chinese_by_default(liaison_a: User) -> None:
    for _ in range(5):
        response = post_login(Client(), "liaison_a", WRONG)
    assert response.status_code == 429
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_locked_page_follows_the_chosen_language(liaison_a: User) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        response = post_login(client, "liaison_a", WRONG)
    assert response["Content-Language"] == "en"
    assert "Too many failed logins" in response.content.decode()
