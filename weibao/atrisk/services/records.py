"""The records on a file: risk factors, measures, the plan, contacts, reviews, warnings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import is_county_coordinator
from weibao.atrisk.models import (
    AtRiskFile,
    Contact,
    InterventionPlan,
    Involvement,
    Measure,
    Review,
    RiskFactor,
    RiskWarning,
)
from weibao.atrisk.services._common import (
    MIN_REASON_LENGTH,
    REVIEW_EVERY_DAYS,
    C,
    K,
    _repr,
    active_rules,
)
from weibao.atrisk.services.grades import (
    files_regrade,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.kit.guards import raise_if, require_perm

# Which measures each kind of unit records (the law names who acts: Art. 31, 41, 44, 61...).
MEASURE_CATEGORIES_BY_UNIT: dict[str, frozenset[str]] = {
    **{kind: frozenset({C.SCHOOL, C.SPECIAL_EDUCATION}) for kind in Organisation.SCHOOL_KINDS},
    K.EDUCATION: frozenset({C.SCHOOL, C.SPECIAL_EDUCATION}),
    K.POLICE_STATION: frozenset({C.POLICE, C.GUARDIAN_ORDER, C.SPECIAL_EDUCATION, C.PROSECUTION}),
    K.PUBLIC_SECURITY: frozenset({C.POLICE, C.GUARDIAN_ORDER, C.SPECIAL_EDUCATION, C.PROSECUTION}),
    K.PROCURATORATE: frozenset({C.GUARDIAN_ORDER, C.PROSECUTION}),
    K.COURT: frozenset({C.GUARDIAN_ORDER, C.PROSECUTION}),
}


def risk_factor_add(*, actor: User, file: AtRiskFile, kind: str, notes: str = "") -> RiskFactor:
    require_perm(actor, "atrisk.change_file", file)
    if kind not in RiskFactor.Kind.values:
        raise ValidationError({"kind": [_("Choose a risk factor from the list.")]})
    if file.risk_factors.current().filter(kind=kind).exists():
        raise ValidationError({"kind": [_("This risk factor is already recorded.")]})
    with transaction.atomic(durable=True):
        factor = RiskFactor(
            file=file, kind=kind, notes=" ".join(notes.split())[:300], recorded_by=actor
        )
        factor.full_clean()
        factor.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes={"risk_factors": [None, kind]},
        )
        files_regrade([file], actor=actor)
    return factor


def risk_factor_end(*, actor: User, factor: RiskFactor) -> None:
    require_perm(actor, "atrisk.change_file", factor.file)
    with transaction.atomic(durable=True):
        factor.ended_on = timezone.localdate()
        factor.full_clean()
        factor.save(update_fields=["ended_on"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=factor.file,
            target_repr=_repr(factor.file),
            changes={"risk_factors": [factor.kind, None]},
        )
        files_regrade([factor.file], actor=actor)


def measure_categories_for(actor: User) -> frozenset[str]:
    """The measure categories the actor's unit may record."""
    if is_county_coordinator(actor):
        return frozenset(C.values)
    return MEASURE_CATEGORIES_BY_UNIT.get(actor.organisation.kind, frozenset())


