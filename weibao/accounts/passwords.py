"""Password rules beyond Django's own (character classes, not the username); temporary passwords."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of the four classes (lower, upper, digit, other) the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must use at least %(count)d of: lower-case letters, upper-case "
            "letters, digits, symbols."
        ) % {"count": self.min_classes}


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("The password must not contain the username.")


# Temporary passwords: no look-alike characters (0/O, 1/l/I), since they are read off a screen.
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "-_!@#%+=?"


def generate_password(user: Any = None, length: int = 12) -> str:
    """A random password that passes every configured validator (for `user`, if given).

    It uses all four character classes, so only the username and common-password rules could
    refuse it; then another is drawn.
    """
    rng = secrets.SystemRandom()
    pool = _UPPER + _LOWER + _DIGITS + _SYMBOLS
    while True:
        chars = [rng.choice(part) for part in (_UPPER, _LOWER, _DIGITS, _SYMBOLS)]
        chars += [rng.choice(pool) for _ in range(length - len(chars))]
        rng.shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
