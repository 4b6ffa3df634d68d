"""Migration 0002: the events of the old unkeyed chain stay, as chain 0's legacy prefix, and
still verify; tampering with them is still found; an unkeyed event beyond the prefix that the
first checkpoint signed is a forgery."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from weibao.audit import checkpoints
from weibao.audit.models import AuditEvent, ChainHead
from weibao.audit.services import record, verify

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_keyed_sharded_chain")]
TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


def _old_payload(n: int) -> str:
    return json.dumps(
        {
            "at": f"2026-11-0{n + 1}T01:00:00+00:00",
            "actor": None,
            "actor_username": f"user{n}",
            "organisation": None,
            "organisation_name": "",
            "ip": None,
            "action": "view",
            "target_type": "",
            "target_id": "",
            "target_repr": f"记录{n}",
            "detail": {},
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def migrated(transactional_db: None) -> Iterator[list[int]]:
    """Three events written by the old code (unkeyed SHA-256, one head), then migrated."""
    _migrate(BEFORE)
    try:
        yield _write_old_events()
    finally:
        _migrate(AFTER)


def _write_old_events() -> list[int]:
    prev, ids = "0" * 64, []
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute("DELETE FROM audit_chainhead")
        for n in range(3):
            payload = _old_payload(n)
            digest = hashlib.sha256((prev + payload).encode()).hexdigest()
            cursor.execute(
                f"INSERT INTO {TABLE} (id, at, actor_username, organisation_name, action, "  # noqa: S608
                "target_type, target_id, target_repr, detail, prev_hash, hash) "
                "VALUES (%s, %s, %s, '', 'view', '', '', %s, '{}', %s, %s)",
                [10 + n, f"2026-11-0{n + 1} 01:00:00+00:00", f"user{n}", f"记录{n}", prev, digest],
            )
            prev = digest
            ids.append(10 + n)
        cursor.execute("INSERT INTO audit_chainhead (id, last_hash) VALUES (1, %s)", [prev])
    _migrate(AFTER)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), 100)")
    return ids


def test_old_events_are_chain_zeros_legacy_prefix(migrated: list[int]) -> None:
    rows = list(AuditEvent.objects.order_by("id"))
    assert [(e.chain, e.seq, e.scheme) for e in rows] == [(0, 1, 1), (0, 2, 1), (0, 3, 1)]
    head = ChainHead.objects.get(chain=0)
    assert (head.seq, head.last_hash, head.last_event_id) == (3, rows[-1].hash, rows[-1].pk)
    assert verify() is None


def test_new_events_follow_the_legacy_prefix(migrated: list[int], settings: Any) -> None:
    settings.AUDIT_CHAINS = 1
    checkpoints.write()
    event = record(AuditEvent.Action.LOGIN, username="after")
    assert (event.chain, event.seq, event.prev_id) == (0, 4, migrated[-1])
    assert event.scheme == AuditEvent.Scheme.HMAC_SHA256
    assert verify() is None
    assert checkpoints.write().legacy == 3


def test_rewritten_legacy_rows_are_found(migrated: list[int], settings: Any) -> None:
    """The old chain could be recomputed without a key; once a keyed event follows, the keyed
    link to the legacy tail no longer matches."""
    settings.AUDIT_CHAINS = 1
    record(AuditEvent.Action.LOGIN, username="after")
    prev = AuditEvent.objects.get(id=migrated[0]).hash
    with connection.cursor() as cursor:
        for n, event_id in enumerate(migrated[1:], start=1):
            payload = _old_payload(n).replace(f"记录{n}", "篡改")
            digest = hashlib.sha256((prev + payload).encode()).hexdigest()
            cursor.execute(
                f"UPDATE {TABLE} SET target_repr = %s, hash = %s WHERE id = %s",  # noqa: S608
                ["篡改", digest, event_id],
            )
            prev = digest
    broken = verify()
    assert broken is not None and "previous hash does not match" in broken.reason


def test_unkeyed_events_beyond_the_signed_prefix_are_forged(migrated: list[int]) -> None:
    checkpoints.write()  # Signs the prefix's length: 3.
    with connection.cursor() as cursor:
        last = AuditEvent.objects.get(id=migrated[-1])
        payload = _old_payload(3)
        digest = hashlib.sha256((last.hash + payload).encode()).hexdigest()
        cursor.execute(
            f"INSERT INTO {TABLE} (id, at, actor_username, organisation_name, action, "  # noqa: S608
            "target_type, target_id, target_repr, detail, prev_hash, hash, chain, seq, "
            "prev_id, scheme) VALUES (%s, %s, %s, '', 'view', '', '', %s, '{}', %s, %s, 0, 4, "
            "0, 1)",
            [50, "2026-11-04 01:00:00+00:00", "user3", "记录3", last.hash, digest],
        )
        cursor.execute(
            "UPDATE audit_chainhead SET seq = 4, last_hash = %s, last_event_id = 50 "
            "WHERE chain = 0",
            [digest],
        )
    broken = verify()
    assert broken is not None and broken.event_id == 50 and "forged" in broken.reason
