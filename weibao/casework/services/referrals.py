"""Referrals between units: sent, accepted or declined, closed; escalated when overdue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.atrisk.models import AtRiskFile
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import (
    REFERRAL_UNIT_KINDS,
    Case,
    CaseworkSettings,
    Referral,
)
from weibao.casework.services._common import (
    coordinators,
    save_fields,
    text_of,
    timeline,
    unit_users,
)
from weibao.core.deadlines import claim_once
from weibao.core.services import notify
from weibao.kit.access import in_scope
from weibao.kit.guards import raise_if, require, require_perm

# Referrals ---------------------------------------------------------------------------------------
from weibao.kit.idempotency import create_once
from weibao.kit.messages import Message
from weibao.people.models import Person


def _require_subject(actor: User, data: Mapping[str, Any]) -> None:
    """The actor may refer this report (`casework.refer_case`), and sees this at-risk file."""
    case, file = data.get("case"), data.get("atrisk_file")
    if isinstance(case, Case):
        require_perm(actor, "casework.refer_case", case)
    if isinstance(file, AtRiskFile):
        require(in_scope(actor, file, AtRiskFile.objects.for_user))


def referral_create(
    *, actor: User, data: Mapping[str, Any], idempotency_key: str = ""
) -> tuple[Referral, bool]:
    """Refer a report or an at-risk file to another unit for an action. Returns (referral,
    created); a key already used by the actor's unit returns the first referral."""
    require_perm(actor, "casework.file_report")  # can_write
    _require_subject(actor, data)
    return _referral_make(actor, {**data, "child": None}, idempotency_key)


def child_referral_create(
    *, actor: User, child: Person, data: Mapping[str, Any], idempotency_key: str = ""
) -> tuple[Referral, bool]:
    """Refer a child's need (relief, health, education) found in their care to another unit.

    Called by weibao.care's service once it has checked that the actor keeps the child's care
    record (a rule casework cannot know); no casework page or endpoint offers it."""
    require_perm(actor, "casework.file_report")  # can_write
    subject = {"case": None, "atrisk_file": None, "child": child}
    return _referral_make(actor, {**data, **subject}, idempotency_key)


def _referral_make(
    actor: User, data: Mapping[str, Any], idempotency_key: str
) -> tuple[Referral, bool]:
    key = str(idempotency_key or "").strip()[:100]

    def first() -> Referral | None:
        if not key:
            return None
        return Referral.objects.filter(from_unit=actor.organisation, idempotency_key=key).first()

    existing = first()
    if existing is not None:
        return existing, False
    case, file, to_unit = data.get("case"), data.get("atrisk_file"), data.get("to_unit")
    child = data.get("child")
    errors: dict[str, list[str]] = {}
    subjects = (isinstance(case, Case), isinstance(file, AtRiskFile), isinstance(child, Person))
    if not any(subjects):
        errors["case"] = [_("Choose the report or at-risk file to refer.")]
    if not isinstance(to_unit, Organisation):
        errors["to_unit"] = [_("Choose the unit to refer to.")]
    elif to_unit.pk == actor.organisation_id:
        errors["to_unit"] = [_("Refer to another unit, not your own.")]
    elif to_unit.kind not in REFERRAL_UNIT_KINDS:
        errors["to_unit"] = [
            _("A %(kind)s does not take referrals: refer to a unit that protects children.")
            % {"kind": to_unit.get_kind_display()}
        ]
    action = text_of(data, "action")
    if action not in Referral.Action.values:
        errors["action"] = [_("Choose an action from the list.")]
    if not text_of(data, "request"):
        errors["request"] = [_("Say what the receiving unit is asked to do.")]
    due = data.get("due_date") or (
        timezone.localdate() + timedelta(days=CaseworkSettings.current().referral_days)
    )
    if not isinstance(due, date) or due < timezone.localdate():
        errors["due_date"] = [_("The due date cannot be in the past.")]
    raise_if(errors)
    referral = Referral(
        case=case if isinstance(case, Case) else None,
        atrisk_file=file if isinstance(file, AtRiskFile) else None,
        child=child if isinstance(child, Person) else None,
        from_unit=actor.organisation,
        to_unit=to_unit,
        action=action,
        request=text_of(data, "request"),
        due_date=due,
        created_by=actor,
        idempotency_key=key,
    )

    def write() -> None:
        with transaction.atomic(durable=True):
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
            timeline(
                actor=actor,
                referral=referral,
                kind="referral_sent",
                text=Message(
                    gettext_noop("Referred to %(unit)s for %(action)s, due %(due)s."),
                    {"unit": to_unit, "action": Referral.Action(referral.action).label, "due": due},
                ),
            )
            assert isinstance(to_unit, Organisation)
            notify(
                recipients=unit_users(to_unit),
                title=Message(
                    gettext_noop("Referral from %(unit)s: %(action)s, due %(due)s"),
                    {
                        "unit": actor.organisation,
                        "action": Referral.Action(referral.action).label,
                        "due": due,
                    },
                ),
                link=referral.get_absolute_url(),
                kind="casework.referral",
                webhook_units=[to_unit],
            )

    return create_once(referral, first=first, clean=referral.full_clean, write=write)


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


