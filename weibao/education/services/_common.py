"""What the education services share: the error list, field helpers, the purpose check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

Errors = dict[str, list[str]]

MIN_PURPOSE_LENGTH = 4
MAX_ERRORS_KEPT = 5000


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _restore(instance: models.Model, before: Mapping[str, Any]) -> None:
    for name, value in before.items():
        setattr(instance, name, value)


def check_purpose(purpose: str) -> str:
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {
                "purpose": [
                    _("State the purpose in at least %(n)d characters.") % {"n": MIN_PURPOSE_LENGTH}
                ]
            }
        )
    return purpose


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _changes_with_m2m(
    changes: dict[str, Any], name: str, before: Sequence[Any], after: Sequence[Any] | None
) -> None:
    if after is None:
        return
    old, new = "、".join(sorted(map(str, before))), "、".join(sorted(map(str, after)))
    if old != new:
        changes[name] = [old or None, new or None]