def measure_record(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> Measure:
    """Record a measure. Kinds the law seals (non-prosecution, special education...) are sealed.

    Not durable: linked casework records a guardian order's measure inside its own transaction.
    """
    from weibao.atrisk.models import category_of

    require_perm(actor, "atrisk.record_measure", file)
    kind = str(data.get("kind") or "")
    errors: dict[str, list[str]] = {}
    if kind not in Measure.Kind.values:
        errors["kind"] = [_("Choose a measure from the list.")]
    elif category_of(kind) not in measure_categories_for(actor):
        errors["kind"] = [_("Your unit cannot record this kind of measure.")]
    decided_on = data.get("decided_on")
    if not isinstance(decided_on, date):
        errors["decided_on"] = [_("Give the date of the measure.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("This date is in the future.")]
    event = data.get("event")
    if event is not None and not Involvement.objects.filter(event=event, file=file).exists():
        errors["event"] = [_("This event is not in the minor's file.")]
    raise_if(errors)
    measure = Measure(
        file=file,
        kind=kind,
        event=event,
        issuing_unit=data.get("issuing_unit") or actor.organisation,
        decided_on=cast(date, decided_on),
        notes=str(data.get("notes") or "").strip(),
        sealed=bool(data.get("sealed")) or kind in Measure.SEALED_BY_LAW,
        recorded_by=actor,
    )
    with transaction.atomic():
        measure.full_clean(exclude=["category"])
        measure.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=measure,
            target_repr=f"{_('measure')} {measure.pk} ({_repr(file)})",
            kind=kind,
            sealed=measure.sealed,
        )
        files_regrade([file], actor=actor)
    return measure


PLAN_FIELDS = ("goals", "helpers", "next_review_on")


def plan_update(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> InterventionPlan:
    """Set the plan's goals, helpers and review date; the contact rhythm follows the grade."""
    require_perm(actor, "atrisk.change_file", file)
    rules = active_rules()
    plan = InterventionPlan.objects.filter(file=file).first()
    created = plan is None
    if plan is None:
        plan = InterventionPlan(
            file=file,
            worker=file.worker,
            unit=file.unit,
            contact_days=rules.contact_days(file.grade) or rules.contact_days_t1,
        )
    before = {name: getattr(plan, name) for name in PLAN_FIELDS}
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    with transaction.atomic(durable=True):
        plan.full_clean()
        plan.save()
        if "helper_users" in data:
            plan.helper_users.set(data["helper_users"])
        if not Contact.objects.filter(file=file, done_at__isnull=True).exists() and file.is_open:
            Contact.objects.create(
                file=file,
                worker=plan.worker,
                due_date=timezone.localdate() + timedelta(days=plan.contact_days),
            )
        record(
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="plan",
            changes=diff(plan, before, PLAN_FIELDS),
        )
    return plan


def contact_record(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> Contact:
    """Record a contact made: it completes the earliest one due and schedules the next."""
    require_perm(actor, "atrisk.change_file", file)
    kind = data.get("kind")
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of contact.")]})
    done_at = data.get("done_at") or timezone.now()
    if done_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"done_at": [_("This date is in the future.")]})
    if timezone.localdate(done_at) < file.opened_at:
        raise ValidationError(
            {"done_at": [_("The contact cannot be before the file was opened (%(day)s).")
                         % {"day": file.opened_at}]}
        )  # fmt: skip
    if not file.is_open:
        raise ValidationError({"kind": [_("The file is closed.")]})
    plan = InterventionPlan.objects.filter(file=file).first()
    days = plan.contact_days if plan else (active_rules().contact_days(file.grade) or 30)
    with transaction.atomic(durable=True):
        contact = (
            Contact.objects.filter(file=file, done_at__isnull=True).order_by("due_date").first()
        )
        if contact is None:
            contact = Contact(file=file, worker=actor, due_date=timezone.localdate(done_at))
        contact.done_at, contact.done_by, contact.kind = done_at, actor, kind
        contact.notes = str(data.get("notes") or "").strip()
        contact.full_clean()
        contact.save()
        following = Contact(
            file=file,
            worker=(plan.worker if plan else None) or file.worker,
            due_date=timezone.localdate(done_at) + timedelta(days=days),
        )
        following.full_clean()
        following.save()
        RiskWarning.objects.filter(
            file=file, kind=RiskWarning.Kind.OVERDUE, resolved_at__isnull=True
        ).update(resolved_at=timezone.now(), resolved_by=actor)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="contact",
            kind=kind,
        )
    return contact


def review_record(
    *, actor: User, file: AtRiskFile, summary: str, reviewed_on: date | None = None
) -> Review:
    require_perm(actor, "atrisk.change_file", file)
    summary = (summary or "").strip()
    if len(summary) < MIN_REASON_LENGTH:
        raise ValidationError({"summary": [_("Write the review's summary.")]})
    reviewed_on = reviewed_on or timezone.localdate()
    with transaction.atomic(durable=True):
        review = Review(file=file, reviewed_on=reviewed_on, summary=summary, reviewer=actor)
        review.full_clean()
        review.save()
        InterventionPlan.objects.filter(file=file).update(
            next_review_on=reviewed_on + timedelta(days=REVIEW_EVERY_DAYS)
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="review",
        )
    return review


def warning_resolve(*, actor: User, warning: RiskWarning) -> None:
    require_perm(actor, "atrisk.change_file", warning.file)
    if warning.resolved_at is not None:
        raise ValidationError({"warning": [_("The warning is already resolved.")]})
    with transaction.atomic(durable=True):
        warning.resolved_at, warning.resolved_by = timezone.now(), actor
        warning.full_clean()
        warning.save(update_fields=["resolved_at", "resolved_by"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=warning.file,
            target_repr=_repr(warning.file),
            section="warning",
            kind=warning.kind,
        )
