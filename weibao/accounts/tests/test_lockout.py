"""Lockout (django-axes): 5 failures lock an account for the address they came from, and 5 from
one address lock the address, for 30 minutes; a success clears only its own failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.testing import PASSWORD

from .conftest import post_login, session_user_id

WRONG = "Wrong-password-1"


@pytest.fixture(autouse=True)
def _lockout_alone(settings: Any) -> None:
    """The lockout alone: the six-a-minute limit on logins is test_login_rate_limit.py's."""
    settings.RATE_LIMITS = {"login": (0, 0), "token": (0, 0)}


def test_settings_are_five_failures_and_thirty_minutes() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.AXES_RESET_ON_SUCCESS is False


def test_four_failures_do_not_lock(liaison_a: User) -> None:
    client = Client()
    for _ in range(4):
        response = post_login(client, "liaison_a", WRONG)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert post_login(client, "liaison_a").status_code == 302
    assert session_user_id(client) == str(liaison_a.pk)


def test_five_failures_lock_the_account_for_that_address(liaison_a: User) -> None:
    for _ in range(5):
        response = post_login(Client(), "liaison_a", WRONG, ip="10.0.1.1")
    assert response.status_code == 429
    # Even the right password, from the guessing address, is refused.
    client = Client()
    assert post_login(client, "liaison_a", ip="10.0.1.1").status_code == 429
    assert session_user_id(client) is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOCKED_OUT, actor_username="liaison_a"
    ).exists()


def test_guesses_from_elsewhere_cannot_lock_the_owner_out(liaison_a: User) -> None:
    """Five requests used to lock any account, existing or not, from every address."""
    for n in range(5):
        post_login(Client(), "liaison_a", WRONG, ip=f"10.0.1.{n}")
    client = Client()
    assert post_login(client, "liaison_a", ip="10.9.9.9").status_code == 302
    assert session_user_id(client) == str(liaison_a.pk)


def test_own_login_does_not_reset_guesses_at_a_colleague(liaison_a: User, liaison_b: User) -> None:
    """The bypass: 4 guesses at the victim, 1 right login to one's own account, repeat."""
    for _round in range(3):
        for _ in range(4):
            if post_login(Client(), "liaison_a", WRONG, ip="10.0.4.1").status_code == 429:
                break
        post_login(Client(), "liaison_b", ip="10.0.4.1")
    assert post_login(Client(), "liaison_a", WRONG, ip="10.0.4.1").status_code == 429
    assert post_login(Client(), "liaison_a", ip="10.0.4.1").status_code == 429
    assert AccessAttempt.objects.filter(username="liaison_a", ip_address="10.0.4.1").exists()


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
        post_login(Client(), "liaison_a", WRONG, ip="10.0.3.1")
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


PROXY = "10.8.0.2"


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_each_user_is_counted_at_their_own_address(
    liaison_a: User, liaison_b: User
) -> None:
    def via_proxy(username: str, password: str, desk: str) -> Any:
        return Client().post(
            "/accounts/login/",
            {"username": username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=desk,
        )

    for _ in range(5):
        via_proxy("liaison_a", WRONG, "192.0.2.10")
    assert via_proxy("liaison_a", PASSWORD, "192.0.2.10").status_code == 429
    # The rest of the county, behind the same proxy, still signs in.
    assert via_proxy("liaison_b", PASSWORD, "192.0.2.11").status_code == 302
    login = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).latest("id")
    assert login.ip == "192.0.2.11"


def test_a_forwarded_address_from_an_untrusted_client_is_ignored(liaison_a: User) -> None:
    for n in range(5):
        Client().post(
            "/accounts/login/",
            {"username": "liaison_a", "password": WRONG},
            REMOTE_ADDR="10.0.5.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert post_login(Client(), "liaison_a", ip="10.0.5.1").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.5.1"}
