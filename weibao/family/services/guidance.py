"""Family-education guidance on casework's orders to guardians (家庭教育促进法 Art. 48-49):
an order waiting for guidance is assigned to a cleared lecturer, its sessions are recorded, and
its result is reported back to the issuing unit through casework's service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework import services as casework_services
from weibao.casework.models import GUIDANCE_KINDS, GuardianOrder
from weibao.family.models import (
    Guidance,
    GuidanceSession,
    Team,
    Topic,
    Volunteer,
)
from weibao.family.services.volunteers import require_cleared
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm


def guidance_assign(
    *, actor: User, order: GuardianOrder, lecturer: Volunteer, sessions_planned: int = 4
) -> Guidance:
    """Give an order's guidance to a lecturer (active, with a clear record check)."""
    require_perm(actor, "family.assign_guidance")
    errors: Errors = {}
    if order.kind not in GUIDANCE_KINDS:
        error(errors, "order", _("This order does not call for family-education guidance."))
    elif Guidance.objects.filter(order=order).exists():
        error(errors, "order", _("This order's guidance is already assigned."), "duplicate")
    if lecturer.status != Volunteer.Status.ACTIVE:
        error(errors, "lecturer", _("This lecturer is not active."), "inactive")
    elif lecturer.team.kind != Team.Kind.LECTURERS:
        error(errors, "lecturer", _("Choose a member of the family-education lecturer team."))
    if not isinstance(sessions_planned, int) or not 1 <= sessions_planned <= 20:
        error(errors, "sessions_planned", _("Plan from 1 to 20 sessions."))
    raise_if(errors)
    require_cleared([lecturer], "lecturer")
    guidance = Guidance(
        order=order, lecturer=lecturer, sessions_planned=sessions_planned, assigned_by=actor
    )
    with transaction.atomic(durable=True):
        guidance.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=guidance,
            target_repr=order.number,
            operation="family_guidance_assign",
        )
    return guidance


def guidance_session_record(
    *, actor: User, guidance: Guidance, data: Mapping[str, Any]
) -> GuidanceSession:
    """Record a session: the day, whether the guardian came, the topic and their progress."""
    require_perm(actor, "family.record_guidance_session", guidance)
    errors: Errors = {}
    if guidance.status != Guidance.Status.ASSIGNED:
        error(errors, "__all__", _("This guidance is finished."), "finished")
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        error(errors, "held_on", _("Give the day of the session."), "required")
    elif held_on > timezone.localdate():
        error(errors, "held_on", _("A session is recorded once held: not in the future."))
    topic = data.get("topic") or ""
    if topic not in Topic.values:
        error(errors, "topic", _("Choose the topic."), "required")
    progress = data.get("progress") or ""
    if progress not in ("", *GuidanceSession.Progress.values):
        error(errors, "progress", _("Choose from the list."))
    raise_if(errors)
    assert isinstance(held_on, date)
    session = GuidanceSession(
        guidance=guidance,
        held_on=held_on,
        attended=bool(data.get("attended")),
        topic=topic,
        progress=progress,
        notes=str(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    session.full_clean(exclude=["recorded_by"])
    with transaction.atomic(durable=True):
        session.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=guidance,
            target_repr=guidance.order.number,
            operation="family_guidance_session",
            attended=session.attended,
        )
    return session


def guidance_complete(*, actor: User, guidance: Guidance, data: Mapping[str, Any]) -> Guidance:
    """Finish the guidance and report its result to the issuing unit (casework's service sets
    the order's compliance and tells the issuer)."""
    require_perm(actor, "family.complete_guidance", guidance)
    errors: Errors = {}
    if guidance.status != Guidance.Status.ASSIGNED:
        error(errors, "__all__", _("This guidance is finished."), "finished")
    result = " ".join(str(data.get("result") or "").split())
    if not result:
        error(errors, "result", _("Say what the guidance achieved."), "required")
    compliance = data.get("compliance") or ""
    done = (GuardianOrder.Compliance.COMPLIED, GuardianOrder.Compliance.PARTLY,
            GuardianOrder.Compliance.NOT_COMPLIED)  # fmt: skip
    if compliance not in done:
        error(errors, "compliance", _("Choose whether the guardian complied."), "required")
    attended = guidance.sessions.filter(attended=True).count()
    if compliance == GuardianOrder.Compliance.COMPLIED and not attended:
        error(
            errors,
            "compliance",
            _("No session was attended: the guardian cannot have complied."),
            "no_session",
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        guidance.status = Guidance.Status.COMPLETED
        guidance.result = result
        guidance.reported_at = timezone.now()
        guidance.save(update_fields=["status", "result", "reported_at"])
        casework_services.order_guidance_report(
            actor=actor, order=guidance.order, result=result, compliance=compliance
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=guidance,
            target_repr=guidance.order.number,
            operation="family_guidance_complete",
            compliance=compliance,
            sessions_attended=attended,
        )
    return guidance
