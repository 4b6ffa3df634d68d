"""`manage.py audit_verify` passes on intact chains and names the first broken link of each.

Tampering is done with raw SQL, as an attacker with database access would, bypassing the ORM:
altered, deleted, reordered and forged rows, a truncated tail, a restore that dropped events, a
forger who recomputes every later link, a wrong key.
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from weibao.accounts.models import User
from weibao.audit import chain, checkpoints
from weibao.audit.models import AuditEvent, ChainHead
from weibao.audit.services import record, verify
from weibao.audit.tests.conftest import build_chain

TABLE = AuditEvent._meta.db_table
HEADS = ChainHead._meta.db_table


@pytest.fixture
def events(liaison_a: User) -> list[AuditEvent]:
    return [
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}") for n in range(5)
    ]


@pytest.fixture
def spread(liaison_a: User) -> dict[int, list[AuditEvent]]:
    """Events on three chains, written in turn (as concurrent writers would leave them)."""
    by_chain: dict[int, list[AuditEvent]] = {0: [], 1: [], 2: []}
    for n in range(9):
        event = AuditEvent(actor=liaison_a, action="view", target_repr=f"记录{n}")
        by_chain[n % 3].append(chain.append(event, chain=n % 3))
    return by_chain


def _sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            statement.format(
                table=connection.ops.quote_name(TABLE), heads=connection.ops.quote_name(HEADS)
            ),
            params,
        )


def _swap_ids(a: int, b: int) -> None:
    _sql("UPDATE {table} SET id = %s WHERE id = %s", -1, a)
    _sql("UPDATE {table} SET id = %s WHERE id = %s", a, b)
    _sql("UPDATE {table} SET id = %s WHERE id = %s", b, -1)


def _reasons() -> list[str]:
    return [broken.reason for broken in chain.verify_all().breaks]


def test_intact_chain_passes(events: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    assert "intact: 5 events in 1 chains" in out.getvalue()
    assert verify() is None


def test_empty_log_passes(db: None) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    assert "intact: 0 events" in out.getvalue()


def test_several_chains_pass_and_are_anchored(spread: dict[int, list[AuditEvent]]) -> None:
    written = checkpoints.write()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 9 events in 3 chains" in out.getvalue()
    assert written.name in out.getvalue()
    for number, chain_events in spread.items():
        assert [event.seq for event in chain_events] == [1, 2, 3]
        assert {event.chain for event in chain_events} == {number}
        assert chain_events[1].prev_id == chain_events[0].pk
        assert chain_events[1].prev_hash == chain_events[0].hash


def test_altered_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("UPDATE {table} SET target_repr = %s WHERE id = %s", "篡改", events[2].pk)
    with pytest.raises(CommandError, match=f"event {events[2].pk}: content does not match"):
        call_command("audit_verify", stderr=StringIO())


def test_altered_detail_is_reported(events: list[AuditEvent]) -> None:
    _sql("UPDATE {table} SET ip = %s WHERE id = %s", "10.6.6.6", events[1].pk)
    broken = verify()
    assert broken is not None and broken.event_id == events[1].pk


def test_rewritten_and_recomputed_rows_are_reported(events: list[AuditEvent]) -> None:
    """The finding of issue 12: a forger changes a row and recomputes every later link. Without
    the key they cannot: here they recompute with the unkeyed SHA-256 and with a guessed key."""
    for forge in ("sha256", "guessed key"):
        rows = list(AuditEvent.objects.order_by("seq"))
        prev = rows[1].hash
        for row in rows[2:]:
            row.prev_hash = prev
            row.target_repr = "篡改" if row.pk == events[2].pk else row.target_repr
            if forge == "sha256":
                row.hash = hashlib.sha256((prev + row.payload()).encode()).hexdigest()
            else:
                with override_settings(AUDIT_CHAIN_KEY="guessed"):
                    row.hash = row.compute_hash()
            _sql(
                "UPDATE {table} SET target_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
                row.target_repr,
                row.prev_hash,
                row.hash,
                row.pk,
            )
            prev = row.hash
        broken = verify()
        assert broken is not None and broken.event_id == events[2].pk
        assert "content does not match" in broken.reason


def test_removed_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[2].pk)
    with pytest.raises(CommandError, match=f"event {events[3].pk}: position 3 .* was removed"):
        call_command("audit_verify", stderr=StringIO())


def test_removed_row_with_positions_renumbered_is_reported(events: list[AuditEvent]) -> None:
    # Closing the gap in positions does not help: the next row's links name the removed one.
    _sql("DELETE FROM {table} WHERE id = %s", events[2].pk)
    for event in events[3:]:
        _sql("UPDATE {table} SET seq = %s WHERE id = %s", event.seq - 1, event.pk)
    broken = verify()
    assert broken is not None and broken.event_id == events[3].pk


def test_removed_newest_row_is_reported(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[4].pk)
    with pytest.raises(CommandError, match="ends early"):
        call_command("audit_verify", stderr=StringIO())


def test_reordered_rows_are_reported(events: list[AuditEvent]) -> None:
    _swap_ids(events[1].pk, events[2].pk)
    broken = verify()
    assert broken is not None and "reordered" in broken.reason


def test_reordered_positions_are_reported(events: list[AuditEvent]) -> None:
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", 99, events[1].pk)
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", events[1].seq, events[2].pk)
    _sql("UPDATE {table} SET seq = %s WHERE id = %s", events[2].seq, events[1].pk)
    assert verify() is not None


def test_rows_moved_between_chains_are_reported(spread: dict[int, list[AuditEvent]]) -> None:
    # Swapping two rows of different chains keeps each chain's ids rising; the links see it.
    _swap_ids(spread[0][1].pk, spread[1][1].pk)
    reasons = _reasons()
    assert len(reasons) == 2 and all("reordered" in reason for reason in reasons)


def test_truncated_tail_is_reported_against_the_checkpoint(events: list[AuditEvent]) -> None:
    """The newest rows deleted and the head row set back to the row before them: the rows and
    the head agree, but the checkpoint outside the database signed the later position."""
    written = checkpoints.write()
    _sql("DELETE FROM {table} WHERE id IN (%s, %s)", events[3].pk, events[4].pk)
    _sql(
        "UPDATE {heads} SET seq = %s, last_hash = %s, last_event_id = %s WHERE chain = %s",
        events[2].seq,
        events[2].hash,
        events[2].pk,
        events[2].chain,
    )
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", stderr=StringIO())
    message = str(caught.value)
    assert f"ends at position 3 but checkpoint {written.name} signed position 5" in message
    assert "2 events were removed" in message


def test_restore_that_dropped_events_is_reported(liaison_a: User, events: list[AuditEvent]) -> None:
    """A restore from before the newest checkpoint, then new events written on top of it."""
    checkpoints.write()
    _sql("DELETE FROM {table} WHERE id = %s", events[4].pk)
    _sql(
        "UPDATE {heads} SET seq = %s, last_hash = %s, last_event_id = %s WHERE chain = %s",
        events[3].seq,
        events[3].hash,
        events[3].pk,
        events[3].chain,
    )
    record(AuditEvent.Action.LOGIN, actor=liaison_a)
    broken = verify()
    assert broken is not None and "differs from checkpoint" in broken.reason


def test_forged_unkeyed_event_is_reported(events: list[AuditEvent]) -> None:
    # An attacker appends a row linked with the old unkeyed formula and moves the head on.
    last = events[-1]
    forged = AuditEvent(
        id=last.pk + 100,
        at=last.at,
        action="login",
        actor_username="ghost",
        chain=last.chain,
        seq=last.seq + 1,
        prev_id=last.pk,
        prev_hash=last.hash,
        scheme=AuditEvent.Scheme.LEGACY,
    )
    forged.hash = forged.compute_hash()
    AuditEvent.objects.bulk_create([forged])
    _sql(
        "UPDATE {heads} SET seq = %s, last_hash = %s, last_event_id = %s WHERE chain = %s",
        forged.seq,
        forged.hash,
        forged.pk,
        forged.chain,
    )
    broken = verify()
    assert broken is not None and broken.event_id == forged.pk and "forged" in broken.reason


def test_wrong_key_is_reported(events: list[AuditEvent], settings: object) -> None:
    settings.AUDIT_CHAIN_KEY = "not-the-key-the-log-was-written-with"  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="AUDIT_CHAIN_KEY is not the key"):
        call_command("audit_verify", stderr=StringIO())


def test_wrong_key_is_reported_against_the_checkpoint(
    events: list[AuditEvent], settings: object
) -> None:
    written = checkpoints.write()
    settings.AUDIT_CHAIN_KEY = "not-the-key-the-log-was-written-with"  # type: ignore[attr-defined]
    reasons = _reasons()
    assert any(f"checkpoint {written.name} was signed with key" in r for r in reasons)


def test_altered_checkpoint_is_reported(events: list[AuditEvent]) -> None:
    written = checkpoints.write()
    data = json.loads(written.path.read_text())
    data["chains"][0]["seq"] = 1  # Someone hides the newest events from the checkpoint.
    written.path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("audit_verify", stderr=StringIO())


def test_command_exits_non_zero(events: list[AuditEvent]) -> None:
    _sql("DELETE FROM {table} WHERE id = %s", events[0].pk)
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", stderr=StringIO())
    assert caught.value.returncode != 0


def test_warns_when_nothing_is_anchored(events: list[AuditEvent]) -> None:
    err = StringIO()
    call_command("audit_verify", stdout=StringIO(), stderr=err)
    assert "no checkpoint yet" in err.getvalue()


def _peak_while_verifying() -> int:
    tracemalloc.start()
    try:
        assert verify() is None
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_bounded(db: None) -> None:
    """Verification holds one chunk at a time: ten times the events, about the same peak."""
    build_chain(4_000, chain=0)
    small = _peak_while_verifying()
    build_chain(14_000, chain=1)
    build_chain(2_000, chain=0)
    assert AuditEvent.objects.count() == 20_000
    large = _peak_while_verifying()
    assert large < small * 1.25, (small, large)
    assert large < 16 * 1024 * 1024


def test_events_written_while_verifying_are_walked_too(
    liaison_a: User, events: list[AuditEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer appends while the chain is walked: the head is then ahead of the walk, which
    walks on instead of reporting a truncated chain."""
    original = chain.walk
    calls: list[int] = []

    def walk_while_writing(*args: object, **kwargs: object) -> chain.Walk:
        walked = original(*args, **kwargs)  # type: ignore[arg-type]
        if not calls:
            calls.append(1)
            record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr="meanwhile")
        return walked

    monkeypatch.setattr(chain, "walk", walk_while_writing)
    report = chain.verify_all()
    assert report.intact, report.breaks
    assert report.events == 6


