"""The home page: "waiting for you" from every app's source, and unread notifications."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.accounts.models import User
from weibao.core import services
from weibao.core.contract import WaitingItem
from weibao.core.models import Notification


def reports_to_check(user: User) -> list[WaitingItem]:
    if user.username != "liaison_a":
        return []
    return [
        WaitingItem("Reports to check", 3, "/casework/reports/"),
        WaitingItem("Nothing here", 0, "/empty/"),
    ]


@pytest.fixture
def one_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "waiting_sources", lambda: [reports_to_check])


def test_waiting_items_are_listed(liaison_a: User, client_for: Any, one_source: None) -> None:
    html = client_for(liaison_a).get("/").content.decode()

    assert '<a href="/casework/reports/">Reports to check</a> <span class="badge">3</span>' in html
    assert "Nothing here" not in html  # zero counts are left out


def test_waiting_is_per_user(liaison_b: User, client_for: Any, one_source: None) -> None:
    html = client_for(liaison_b).get("/").content.decode()

    assert "Reports to check" not in html


def test_waiting_for_skips_zero_counts(liaison_a: User, one_source: None) -> None:
    assert services.waiting_for(liaison_a) == [
        WaitingItem("Reports to check", 3, "/casework/reports/")
    ]


def test_unread_notifications_on_home(liaison_a: User, liaison_b: User, client_for: Any) -> None:
    Notification.objects.create(recipient=liaison_a, title="Mine")
    Notification.objects.create(recipient=liaison_b, title="Theirs")

    html = client_for(liaison_a).get("/").content.decode()

    assert "Mine" in html
    assert "Theirs" not in html
