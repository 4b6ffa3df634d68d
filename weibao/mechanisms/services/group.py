"""The leading group, its member units and their responsibilities, the implementation plan and
its items, and the Party-building co-construction activities: every write.

A member's responsibilities keep their history: an edit closes the lines it removes or changes
(`valid_to`) and opens the new ones (`valid_from`), so the list as it stood on any past day can
be read back (`Responsibility.objects.on(day)`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.services import notify
from weibao.kit.fielderrors import Errors, error, merge
from weibao.kit.guards import raise_if, require, require_perm
from weibao.kit.messages import Message
from weibao.mechanisms.models import (
    Cobuilding,
    LeadingGroup,
    Member,
    Plan,
    PlanItem,
    Responsibility,
)

K = Organisation.Kind
# The units a co-construction activity is held with: schools' and villages' Party branches.
PARTNER_KINDS = frozenset({*Organisation.SCHOOL_KINDS, K.VILLAGE_COMMITTEE})
GROUP_FIELDS = ("name", "lead_unit", "established_on")
MEMBER_FIELDS = ("contact", "contact_phone")
PLAN_FIELDS = ("title", "year", "issued_on")
ITEM_FIELDS = ("number", "kind", "title", "lead")
ACTIVITY_FIELDS = (
    "held_on", "title", "organiser", "partner", "plan_item", "participants", "summary",
)  # fmt: skip
MAX_LINES = 30
MAX_PARTICIPANTS = 100000
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,18}[0-9]$")


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _full_clean(obj: Any, errors: Errors, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        merge(errors, exc)


def _audited(changes: dict[str, Any]) -> dict[str, Any]:
    """The audit masks a "name" or a "title" key as a person's; these are public titles."""
    for key in ("name", "title"):
        if key in changes:
            changes[f"record_{key}"] = changes.pop(key)
    return changes


def _not_in_future(errors: Errors, name: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        error(errors, name, _("This date is in the future."), "future")


# The leading group -------------------------------------------------------------------------------


def group_setup(*, actor: User, data: Mapping[str, Any]) -> LeadingGroup:
    """Set up the county's one leading group, or change its name, lead agency or date."""
    require_perm(actor, "mechanisms.manage_group")
    with transaction.atomic(durable=True):
        group = LeadingGroup.objects.select_for_update().order_by("pk").first()
        creating = group is None
        if group is None:
            group = LeadingGroup()
        before = snapshot(group, GROUP_FIELDS) if not creating else {}
        errors: Errors = {}
        group.name = _text(data.get("name", group.name))
        if "lead_unit" in data:
            group.lead_unit = data["lead_unit"]
        if "established_on" in data:
            group.established_on = data["established_on"]
        if not group.name:
            error(errors, "name", _("Give the leading group's name."), "required")
        lead = group.lead_unit if group.lead_unit_id else None
        if lead is None:
            error(errors, "lead_unit", _("Choose the lead agency."), "required")
        elif not lead.is_active:
            error(errors, "lead_unit", _("This unit is no longer active."), "inactive")
        _not_in_future(errors, "established_on", group.established_on)
        _full_clean(group, errors)
        raise_if(errors)
        group.save()
        if creating:
            record(
                AuditEvent.Action.CREATE,
                actor=actor,
                target=group,
                target_repr=str(group),
                operation="group_setup",
            )
        else:
            changes = _audited(diff(group, before, GROUP_FIELDS))
            if changes:
                record(
                    AuditEvent.Action.UPDATE,
                    actor=actor,
                    target=group,
                    target_repr=str(group),
                    operation="group_setup",
                    changes=changes,
                )
        if lead is not None and lead.pk is not None:
            _ensure_lead_member(group, lead)
    return group


def _ensure_lead_member(group: LeadingGroup, lead: Organisation) -> None:
    """The lead agency is always a member unit."""
    if not group.members.current().filter(unit=lead).exists():
        joined = group.established_on or timezone.localdate()
        Member.objects.create(group=group, unit=lead, joined_on=joined)


# Members -----------------------------------------------------------------------------------------


def _check_contact(member: Member, errors: Errors) -> None:
    contact = member.contact if member.contact_id else None
    if contact is not None:
        if not contact.is_active:
            error(errors, "contact", _("This account is no longer active."), "inactive")
        elif contact.organisation_id != member.unit_id:
            error(errors, "contact", _("The contact person must work in the member unit."), "unit")
    member.contact_phone = _text(member.contact_phone)
    if member.contact_phone and not PHONE.match(member.contact_phone):
        message = _("Enter a phone number of digits, such as 0794-7512345 or 13907941234.")
        error(errors, "contact_phone", message, "invalid")


def _tell_contact(actor: User, member: Member) -> None:
    contact = member.contact if member.contact_id else None
    if contact is None or contact.pk == actor.pk:
        return
    notify(
        recipients=[contact],
        title=Message(
            gettext_noop("You are the contact person of %(unit)s in the leading group"),
            {"unit": member.unit.name},
        ),
        link=member.get_absolute_url(),
        kind="mechanisms_member",
    )


def member_add(*, actor: User, group: LeadingGroup, data: Mapping[str, Any]) -> Member:
    """Add a unit to the leading group, with its contact person."""
    require_perm(actor, "mechanisms.manage_group")
    with transaction.atomic(durable=True):
        errors: Errors = {}
        unit = data.get("unit")
        member = Member(
            group=group,
            contact=data.get("contact"),
            contact_phone=data.get("contact_phone") or "",
            joined_on=data.get("joined_on") or timezone.localdate(),
        )
        if not isinstance(unit, Organisation):
            error(errors, "unit", _("Choose the member unit."), "required")
        else:
            member.unit = unit
            if not unit.is_active:
                error(errors, "unit", _("This unit is no longer active."), "inactive")
            elif group.members.current().filter(unit=unit).exists():
                message = _("%(unit)s is already a member of the leading group.")
                error(errors, "unit", message % {"unit": unit.name}, "duplicate")
        _check_contact(member, errors)
        _not_in_future(errors, "joined_on", member.joined_on)
        _full_clean(member, errors, exclude=["unit"] if "unit" in errors else [])
        raise_if(errors)
        member.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=member,
            target_repr=str(member),
            operation="member_add",
        )
        _tell_contact(actor, member)
    return member


