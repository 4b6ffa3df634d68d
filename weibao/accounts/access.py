"""Access helpers for units and accounts: one per resource, through `for_admin` (see kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import Organisation, User
from weibao.kit.access import fetch


def access_unit(user: User, pk: Any, *, for_update: bool = False) -> Organisation:
    """A unit the user administers (all, for a system administrator); else Http404."""
    return fetch(Organisation.objects.for_admin(user), pk, user=user, for_update=for_update)


def access_user(user: User, pk: Any, *, for_update: bool = False) -> User:
    """An account the user administers; else Http404."""
    users = User.objects.for_admin(user).select_related("organisation")
    return fetch(users, pk, user=user, for_update=for_update)
