"""Logins and API tokens: six tries a minute by account and by address (as Primero limits
logins), besides the lockout, which counts only failures; the window slides."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from weibao.accounts.models import User
from weibao.testing import PASSWORD

from .conftest import post_login, session_user_id

T0 = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WRONG = "Wrong-password-1"
TOKEN = "/api/v1/token/"


def _token(username: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return Client().post(
        TOKEN, {"username": username, "password": password}, "application/json", REMOTE_ADDR=ip
    )


def test_the_seventh_login_in_a_minute_from_an_address_is_refused(english, liaison_a, liaison_b):
    with time_machine.travel(T0, tick=False) as clock:
        # Six logins from one address, right or wrong: the seventh is held back (the lockout
        # counts only failures and would not).
        for name in ["liaison_b", "liaison_b", "liaison_b", "nobody", "liaison_b", "liaison_b"]:
            post_login(Client(), name)
        refused = post_login(Client(), "liaison_a")
        assert refused.status_code == 429
        assert "Too many login attempts" in refused.content.decode()
        assert refused["Retry-After"] == "60"
        # Another address is not held back.
        assert post_login(Client(), "liaison_a", ip="10.0.0.2").status_code == 302
        clock.move_to(T0 + timedelta(seconds=61))
        client = Client()
        assert post_login(client, "liaison_a").status_code == 302
        assert session_user_id(client) == str(liaison_a.pk)


def test_an_account_is_held_back_across_addresses(english, liaison_a: User) -> None:
    with time_machine.travel(T0, tick=False):
        for number in range(6):
            post_login(Client(), "liaison_a", WRONG, ip=f"10.0.1.{number}")
        refused = post_login(Client(), "liaison_a", ip="10.0.2.1")
        assert refused.status_code == 429
        # Not a lockout of the account: another minute and it signs in from anywhere.
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=1), tick=False):
        assert post_login(Client(), "liaison_a", ip="10.0.2.1").status_code == 302


def test_the_username_is_counted_whatever_its_case(english, liaison_a: User) -> None:
    with time_machine.travel(T0, tick=False):
        for number, name in enumerate(["LIAISON_A", "Liaison_A", "liaison_a "] * 2):
            post_login(Client(), name, WRONG, ip=f"10.0.3.{number}")
        assert post_login(Client(), "liaison_a", ip="10.0.4.1").status_code == 429


def test_the_token_endpoint_is_limited_too(english, liaison_a: User) -> None:
    with time_machine.travel(T0, tick=False):
        for number in range(6):
            assert _token("liaison_a", ip=f"10.0.5.{number}").status_code == 200
        refused = _token("liaison_a", ip="10.0.6.1")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert "Too many requests for an API token" in refused.json()["detail"]
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert _token("liaison_a", ip="10.0.6.1").status_code == 200


def test_a_get_of_the_login_page_is_not_counted(liaison_a: User) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(10):
            assert Client().get("/accounts/login/", REMOTE_ADDR="10.0.0.1").status_code == 200
        assert post_login(Client(), "liaison_a").status_code == 302
