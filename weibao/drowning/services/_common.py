"""Helpers the drowning services share: collected errors, choice labels, audit names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

Errors = dict[str, list[ValidationError]]


def error(errors: Errors, name: str, message: str, code: str = "invalid") -> None:
    errors.setdefault(name, []).append(ValidationError(message, code=code))


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {str(value).lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found