def _tell_sender(referral: Referral, title: Message) -> None:
    notify(
        recipients=unit_users(referral.from_unit),
        title=title,
        link=referral.get_absolute_url(),
        kind="casework.referral",
    )


def referral_accept(*, actor: User, referral: Referral) -> Referral:
    require_perm(actor, "casework.respond_referral", referral)
    with transaction.atomic(durable=True):
        referral = _referral_step(actor, referral, [Referral.Status.REQUESTED], "status")
        referral.status = Referral.Status.ACCEPTED
        referral.responded_at = timezone.now()
        save_fields(referral, ["status", "responded_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="accept",
        )
        timeline(
            actor=actor,
            referral=referral,
            kind="referral_accepted",
            text=Message(
                gettext_noop("Referral accepted by %(unit)s."), {"unit": actor.organisation}
            ),
        )
        _tell_sender(
            referral,
            Message(gettext_noop("%(unit)s accepted your referral"), {"unit": actor.organisation}),
        )
    return referral


def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    require_perm(actor, "casework.respond_referral", referral)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    with transaction.atomic(durable=True):
        referral = _referral_step(actor, referral, [Referral.Status.REQUESTED], "decline_reason")
        referral.status = Referral.Status.DECLINED
        referral.responded_at = timezone.now()
        referral.decline_reason = reason
        save_fields(referral, ["status", "responded_at", "decline_reason"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="decline",
        )
        timeline(
            actor=actor,
            referral=referral,
            kind="referral_declined",
            text=Message(
                gettext_noop("Referral declined by %(unit)s: %(reason)s"),
                {"unit": actor.organisation, "reason": reason},
            ),
        )
        _tell_sender(
            referral,
            Message(gettext_noop("%(unit)s declined your referral"), {"unit": actor.organisation}),
        )
    return referral


def referral_close(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """The receiving unit records what it did and closes the referral."""
    require_perm(actor, "casework.respond_referral", referral)
    outcome = str(outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Say what was done.")]})
    with transaction.atomic(durable=True):
        referral = _referral_step(actor, referral, [Referral.Status.ACCEPTED], "outcome")
        referral.status = Referral.Status.CLOSED
        referral.outcome = outcome
        referral.closed_at = timezone.now()
        save_fields(referral, ["status", "outcome", "closed_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=referral,
            target_repr=str(referral),
            step="close",
        )
        timeline(
            actor=actor,
            referral=referral,
            kind="referral_closed",
            text=Message(
                gettext_noop("Referral done and closed by %(unit)s."), {"unit": actor.organisation}
            ),
        )
        _tell_sender(
            referral,
            Message(gettext_noop("%(unit)s finished your referral"), {"unit": actor.organisation}),
        )
    return referral


def referrals_escalate(*, on: date | None = None) -> int:
    """Escalate open referrals past their due date to the county coordinators (once each)."""
    day = on or timezone.localdate()
    count = 0
    for referral in Referral.objects.overdue(day).filter(escalated_at__isnull=True):
        with transaction.atomic():
            if not claim_once(Referral.objects, referral.pk, "escalated_at", timezone.now()):
                continue
            record(
                AuditEvent.Action.UPDATE,
                target=referral,
                target_repr=str(referral),
                step="escalate",
                due_date=str(referral.due_date),
            )
            timeline(
                actor=None,
                referral=referral,
                kind="referral_escalated",
                text=Message(
                    gettext_noop(
                        "Past its due date (%(due)s): escalated to the county coordinator."
                    ),
                    {"due": referral.due_date},
                ),
            )
            notify(
                recipients=coordinators(),
                title=Message(
                    gettext_noop("Overdue referral to %(unit)s (due %(due)s) escalated"),
                    {"unit": referral.to_unit, "due": referral.due_date},
                ),
                link=referral.get_absolute_url(),
                kind="casework.escalated",
            )
            count += 1
    return count
