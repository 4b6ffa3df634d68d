"""Helpers the venues services share: who to tell."""

from __future__ import annotations

from collections.abc import Iterable

from weibao.accounts.models import Organisation, Role, User


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
