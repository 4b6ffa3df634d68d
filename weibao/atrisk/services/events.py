"""Misconduct events: record, share, seal and unseal (events and measures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import is_county_coordinator
from weibao.atrisk.access import reportable_people
from weibao.atrisk.models import (
    ATRISK_UNIT_KINDS,
    AtRiskFile,
    Involvement,
    Measure,
    MisconductEvent,
)
from weibao.atrisk.services._common import (
    _check_minor,
    _clean_reason,
)
from weibao.atrisk.services.files import (
    _new_file,
    _returned_warning,
)
from weibao.atrisk.services.grades import (
    files_regrade,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit.guards import raise_if, require_perm
from weibao.people.models import Person

EVENT_FIELDS = (
    "occurred_on",
    "place",
    "description",
    "repeated",
    "refuses_correction",
    "grave",
    "crime_class",
    "sealed",
)


def event_record(
    *,
    actor: User,
    people: Sequence[Person],
    data: Mapping[str, Any],
    share_with: Iterable[Organisation] = (),
) -> MisconductEvent:
    """Record a misconduct event for one or more minors (a group when more than one).

    A minor without an open file gets one, assigned to the reporter; a new file for a minor whose
    last file closed within the year raises a warning. Grades and scores update at once.
    """
    require_perm(actor, "atrisk.report_event")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    occurred_on = data.get("occurred_on")
    behaviours = list(data.get("behaviours") or [])
    people = list({p.pk: p for p in people}.values())
    if not people:
        errors["people"] = [_("Name at least one minor.")]
    share_with = list(share_with)
    if any(u.kind not in ATRISK_UNIT_KINDS or not u.is_active for u in share_with):
        errors["share_with"] = [_("This unit cannot receive at-risk records.")]
    if not behaviours:
        errors["behaviours"] = [_("Choose at least one behaviour code.")]
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = [_("Give the date of the event.")]
    elif occurred_on > today:
        errors["occurred_on"] = [_("This date is in the future.")]
    else:
        for person in people:
            try:
                _check_minor(person, occurred_on, "people")
            except ValidationError as exc:
                errors.setdefault("people", []).extend(exc.message_dict["people"])
        # The one rule for whom an event may name (the form and the API offer the same people).
        reachable = set(
            reportable_people(actor)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        if len(reachable) < len(people):
            errors.setdefault("people", []).append(_("You may report only minors you can see."))
    raise_if(errors)
    with transaction.atomic(durable=True):
        event = MisconductEvent(reporting_unit=actor.organisation, recorded_by=actor)
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.place = " ".join((event.place or "").split())
        event.is_group = len(people) > 1
        event.full_clean()
        event.save()
        event.behaviours.set(behaviours)
        files = []
        for person in people:
            file = (
                AtRiskFile.objects.filter(person=person, closed_at__isnull=True)
                .select_related("person", "worker")
                .first()
            )
            if file is None:
                file = _new_file(actor, person, today)
                _returned_warning(file, key=f"event:{event.pk}")
            files.append(file)
        Involvement.objects.bulk_create([Involvement(event=event, file=f) for f in files])
        shares = [u for u in share_with if u.pk != actor.organisation_id]
        if shares:
            event.shared_with.set(shares)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=event,
            target_repr=f"{_('misconduct event')} {event.pk}",
            files=[f.pk for f in files],
            codes=sorted(b.code for b in behaviours),
            group=event.is_group,
            sealed=event.sealed,
        )
        files_regrade(files, actor=actor)
    return event


def event_share(*, actor: User, event: MisconductEvent, unit: Organisation) -> None:
    """Let another unit (a school, the police...) see this event."""
    require_perm(actor, "atrisk.share_event", event)
    if event.shared_with.filter(pk=unit.pk).exists() or unit.pk == event.reporting_unit_id:
        raise ValidationError({"unit": [_("This unit already sees the event.")]})
    if unit.kind not in ATRISK_UNIT_KINDS or not unit.is_active:
        raise ValidationError({"unit": [_("This unit cannot receive at-risk records.")]})
    with transaction.atomic(durable=True):
        event.shared_with.add(unit)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=event,
            target_repr=f"{_('misconduct event')} {event.pk}",
            changes={"shared_with": [None, unit.name]},
        )


def _set_sealed(*, actor: User, obj: MisconductEvent | Measure, sealed: bool, reason: str) -> None:
    """Saves only the `sealed` flag (an UPDATE of one boolean: nothing else to validate)."""
    reason = _clean_reason(reason, "reason")
    if obj.sealed == sealed:
        raise ValidationError(
            {
                "reason": [
                    _("The record is already sealed.") if sealed else _("The record is not sealed.")
                ]
            }
        )
    with transaction.atomic(durable=True):
        type(obj).objects.filter(pk=obj.pk).update(sealed=sealed)
        obj.sealed = sealed
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=obj,
            target_repr=f"{obj._meta.verbose_name} {obj.pk}",
            changes={"sealed": [str(not sealed), str(sealed)]},
            reason=reason,
            section="unseal" if not sealed else "seal",
        )
        if isinstance(obj, Measure):
            files = list(AtRiskFile.objects.filter(pk=obj.file_id).select_related("person"))
        else:
            files = list(obj.files.select_related("person"))
        files_regrade(files, actor=actor)


def record_seal(*, actor: User, obj: MisconductEvent | Measure, reason: str) -> None:
    """Seal an event or a measure (§5): from now on only approved applicants read it."""
    require_perm(actor, "atrisk.seal_record", obj)
    _set_sealed(actor=actor, obj=obj, sealed=True, reason=reason)


def record_unseal(*, actor: User, obj: MisconductEvent | Measure, reason: str) -> None:
    """Unseal (刑诉规则 Art. 485: a new crime, for example); the reason is recorded."""
    require_perm(actor, "atrisk.seal_record", obj)
    if not is_county_coordinator(actor):
        raise ValidationError({"reason": [_("Only a county coordinator may unseal a record.")]})
    _set_sealed(actor=actor, obj=obj, sealed=False, reason=reason)
