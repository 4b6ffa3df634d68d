"""The patrol plan (how often each high- and medium-risk water must be patrolled) and the
waters overdue for a patrol under it.

The water-resources bureau sets the plan; each change is a new PatrolPlan row (the history
stays) and an audit event with the change. A water is overdue when its last patrol (or, never
patrolled, its registration) is older than the days the plan requires of its risk today: the
peak frequency in summer (July, August) and the school holidays the plan lists, the other one
otherwise (weibao.drowning.plans).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.drowning import plans
from weibao.drowning.models import HazardousWater, Patrol, PatrolPlan, WaterQuerySet
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm

DAY_FIELDS = ("high_peak_days", "high_other_days", "medium_peak_days", "medium_other_days")
MAX_DAYS = 90


def frequencies(plan: PatrolPlan) -> plans.Frequencies:
    return plans.Frequencies(
        plan.high_peak_days, plan.high_other_days, plan.medium_peak_days, plan.medium_other_days
    )


def holidays_of(plan: PatrolPlan) -> list[tuple[date, date]]:
    """The plan's holidays; a stored text that no longer parses counts as none."""
    try:
        return plans.parse_holidays(plan.holidays)
    except plans.HolidayError:
        return []


def is_peak(day: date, plan: PatrolPlan | None = None) -> bool:
    plan = plan or PatrolPlan.current()
    return plans.is_peak(day, holidays_of(plan))


def required_days(plan: PatrolPlan, day: date) -> dict[str, int]:
    """Days between patrols required on `day`, by risk (high and medium)."""
    peak = is_peak(day, plan)
    every = frequencies(plan)
    return {risk: every.every(risk, peak) or 0 for risk in (plans.HIGH, plans.MEDIUM)}


def patrol_plan_set(*, actor: User, data: Mapping[str, Any]) -> PatrolPlan:
    """Put a new patrol plan in force (the old rows stay as its history)."""
    require_perm(actor, "drowning.set_patrol_plan")
    before = PatrolPlan.current()
    plan = PatrolPlan(set_by=actor, set_at=timezone.now())
    errors: Errors = {}
    for name in DAY_FIELDS:
        value = data.get(name, getattr(before, name))
        try:
            days = int(value)
        except (TypeError, ValueError):
            error(errors, name, _("Give a whole number of days."), "invalid")
            continue
        if not 1 <= days <= MAX_DAYS:
            message = _("Give a number of days from 1 to %(max)d.") % {"max": MAX_DAYS}
            error(errors, name, message, "out_of_range")
        setattr(plan, name, days)
    plan.holidays = "\n".join(
        line.strip() for line in str(data.get("holidays") or "").splitlines() if line.strip()
    )
    try:
        plans.parse_holidays(plan.holidays)
    except plans.HolidayError as exc:
        message = _(
            "Line %(line)d (%(text)s) is not a holiday: give its first and last day, "
            "such as 2026-10-01 2026-10-07."
        ) % {"line": exc.line, "text": exc.text}
        error(errors, "holidays", message, "invalid_holiday")
    if not errors and plan.high_peak_days > plan.high_other_days:
        message = _("High-risk waters cannot be patrolled less often in summer than otherwise.")
        error(errors, "high_peak_days", message, "peak_laxer")
    if not errors and plan.medium_peak_days > plan.medium_other_days:
        message = _("Medium-risk waters cannot be patrolled less often in summer than otherwise.")
        error(errors, "medium_peak_days", message, "peak_laxer")
    raise_if(errors)
    changes = {
        name: [getattr(before, name), getattr(plan, name)]
        for name in (*DAY_FIELDS, "holidays")
        if getattr(before, name) != getattr(plan, name)
    }
    with transaction.atomic(durable=True):
        plan.full_clean(exclude=["set_by"])
        plan.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=plan,
            target_repr=_("Patrol plan"),
            operation="patrol_plan_set",
            changes=changes,
        )
    return plan


def with_last_patrol(waters: WaterQuerySet) -> WaterQuerySet:
    """Annotate `last_patrol_at` (None if never) and `patrol_due_since` (the last patrol, or
    the registration of a water never patrolled)."""
    latest = Patrol.objects.filter(water=OuterRef("pk")).order_by("-patrolled_at", "-pk")
    return waters.annotate(
        last_patrol_at=Subquery(latest.values("patrolled_at")[:1], output_field=DateTimeField())
    ).annotate(patrol_due_since=Coalesce(F("last_patrol_at"), F("created_at")))


def overdue_for_patrol(
    waters: WaterQuerySet, *, now: datetime | None = None, plan: PatrolPlan | None = None
) -> WaterQuerySet:
    """The high- and medium-risk waters among `waters` overdue for a patrol now, annotated
    with `last_patrol_at` and `every_days`, the longest overdue first."""
    now = now or timezone.now()
    plan = plan or PatrolPlan.current()
    days = required_days(plan, timezone.localdate(now))
    high, medium = HazardousWater.Risk.HIGH, HazardousWater.Risk.MEDIUM
    overdue = Q(risk=high, patrol_due_since__lt=now - timedelta(days=days[high])) | Q(
        risk=medium, patrol_due_since__lt=now - timedelta(days=days[medium])
    )
    return (
        with_last_patrol(waters.filter(risk__in=(high, medium)))
        .filter(overdue)  # type: ignore[misc]  # the annotation is with_last_patrol's
        .annotate(
            every_days=Case(
                When(risk=high, then=Value(days[high])),
                default=Value(days[medium]),
                output_field=IntegerField(),
            )
        )
        .order_by("patrol_due_since", "village__code", "name", "pk")
    )
