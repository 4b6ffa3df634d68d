"""The procuratorate's supervision list (督办)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import (
    Case,
    Referral,
    Supervision,
)
from weibao.casework.services._common import (
    save_fields,
    text_of,
    timeline,
)
from weibao.kit.guards import raise_if, require_perm

# Supervision -------------------------------------------------------------------------------------
from weibao.kit.messages import Message


def supervision_open(*, actor: User, data: Mapping[str, Any]) -> Supervision:
    require_perm(actor, "casework.supervise")
    case, referral, deadline = data.get("case"), data.get("referral"), data.get("deadline")
    errors: dict[str, list[str]] = {}
    if not isinstance(case, Case) and not isinstance(referral, Referral):
        errors["case"] = [_("Choose the report or referral to supervise.")]
    if not isinstance(deadline, date) or deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    raise_if(errors)
    assert isinstance(deadline, date)
    item = Supervision(
        case=case if isinstance(case, Case) else None,
        referral=referral if isinstance(referral, Referral) else None,
        deadline=deadline,
        note=text_of(data, "note"),
        opened_by=actor,
    )
    with transaction.atomic(durable=True):
        item.full_clean()
        item.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=item,
            target_repr=str(item),
            deadline=str(deadline),
        )
        timeline(
            actor=actor,
            case=item.case,
            referral=item.referral,
            kind="supervised",
            text=Message(
                gettext_noop("Put on the procuratorate's supervision list, deadline %(d)s."),
                {"d": deadline},
            ),
        )
    return item


def supervision_close(*, actor: User, item: Supervision, note: str) -> Supervision:
    require_perm(actor, "casework.supervise")
    if item.closed_at is not None:
        raise ValidationError({"closing_note": [_("This item is already closed.")]})
    with transaction.atomic(durable=True):
        item.closed_at = timezone.now()
        item.closing_note = str(note or "").strip()
        save_fields(item, ["closed_at", "closing_note"])
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=item, target_repr=str(item), step="close"
        )
        timeline(
            actor=actor,
            case=item.case,
            referral=item.referral,
            kind="supervision_closed",
            text=Message(gettext_noop("Supervision closed.")),
        )
    return item
