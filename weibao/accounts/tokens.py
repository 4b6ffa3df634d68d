"""API tokens: how long one lives.

A token lives API_TOKEN_MAX_AGE_DAYS from its creation (a new one is issued at the next
`POST /api/v1/token/`); it ends sooner when its owner logs out, changes their password, or is
deactivated or reset (accounts.services._delete_tokens).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token


def max_age() -> timedelta:
    return timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


def expires_at(token: Token) -> datetime:
    return token.created + max_age()


def is_expired(token: Token) -> bool:
    return timezone.now() >= expires_at(token)
