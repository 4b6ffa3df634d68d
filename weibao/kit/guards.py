"""The two guards every service starts with: the actor's permission, and the collected errors.

A service is the guard of its write: a view, the API, an import, a task or a command that calls
it cannot skip the rule. Views may check the same permission earlier to show a friendlier page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError


def require(allowed: bool) -> None:
    """PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def require_perm(actor: Any, perm: str, obj: Any = None) -> None:
    """PermissionDenied unless `actor` has `perm` (on `obj`, for an object permission)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def raise_if(errors: Mapping[str, Sequence[Any]]) -> None:
    """Raise the collected field errors, if there are any, as one ValidationError."""
    if errors:
        raise ValidationError({key: list(value) for key, value in errors.items()})
