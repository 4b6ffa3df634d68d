"""One access helper per mechanisms resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.mechanisms.models import (
    Cobuilding,
    Meeting,
    Member,
    Plan,
    PlanItem,
    Result,
    Scheme,
    Score,
    SupervisionNotice,
    Task,
)


def access_member(user: User, pk: Any, *, for_update: bool = False) -> Member:
    members = Member.objects.for_user(user).select_related("unit", "contact", "group")
    return fetch(members, pk, user=user, for_update=for_update)


def access_plan(user: User, pk: Any, *, for_update: bool = False) -> Plan:
    plans = Plan.objects.all() if user.has_perm("mechanisms.view_group") else Plan.objects.none()
    return fetch(plans, pk, user=user, for_update=for_update)


def access_plan_item(user: User, pk: Any, *, for_update: bool = False) -> PlanItem:
    items = PlanItem.objects.for_user(user).select_related("plan", "lead")
    return fetch(items, pk, user=user, for_update=for_update)


def access_meeting(user: User, pk: Any, *, for_update: bool = False) -> Meeting:
    meetings = Meeting.objects.for_user(user).select_related("convener", "created_by")
    return fetch(meetings, pk, user=user, for_update=for_update)


def access_task(user: User, pk: Any, *, for_update: bool = False) -> Task:
    tasks = Task.objects.for_user(user).select_related(
        "owner", "decision__meeting", "plan_item", "created_by"
    )
    return fetch(tasks, pk, user=user, for_update=for_update)


def access_notice(user: User, pk: Any, *, for_update: bool = False) -> SupervisionNotice:
    notices = SupervisionNotice.objects.filter(task__in=Task.objects.for_user(user)).select_related(
        "task__owner", "issued_by"
    )
    return fetch(notices, pk, user=user, for_update=for_update)


def access_activity(user: User, pk: Any, *, for_update: bool = False) -> Cobuilding:
    activities = Cobuilding.objects.for_user(user).select_related(
        "organiser", "partner", "plan_item"
    )
    return fetch(activities, pk, user=user, for_update=for_update)


def access_scheme(user: User, pk: Any, *, for_update: bool = False) -> Scheme:
    schemes = (
        Scheme.objects.all()
        if user.has_perm("mechanisms.view_assessment")
        else Scheme.objects.none()
    )
    return fetch(schemes, pk, user=user, for_update=for_update)


def access_score(user: User, pk: Any, *, for_update: bool = False) -> Score:
    scores = Score.objects.for_user(user).select_related("item__scheme", "unit")
    return fetch(scores, pk, user=user, for_update=for_update)


def access_result(user: User, pk: Any, *, for_update: bool = False) -> Result:
    results = Result.objects.for_user(user).select_related("scheme", "unit")
    return fetch(results, pk, user=user, for_update=for_update)
