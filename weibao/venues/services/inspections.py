"""Inspection plans, inspections with their findings, rectification orders and their
re-inspection, the overdue escalation, repeat offenders and the rectification notice.

An inspection needs at least two inspectors (执法人员不少于两人), a time not in the future, and
an answer on every line of the venue's checklist (kinds.checklist, with the distance line while
a rule for the kind is in force). Each line found broken is a finding; an inspection with
findings opens a rectification order due RECTIFICATION_DAYS later (or the date the inspector
sets). A re-inspection of an order closes it: rectified when none of its findings is found
again, not rectified otherwise (the re-inspection's own findings open the next order). A venue
with findings in REPEAT_FINDINGS inspections within a year is flagged for the supervising unit's
enforcement. Minors found are a count: a named child goes to the at-risk or casework flow, never
into this record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.services import attachment_store, notify, unit_staff
from weibao.kit import documents
from weibao.kit.fielderrors import Errors, error, merge
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message, plural_message
from weibao.venues.kinds import Outcome, VenueKind, checklist
from weibao.venues.models import (
    RECTIFICATION_DAYS,
    REPEAT_FINDINGS,
    REPEAT_WINDOW_DAYS,
    DistanceRule,
    Finding,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
)
from weibao.venues.services._common import coordinators

MIN_INSPECTORS = 2
MAX_INSPECTORS = 10
MAX_PHOTOS = 6
MAX_DEADLINE_DAYS = 180


# Plans -------------------------------------------------------------------------------------------


def plan_create(*, actor: User, data: Mapping[str, Any]) -> InspectionPlan:
    """A season's or campaign's plan: kinds, townships (none: the whole county), the units
    taking part and the lead (one of them), the dates."""
    require_perm(actor, "venues.plan_inspections")
    errors: Errors = {}
    kinds = sorted({str(k) for k in data.get("kinds") or ()})
    townships: list[Division] = list(data.get("townships") or ())
    units: list[Organisation] = list(data.get("units") or ())
    lead = data.get("lead")
    plan = InspectionPlan(
        title=" ".join(str(data.get("title") or "").split()),
        season=data.get("season") or "",
        kinds=kinds,
        lead=lead,
        starts_on=data.get("starts_on"),  # type: ignore[misc]
        due_on=data.get("due_on"),
        notes=str(data.get("notes") or "").strip(),
        created_by=actor,
    )
    if not plan.title:
        error(errors, "title", _("Give the plan a title."), "required")
    if not kinds:
        error(errors, "kinds", _("Choose the kinds of venue to inspect."), "required")
    elif any(k not in VenueKind.values for k in kinds):
        error(errors, "kinds", _("Choose kinds of venue from the list."))
    if any(t.level != Division.Level.TOWNSHIP for t in townships):
        error(errors, "townships", _("Choose townships only."))
    if lead is None:
        error(errors, "lead", _("Choose the lead unit."), "required")
    elif lead not in units:
        units.append(lead)
    if plan.starts_on and plan.due_on and plan.due_on < plan.starts_on:
        error(errors, "due_on", _("The due date cannot be before the start."), "order")
    try:
        plan.full_clean(exclude=["created_by", "lead"] if lead is None else ["created_by"])
    except Exception as exc:
        merge(errors, exc)  # type: ignore[arg-type]
    raise_if(errors)
    with transaction.atomic(durable=True):
        plan.save()
        plan.townships.set(townships)
        plan.units.set(units)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=plan,
            target_repr=plan.title,
            operation="plan_create",
            kinds=kinds,
            units=len(units),
        )
        notify(
            recipients=[u for u in unit_staff(units) if u.pk != actor.pk],
            title=Message(
                gettext_noop("Your unit takes part in an inspection plan: %(title)s"),
                {"title": plan.title},
            ),
            body=Message(gettext_noop("Due by %(date)s."), {"date": plan.due_on.isoformat()}),
            link=plan.get_absolute_url(),
            kind="venues_plan",
        )
    return plan


def plan_progress(plan: InspectionPlan) -> tuple[int, int]:
    """(venues inspected under the plan, venues the plan covers)."""
    venues = plan.venues()
    done = (
        Inspection.objects.filter(plan=plan, venue__in=venues.values("pk"))
        .values("venue")
        .distinct()
        .count()
    )
    return done, venues.count()


# Inspections ------------------------------------------------------------------------------------


def rule_metres(kind: str, day: date | None = None) -> int | None:
    rule = DistanceRule.objects.in_force(day).filter(kind=kind).first()
    return rule.metres if rule else None


def venue_checklist(venue: Venue, day: date | None = None) -> list[Any]:
    return checklist(venue.kind, rule_metres(venue.kind, day))


def _inspectors(value: Any, errors: Errors) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    names = []
    for name in value or ():
        name = " ".join(str(name).split())
        if name and name not in names:
            names.append(name[:50])
    if len(names) < MIN_INSPECTORS:
        message = _(
            "An inspection needs at least %(n)d inspectors by law: give each one's name."
        ) % {"n": MIN_INSPECTORS}
        error(errors, "inspectors", message, "too_few")
    elif len(names) > MAX_INSPECTORS:
        message = _("At most %(n)d inspectors.") % {"n": MAX_INSPECTORS}
        error(errors, "inspectors", message, "too_many")
    return names


def _answers(venue: Venue, value: Any, day: date, errors: Errors) -> dict[str, str]:
    given = value if isinstance(value, Mapping) else {}
    answers: dict[str, str] = {}
    missing = []
    for item in venue_checklist(venue, day):
        answer = str(given.get(item.code) or "")
        if answer not in Outcome.values:
            missing.append(str(item.label))
        else:
            answers[item.code] = answer
    if missing:
        message = _("Answer every line of the checklist: %(items)s.") % {
            "items": "; ".join(missing)
        }
        error(errors, "checklist", message, "incomplete")
    return answers


def inspection_record(
    *,
    actor: User,
    venue: Venue,
    data: Mapping[str, Any],
    photos: Sequence[UploadedFile] = (),
) -> Inspection:
    """Record an inspection of `venue` by the actor's unit: its findings, the order they open,
    the order it re-inspects, the photos; flags a repeat offender."""
    require_perm(actor, "venues.record_inspection", venue)
    errors: Errors = {}
    inspected_at = data.get("inspected_at")
    if not isinstance(inspected_at, datetime):
        error(errors, "inspected_at", _("Give the time of the inspection."), "required")
        day = timezone.localdate()
    else:
        day = timezone.localdate(inspected_at)
        if inspected_at > timezone.now():
            message = _("The inspection cannot be in the future.")
            error(errors, "inspected_at", message, "future")
    inspectors = _inspectors(data.get("inspectors"), errors)
    answers = _answers(venue, data.get("checklist"), day, errors)
    minors = data.get("minors_found") or 0
    if not isinstance(minors, int) or minors < 0 or minors > 9999:
        error(errors, "minors_found", _("Give the number of minors found, 0 or more."))
    plan = data.get("plan")
    if plan is not None and venue.kind not in plan.kinds:
        message = _("This plan does not cover venues of this kind.")
        error(errors, "plan", message, "kind")
    reinspects = data.get("reinspects")
    if reinspects is not None and (
        reinspects.venue_id != venue.pk or reinspects.state != RectificationOrder.State.OPEN
    ):
        error(errors, "reinspects", _("Choose an open order of this venue."), "order")
    deadline = data.get("deadline")
    if deadline is not None and not day < deadline <= day + timedelta(days=MAX_DEADLINE_DAYS):
        message = _("Set a deadline after the inspection, within %(n)d days.") % {
            "n": MAX_DEADLINE_DAYS
        }
        error(errors, "deadline", message)
    if len(photos) > MAX_PHOTOS:
        error(errors, "photos", _("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    raise_if(errors)
    assert isinstance(inspected_at, datetime)
    failed = [item for item in venue_checklist(venue, day) if answers[item.code] == Outcome.FAIL]
    inspection = Inspection(
        venue=venue,
        plan=plan,
        inspecting_unit=actor.organisation,
        inspected_at=inspected_at,
        inspectors=inspectors,
        checklist=answers,
        minors_found=minors,
        notes=str(data.get("notes") or "").strip(),
        reinspects=reinspects,
        recorded_by=actor,
    )
    inspection.full_clean(exclude=["recorded_by", "reinspects", "plan"])
    with transaction.atomic(durable=True):
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        inspection.save()
        Finding.objects.bulk_create(
            Finding(inspection=inspection, item=item.code, label=str(item.label)[:200])
            for item in failed
        )
        for photo in photos:
            attachment_store(actor=actor, upload=photo, owner=inspection)
        closed = _close_reinspected(inspection, reinspects, {item.code for item in failed})
        order = None
        if failed:
            order = RectificationOrder.objects.create(
                inspection=inspection,
                venue=venue,
                number=f"{day.year}-{inspection.pk:06d}",
                deadline=deadline or day + timedelta(days=RECTIFICATION_DAYS),
            )
        flagged = _flag_repeat(locked, day)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=inspection,
            target_repr=str(inspection),
            operation="inspection_record",
            venue=venue.pk,
            findings=[item.code for item in failed],
            minors_found=minors,
            order=order.number if order else "",
            reinspected=closed,
            flagged=flagged,
        )
        if order is not None or flagged:
            _tell_supervisor(venue, order, flagged, actor)
    venue.flagged_on = locked.flagged_on
    return inspection


def _close_reinspected(
    inspection: Inspection, order: RectificationOrder | None, failed: set[str]
) -> str:
    if order is None:
        return ""
    items = set(order.inspection.findings.values_list("item", flat=True))
    state = (
        RectificationOrder.State.NOT_RECTIFIED
        if items & failed
        else RectificationOrder.State.RECTIFIED
    )
    RectificationOrder.objects.filter(pk=order.pk, state=RectificationOrder.State.OPEN).update(
        state=state, closed_at=inspection.inspected_at
    )
    order.state, order.closed_at = state, inspection.inspected_at
    return state


def _flag_repeat(venue: Venue, day: date) -> bool:
    """Flag the venue when its inspections with findings within a year reach REPEAT_FINDINGS."""
    if venue.flagged_on is not None:
        return False
    since = day - timedelta(days=REPEAT_WINDOW_DAYS)
    count = (
        Inspection.objects.filter(venue=venue, inspected_at__date__gt=since).with_findings().count()
    )
    if count < REPEAT_FINDINGS:
        return False
    venue.flagged_on = day
    Venue.objects.filter(pk=venue.pk).update(flagged_on=day)
    return True


def _tell_supervisor(
    venue: Venue, order: RectificationOrder | None, flagged: bool, actor: User
) -> None:
    recipients = [u for u in unit_staff([venue.supervising_unit]) if u.pk != actor.pk]
    if order is not None:
        notify(
            recipients=recipients,
            title=Message(
                gettext_noop("An inspection found problems at %(venue)s"), {"venue": venue.name}
            ),
            body=Message(
                gettext_noop("Rectification due by %(date)s."), {"date": order.deadline.isoformat()}
            ),
            link=order.get_absolute_url(),
            kind="venues_order",
        )
    if flagged:
        notify(
            recipients=recipients + coordinators(),
            title=Message(
                gettext_noop("Repeated findings at %(venue)s: consider enforcement"),
                {"venue": venue.name},
            ),
            link=reverse("venues:repeat_offenders"),
            kind="venues_repeat",
        )


def orders_escalate_overdue(today: date | None = None) -> int:
    """The scheduler's: tell the supervising unit and the county coordinators of each order
    fallen overdue since the last run (each once: idempotent). Returns how many."""
    today = today or timezone.localdate()
    due = (
        RectificationOrder.objects.overdue(today)
        .filter(escalated_on__isnull=True)
        .select_related("venue__supervising_unit")
    )
    by_unit: dict[int | None, list[RectificationOrder]] = defaultdict(list)
    for order in due:
        by_unit[order.venue.supervising_unit_id].append(order)
    told = 0
    county = coordinators()
    for items in by_unit.values():
        unit = items[0].venue.supervising_unit
        with transaction.atomic():
            notify(
                recipients=unit_staff([unit]) + county,
                title=plural_message(
                    "%(n)d venue rectification order is overdue",
                    "%(n)d venue rectification orders are overdue",
                    "n",
                    {"n": len(items)},
                ),
                link=reverse("venues:order_list") + "?overdue=on",
                kind="venues_order_overdue",
            )
            RectificationOrder.objects.filter(pk__in=[o.pk for o in items]).update(
                escalated_on=today
            )
        told += len(items)
    return told


def licences_notify_expired(today: date | None = None) -> int:
    """The scheduler's: tell each supervising unit of the venues whose licence has expired
    (each once per licence: a new expiry date resets it). Returns how many."""
    today = today or timezone.localdate()
    expired = (
        Venue.objects.licence_expired(today)
        .filter(licence_notified_on__isnull=True)
        .select_related("supervising_unit")
    )
    by_unit: dict[int | None, list[Venue]] = defaultdict(list)
    for venue in expired:
        by_unit[venue.supervising_unit_id].append(venue)
    told = 0
    for items in by_unit.values():
        with transaction.atomic():
            notify(
                recipients=unit_staff([items[0].supervising_unit]),
                title=plural_message(
                    "%(n)d venue's licence has expired",
                    "%(n)d venues' licences have expired",
                    "n",
                    {"n": len(items)},
                ),
                link=reverse("venues:venue_list") + "?expired=on",
                kind="venues_licence",
            )
            Venue.objects.filter(pk__in=[v.pk for v in items]).update(licence_notified_on=today)
        told += len(items)
    return told


# The rectification notice ------------------------------------------------------------------------


def order_notice(*, actor: User, order: RectificationOrder) -> bytes:
    """The rectification notice (责令整改通知书) for the venue, as Word after GB/T 9704."""
    require_perm(actor, "venues.view_inspection", order.inspection)
    inspection = order.inspection
    venue = order.venue
    day = timezone.localdate(inspection.inspected_at)
    findings = list(inspection.findings.all())
    body = [
        _(
            "On %(date)s our unit inspected your venue (%(address)s) and found the following "
            "problems:"
        )
        % {"date": documents.chinese_date(day), "address": venue.address or venue.village.name},
        *[f"{number}. {finding.label}" for number, finding in enumerate(findings, 1)],
        _(
            "Under the Law on the Protection of Minors and the regulations on your kind of venue, "
            "you are ordered to put these right by %(deadline)s and to report to our unit in "
            "writing. We shall inspect again after the deadline; a venue that has not put them "
            "right will be dealt with according to law."
        )
        % {"deadline": documents.chinese_date(order.deadline)},
    ]
    content = documents.render(
        documents.OfficialDocument(
            title=_("Notice to rectify within a time limit"),
            body=body,
            issuer=inspection.inspecting_unit.name,
            issued_on=day,
            number=order.number,
            recipient=venue.name,
            extra={
                _("Inspectors"): "、".join(inspection.inspectors),
                _("Unified social credit code"): venue.credit_code,
            },
        )
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=order,
        target_repr=order.number,
        operation="order_notice",
    )
    return content
