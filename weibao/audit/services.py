"""Writing and checking the audit log. Every app records through `record`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from weibao.audit import chain
from weibao.audit.chain import Break
from weibao.audit.middleware import current_request
from weibao.audit.models import AuditEvent
from weibao.kit.guards import require_perm
from weibao.kit.http import client_ip
from weibao.lib.masking import mask_id, mask_name, mask_phone

if TYPE_CHECKING:
    from weibao.accounts.models import User

# Fields whose values are masked wherever they appear in an event's details.
MASKERS = {
    "id_number": mask_id,
    "phone": mask_phone,
    "name": mask_name,
    "full_name": mask_name,
    "password": lambda value: "******",
}


def mask_value(key: str, value: Any) -> Any:
    masker = MASKERS.get(key)
    if masker is None or value in (None, ""):
        return value
    return masker(str(value))


def mask_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """Mask sensitive values, also inside a `changes` map of field -> [old, new]."""
    masked: dict[str, Any] = {}
    for key, value in detail.items():
        if key == "changes" and isinstance(value, Mapping):
            masked[key] = {
                field: [mask_value(field, item) for item in pair] for field, pair in value.items()
            }
        else:
            masked[key] = mask_value(key, value)
    return masked


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The fields' values before a change, for `diff` after it."""
    return {name: getattr(instance, name) for name in fields}


def diff(instance: models.Model, before: Mapping[str, Any], fields: Iterable[str]) -> dict:
    """Field -> [old, new] for the fields whose value changed, as text."""
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
    return changes


def record(
    action: str,
    *,
    actor: User | None = None,
    target: models.Model | None = None,
    target_repr: str = "",
    username: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event to a chain (weibao.audit.chain). Runs inside the caller's transaction,
    if any, which keeps one chain for all its events."""
    request = current_request.get()
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.username if actor is not None else username,
        organisation_id=actor.organisation_id if actor is not None else None,
        organisation_name=str(actor.organisation) if actor is not None else "",
        ip=client_ip(request),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=target_repr[:200],
        detail=mask_detail(detail),
    )
    return chain.append(event)
    return event


def log_searched(*, actor: User, filters: Mapping[str, Any], via: str = "") -> AuditEvent:
    """Who searched the audit log for what is itself on the record (the auditors are audited)."""
    require_perm(actor, "audit.view_auditevent")
    detail: dict[str, Any] = {"filters": dict(filters)}
    if via:
        detail["via"] = via
    return record(AuditEvent.Action.SEARCH, actor=actor, target_repr="audit log", **detail)


def verify() -> Break | None:
    """The first broken link in the log, or None if it is whole (weibao.audit.chain.verify)."""
    return chain.verify()


def restore_acknowledge(*, reason: str) -> tuple[list[str], dict[int, int]]:
    """After a restore from a backup older than the newest checkpoint: the events it dropped
    are put on the record (one event), the checkpoints the database no longer matches are moved
    aside, and a new checkpoint is written. For the operator at the server (no user)."""
    from weibao.audit import checkpoints

    moved, lost = checkpoints.supersede()
    record(
        AuditEvent.Action.RESTORE,
        username="manage.py",
        target_repr="audit log",
        reason=reason[:500],
        superseded=moved,
        lost={str(number): count for number, count in sorted(lost.items())},
    )
    checkpoints.write()
    return moved, lost
