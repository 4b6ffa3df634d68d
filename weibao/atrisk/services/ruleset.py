"""The grading rules: a new version, kept with its history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.atrisk.models import (
    GradingRuleSet,
)
from weibao.atrisk.services._common import (
    _clean_reason,
    active_rules,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit.guards import raise_if, require_perm


def ruleset_update(*, actor: User, data: Mapping[str, Any], note: str) -> GradingRuleSet:
    """Save a new version of the rules (the old one stays, for history) and regrade open files."""
    require_perm(actor, "atrisk.manage_rules")
    note = _clean_reason(note, "note")
    current = active_rules()
    new = GradingRuleSet(
        **{name: data.get(name, getattr(current, name)) for name in GradingRuleSet.PARAMETERS}
    )
    with transaction.atomic(durable=True):
        last = GradingRuleSet.objects.order_by("-version").values_list("version", flat=True).first()
        new.version = (last or 0) + 1
        new.note, new.created_by, new.is_active = note, actor, True
        new.full_clean(exclude=["version", "is_active"])
        errors = {
            name: [_("Must be greater than zero.")]
            for name in GradingRuleSet.PARAMETERS
            if getattr(new, name) is None or getattr(new, name) <= 0
        }
        raise_if(errors)
        GradingRuleSet.objects.filter(is_active=True).update(is_active=False)
        new.save()
        changes = {
            name: [str(getattr(current, name)), str(getattr(new, name))]
            for name in GradingRuleSet.PARAMETERS
            if getattr(current, name) != getattr(new, name)
        }
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=new,
            target_repr=str(new),
            changes=changes,
            note=note,
        )
    return new
