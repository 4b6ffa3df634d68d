from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from weibao.accounts.models import User


@pytest.mark.django_db
def test_health() -> None:
    assert Client().get("/health").json() == {"status": "ok"}


def test_home_requires_login(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_shows_unit_and_role(liaison_a: User, client_for: Any) -> None:
    response = client_for(liaison_a).get("/")
    assert response.status_code == 200
    assert "鳌溪镇中心小学" in response.content.decode()
