"""Every write in linked casework: reports, police steps, referrals, supervision, documents.

Notifications name the step and the reference, never the child (they leave the platform through
group robots and e-mail); the linked record checks who may read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.atrisk.models import AtRiskFile
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.casework.models import (
    URGENT_SITUATIONS,
    Case,
    CaseworkSettings,
    FollowUp,
    GuardianOrder,
    LateReport,
    Referral,
    Reminder,
    Situation,
    Suggestion,
    Supervision,
    TimelineEntry,
    add_months,
)
from weibao.core.services import notify
from weibao.kit import documents
from weibao.people.models import Person

K = Organisation.Kind
# Roles that get a unit's casework messages: those who read or act on children's data.
DATA_ROLES = (
    Role.UNIT_ADMIN,
    Role.CASE_WORKER,
    Role.CAMPUS_LIAISON,
    Role.READ_ONLY,
    Role.COUNTY_COORDINATOR,
)


def _raise_if(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def unit_users(*units: Organisation | None) -> list[User]:
    """The active users of the units who read or act on children's data."""
    ids = [unit.pk for unit in units if unit is not None]
    return list(User.objects.filter(organisation_id__in=ids, is_active=True, role__in=DATA_ROLES))


def coordinators() -> list[User]:
    return list(User.objects.filter(role=Role.COUNTY_COORDINATOR, is_active=True))


def _timeline(
    *,
    actor: User | None,
    kind: str,
    text: str,
    case: Case | None = None,
    referral: Referral | None = None,
) -> None:
    TimelineEntry.objects.create(
        case=case if case is not None else (referral.case if referral is not None else None),
        referral=referral,
        actor=actor,
        unit=actor.organisation if actor is not None else None,
        kind=kind,
        text=text[:300],
    )


# Routing -----------------------------------------------------------------------------------------


def police_unit_for(division: Division) -> Organisation | None:
    """The police station whose division contains the place (the nearest one), else the county's
    public-security bureau."""
    stations = (
        Organisation.objects.active().filter(kind=K.POLICE_STATION).select_related("division")
    )
    best: Organisation | None = None
    for station in stations:
        prefix = station.division.prefix
        if division.code.startswith(prefix) and (
            best is None or len(prefix) > len(best.division.prefix)
        ):
            best = station
    if best is not None:
        return best
    return (
        Organisation.objects.active()
        .filter(kind=K.PUBLIC_SECURITY)
        .order_by("division__level", "pk")
        .first()
    )


def procuratorate_for(division: Division | None = None) -> Organisation | None:
    """The county procuratorate (its minors' team receives every report)."""
    return (
        Organisation.objects.active()
        .filter(kind=K.PROCURATORATE)
        .order_by("division__level", "pk")
        .first()
    )


# Mandatory reports -------------------------------------------------------------------------------


def _situations(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part.strip() for part in value.replace(",", " ").split()]
    codes = [str(code).strip().upper() for code in (value or [])]
    return sorted(dict.fromkeys(codes))


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return None


def report_file(
    *, actor: User, data: Mapping[str, Any], idempotency_key: str = ""
) -> tuple[Case, bool]:
    """File a mandatory report for the actor's unit; route it to the police and procuratorate.

    Returns (report, created). With an idempotency key already used by the actor's unit, the first
    report comes back unchanged and nothing is filed, so a retried push never files twice.
    """
    key = str(idempotency_key or "").strip()[:100]
    unit = actor.organisation
    if key:
        existing = Case.objects.filter(reporting_unit=unit, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    errors: dict[str, list[str]] = {}
    codes = _situations(data.get("situations"))
    if not codes:
        errors["situations"] = [_("Choose at least one situation (MR01-MR09).")]
    elif any(code not in Situation.values for code in codes):
        errors["situations"] = [_("Unknown situation code: use MR01 to MR09.")]
    child = data.get("child")
    if child is not None and not isinstance(child, Person):
        errors["child"] = [_("Choose the child from the register.")]
    description = _text(data, "child_description")
    if child is None and not description:
        errors["child_description"] = [
            _("Choose the child from the register, or describe a child whose identity is unknown.")
        ]
    division = data.get("division")
    if not isinstance(division, Division):
        errors["division"] = [_("Choose the division where it happened.")]
    for field in ("seen", "place", "reporter_name"):
        if not _text(data, field):
            errors[field] = [_("This field is required.")]
    occurred_at = _aware(data.get("occurred_at"))
    if occurred_at is not None and occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("This time is in the future.")]
    _raise_if(errors)
    assert isinstance(division, Division)
    limits = CaseworkSettings.current()
    urgent = any(code in URGENT_SITUATIONS for code in codes)
    now = timezone.now()
    hours = limits.urgent_accept_hours if urgent else limits.accept_hours
    case = Case(
        reporting_unit=unit,
        filed_by=actor,
        filed_at=now,
        reporter_name=_text(data, "reporter_name"),
        reporter_phone=_text(data, "reporter_phone"),
        reporter_position=_text(data, "reporter_position"),
        child=child,
        child_description=description,
        situations=codes,
        seen=_text(data, "seen"),
        occurred_at=occurred_at,
        place=_text(data, "place"),
        division=division,
        suspect=_text(data, "suspect"),
        urgent=urgent,
        police_unit=police_unit_for(division),
        procuratorate=procuratorate_for(division),
        accept_due_at=now + timedelta(hours=hours),
        idempotency_key=key,
    )
    case.full_clean(exclude=["police_unit", "procuratorate", "accept_due_at"])
    try:
        with transaction.atomic():
            case.save()
            _after_filing(actor, case)
    except IntegrityError:
        # The same key, pushed twice at once: the other request filed it first.
        if key:
            first = Case.objects.filter(reporting_unit=unit, idempotency_key=key).first()
            if first is not None:
                return first, False
        raise
    return case, True


