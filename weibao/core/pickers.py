"""The platform's pickers: units, users and divisions (accounts sits below core and knows
nothing of the contract, so core declares them; see weibao.kit.pickers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from weibao.accounts.models import Division, Organisation, User
from weibao.kit.pickers import Picker


def active_units(user: Any) -> QuerySet[Organisation]:
    """Every active unit: units are public within the platform (Organisation.for_user)."""
    return Organisation.objects.for_user(user).active().select_related("division")


def search_units(units: QuerySet[Organisation], text: str, user: Any) -> QuerySet[Organisation]:
    return units.filter(Q(name__icontains=text) | Q(credit_code__iexact=text.upper())).order_by(
        "name"
    )


def unit_detail(unit: Organisation) -> str:
    return " · ".join(p for p in (unit.get_kind_display(), unit.division.name) if p)


def search_users(users: QuerySet[User], text: str, user: Any) -> QuerySet[User]:
    return users.filter(Q(full_name__icontains=text) | Q(username__icontains=text)).order_by(
        "full_name", "username"
    )


def user_label(user: User) -> str:
    return user.full_name or user.username


def user_detail(user: User) -> str:
    return " · ".join(p for p in (str(user.organisation), user.get_role_display()) if p)


def places(user: Any) -> QuerySet[Division]:
    """Townships and villages, for anyone signed in (divisions are public)."""
    if not getattr(user, "is_authenticated", False):
        return Division.objects.none()
    return Division.objects.filter(level__gte=Division.Level.TOWNSHIP).select_related("parent")


def search_divisions(divisions: QuerySet[Division], text: str, user: Any) -> QuerySet[Division]:
    return divisions.filter(
        Q(name__icontains=text) | Q(parent__name__icontains=text) | Q(code__startswith=text)
    ).order_by("code")


def division_label(division: Division) -> str:
    if division.level == Division.Level.VILLAGE and division.parent is not None:
        return f"{division.parent.name}{division.name}"
    return division.name


def division_detail(division: Division) -> str:
    return division.get_level_display()


UNIT_PICKER = Picker(
    name="unit",
    queryset=active_units,
    search=search_units,
    label=lambda unit: unit.name,
    detail=unit_detail,
)
# Users are never listed whole: each app declares a variant with the users its form may name.
USER_PICKER = Picker(
    name="user",
    queryset=lambda user: User.objects.none(),
    search=search_users,
    label=user_label,
    detail=user_detail,
)
DIVISION_PICKER = Picker(
    name="division",
    queryset=places,
    search=search_divisions,
    label=division_label,
    detail=division_detail,
)


def unit_picker(name: str, kinds: Any) -> Picker:
    """The unit picker limited to units of `kinds`."""
    kinds = frozenset(kinds)
    return UNIT_PICKER.variant(name, lambda user: active_units(user).filter(kind__in=kinds))
