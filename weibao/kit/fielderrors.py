"""Field errors collected by a service before it raises them all at once, and choice labels.

A service checks every field, collects what is wrong by field name (`error`), adds the model's
own checks for the fields not already in error (`merge`, or `clean` which runs them), and
raises one ValidationError with all of them (`weibao.kit.guards.raise_if`), so a form or an
import row shows every problem at once, each by its field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

Errors = dict[str, list[ValidationError]]


def error(errors: Errors, name: str, message: str, code: str = "invalid") -> None:
    errors.setdefault(name, []).append(ValidationError(message, code=code))


def merge(errors: Errors, exc: ValidationError, skip: Iterable[str] = ()) -> None:
    """Add a model's full_clean errors for fields not already in `errors` (nor in `skip`)."""
    skipped = set(skip)
    for name, field_errors in exc.error_dict.items():
        if name not in errors and name not in skipped:
            errors.setdefault(name, []).extend(field_errors)


def clean(obj: models.Model, errors: Errors, exclude: Iterable[str] = ()) -> None:
    """Run the model's own field checks and `merge` their errors."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        merge(errors, exc)


def labels(choices: type[models.TextChoices]) -> dict[str, Any]:
    """Value by every way of writing it: the value, and the label in each language."""
    found: dict[str, Any] = {str(value).lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found
