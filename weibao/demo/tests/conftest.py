"""A tiny demo county (--scale 0.01: about 500 pupils) in the test database."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Check the printed messages in English (the msgids), whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def fast_passwords() -> Iterator[None]:
    # Twelve PBKDF2 hashes would be most of each test's time.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def seed_output(db: None, fast_passwords: None) -> str:
    """Seed the tiny county; the command's printout."""
    out = StringIO()
    call_command("seed_demo", "--scale", "0.01", stdout=out)
    return out.getvalue()
