"""Notifications: each user reads and marks their own inbox only."""

from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import User
from weibao.core.models import Notification

from .conftest import token_client

URL = "/api/v1/notifications/"


@pytest.fixture
def notes(liaison_a: User, liaison_b: User) -> dict[str, Notification]:
    return {
        "a": Notification.objects.create(recipient=liaison_a, title="给A的通知", kind="notice"),
        "b": Notification.objects.create(recipient=liaison_b, title="给B的通知"),
    }


def test_own_notifications_only(liaison_a: User, notes: dict) -> None:
    data = token_client(liaison_a).get(URL).json()
    assert [n["title"] for n in data["results"]] == ["给A的通知"]


def test_mark_read(liaison_a: User, notes: dict) -> None:
    response = token_client(liaison_a).post(f"{URL}{notes['a'].pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    notes["a"].refresh_from_db()
    assert notes["a"].read_at is not None


def test_others_notification_is_404(liaison_a: User, notes: dict) -> None:
    client = token_client(liaison_a)
    assert client.get(f"{URL}{notes['b'].pk}/").status_code == 404
    assert client.post(f"{URL}{notes['b'].pk}/read/").status_code == 404
    notes["b"].refresh_from_db()
    assert notes["b"].read_at is None


def test_anonymous_is_refused(notes: dict) -> None:
    assert Client().get(URL).status_code in (401, 403)
    assert Client().post(f"{URL}{notes['a'].pk}/read/").status_code in (401, 403)


def test_query_count_does_not_grow(
    liaison_a: User,
    notes: dict,
    django_assert_max_num_queries,
) -> None:
    client = token_client(liaison_a)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(20):
        Notification.objects.create(recipient=liaison_a, title=f"通知{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
