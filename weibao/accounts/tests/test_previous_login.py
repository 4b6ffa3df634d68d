"""After signing in, the home page shows the previous login's time and address."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from weibao.accounts.models import User
from weibao.accounts.templatetags.weibao_accounts import previous_login_text
from weibao.accounts.tests.conftest import post_login
from weibao.testing import PASSWORD

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_home_page_shows_the_previous_login(liaison_a: User) -> None:
    with time_machine.travel(datetime(2026, 12, 1, 9, 12, tzinfo=SHANGHAI), tick=False):
        first = Client()
        post_login(first, "liaison_a", ip="10.0.0.5")
        assert "This is your first login." in first.get("/").content.decode()
    with time_machine.travel(datetime(2026, 12, 2, 8, 30, tzinfo=SHANGHAI), tick=False):
        second = Client()
        assert post_login(second, "liaison_a", ip="10.0.0.9").status_code == 302
        page = second.get("/").content.decode()
    assert "Last login: 2026-12-01 09:12, from address 10.0.0.5" in page
    assert "08:30" not in page  # not this login


def test_only_the_users_own_logins_count(liaison_a: User, liaison_b: User) -> None:
    post_login(Client(), "liaison_b", ip="10.0.0.7")
    browser = Client()
    post_login(browser, "liaison_a", ip="10.0.0.8")
    page = browser.get("/").content.decode()
    assert "This is your first login." in page and "10.0.0.7" not in page


def test_an_api_login_counts_as_the_previous_login(liaison_a: User) -> None:
    """A token issued to a script is a login the owner should hear about."""
    with time_machine.travel(datetime(2026, 12, 1, 22, 5, tzinfo=SHANGHAI), tick=False):
        response = Client().post(
            "/api/v1/token/",
            {"username": "liaison_a", "password": PASSWORD},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.3",
        )
    assert response.status_code == 200
    browser = Client()
    post_login(browser, "liaison_a", ip="10.0.0.4")
    assert (
        "Last login: 2026-12-01 22:05, from address 10.0.0.3" in browser.get("/").content.decode()
    )


def test_text_without_an_address() -> None:
    assert previous_login_text({"at": "2026-12-01T01:12:00+00:00", "ip": None}) == (
        "Last login: 2026-12-01 09:12"
    )


def test_anonymous_home_is_the_login(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
