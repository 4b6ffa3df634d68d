"""`manage.py audit_verify` passes on an intact chain and names the first broken link.

Tampering is done with raw SQL, as an attacker with database access would, bypassing the ORM.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record, verify

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def events(liaison_a: User) -> list[AuditEvent]:
    return [
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}") for n in range(5)
    ]


def _sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=connection.ops.quote_name(TABLE)), params)


def test_intact_chain_passes(events: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue() and "5" in out.getvalue()
    assert verify() is None


def test_empty_log_passes(db: None) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_altered_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("UPDATE {table} SET target_repr = %s WHERE id = %s", "篡改", events[2].pk)
    with pytest.raises(CommandError, match=f"event {events[2].pk}: content"):
        call_command("audit_verify")


def test_altered_detail_is_reported(events: list[AuditEvent]) -> None:
    _sql("UPDATE {table} SET ip = %s WHERE id = %s", "10.6.6.6", events[1].pk)
    broken = verify()
    assert broken is not None and broken.event_id == events[1].pk


def test_rehashed_row_breaks_the_next_link(events: list[AuditEvent]) -> None:
    # A forger who also recomputes the row's own hash is caught by the next row.
    _sql("UPDATE {table} SET hash = %s WHERE id = %s", "f" * 64, events[1].pk)
    broken = verify()
    assert broken is not None and broken.event_id in (events[1].pk, events[2].pk)


def test_removed_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[2].pk)
    with pytest.raises(CommandError, match=f"event {events[3].pk}: previous hash"):
        call_command("audit_verify")


def test_removed_newest_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[4].pk)
    with pytest.raises(CommandError, match="ends early"):
        call_command("audit_verify")


def test_command_exits_non_zero(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[0].pk)
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert caught.value.returncode != 0
