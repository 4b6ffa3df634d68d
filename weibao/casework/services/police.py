"""The police steps on a report: accept, decide, feedback; late reports recorded against units."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.casework.models import (
    Case,
    CaseworkSettings,
    LateReport,
)
from weibao.casework.services._common import (
    save_fields,
    text_of,
    timeline,
    unit_users,
)
from weibao.core.services import notify
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message


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
    require_perm(actor, "casework.handle_case", case)
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.FILED)
        limits = CaseworkSettings.current()
        case.status = Case.Status.ACCEPTED
        case.accepted_at = timezone.now()
        case.accepted_by = actor
        case.feedback_due = timezone.localdate() + timedelta(days=limits.feedback_days)
        save_fields(case, ["status", "accepted_at", "accepted_by", "feedback_due"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="accept",
            late=bool(case.accept_due_at and case.accepted_at > case.accept_due_at),
        )
        timeline(
            actor=actor,
            case=case,
            kind="accepted",
            text=Message(
                gettext_noop("Accepted by %(unit)s; feedback due %(due)s."),
                {"unit": actor.organisation, "due": case.feedback_due},
            ),
        )
        notify(
            recipients=unit_users(case.reporting_unit),
            title=Message(
                gettext_noop("Your report %(ref)s was accepted by the police"),
                {"ref": case.reference},
            ),
            link=case.get_absolute_url(),
            kind="casework.accepted",
        )
    return case


def case_decide(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """The police decide: criminal case, public-order case, no case (with reasons), transferred."""
    require_perm(actor, "casework.handle_case", case)
    decision = text_of(data, "decision")
    reasons = text_of(data, "decision_reasons")
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
    raise_if(errors)
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.ACCEPTED, Case.Status.DECIDED, field="decision")
        before = {f: getattr(case, f) for f in ("decision", "decision_reasons", "transferred_to")}
        case.decision = decision
        case.decision_reasons = reasons
        if transferred_to is not None:
            case.transferred_to = transferred_to
        notes = text_of(data, "investigation_notes")
        if notes:
            case.investigation_notes = notes
        case.decided_at = timezone.now()
        case.status = Case.Status.DECIDED
        save_fields(
            case,
            [
                "decision",
                "decision_reasons",
                "transferred_to",
                "investigation_notes",
                "decided_at",
                "status",
            ],
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="decide",
            changes=diff(case, before, before.keys()),
        )
        timeline(
            actor=actor,
            case=case,
            kind="decided",
            text=Message(
                gettext_noop("Decision: %(decision)s."),
                {"decision": Case.Decision(case.decision).label},
            ),
        )
        if transferred_to is not None:
            notify(
                recipients=unit_users(transferred_to),
                title=Message(
                    gettext_noop("Mandatory report %(ref)s transferred to your unit"),
                    {"ref": case.reference},
                ),
                link=case.get_absolute_url(),
                kind="casework.transferred",
                webhook_units=[transferred_to],
            )
    return case


def case_feedback(*, actor: User, case: Case, text: str) -> Case:
    """Feedback to the reporting unit (due within the county's days of acceptance)."""
    require_perm(actor, "casework.handle_case", case)
    text = str(text or "").strip()
    if not text:
        raise ValidationError({"feedback": [_("Write the feedback for the reporting unit.")]})
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_status(case, Case.Status.ACCEPTED, Case.Status.DECIDED, field="feedback")
        first = case.feedback_at is None
        case.feedback = text
        if first:
            case.feedback_at = timezone.now()
        save_fields(case, ["feedback", "feedback_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=case.reference,
            step="feedback",
            late=bool(first and case.feedback_due and timezone.localdate() > case.feedback_due),
        )
        timeline(
            actor=actor,
            case=case,
            kind="feedback",
            text=Message(gettext_noop("Feedback given to the reporting unit.")),
        )
        notify(
            recipients=unit_users(case.reporting_unit),
            title=Message(gettext_noop("Feedback on your report %(ref)s"), {"ref": case.reference}),
            link=case.get_absolute_url(),
            kind="casework.feedback",
        )
    return case


def late_report_record(*, actor: User, case: Case, data: Mapping[str, Any]) -> LateReport:
    """Record that a unit knew and reported late or not at all (for accountability)."""
    require_perm(actor, "casework.record_late_report")
    require_perm(actor, "casework.view_case", case)
    unit = data.get("unit")
    errors: dict[str, list[str]] = {}
    if not isinstance(unit, Organisation):
        errors["unit"] = [_("Choose the unit.")]
    if not text_of(data, "note"):
        errors["note"] = [_("Say what the unit knew and when.")]
    knew_since = data.get("knew_since")
    if knew_since is not None and (
        not isinstance(knew_since, date) or knew_since > timezone.localdate()
    ):
        errors["knew_since"] = [_("This date is in the future.")]
    raise_if(errors)
    late = LateReport(
        case=case,
        unit=unit,
        knew_since=knew_since,
        reported=bool(data.get("reported")),
        note=text_of(data, "note"),
        recorded_by=actor,
    )
    with transaction.atomic(durable=True):
        late.full_clean()
        late.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=late,
            target_repr=f"{case.reference} {unit}",
            reported=late.reported,
        )
        timeline(
            actor=actor,
            case=case,
            kind="late_report",
            text=Message(
                gettext_noop("Late or missing report recorded against %(unit)s."), {"unit": unit}
            ),
        )
    return late
