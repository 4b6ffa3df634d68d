"""Audit test helpers: a person to look at."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.people.models import Person
from weibao.testing import County


@pytest.fixture
def pupil(county: County) -> Person:
    return Person.objects.create(
        name="张小明",
        sex="M",
        birth_date=date(2015, 3, 4),
        school=county.school_a,
        registered_by=county.school_a,
    )


def build_chain(count: int, *, chain: int = 0, using: str = "default") -> list[int]:
    """Append `count` keyed events to one chain fast (bulk, explicit ids), as `record` would
    link them; returns their ids. For tests of scale, where `record` one by one is too slow."""
    from django.db.models import Max
    from django.utils import timezone

    from weibao.audit.chain import GENESIS, KEYED, keys
    from weibao.audit.models import AuditEvent, ChainHead

    head = ChainHead.objects.using(using).filter(chain=chain).first() or ChainHead(
        chain=chain, last_hash=GENESIS
    )
    next_id = (AuditEvent.objects.using(using).aggregate(top=Max("id"))["top"] or 0) + 1
    seq, prev_hash, prev_id = head.seq, head.last_hash, head.last_event_id
    ids: list[int] = []
    batch: list[AuditEvent] = []
    now = timezone.now()
    for n in range(count):
        event = AuditEvent(
            id=next_id + n,
            at=now,
            actor_username="bulk",
            action=AuditEvent.Action.VIEW,
            target_type="people.person",
            target_id=str(n),
            target_repr=f"记录{n}",
            detail={"n": n, "reason": "家访" * 5},
            chain=chain,
            seq=seq + 1,
            prev_id=prev_id,
            prev_hash=prev_hash,
            scheme=KEYED,
        )
        event.hash = event.compute_hash()
        seq, prev_hash, prev_id = event.seq, event.hash, event.id
        batch.append(event)
        ids.append(event.id)
        if len(batch) == 2000:
            AuditEvent.objects.using(using).bulk_create(batch)
            batch = []
    AuditEvent.objects.using(using).bulk_create(batch)
    head.seq, head.last_hash, head.last_event_id, head.key_id = (
        seq,
        prev_hash,
        prev_id,
        keys().key_id,
    )
    head.save(using=using)
    # Explicit ids leave PostgreSQL's sequence behind: move it past them for later `record`s.
    from django.core.management.color import no_style
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [AuditEvent]):
            cursor.execute(statement)
    return ids
