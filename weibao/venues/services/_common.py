"""Helpers the venues services share: collected errors, choice labels, who to tell."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from weibao.accounts.models import Organisation, Role, User

Errors = dict[str, list[ValidationError]]


def error(errors: Errors, name: str, message: str, code: str = "invalid") -> None:
    errors.setdefault(name, []).append(ValidationError(message, code=code))


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def merge(errors: Errors, exc: ValidationError, skip: Iterable[str] = ()) -> None:
    """Add a model's full_clean errors for fields not already in `errors`."""
    skipped = set(skip)
    for name, field_errors in exc.error_dict.items():
        if name not in errors and name not in skipped:
            errors.setdefault(name, []).extend(field_errors)


def labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {str(value).lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found


def staff_of(units: Iterable[Organisation | None]) -> list[User]:
    """The active staff (administrators and case workers) of the units: who is told."""
    ids = {unit.pk for unit in units if unit is not None}
    if not ids:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id__in=ids,
            role__in=(Role.UNIT_ADMIN, Role.CASE_WORKER),
        )
    )


def coordinators() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR))