def _after_filing(actor: User, case: Case) -> None:
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=case,
        target_repr=case.reference,
        situations=case.situations,
        urgent=case.urgent,
        police_unit=str(case.police_unit or ""),
    )
    _timeline(
        actor=actor,
        case=case,
        kind="filed",
        text=_("Report filed by %(unit)s; sent to %(police)s and %(proc)s.")
        % {
            "unit": case.reporting_unit,
            "police": case.police_unit or _("(no police unit found)"),
            "proc": case.procuratorate or "-",
        },
    )
    if case.urgent:
        title = _("URGENT mandatory report %(ref)s (%(codes)s): accept at once")
    else:
        title = _("New mandatory report %(ref)s (%(codes)s) to accept")
    notify(
        recipients=unit_users(case.police_unit, case.procuratorate),
        title=title % {"ref": case.reference, "codes": ", ".join(case.situations)},
        body=_("Reported by %(unit)s. Open the report on the platform.")
        % {"unit": case.reporting_unit},
        link=case.get_absolute_url(),
        kind="casework.report",
        webhook_units=[unit for unit in (case.police_unit, case.procuratorate) if unit],
    )


def case_view(*, actor: User, case: Case, via: str = "page", reporter_shown: bool = False) -> None:
    """Audit a look at a report (and whether its reporter's identity was on the screen)."""
    record(
        AuditEvent.Action.VIEW,
        actor=actor,
        target=case,
        target_repr=case.reference,
        via=via,
        reporter_shown=reporter_shown,
    )


def record_referral_view(*, actor: User, referral: Referral, via: str = "page") -> None:
    record(AuditEvent.Action.VIEW, actor=actor, target=referral, target_repr=str(referral), via=via)


def record_view(
    *, actor: User, obj: Suggestion | GuardianOrder, label: str, via: str = "page"
) -> None:
    """Audit a look at a suggestion or an order (an order names a child)."""
    record(AuditEvent.Action.VIEW, actor=actor, target=obj, target_repr=label, via=via)


def _require_status(case: Case, *allowed: str, field: str = "status") -> None:
    if case.status not in allowed:
        raise ValidationError(
            {
                field: [
                    _("This step is not possible now: the report is %(status)s.")
                    % {"status": case.get_status_display()}
                ]
            }
        )


