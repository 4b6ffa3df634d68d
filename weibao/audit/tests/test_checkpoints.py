"""Checkpoints: signed files outside the database, written by a scheduled job, which refuse to
sign a broken or truncated chain; acknowledging a restore that dropped events."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from weibao.accounts.models import User
from weibao.audit import chain, checkpoints
from weibao.audit.models import AuditEvent, ChainHead
from weibao.audit.services import record, verify
from weibao.core import schedule

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)
HEADS = connection.ops.quote_name(ChainHead._meta.db_table)


@pytest.fixture
def events(liaison_a: User) -> list[AuditEvent]:
    return [
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}") for n in range(4)
    ]


def _truncate(events: list[AuditEvent], keep: int) -> None:
    """Delete the rows after the first `keep` and set the head back, as a restore would."""
    last = events[keep - 1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq > %s AND chain = %s", [keep, last.chain])  # noqa: S608
        cursor.execute(
            f"UPDATE {HEADS} SET seq = %s, last_hash = %s, last_event_id = %s WHERE chain = %s",  # noqa: S608
            [last.seq, last.hash, last.pk, last.chain],
        )


def test_checkpoint_is_a_signed_file_outside_the_database(
    events: list[AuditEvent], settings: Any
) -> None:
    written = checkpoints.write()
    assert written.path.parent == Path(settings.AUDIT_CHECKPOINT_DIR)
    assert written.path.stat().st_mode & 0o777 == 0o600
    data = json.loads(written.path.read_text())
    assert data["events"] == 4 and data["key_id"] == chain.keys().key_id
    mine = next(item for item in data["chains"] if item["chain"] == events[0].chain)
    assert mine == {
        "chain": events[0].chain,
        "seq": 4,
        "hash": events[-1].hash,
        "id": events[-1].pk,
    }
    assert checkpoints.parse(written.path)[1] is None
    assert checkpoints.latest() == written


def test_names_sort_in_writing_order_even_on_a_frozen_clock(events: list[AuditEvent]) -> None:
    with time_machine.travel("2026-12-01 08:00:00+08:00", tick=False):
        first = checkpoints.write()
        second = checkpoints.write()
    assert first.name < second.name
    assert checkpoints.latest() == second


def test_the_scheduled_job_writes_a_checkpoint(events: list[AuditEvent], settings: Any) -> None:
    job = schedule.REGISTRY["audit_checkpoint"]
    assert job.every_minutes == settings.AUDIT_CHECKPOINT_MINUTES
    summary = schedule.run("audit_checkpoint")
    assert "4 events" in summary
    assert len(checkpoints.files()) == 1


def test_command_writes_a_checkpoint(events: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "4 events" in out.getvalue()
    assert len(checkpoints.files()) == 1


def test_refuses_to_sign_a_truncated_tail(events: list[AuditEvent]) -> None:
    checkpoints.write()
    _truncate(events, keep=2)
    with pytest.raises(checkpoints.CheckpointRefused, match="behind position 4"):
        checkpoints.write()
    with pytest.raises(CommandError, match="no checkpoint written"):
        call_command("audit_checkpoint", stdout=StringIO())
    assert len(checkpoints.files()) == 1


def test_refuses_to_sign_a_row_altered_since_the_last_checkpoint(
    liaison_a: User, events: list[AuditEvent]
) -> None:
    checkpoints.write()
    later = record(AuditEvent.Action.EXPORT, actor=liaison_a, rows=3)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"rows": 0}', later.pk])  # noqa: S608
    with pytest.raises(checkpoints.CheckpointRefused, match="content does not match"):
        checkpoints.write()


def test_refuses_when_a_checkpoint_was_altered(events: list[AuditEvent]) -> None:
    written = checkpoints.write()
    written.path.write_text(written.path.read_text().replace('"events": 4', '"events": 3'))
    with pytest.raises(checkpoints.CheckpointRefused, match="signature does not match"):
        checkpoints.write()


def test_unreadable_checkpoint_is_reported(events: list[AuditEvent]) -> None:
    written = checkpoints.write()
    written.path.write_text("{not json")
    broken = verify()
    assert broken is not None and "cannot be read" in broken.reason


def test_keeps_the_newest(events: list[AuditEvent], settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_KEEP = 2
    names = [checkpoints.write().name for _ in range(4)]
    assert [path.name for path in checkpoints.files()] == names[-2:]


def test_acknowledging_a_restore_that_dropped_events(
    liaison_a: User, events: list[AuditEvent]
) -> None:
    kept = checkpoints.write()
    record(AuditEvent.Action.VIEW, actor=liaison_a)
    dropped = checkpoints.write()
    _truncate([*events, AuditEvent.objects.order_by("-id").first()], keep=4)  # type: ignore[list-item]
    assert verify() is not None  # The restore is detected ...
    out = StringIO()
    call_command("audit_checkpoint", "--after-restore", "恢复演练：数据库损坏", stdout=out)
    assert "1 checkpoints moved aside; 1 signed events were dropped" in out.getvalue()
    assert verify() is None  # ... and once put on the record, the log verifies again.
    names = [path.name for path in checkpoints.files()]
    assert kept.name in names and dropped.name not in names
    assert (checkpoints.directory() / "superseded").is_dir()
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESTORE)
    assert event.detail["reason"] == "恢复演练：数据库损坏"
    assert event.detail["superseded"] == [dropped.name]
    assert event.detail["lost"] == {str(events[0].chain): 1}
