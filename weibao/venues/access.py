"""One access helper per venues resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.venues.models import (
    Concern,
    DistanceRule,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
)


def access_venue(user: User, pk: Any, *, for_update: bool = False) -> Venue:
    venues = Venue.objects.for_user(user).select_related("village__parent", "supervising_unit")
    return fetch(venues, pk, user=user, for_update=for_update)


def access_rule(user: User, pk: Any, *, for_update: bool = False) -> DistanceRule:
    rules = (
        DistanceRule.objects.all()
        if user.has_perm("venues.view_rules")
        else DistanceRule.objects.none()
    )
    return fetch(rules, pk, user=user, for_update=for_update)


def access_plan(user: User, pk: Any, *, for_update: bool = False) -> InspectionPlan:
    plans = InspectionPlan.objects.for_user(user).select_related("lead")
    return fetch(plans, pk, user=user, for_update=for_update)


def access_inspection(user: User, pk: Any, *, for_update: bool = False) -> Inspection:
    inspections = Inspection.objects.for_user(user).select_related(
        "venue__village__parent", "venue__supervising_unit", "inspecting_unit", "plan",
        "recorded_by",
    )  # fmt: skip
    return fetch(inspections, pk, user=user, for_update=for_update)


def access_order(user: User, pk: Any, *, for_update: bool = False) -> RectificationOrder:
    orders = RectificationOrder.objects.for_user(user).select_related(
        "venue__village", "inspection__inspecting_unit"
    )
    return fetch(orders, pk, user=user, for_update=for_update)


def access_concern(user: User, pk: Any, *, for_update: bool = False) -> Concern:
    concerns = Concern.objects.for_user(user).select_related(
        "venue__village", "school__organisation"
    )
    return fetch(concerns, pk, user=user, for_update=for_update)
