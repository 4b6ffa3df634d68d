"""What the schemathesis run (test_fuzz.py) found, each reproduced on its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework import serializers

from weibao.accounts.models import User
from weibao.api.tests.conftest import post_json, token_client
from weibao.core.api_fields import BoundedDateTimeField


class _Form(serializers.Serializer):
    when = BoundedDateTimeField()


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0333-09-04T07:50:27-00:32", False),  # the fuzzer's: came back as +08:05:43
        ("1999-12-31T10:00:00+08:00", False),
        ("2100-01-01T00:00:00+08:00", False),
        ("2000-01-01T00:00:00+08:00", True),
        ("2026-07-01T17:00:00+08:00", True),
    ],
)
def test_a_date_and_time_outside_2000_to_2099_is_refused(english: None, value: str, ok: bool):
    form = _Form(data={"when": value})
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["when"] == ["Enter a date and time between the years 2000 and 2099."]


def test_a_notice_deadline_in_the_year_333_is_refused(coordinator: User, english: None) -> None:
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False):
        client = token_client(coordinator)
        data = {"title": "Summer safety", "deadline": "0333-09-04T07:50:27-00:32"}
        response = post_json(client, "/api/v1/notices/", data)
        assert response.status_code == 400, response.content
        assert "deadline" in response.json()
        data["deadline"] = "2026-07-01T17:00:00+08:00"
        response = post_json(client, "/api/v1/notices/", data)
        assert response.status_code == 201, response.content
        assert response.json()["deadline"] == "2026-07-01T17:00:00+08:00"
