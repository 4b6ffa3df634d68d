"""Filing a mandatory report (强制报告), and the audited looks at casework records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import (
    URGENT_SITUATIONS,
    Case,
    CaseworkSettings,
    GuardianOrder,
    Referral,
    Situation,
    Suggestion,
)
from weibao.casework.services._common import (
    police_unit_for,
    procuratorate_for,
    text_of,
    timeline,
    unit_users,
)
from weibao.core.services import notify
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.idempotency import create_once
from weibao.kit.messages import Message
from weibao.people.models import Person

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
    require_perm(actor, "casework.file_report")
    key = str(idempotency_key or "").strip()[:100]
    unit = actor.organisation

    def first() -> Case | None:
        return (
            Case.objects.filter(reporting_unit=unit, idempotency_key=key).first() if key else None
        )

    existing = first()
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
    description = text_of(data, "child_description")
    if child is None and not description:
        errors["child_description"] = [
            _("Choose the child from the register, or describe a child whose identity is unknown.")
        ]
    division = data.get("division")
    if not isinstance(division, Division):
        errors["division"] = [_("Choose the division where it happened.")]
    for field in ("seen", "place", "reporter_name"):
        if not text_of(data, field):
            errors[field] = [_("This field is required.")]
    occurred_at = _aware(data.get("occurred_at"))
    if occurred_at is not None and occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("This time is in the future.")]
    raise_if(errors)
    assert isinstance(division, Division)
    limits = CaseworkSettings.current()
    urgent = any(code in URGENT_SITUATIONS for code in codes)
    now = timezone.now()
    hours = limits.urgent_accept_hours if urgent else limits.accept_hours
    case = Case(
        reporting_unit=unit,
        filed_by=actor,
        filed_at=now,
        reporter_name=text_of(data, "reporter_name"),
        reporter_phone=text_of(data, "reporter_phone"),
        reporter_position=text_of(data, "reporter_position"),
        child=child,
        child_description=description,
        situations=codes,
        seen=text_of(data, "seen"),
        occurred_at=occurred_at,
        place=text_of(data, "place"),
        division=division,
        suspect=text_of(data, "suspect"),
        urgent=urgent,
        police_unit=police_unit_for(division),
        procuratorate=procuratorate_for(division),
        accept_due_at=now + timedelta(hours=hours),
        idempotency_key=key,
    )

    def write() -> None:
        with transaction.atomic(durable=True):
            case.save()
            _after_filing(actor, case)

    return create_once(
        case,
        first=first,
        clean=lambda: case.full_clean(exclude=["police_unit", "procuratorate", "accept_due_at"]),
        write=write,
    )


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
    timeline(
        actor=actor,
        case=case,
        kind="filed",
        text=Message(
            gettext_noop("Report filed by %(unit)s; sent to %(police)s and %(proc)s."),
            {
                "unit": case.reporting_unit,
                "police": case.police_unit or gettext_lazy("(no police unit found)"),
                "proc": case.procuratorate or "-",
            },
        ),
    )
    if case.urgent:
        title = _("URGENT mandatory report %(ref)s (%(codes)s): accept at once")
    else:
        title = _("New mandatory report %(ref)s (%(codes)s) to accept")
    notify(
        recipients=unit_users(case.police_unit, case.procuratorate),
        title=title % {"ref": case.reference, "codes": ", ".join(case.situations)},
        body=Message(
            gettext_noop("Reported by %(unit)s. Open the report on the platform."),
            {"unit": case.reporting_unit},
        ),
        link=case.get_absolute_url(),
        kind="casework.report",
        webhook_units=[unit for unit in (case.police_unit, case.procuratorate) if unit],
    )


def case_view(*, actor: User, case: Case, via: str = "page", reporter_shown: bool = False) -> None:
    """Audit a look at a report (and whether its reporter's identity was on the screen)."""
    require_perm(actor, "casework.view_case", case)
    record(
        AuditEvent.Action.VIEW,
        actor=actor,
        target=case,
        target_repr=case.reference,
        via=via,
        reporter_shown=reporter_shown,
    )


def record_referral_view(*, actor: User, referral: Referral, via: str = "page") -> None:
    require_perm(actor, "casework.view_referral", referral)
    record(AuditEvent.Action.VIEW, actor=actor, target=referral, target_repr=str(referral), via=via)


def record_view(
    *, actor: User, obj: Suggestion | GuardianOrder, label: str, via: str = "page"
) -> None:
    """Audit a look at a suggestion or an order (an order names a child)."""
    require_perm(
        actor,
        "casework.view_order" if isinstance(obj, GuardianOrder) else "casework.view_suggestion",
        obj,
    )
    record(AuditEvent.Action.VIEW, actor=actor, target=obj, target_repr=label, via=via)