def case_accept(*, actor: User, case: Case) -> Case:
    """The police accept the report: the time is recorded and the feedback falls due."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.FILED)
        limits = CaseworkSettings.current()
        case.status = Case.Status.ACCEPTED
        case.accepted_at = timezone.now()
        case.accepted_by = actor
        case.feedback_due = timezone.localdate() + timedelta(days=limits.feedback_days)
        case.save(update_fields=["status", "accepted_at", "accepted_by", "feedback_due"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="accept",
            late=bool(case.accept_due_at and case.accepted_at > case.accept_due_at),
        )
        _timeline(
            actor=actor,
            case=case,
            kind="accepted",
            text=_("Accepted by %(unit)s; feedback due %(due)s.")
            % {"unit": actor.organisation, "due": case.feedback_due},
        )
        notify(
            recipients=unit_users(case.reporting_unit),
            title=_("Your report %(ref)s was accepted by the police") % {"ref": case.reference},
            link=case.get_absolute_url(),
            kind="casework.accepted",
        )
    return case


def case_decide(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """The police decide: criminal case, public-order case, no case (with reasons), transferred."""
    decision = _text(data, "decision")
    reasons = _text(data, "decision_reasons")
    transferred_to = data.get("transferred_to")
    errors: dict[str, list[str]] = {}
    if decision not in Case.Decision.values:
        errors["decision"] = [_("Choose a decision from the list.")]
    if decision in (Case.Decision.NO_CASE, Case.Decision.TRANSFERRED) and not reasons:
        errors["decision_reasons"] = [_("Give the reasons for this decision.")]
    if decision == Case.Decision.TRANSFERRED:
        if not isinstance(transferred_to, Organisation):
            errors["transferred_to"] = [_("Choose the unit the report is transferred to.")]
        elif transferred_to.pk == case.handler_unit_id:
            errors["transferred_to"] = [_("The report is already with this unit.")]
    else:
        transferred_to = None
    _raise_if(errors)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.ACCEPTED, Case.Status.DECIDED, field="decision")
        before = {f: getattr(case, f) for f in ("decision", "decision_reasons", "transferred_to")}
        case.decision = decision
        case.decision_reasons = reasons
        if transferred_to is not None:
            case.transferred_to = transferred_to
        notes = _text(data, "investigation_notes")
        if notes:
            case.investigation_notes = notes
        case.decided_at = timezone.now()
        case.status = Case.Status.DECIDED
        case.save(
            update_fields=[
                "decision",
                "decision_reasons",
                "transferred_to",
                "investigation_notes",
                "decided_at",
                "status",
            ]
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="decide",
            changes=diff(case, before, before.keys()),
        )
        _timeline(
            actor=actor,
            case=case,
            kind="decided",
            text=_("Decision: %(decision)s.") % {"decision": case.get_decision_display()},
        )
        if transferred_to is not None:
            notify(
                recipients=unit_users(transferred_to),
                title=_("Mandatory report %(ref)s transferred to your unit")
                % {"ref": case.reference},
                link=case.get_absolute_url(),
                kind="casework.transferred",
                webhook_units=[transferred_to],
            )
    return case


def case_feedback(*, actor: User, case: Case, text: str) -> Case:
    """Feedback to the reporting unit (due within the county's days of acceptance)."""
    text = str(text or "").strip()
    if not text:
        raise ValidationError({"feedback": [_("Write the feedback for the reporting unit.")]})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.ACCEPTED, Case.Status.DECIDED, field="feedback")
        first = case.feedback_at is None
        case.feedback = text
        if first:
            case.feedback_at = timezone.now()
        case.save(update_fields=["feedback", "feedback_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="feedback",
            late=bool(first and case.feedback_due and timezone.localdate() > case.feedback_due),
        )
        _timeline(
            actor=actor, case=case, kind="feedback", text=_("Feedback given to the reporting unit.")
        )
        notify(
            recipients=unit_users(case.reporting_unit),
            title=_("Feedback on your report %(ref)s") % {"ref": case.reference},
            link=case.get_absolute_url(),
            kind="casework.feedback",
        )
    return case


def late_report_record(*, actor: User, case: Case, data: Mapping[str, Any]) -> LateReport:
    """Record that a unit knew and reported late or not at all (for accountability)."""
    unit = data.get("unit")
    errors: dict[str, list[str]] = {}
    if not isinstance(unit, Organisation):
        errors["unit"] = [_("Choose the unit.")]
    if not _text(data, "note"):
        errors["note"] = [_("Say what the unit knew and when.")]
    knew_since = data.get("knew_since")
    if knew_since is not None and (
        not isinstance(knew_since, date) or knew_since > timezone.localdate()
    ):
        errors["knew_since"] = [_("This date is in the future.")]
    _raise_if(errors)
    late = LateReport(
        case=case,
        unit=unit,
        knew_since=knew_since,
        reported=bool(data.get("reported")),
        note=_text(data, "note"),
        recorded_by=actor,
    )
    with transaction.atomic():
        late.full_clean()
        late.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=late,
            target_repr=f"{case.reference} {unit}",
            reported=late.reported,
        )
        _timeline(
            actor=actor,
            case=case,
            kind="late_report",
            text=_("Late or missing report recorded against %(unit)s.") % {"unit": unit},
        )
    return late


# Referrals ---------------------------------------------------------------------------------------


def referral_create(
    *, actor: User, data: Mapping[str, Any], idempotency_key: str = ""
) -> tuple[Referral, bool]:
    """Refer a report or an at-risk file to another unit for an action. Returns (referral,
    created); a key already used by the actor's unit returns the first referral."""
    key = str(idempotency_key or "").strip()[:100]
    if key:
        existing = Referral.objects.filter(
            from_unit=actor.organisation, idempotency_key=key
        ).first()
        if existing is not None:
            return existing, False
    case, file, to_unit = data.get("case"), data.get("atrisk_file"), data.get("to_unit")
    errors: dict[str, list[str]] = {}
    if not isinstance(case, Case) and not isinstance(file, AtRiskFile):
        errors["case"] = [_("Choose the report or at-risk file to refer.")]
    if not isinstance(to_unit, Organisation):
        errors["to_unit"] = [_("Choose the unit to refer to.")]
    elif to_unit.pk == actor.organisation_id:
        errors["to_unit"] = [_("Refer to another unit, not your own.")]
    action = _text(data, "action")
    if action not in Referral.Action.values:
        errors["action"] = [_("Choose an action from the list.")]
    if not _text(data, "request"):
        errors["request"] = [_("Say what the receiving unit is asked to do.")]
    due = data.get("due_date") or (
        timezone.localdate() + timedelta(days=CaseworkSettings.current().referral_days)
    )
    if not isinstance(due, date) or due < timezone.localdate():
        errors["due_date"] = [_("The due date cannot be in the past.")]
    _raise_if(errors)
    referral = Referral(
        case=case if isinstance(case, Case) else None,
        atrisk_file=file if isinstance(file, AtRiskFile) else None,
        from_unit=actor.organisation,
        to_unit=to_unit,
        action=action,
        request=_text(data, "request"),
        due_date=due,
        created_by=actor,
        idempotency_key=key,
    )
    referral.full_clean()
    try:
        with transaction.atomic():
            referral.save()
            record(
                AuditEvent.Action.CREATE,
                actor=actor,
                target=referral,
                target_repr=str(referral),
                to_unit=str(to_unit),
                referral_action=action,
                subject=referral.subject_label,
            )
            _timeline(
                actor=actor,
                referral=referral,
                kind="referral_sent",
                text=_("Referred to %(unit)s for %(action)s, due %(due)s.")
                % {"unit": to_unit, "action": referral.get_action_display(), "due": due},
            )
            assert isinstance(to_unit, Organisation)
            notify(
                recipients=unit_users(to_unit),
                title=_("Referral from %(unit)s: %(action)s, due %(due)s")
                % {"unit": actor.organisation, "action": referral.get_action_display(), "due": due},
                link=referral.get_absolute_url(),
                kind="casework.referral",
                webhook_units=[to_unit],
            )
    except IntegrityError:
        if key:
            first = Referral.objects.filter(
                from_unit=actor.organisation, idempotency_key=key
            ).first()
            if first is not None:
                return first, False
        raise
    return referral, True