def test_hmac_sm3_links_and_a_change_of_scheme_verify(
    liaison_a: User, events: list[AuditEvent], settings: Any
) -> None:
    """GB/T 39786: AUDIT_CHAIN_MAC = "hmac-sm3" makes new links and checkpoints with HMAC-SM3;
    the older HMAC-SHA256 rows go on verifying, and tampering is found in either."""
    settings.AUDIT_CHAIN_MAC = "hmac-sm3"
    later = [record(AuditEvent.Action.VIEW, actor=liaison_a) for _ in range(3)]
    assert {event.scheme for event in later} == {AuditEvent.Scheme.HMAC_SM3}
    assert later[0].prev_hash == events[-1].hash
    written = checkpoints.write()
    assert json.loads(written.path.read_text())["alg"] == "hmac-sm3"
    assert verify() is None
    _sql("UPDATE {table} SET target_repr = %s WHERE id = %s", "篡改", later[1].pk)
    broken = verify()
    assert broken is not None and broken.event_id == later[1].pk


def test_an_unknown_mac_setting_is_refused(db: None, settings: Any) -> None:
    settings.AUDIT_CHAIN_MAC = "md5"
    with pytest.raises(ValueError, match="AUDIT_CHAIN_MAC"):
        record(AuditEvent.Action.VIEW, username="x")
