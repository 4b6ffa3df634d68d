"""API test helpers: token clients and fast password hashing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User


def token_client(user: User) -> Client:
    """A client that authenticates with an API token (no session, no CSRF)."""
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def post_json(client: Client, url: str, data: Any = None, method: str = "post") -> Any:
    return getattr(client, method)(url, data or {}, content_type="application/json")