def member_update(*, actor: User, member: Member, data: Mapping[str, Any]) -> Member:
    """Change a member unit's contact person or phone."""
    require_perm(actor, "mechanisms.manage_group", member)
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
        before = snapshot(member, MEMBER_FIELDS)
        errors: Errors = {}
        if member.left_on is not None:
            error(errors, "contact", _("This unit has left the leading group."), "left")
        if "contact" in data:
            member.contact = data["contact"]
        if "contact_phone" in data:
            member.contact_phone = data["contact_phone"] or ""
        _check_contact(member, errors)
        _full_clean(member, errors)
        raise_if(errors)
        changes = diff(member, before, MEMBER_FIELDS)
        if not changes:
            return member
        member.save(update_fields=list(MEMBER_FIELDS))
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=member,
            target_repr=str(member),
            operation="member_update",
            changes=changes,
        )
        if "contact" in changes:
            _tell_contact(actor, member)
    return member


def member_remove(*, actor: User, member: Member, on: date | None) -> Member:
    """A unit leaves the leading group on `on`: its membership and its responsibilities end
    that day and stay in the history."""
    require_perm(actor, "mechanisms.manage_group", member)
    with transaction.atomic(durable=True):
        member = (
            Member.objects.select_for_update().select_related("unit", "group").get(pk=member.pk)
        )
        errors: Errors = {}
        if on is None:
            error(errors, "left_on", _("Give the day the unit left the group."), "required")
        elif on < member.joined_on:
            error(errors, "left_on", _("The unit cannot leave before it joined."), "before")
        _not_in_future(errors, "left_on", on)
        if member.left_on is not None:
            error(errors, "left_on", _("This unit has already left the leading group."), "left")
        elif member.unit_id == member.group.lead_unit_id:
            message = _("The lead agency cannot leave the group; choose another lead agency first.")
            error(errors, "left_on", message, "lead")
        raise_if(errors)
        assert on is not None
        member.left_on = on
        member.save(update_fields=["left_on"])
        for line in member.responsibilities.current():
            line.valid_to = max(on, line.valid_from)
            line.save(update_fields=["valid_to"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=member,
            target_repr=str(member),
            operation="member_remove",
            changes={"left_on": [None, on.isoformat()]},
        )
    return member


def _lines(lines: Sequence[str], errors: Errors) -> list[str]:
    """The lines as typed: spaces tidied, blank lines and repeats dropped, each checked."""
    found: list[str] = []
    for number, raw in enumerate(lines, start=1):
        text = _text(raw)
        if not text or text in found:
            continue
        if len(text) > 300:
            message = _("Line %(n)d is too long: at most 300 characters a line.") % {"n": number}
            error(errors, "lines", message, "max_length")
        found.append(text)
    if len(found) > MAX_LINES:
        message = _("At most %(n)d responsibilities: merge some lines.") % {"n": MAX_LINES}
        error(errors, "lines", message, "too_many")
    return found


def responsibilities_set(
    *, actor: User, member: Member, lines: Sequence[str], on: date | None = None
) -> list[Responsibility]:
    """Replace a member unit's responsibilities with `lines`, in that order, as of `on` (today
    if not given; never before the current list began): unchanged lines stay, removed or changed
    lines end that day, new lines begin that day. A line added and removed the same day leaves
    no trace but the audit. Returns the current lines."""
    require_perm(actor, "mechanisms.manage_group", member)
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
        today = timezone.localdate()
        day = on or today
        errors: Errors = {}
        wanted = _lines(lines, errors)
        current = list(member.responsibilities.current().order_by("position", "pk"))
        if member.left_on is not None:
            error(errors, "lines", _("This unit has left the leading group."), "left")
        if day > today:
            error(errors, "on", _("This date is in the future."), "future")
        elif current and day < max(line.valid_from for line in current):
            message = _("The current list began on %(day)s: give that day or a later one.")
            latest = max(line.valid_from for line in current)
            error(errors, "on", message % {"day": latest.isoformat()}, "before")
        raise_if(errors)
        if [line.text for line in current] == wanted:
            return current
        unmatched = {line.pk: line for line in current}
        by_text: dict[str, Responsibility] = {}
        for line in current:
            by_text.setdefault(line.text, line)
        removed = [line.text for line in current if line.text not in wanted]
        added = [text for text in wanted if text not in by_text]
        result: list[Responsibility] = []
        for position, text in enumerate(wanted):
            same = by_text.get(text)
            if same is not None and same.pk in unmatched:
                line = unmatched.pop(same.pk)
                if line.position != position:
                    line.position = position
                    line.save(update_fields=["position"])
            else:
                line = Responsibility.objects.create(
                    member=member, text=text, position=position, valid_from=day, changed_by=actor
                )
            result.append(line)
        for line in unmatched.values():
            if line.valid_from >= day:
                line.delete()  # it never stood on any day
            else:
                line.valid_to = day
                line.changed_by = actor
                line.save(update_fields=["valid_to", "changed_by"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=member,
            target_repr=str(member),
            operation="responsibilities_set",
            on=day.isoformat(),
            changes={"added": added, "removed": removed, "order": wanted},
        )
        _tell_responsibilities(actor, member)
    return result


def _tell_responsibilities(actor: User, member: Member) -> None:
    contact = member.contact if member.contact_id else None
    if contact is None or contact.pk == actor.pk:
        return
    notify(
        recipients=[contact],
        title=Message(
            gettext_noop("The responsibilities of %(unit)s in the leading group were changed"),
            {"unit": member.unit.name},
        ),
        link=member.get_absolute_url(),
        kind="mechanisms_member",
    )


# The implementation plan -------------------------------------------------------------------------


def _write_plan(plan: Plan, data: Mapping[str, Any]) -> None:
    errors: Errors = {}
    if "title" in data:
        plan.title = _text(data["title"])
    if "year" in data:
        plan.year = data["year"]
    if "issued_on" in data:
        plan.issued_on = data["issued_on"]
    if not plan.title:
        error(errors, "title", _("Give the plan's title."), "required")
    if plan.year is None:
        error(errors, "year", _("Give the year of the plan."), "required")
    elif not isinstance(plan.year, int) or not 2000 <= plan.year <= 2100:
        error(errors, "year", _("Give a year between 2000 and 2100."), "invalid")
    elif Plan.objects.filter(year=plan.year).exclude(pk=plan.pk).exists():
        message = _("There is already an implementation plan for %(year)d.")
        error(errors, "year", message % {"year": plan.year}, "duplicate")
    _full_clean(plan, errors)
    raise_if(errors)
    plan.save()


def plan_create(*, actor: User, data: Mapping[str, Any]) -> Plan:
    """Add the implementation plan of a year."""
    require_perm(actor, "mechanisms.manage_group")
    with transaction.atomic(durable=True):
        plan = Plan()
        _write_plan(plan, data)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=plan,
            target_repr=str(plan),
            operation="plan_create",
        )
    return plan


def plan_update(*, actor: User, plan: Plan, data: Mapping[str, Any]) -> Plan:
    require_perm(actor, "mechanisms.manage_group", plan)
    with transaction.atomic(durable=True):
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = snapshot(plan, PLAN_FIELDS)
        _write_plan(plan, data)
        changes = _audited(diff(plan, before, PLAN_FIELDS))
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=plan,
                target_repr=str(plan),
                operation="plan_update",
                changes=changes,
            )
    return plan


