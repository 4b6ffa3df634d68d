"""One access helper per drowning-prevention resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.drowning.models import (
    Assignment,
    Custodian,
    HazardousWater,
    Incident,
    ParentLetter,
    Patrol,
    Rectification,
    SignInspection,
)
from weibao.kit.access import fetch


def access_water(user: User, pk: Any, *, for_update: bool = False) -> HazardousWater:
    waters = HazardousWater.objects.for_user(user).select_related(
        "village__parent", "nearest_school__organisation"
    )
    return fetch(waters, pk, user=user, for_update=for_update)


def access_custodian(user: User, pk: Any, *, for_update: bool = False) -> Custodian:
    custodians = Custodian.objects.for_user(user).select_related("township", "person")
    return fetch(custodians, pk, user=user, for_update=for_update)


def access_patrol(user: User, pk: Any, *, for_update: bool = False) -> Patrol:
    patrols = Patrol.objects.for_user(user).select_related("water__village")
    return fetch(patrols, pk, user=user, for_update=for_update)


def access_rectification(user: User, pk: Any, *, for_update: bool = False) -> Rectification:
    items = Rectification.objects.for_user(user).select_related("water__village", "township")
    return fetch(items, pk, user=user, for_update=for_update)


def access_incident(user: User, pk: Any, *, for_update: bool = False) -> Incident:
    incidents = Incident.objects.for_user(user).select_related(
        "person", "water__village", "division", "review__last_patrol"
    )
    return fetch(incidents, pk, user=user, for_update=for_update)


def access_letter(user: User, pk: Any, *, for_update: bool = False) -> ParentLetter:
    letters = ParentLetter.objects.for_user(user).select_related(
        "school__organisation__division__parent"
    )
    return fetch(letters, pk, user=user, for_update=for_update)


def access_assignment(user: User, pk: Any, *, for_update: bool = False) -> Assignment:
    assignments = Assignment.objects.for_user(user).select_related(
        "child__school", "assignee__organisation"
    )
    return fetch(assignments, pk, user=user, for_update=for_update)


def access_sign_inspection(user: User, pk: Any, *, for_update: bool = False) -> SignInspection:
    inspections = SignInspection.objects.for_user(user).select_related(
        "school__organisation__division", "recorded_by"
    )
    return fetch(inspections, pk, user=user, for_update=for_update)
