"""Helpers the family services share: collected errors by field, choice labels."""

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


def merge(errors: Errors, exc: ValidationError) -> None:
    """Add a model's full_clean errors for fields not already in `errors`."""
    for name, field_errors in exc.error_dict.items():
        if name not in errors:
            errors.setdefault(name, []).extend(field_errors)


def labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {str(value).lower(): str(value) for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = str(value)
    return found
