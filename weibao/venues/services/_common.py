"""Helpers the venues services share: who to tell."""

from __future__ import annotations

from weibao.accounts.models import Role, User


def coordinators() -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR))