def _write_item(item: PlanItem, data: Mapping[str, Any]) -> None:
    errors: Errors = {}
    if "number" in data:
        item.number = _text(data["number"])
    if "title" in data:
        item.title = _text(data["title"])
    if "kind" in data:
        item.kind = data["kind"] or ""
    if "lead" in data:
        item.lead = data["lead"]
    if not item.number:
        error(errors, "number", _("Give the item's number, such as 二、3."), "required")
    elif PlanItem.objects.filter(plan=item.plan, number=item.number).exclude(pk=item.pk).exists():
        message = _("This plan already has an item numbered %(number)s.")
        error(errors, "number", message % {"number": item.number}, "duplicate")
    if not item.title:
        error(errors, "title", _("Give the goal or measure."), "required")
    if item.kind not in PlanItem.Kind.values:
        error(errors, "kind", _("Choose a goal or a measure."), "invalid")
    _full_clean(item, errors)
    raise_if(errors)
    item.save()


def plan_item_create(*, actor: User, plan: Plan, data: Mapping[str, Any]) -> PlanItem:
    """Add a goal or a measure to a plan."""
    require_perm(actor, "mechanisms.manage_group", plan)
    with transaction.atomic(durable=True):
        item = PlanItem(plan=plan)
        _write_item(item, data)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=item,
            target_repr=str(item),
            operation="plan_item_create",
        )
    return item