def _referral_step(actor: User, referral: Referral, allowed: Iterable[str], field: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in allowed:
        raise ValidationError(
            {
                field: [
                    _("This step is not possible now: the referral is %(status)s.")
                    % {"status": referral.get_status_display()}
                ]
            }
        )
    return referral


def _tell_sender(referral: Referral, title: str) -> None:
    notify(
        recipients=unit_users(referral.from_unit),
        title=title,
        link=referral.get_absolute_url(),
        kind="casework.referral",
    )


def referral_accept(*, actor: User, referral: Referral) -> Referral:
    with transaction.atomic():
        referral = _referral_step(actor, referral, [Referral.Status.REQUESTED], "status")
        referral.status = Referral.Status.ACCEPTED
        referral.responded_at = timezone.now()
        referral.save(update_fields=["status", "responded_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="accept",
        )
        _timeline(
            actor=actor,
            referral=referral,
            kind="referral_accepted",
            text=_("Referral accepted by %(unit)s.") % {"unit": actor.organisation},
        )
        _tell_sender(referral, _("%(unit)s accepted your referral") % {"unit": actor.organisation})
    return referral


def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    with transaction.atomic():
        referral = _referral_step(actor, referral, [Referral.Status.REQUESTED], "decline_reason")
        referral.status = Referral.Status.DECLINED
        referral.responded_at = timezone.now()
        referral.decline_reason = reason
        referral.save(update_fields=["status", "responded_at", "decline_reason"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="decline",
        )
        _timeline(
            actor=actor,
            referral=referral,
            kind="referral_declined",
            text=_("Referral declined by %(unit)s: %(reason)s")
            % {"unit": actor.organisation, "reason": reason},
        )
        _tell_sender(referral, _("%(unit)s declined your referral") % {"unit": actor.organisation})
    return referral


def referral_close(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """The receiving unit records what it did and closes the referral."""
    outcome = str(outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Say what was done.")]})
    with transaction.atomic():
        referral = _referral_step(actor, referral, [Referral.Status.ACCEPTED], "outcome")
        referral.status = Referral.Status.CLOSED
        referral.outcome = outcome
        referral.closed_at = timezone.now()
        referral.save(update_fields=["status", "outcome", "closed_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="close",
        )
        _timeline(
            actor=actor,
            referral=referral,
            kind="referral_closed",
            text=_("Referral done and closed by %(unit)s.") % {"unit": actor.organisation},
        )
        _tell_sender(referral, _("%(unit)s finished your referral") % {"unit": actor.organisation})
    return referral


def referrals_escalate(*, on: date | None = None) -> int:
    """Escalate open referrals past their due date to the county coordinators (once each)."""
    day = on or timezone.localdate()
    count = 0
    for referral in Referral.objects.overdue(day).filter(escalated_at__isnull=True):
        with transaction.atomic():
            updated = Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            if not updated:
                continue
            record(
                AuditEvent.Action.UPDATE,
                target=referral,
                target_repr=str(referral),
                step="escalate",
                due_date=str(referral.due_date),
            )
            _timeline(
                actor=None,
                referral=referral,
                kind="referral_escalated",
                text=_("Past its due date (%(due)s): escalated to the county coordinator.")
                % {"due": referral.due_date},
            )
            notify(
                recipients=coordinators(),
                title=_("Overdue referral to %(unit)s (due %(due)s) escalated")
                % {"unit": referral.to_unit, "due": referral.due_date},
                link=referral.get_absolute_url(),
                kind="casework.escalated",
            )
            count += 1
    return count


# Supervision -------------------------------------------------------------------------------------


def supervision_open(*, actor: User, data: Mapping[str, Any]) -> Supervision:
    case, referral, deadline = data.get("case"), data.get("referral"), data.get("deadline")
    errors: dict[str, list[str]] = {}
    if not isinstance(case, Case) and not isinstance(referral, Referral):
        errors["case"] = [_("Choose the report or referral to supervise.")]
    if not isinstance(deadline, date) or deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    _raise_if(errors)
    assert isinstance(deadline, date)
    item = Supervision(
        case=case if isinstance(case, Case) else None,
        referral=referral if isinstance(referral, Referral) else None,
        deadline=deadline,
        note=_text(data, "note"),
        opened_by=actor,
    )
    with transaction.atomic():
        item.full_clean()
        item.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=item,
            target_repr=str(item),
            deadline=str(deadline),
        )
        _timeline(
            actor=actor,
            case=item.case,
            referral=item.referral,
            kind="supervised",
            text=_("Put on the procuratorate's supervision list, deadline %(d)s.")
            % {"d": deadline},
        )
    return item


def supervision_close(*, actor: User, item: Supervision, note: str) -> Supervision:
    if item.closed_at is not None:
        raise ValidationError({"closing_note": [_("This item is already closed.")]})
    with transaction.atomic():
        item.closed_at = timezone.now()
        item.closing_note = str(note or "").strip()
        item.save(update_fields=["closed_at", "closing_note"])
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=item, target_repr=str(item), step="close"
        )
        _timeline(
            actor=actor,
            case=item.case,
            referral=item.referral,
            kind="supervision_closed",
            text=_("Supervision closed."),
        )
    return item


# Serial numbers ----------------------------------------------------------------------------------


def _next_serial(
    model: type[Suggestion] | type[GuardianOrder], issuer: Organisation, year: int
) -> int:
    top = model.objects.filter(issuer=issuer, year=year).aggregate(top=Max("serial"))["top"]
    return (top or 0) + 1


def _short(issuer: Organisation) -> str:
    """乐安县人民检察院 -> 乐: the county's first character, as document numbers use it."""
    return issuer.name[:1]


def _save_numbered(obj: Suggestion | GuardianOrder, make_number: Any) -> None:
    """Save with the next serial of the issuer's year; retry if another save took it."""
    for _attempt in range(5):
        obj.serial = _next_serial(type(obj), obj.issuer, obj.year)
        obj.number = make_number(obj)
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            obj.pk = None
    raise ValidationError({"number": [_("Could not give a document number; try again.")]})


# Procuratorial suggestions -----------------------------------------------------------------------


def suggestion_number(s: Suggestion) -> str:
    return f"{_short(s.issuer)}检未建〔{s.year}〕{s.serial}号"


def suggestion_issue(*, actor: User, data: Mapping[str, Any]) -> Suggestion:
    """Issue a procuratorial suggestion (检察建议) to a unit, numbered per year."""
    unit = data.get("unit")
    errors: dict[str, list[str]] = {}
    if not isinstance(unit, Organisation):
        errors["unit"] = [_("Choose the unit the suggestion is addressed to.")]
    for field in ("problem", "suggestion", "legal_basis"):
        if not _text(data, field):
            errors[field] = [_("This field is required.")]
    issued_on = data.get("issued_on") or timezone.localdate()
    if not isinstance(issued_on, date) or issued_on > timezone.localdate():
        errors["issued_on"] = [_("This date is in the future.")]
    _raise_if(errors)
    assert isinstance(issued_on, date)
    reply_due = data.get("reply_due") or add_months(
        issued_on, CaseworkSettings.current().suggestion_reply_months
    )
    if not isinstance(reply_due, date) or reply_due < issued_on:
        raise ValidationError({"reply_due": [_("The reply cannot fall due before the issue.")]})
    case = data.get("case")
    suggestion = Suggestion(
        year=issued_on.year,
        serial=0,
        issuer=actor.organisation,
        unit=unit,
        case=case if isinstance(case, Case) else None,
        problem=_text(data, "problem"),
        suggestion=_text(data, "suggestion"),
        legal_basis=_text(data, "legal_basis"),
        issued_on=issued_on,
        reply_due=reply_due,
        issued_by=actor,
    )
    suggestion.full_clean(exclude=["serial", "number", "year"])
    with transaction.atomic():
        _save_numbered(suggestion, suggestion_number)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            unit=str(unit),
        )
        if suggestion.case is not None:
            _timeline(
                actor=actor,
                case=suggestion.case,
                kind="suggestion",
                text=_("Procuratorial suggestion %(n)s issued to %(unit)s.")
                % {"n": suggestion.number, "unit": unit},
            )
        assert isinstance(unit, Organisation)
        notify(
            recipients=unit_users(unit),
            title=_("Procuratorial suggestion %(n)s: reply due %(due)s")
            % {"n": suggestion.number, "due": reply_due},
            link=suggestion.get_absolute_url(),
            kind="casework.suggestion",
            webhook_units=[unit],
        )
    return suggestion


def suggestion_reply(*, actor: User, suggestion: Suggestion, data: Mapping[str, Any]) -> Suggestion:
    reply, measures = _text(data, "reply"), _text(data, "measures")
    errors: dict[str, list[str]] = {}
    if not reply:
        errors["reply"] = [_("Write the unit's reply.")]
    if not measures:
        errors["measures"] = [_("Say what measures were taken.")]
    if suggestion.assessed_at is not None:
        errors["reply"] = [_("The suggestion has been assessed; the reply cannot change.")]
    _raise_if(errors)
    with transaction.atomic():
        suggestion.reply, suggestion.measures = reply, measures
        suggestion.replied_at = timezone.now()
        suggestion.save(update_fields=["reply", "measures", "replied_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            step="reply",
            late=timezone.localdate() > suggestion.reply_due,
        )
        notify(
            recipients=unit_users(suggestion.issuer),
            title=_("%(unit)s replied to suggestion %(n)s")
            % {"unit": suggestion.unit, "n": suggestion.number},
            link=suggestion.get_absolute_url(),
            kind="casework.suggestion",
        )
    return suggestion


def suggestion_assess(
    *, actor: User, suggestion: Suggestion, data: Mapping[str, Any]
) -> Suggestion:
    assessment = _text(data, "assessment")
    if assessment not in Suggestion.Assessment.values:
        raise ValidationError({"assessment": [_("Choose an assessment from the list.")]})
    if suggestion.replied_at is None:
        raise ValidationError({"assessment": [_("The unit has not replied yet.")]})
    with transaction.atomic():
        before = {"assessment": suggestion.assessment}
        suggestion.assessment = assessment
        suggestion.assessment_note = _text(data, "assessment_note")
        suggestion.assessed_at = timezone.now()
        suggestion.save(update_fields=["assessment", "assessment_note", "assessed_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            step="assess",
            changes=diff(suggestion, before, ["assessment"]),
        )
    return suggestion


def suggestion_document(*, actor: User, suggestion: Suggestion) -> bytes:
    """The suggestion as a Word document (GB/T 9704); the download is audited."""
    body = [
        "一、发现的问题",
        suggestion.problem,
        "二、检察建议",
        suggestion.suggestion,
        "三、法律依据",
        suggestion.legal_basis,
        f"请于{documents.chinese_date(suggestion.reply_due)}前将落实情况书面回复本院。",
    ]
    doc = documents.OfficialDocument(
        title="检察建议书",
        body=body,
        issuer=suggestion.issuer.name,
        issued_on=suggestion.issued_on,
        number=suggestion.number,
        recipient=suggestion.unit.name,
        header=f"{suggestion.issuer.name}",
    )
    content = documents.render(doc)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=suggestion,
        target_repr=suggestion.number,
        format="docx",
    )
    return content


# Orders to guardians -----------------------------------------------------------------------------

LEGAL_BASIS = {
    GuardianOrder.Kind.ADMONITION: "《中华人民共和国未成年人保护法》第一百一十八条、"
    "《中华人民共和国家庭教育促进法》第四十九条",
    GuardianOrder.Kind.GUIDANCE_ORDER: "《中华人民共和国家庭教育促进法》第四十九条、"
    "《中华人民共和国预防未成年人犯罪法》第六十一条",
    GuardianOrder.Kind.URGING_ORDER: "《中华人民共和国未成年人保护法》第七条、第一百一十八条，"
    "《关于在办理涉未成年人案件中全面开展家庭教育指导工作的意见》",
    GuardianOrder.Kind.COURT_GUIDANCE: "《中华人民共和国家庭教育促进法》第四十九条",
}
ORDER_TITLES = {
    GuardianOrder.Kind.ADMONITION: "训诫书",
    GuardianOrder.Kind.GUIDANCE_ORDER: "责令接受家庭教育指导决定书",
    GuardianOrder.Kind.URGING_ORDER: "督促监护令",
    GuardianOrder.Kind.COURT_GUIDANCE: "家庭教育指导令",
}
# The at-risk file's measure kind for each order, so the order shows on the minor's file.
MEASURE_KIND = {
    GuardianOrder.Kind.ADMONITION: "admonition",
    GuardianOrder.Kind.GUIDANCE_ORDER: "guidance_order",
    GuardianOrder.Kind.URGING_ORDER: "urging_order",
    GuardianOrder.Kind.COURT_GUIDANCE: "guidance_order",
}


def order_number(order: GuardianOrder) -> str:
    mark = {K.COURT: "法", K.PROCURATORATE: "检"}.get(order.issuer.kind, "公")  # type: ignore[call-overload]
    return f"{_short(order.issuer)}{mark}家令〔{order.year}〕{order.serial}号"


def guardian_order_issue(*, actor: User, data: Mapping[str, Any]) -> GuardianOrder:
    """Issue an order to a minor's guardians, with follow-up visits at the county's interval.

    If the minor has an open at-risk file, the order is linked to it and recorded there as a
    measure (through the at-risk services), so it shows on the minor's file.
    """
    kind, child = _text(data, "kind"), data.get("child")
    errors: dict[str, list[str]] = {}
    if kind not in GuardianOrder.Kind.values:
        errors["kind"] = [_("Choose the kind of order.")]
    elif kind == GuardianOrder.Kind.COURT_GUIDANCE and actor.organisation.kind != K.COURT:
        errors["kind"] = [_("Only a court issues a family-education guidance order.")]
    if not isinstance(child, Person):
        errors["child"] = [_("Choose the minor from the register.")]
    guardian = data.get("guardian")
    guardian_name = _text(data, "guardian_name") or (
        guardian.name if isinstance(guardian, Person) else ""
    )
    if not guardian_name:
        errors["guardian_name"] = [_("Give the guardian's name.")]
    for field in ("facts", "required_actions"):
        if not _text(data, field):
            errors[field] = [_("This field is required.")]
    issued_on = data.get("issued_on") or timezone.localdate()
    if not isinstance(issued_on, date) or issued_on > timezone.localdate():
        errors["issued_on"] = [_("This date is in the future.")]
    visits = data.get("followups", 3)
    if not isinstance(visits, int) or not 0 <= visits <= 12:
        errors["followups"] = [_("Give between 0 and 12 follow-up visits.")]
    _raise_if(errors)
    assert isinstance(child, Person) and isinstance(issued_on, date) and isinstance(visits, int)
    file = (
        data.get("atrisk_file")
        or AtRiskFile.objects.filter(person=child, closed_at__isnull=True).first()
    )
    case = data.get("case")
    order = GuardianOrder(
        year=issued_on.year,
        serial=0,
        kind=kind,
        issuer=actor.organisation,
        child=child,
        guardian=guardian if isinstance(guardian, Person) else None,
        guardian_name=guardian_name,
        case=case if isinstance(case, Case) else None,
        atrisk_file=file if isinstance(file, AtRiskFile) else None,
        facts=_text(data, "facts"),
        legal_basis=_text(data, "legal_basis") or LEGAL_BASIS[GuardianOrder.Kind(kind)],
        required_actions=_text(data, "required_actions"),
        issued_on=issued_on,
        issued_by=actor,
    )
    order.full_clean(exclude=["serial", "number", "year"])
    interval = CaseworkSettings.current().followup_days
    with transaction.atomic():
        _save_numbered(order, order_number)
        FollowUp.objects.bulk_create(
            FollowUp(order=order, due_date=issued_on + timedelta(days=interval * (i + 1)))
            for i in range(visits)
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=order,
            target_repr=order.number,
            kind=kind,
            followups=visits,
        )
        if order.case is not None:
            _timeline(
                actor=actor,
                case=order.case,
                kind="guardian_order",
                text=_("Order to guardians %(n)s issued.") % {"n": order.number},
            )
        if order.atrisk_file is not None:
            _record_on_file(actor, order)
    return order


def _record_on_file(actor: User, order: GuardianOrder) -> None:
    """Put the order on the minor's at-risk file as a measure, if the actor's unit may."""
    from weibao.atrisk import services as atrisk_services

    assert order.atrisk_file is not None
    try:
        with transaction.atomic():
            atrisk_services.measure_record(
                actor=actor,
                file=order.atrisk_file,
                data={
                    "kind": MEASURE_KIND[GuardianOrder.Kind(order.kind)],
                    "decided_on": order.issued_on,
                    "notes": order.number,
                },
            )
    except ValidationError:
        pass  # The unit may not record measures there; the order still links to the file.


def followup_record(*, actor: User, followup: FollowUp, data: Mapping[str, Any]) -> FollowUp:
    done_on, outcome = data.get("done_on"), _text(data, "outcome")
    compliance = _text(data, "compliance")
    errors: dict[str, list[str]] = {}
    if not isinstance(done_on, date) or done_on > timezone.localdate():
        errors["done_on"] = [_("Give the date of the visit (not in the future).")]
    if not outcome:
        errors["outcome"] = [_("Say what the visit found.")]
    if compliance and compliance not in GuardianOrder.Compliance.values:
        errors["compliance"] = [_("Choose from the list.")]
    _raise_if(errors)
    with transaction.atomic():
        followup.done_on, followup.outcome, followup.recorded_by = done_on, outcome, actor
        followup.save(update_fields=["done_on", "outcome", "recorded_by"])
        order = followup.order
        if compliance:
            order.compliance = compliance
            order.save(update_fields=["compliance"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=order,
            target_repr=order.number,
            step="followup",
            followup=followup.pk,
            compliance=order.compliance,
        )
    return followup


def order_document(*, actor: User, order: GuardianOrder) -> bytes:
    """The order as a Word document (GB/T 9704); the download is audited."""
    child = order.child
    body = [
        f"被监护人：{child.name}，{child.get_sex_display()}，{documents.chinese_date(child.birth_date)}出生。",
        "一、查明的事实",
        order.facts,
        "二、法律依据",
        order.legal_basis,
        "三、责令履行的事项",
        order.required_actions,
    ]
    if order.followups.exists():
        dates = "、".join(documents.chinese_date(f.due_date) for f in order.followups.all())
        body.append(f"本单位将于{dates}进行回访，请予配合。")
    doc = documents.OfficialDocument(
        title=ORDER_TITLES[GuardianOrder.Kind(order.kind)],
        body=body,
        issuer=order.issuer.name,
        issued_on=order.issued_on,
        number=order.number,
        recipient=order.guardian_name,
    )
    content = documents.render(doc)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=order,
        target_repr=order.number,
        format="docx",
    )
    return content


# Settings ----------------------------------------------------------------------------------------


def settings_update(*, actor: User, data: Mapping[str, Any]) -> CaseworkSettings:
    limits = CaseworkSettings.current()
    before = {name: getattr(limits, name) for name in CaseworkSettings.FIELDS}
    errors: dict[str, list[str]] = {}
    for name in CaseworkSettings.FIELDS:
        if name not in data:
            continue
        value = data[name]
        if not isinstance(value, int) or value < 1 or value > 365:
            errors[name] = [_("Give a whole number from 1 to 365.")]
        else:
            setattr(limits, name, value)
    _raise_if(errors)
    with transaction.atomic():
        limits.full_clean()
        limits.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=limits,
            target_repr=str(limits),
            changes=diff(limits, before, CaseworkSettings.FIELDS),
        )
    return limits


# Reminders ---------------------------------------------------------------------------------------


def _remind_once(key: str, send: Any) -> int:
    """Send unless this reminder was sent already (the unique key makes it once per day)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=key[:120])
            send()
    except IntegrityError:
        return 0
    return 1


def reminders_send(*, on: date | None = None) -> int:
    """Remind what falls due tomorrow and what is overdue; escalate overdue referrals.

    Idempotent: each reminder is keyed by its record, step and day, so a second run that day
    sends nothing new.
    """
    today = on or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sent = referrals_escalate(on=today)

    def remind(key: str, units: Iterable[Organisation | None], title: str, link: str) -> int:
        return _remind_once(
            f"{key}:{today.isoformat()}",
            lambda: notify(
                recipients=unit_users(*units), title=title, link=link, kind="casework.reminder"
            ),
        )

    now = timezone.now()
    for case in Case.objects.accept_overdue(now).select_related("police_unit", "procuratorate"):
        sent += remind(
            f"case:{case.pk}:accept",
            [case.police_unit, case.procuratorate],
            _("Overdue: report %(ref)s is not yet accepted") % {"ref": case.reference},
            case.get_absolute_url(),
        )
    pending = Case.objects.feedback_pending().select_related(
        "police_unit", "transferred_to", "procuratorate"
    )
    for case in pending.filter(feedback_due__lte=tomorrow):
        handler = case.transferred_to or case.police_unit
        if case.feedback_due is not None and case.feedback_due < today:
            sent += remind(
                f"case:{case.pk}:feedback",
                [handler, case.procuratorate],
                _("Overdue: feedback on report %(ref)s was due %(due)s")
                % {"ref": case.reference, "due": case.feedback_due},
                case.get_absolute_url(),
            )
        elif case.feedback_due == tomorrow:
            sent += remind(
                f"case:{case.pk}:feedback",
                [handler],
                _("Due tomorrow: feedback on report %(ref)s") % {"ref": case.reference},
                case.get_absolute_url(),
            )
    referrals = Referral.objects.open().filter(due_date__lte=tomorrow)
    for referral in referrals.select_related("to_unit", "from_unit"):
        late = referral.due_date < today
        units = [referral.to_unit, referral.from_unit] if late else [referral.to_unit]
        title = _("Overdue: referral due %(due)s") if late else _("Due tomorrow: referral")
        sent += remind(
            f"referral:{referral.pk}",
            units,
            title % {"due": referral.due_date},
            referral.get_absolute_url(),
        )
    for s in (
        Suggestion.objects.awaiting_reply()
        .filter(reply_due__lte=tomorrow)
        .select_related("unit", "issuer")
    ):
        late = s.reply_due < today
        title = (
            _("Overdue: reply to suggestion %(n)s")
            if late
            else _("Due tomorrow: reply to suggestion %(n)s")
        )
        units = [s.unit, s.issuer] if late else [s.unit]
        sent += remind(f"suggestion:{s.pk}", units, title % {"n": s.number}, s.get_absolute_url())
    for f in FollowUp.objects.due().filter(due_date__lte=tomorrow).select_related("order__issuer"):
        late = f.due_date < today
        title = (
            _("Overdue: follow-up visit on order %(n)s")
            if late
            else _("Due tomorrow: follow-up visit on order %(n)s")
        )
        sent += remind(
            f"followup:{f.pk}",
            [f.order.issuer],
            title % {"n": f.order.number},
            f.order.get_absolute_url(),
        )
    for item in (
        Supervision.objects.open()
        .filter(deadline__lte=tomorrow)
        .select_related("opened_by__organisation")
    ):
        unit = item.opened_by.organisation if item.opened_by else procuratorate_for()
        sent += remind(
            f"supervision:{item.pk}",
            [unit],
            _("Supervision deadline %(d)s") % {"d": item.deadline},
            reverse_supervision(),
        )
    return sent


def reverse_supervision() -> str:
    from django.urls import reverse

    return reverse("casework:supervision_list")
