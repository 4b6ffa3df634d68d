"""Writing and checking the audit log. Every app records through `record`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from weibao.audit.middleware import current_request
from weibao.audit.models import AuditEvent, ChainHead
from weibao.kit.guards import require_perm
from weibao.kit.http import client_ip
from weibao.lib.masking import mask_id, mask_name, mask_phone

if TYPE_CHECKING:
    from weibao.accounts.models import User

GENESIS = "0" * 64

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
    """Append one event to the chain. Runs inside the caller's transaction, if any."""
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
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead(pk=1, last_hash=GENESIS)
        event.prev_hash = head.last_hash
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.save()
    return event


def log_searched(*, actor: User, filters: Mapping[str, Any], via: str = "") -> AuditEvent:
    """Who searched the audit log for what is itself on the record (the auditors are audited)."""
    require_perm(actor, "audit.view_auditevent")
    detail: dict[str, Any] = {"filters": dict(filters)}
    if via:
        detail["via"] = via
    return record(AuditEvent.Action.SEARCH, actor=actor, target_repr="audit log", **detail)


@dataclass(frozen=True)
class Break:
    event_id: int | None
    reason: str


def verify() -> Break | None:
    """Walk the chain in order; return the first broken link, or None if it is whole."""
    expected_prev = GENESIS
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return Break(event.id, "previous hash does not match: a row before it was removed")
        if event.compute_hash() != event.hash:
            return Break(event.id, "content does not match its hash: the row was altered")
        expected_prev, last_id = event.hash, event.id
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != expected_prev:
        return Break(last_id or None, "the chain ends early: the newest rows were removed")
    return None