def plan_item_update(*, actor: User, item: PlanItem, data: Mapping[str, Any]) -> PlanItem:
    require_perm(actor, "mechanisms.manage_group", item)
    with transaction.atomic(durable=True):
        item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        before = snapshot(item, ITEM_FIELDS)
        _write_item(item, data)
        changes = _audited(diff(item, before, ITEM_FIELDS))
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=item,
                target_repr=str(item),
                operation="plan_item_update",
                changes=changes,
            )
    return item


# Co-construction activities ----------------------------------------------------------------------


def _write_activity(actor: User, activity: Cobuilding, data: Mapping[str, Any]) -> None:
    errors: Errors = {}
    for name in ("held_on", "plan_item"):
        if name in data:
            setattr(activity, name, data[name])
    if "title" in data:
        activity.title = _text(data["title"])
    if "summary" in data:
        activity.summary = str(data["summary"] or "").strip()
    if "partner" in data:
        activity.partner = data["partner"]
    if data.get("organiser") is not None:
        activity.organiser = data["organiser"]
    elif activity.organiser_id is None:
        activity.organiser = actor.organisation
    if "participants" in data:
        activity.participants = data["participants"] if data["participants"] is not None else 0
    if activity.held_on is None:
        error(errors, "held_on", _("Give the day of the activity."), "required")
    _not_in_future(errors, "held_on", activity.held_on)
    if not activity.title:
        error(errors, "title", _("Give the activity's title."), "required")
    partner = activity.partner if activity.partner_id else None
    if partner is None:
        error(errors, "partner", _("Choose the partner school or village."), "required")
    elif partner.kind not in PARTNER_KINDS:
        message = _("The partner must be a school or a village or residents' committee.")
        error(errors, "partner", message, "kind")
    elif partner.pk == activity.organiser_id:
        error(errors, "partner", _("The partner must be another unit."), "same")
    participants = activity.participants
    if not isinstance(participants, int) or not 0 <= participants <= MAX_PARTICIPANTS:
        message = _("Give a number of participants between 0 and %(n)d.") % {"n": MAX_PARTICIPANTS}
        error(errors, "participants", message, "invalid")
    _full_clean(activity, errors, exclude=["created_by"])
    raise_if(errors)
    activity.save()


def activity_record(*, actor: User, data: Mapping[str, Any]) -> Cobuilding:
    """Record a co-construction activity with a school's or a village's Party branch (the
    organiser is the actor's unit unless another is given)."""
    require_perm(actor, "mechanisms.record_activity")
    with transaction.atomic(durable=True):
        activity = Cobuilding(created_by=actor)
        _write_activity(actor, activity, data)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=activity,
            target_repr=str(activity),
            operation="activity_record",
        )
    return activity


def activity_update(*, actor: User, activity: Cobuilding, data: Mapping[str, Any]) -> Cobuilding:
    require_perm(actor, "mechanisms.record_activity", activity)
    require(actor.has_perm("mechanisms.view_activity", activity))
    with transaction.atomic(durable=True):
        activity = Cobuilding.objects.select_for_update().get(pk=activity.pk)
        before = snapshot(activity, ACTIVITY_FIELDS)
        _write_activity(actor, activity, data)
        changes = _audited(diff(activity, before, ACTIVITY_FIELDS))
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=activity,
                target_repr=str(activity),
                operation="activity_update",
                changes=changes,
            )
    return activity
