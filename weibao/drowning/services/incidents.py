"""Drowning incidents, and the review every death starts.

The child is a person of the register, found by ID number among those the recorder may see
(`Person.objects.for_user(actor)`), or an unregistered child with an age and sex. A death is
reviewed at once: the measures at the water at the time (the last patrol's equipment, the
custodians whose duty covered the hour, the rectifications still open) are kept as the
incident's findings, as they were that day.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.drowning.models import (
    EQUIPMENT_FIELDS,
    DeathReview,
    EquipmentState,
    HazardousWater,
    Incident,
    Patrol,
    Rectification,
)
from weibao.drowning.services.waters import county_box
from weibao.kit import crypto
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.lib import idnumber
from weibao.people.models import Person

INCIDENT_FIELDS = ("occurred_at", "place", "circumstance", "activity", "outcome", "reported_by",
                   "notes")  # fmt: skip
MINOR_AGE = 18
PLACES = Decimal("0.000001")
AFTER_SCHOOL_HOURS = range(16, 21)


def duty_period(moment: datetime) -> str:
    """Which custodian duty covers a moment: summer (July, August), weekends, after school
    (16:00–20:59 on a weekday), else holidays is not known here and school hours cover none."""
    local = timezone.localtime(moment)
    if local.month in (7, 8):
        return "summer"
    if local.weekday() >= 5:
        return "weekends"
    if local.hour in AFTER_SCHOOL_HOURS:
        return "after_school"
    return ""


def _child(actor: User, incident: Incident, data: dict[str, Any], errors: Errors) -> None:
    text = str(data.get("id_number") or "").strip()
    if text:
        try:
            parsed = idnumber.parse(text)
        except ValueError as exc:
            error(errors, "id_number", str(exc))
            return
        person = (
            Person.objects.for_user(actor).by_id_hash(crypto.blind_index(parsed.number)).first()
        )
        if person is None:
            message = _(
                "No child with this ID number is in the register as far as you can see: "
                "leave it empty and give the child's age and sex."
            )
            error(errors, "id_number", message, "unknown")
            return
        incident.person = person
        if incident.occurred_at is not None:
            incident.age = person.age_on(timezone.localdate(incident.occurred_at))
        incident.sex = person.sex
        return
    incident.person = None
    incident.age = data.get("age")
    incident.sex = data.get("sex") or ""
    if incident.age is None:
        error(errors, "age", _("Give the child's ID number, or their age."), "required")
    if not incident.sex:
        error(errors, "sex", _("Give the child's sex."), "required")
    if incident.age is not None and incident.age >= MINOR_AGE:
        error(errors, "age", _("Only minors' incidents are recorded here."), "adult")


def _coordinate(value: Any, name: str, errors: Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip()).quantize(PLACES, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        error(errors, name, _("Enter a number of degrees, such as 27.43."))
        return None


def _place(actor: User, incident: Incident, data: dict[str, Any], errors: Errors) -> None:
    water: HazardousWater | None = data.get("water")
    incident.latitude = _coordinate(data.get("latitude"), "latitude", errors)
    incident.longitude = _coordinate(data.get("longitude"), "longitude", errors)
    if water is not None:
        if not actor.has_perm("drowning.view_water", water):
            error(errors, "water", _("Choose a water you can see."), "not_visible")
            return
        incident.water = water
        incident.division = water.village
        if incident.latitude is None:
            incident.latitude, incident.longitude = water.latitude, water.longitude
        return
    incident.water = None
    division: Division | None = data.get("division")
    if not incident.place:
        error(errors, "place", _("Choose the water, or describe the place."), "required")
    if division is None:
        error(errors, "division", _("Give the village or township."), "required")
        return
    incident.division = division
    if (incident.latitude is None) != (incident.longitude is None):
        message = _("Give both the latitude and the longitude, or neither.")
        error(errors, "latitude", message, "pair")
    elif incident.latitude is not None and incident.longitude is not None:
        box = county_box()
        if not box.contains(incident.latitude, incident.longitude):
            message = _(
                "This point is outside the county: give a longitude and latitude within "
                "%(box)s (longitude, then latitude)."
            ) % {"box": box.describe()}
            error(errors, "latitude", message, "outside_county")


def incident_record(*, actor: User, data: dict[str, Any]) -> Incident:
    """Record a drowning or near-drowning; a death starts its review at once."""
    require_perm(actor, "drowning.add_incident")
    incident = Incident(recorded_by=actor)
    errors: Errors = {}
    for name in INCIDENT_FIELDS:
        if name in data:
            value = data[name]
            setattr(incident, name, value.strip() if isinstance(value, str) else value)
    incident.place = incident.place or ""
    incident.notes = incident.notes or ""
    if incident.occurred_at is None:
        error(errors, "occurred_at", _("Give the date and time."), "required")
    elif incident.occurred_at > timezone.now():
        error(errors, "occurred_at", _("The incident cannot be in the future."), "future")
    _child(actor, incident, data, errors)
    _place(actor, incident, data, errors)
    if incident.division_id and not actor.has_perm(
        "drowning.record_incident_at", incident.division
    ):
        message = _("This place is outside your area.")
        error(errors, "division" if incident.water is None else "water", message, "outside_area")
    try:
        incident.full_clean(
            exclude=["person", "water", "division", "recorded_by"], validate_constraints=False
        )
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        incident.save()
        if incident.outcome == Incident.Outcome.DIED:
            review_start(incident)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=incident,
            target_repr=str(incident),
            operation="incident_record",
            outcome=incident.outcome,
            water=incident.water_id,
        )
    return incident


def review_start(incident: Incident) -> DeathReview:
    """The measures at the water when the child died (inside the caller's transaction)."""
    review = DeathReview(incident=incident)
    water = incident.water
    lines: list[str] = []
    if water is None:
        lines.append(_("The place is not a water in the registry."))
    else:
        last = (
            Patrol.objects.filter(water=water, patrolled_at__lte=incident.occurred_at)
            .order_by("-patrolled_at", "-pk")
            .first()
        )
        if last is None:
            lines.append(_("No patrol of this water was on file before the incident."))
        else:
            review.last_patrol, review.last_patrol_at = last, last.patrolled_at
            for name in EQUIPMENT_FIELDS.values():
                setattr(review, name, getattr(last, name))
            gaps = [label for _item, label, state in last.equipment() if state != EquipmentState.OK]
            lines.append(
                _("Last patrol on %(date)s: %(state)s.")
                % {
                    "date": f"{timezone.localtime(last.patrolled_at):%Y-%m-%d}",
                    "state": _("missing or damaged: %(items)s") % {"items": "、".join(gaps)}
                    if gaps
                    else _("all four ones in place"),
                }
            )
        period = duty_period(incident.occurred_at)
        custodians = water.custodians.all()
        if period:
            custodians = custodians.filter(**{period: True})
            review.custodian_count = custodians.count()
            lines.append(
                _("Custodians whose duty covered the time: %(n)d.") % {"n": review.custodian_count}
            )
        else:
            review.custodian_count = 0
            lines.append(_("The time was in school hours: no custodian duty covered it."))
        review.open_rectifications = (
            Rectification.objects.filter(water=water, opened_on__lte=incident.occurred_at.date())
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=incident.occurred_at))
            .count()
        )
        lines.append(
            _("Rectifications open at the time: %(n)d.") % {"n": review.open_rectifications}
        )
    review.findings = "\n".join(lines)
    review.save()
    return review
