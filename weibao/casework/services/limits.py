"""The county's casework time limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.casework.models import (
    CaseworkSettings,
)

# Settings ----------------------------------------------------------------------------------------
from weibao.kit.guards import raise_if, require_perm


def settings_update(*, actor: User, data: Mapping[str, Any]) -> CaseworkSettings:
    require_perm(actor, "casework.change_settings")
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
    raise_if(errors)
    with transaction.atomic(durable=True):
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
