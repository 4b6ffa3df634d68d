"""One access helper per care resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.care.models import (
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Need,
    Visit,
    children_for,
)
from weibao.kit.access import fetch
from weibao.people.models import Person


def access_appointment(user: User, pk: Any, *, for_update: bool = False) -> CareAppointment:
    appointments = CareAppointment.objects.for_user(user).select_related("division", "user")
    return fetch(appointments, pk, user=user, for_update=for_update)


def access_difficulty(user: User, pk: Any, *, for_update: bool = False) -> Difficulty:
    difficulties = Difficulty.objects.for_user(user).select_related("child__division")
    return fetch(difficulties, pk, user=user, for_update=for_update)


def access_contact(user: User, pk: Any, *, for_update: bool = False) -> Contact:
    contacts = Contact.objects.for_user(user).select_related("child__division")
    return fetch(contacts, pk, user=user, for_update=for_update)


def access_visit(user: User, pk: Any, *, for_update: bool = False) -> Visit:
    visits = Visit.objects.for_user(user).select_related(
        "child__division", "visitor", "volunteer__person"
    )
    return fetch(visits, pk, user=user, for_update=for_update)


def access_warning(user: User, pk: Any, *, for_update: bool = False) -> CareWarning:
    warnings = CareWarning.objects.for_user(user).select_related("child__division", "visit")
    return fetch(warnings, pk, user=user, for_update=for_update)


def access_child(user: User, pk: Any) -> Person:
    """A child looked after (left behind or in difficulty) whose care records the user reads."""
    children = children_for(user).select_related(
        "division__parent", "school", "left_behind__entrusted_carer"
    )
    return fetch(children, pk, user=user)


def access_need(user: User, pk: Any, *, for_update: bool = False) -> Need:
    needs = Need.objects.for_user(user).select_related("child", "referral")
    return fetch(needs, pk, user=user, for_update=for_update)
