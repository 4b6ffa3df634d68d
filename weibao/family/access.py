"""One access helper per family resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.casework.models import GuardianOrder
from weibao.family.models import Activity, Guidance, Site, Volunteer, orders_awaiting_guidance
from weibao.kit.access import fetch


def access_site(user: User, pk: Any, *, for_update: bool = False) -> Site:
    sites = Site.objects.for_user(user).select_related("village__parent", "operating_unit")
    return fetch(sites, pk, user=user, for_update=for_update)


def access_volunteer(user: User, pk: Any, *, for_update: bool = False) -> Volunteer:
    volunteers = Volunteer.objects.for_user(user).select_related("person", "team", "township")
    return fetch(volunteers, pk, user=user, for_update=for_update)


def access_activity(user: User, pk: Any, *, for_update: bool = False) -> Activity:
    activities = Activity.objects.for_user(user).select_related(
        "site", "school__organisation", "village__parent", "team"
    )
    return fetch(activities, pk, user=user, for_update=for_update)


def access_guidance(user: User, pk: Any, *, for_update: bool = False) -> Guidance:
    guidance = Guidance.objects.for_user(user).select_related(
        "order__issuer", "lecturer__person", "lecturer__team"
    )
    return fetch(guidance, pk, user=user, for_update=for_update)


def access_awaiting_order(user: User, pk: Any) -> GuardianOrder:
    """An order to guardians waiting for guidance, for those who assign it."""
    orders = orders_awaiting_guidance()
    if not user.has_perm("family.assign_guidance"):
        orders = orders.none()
    return fetch(orders, pk, user=user)
