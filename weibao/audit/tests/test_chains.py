"""Writers spread over independent chains: a transaction keeps one chain, and a long transaction
that audited early holds that chain only (PostgreSQL: the others skip it)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from weibao.accounts.models import User
from weibao.audit import chain
from weibao.audit.models import AuditEvent, ChainHead
from weibao.audit.services import record, verify


def test_a_transaction_keeps_one_chain(liaison_a: User) -> None:
    with transaction.atomic():
        written = [record(AuditEvent.Action.VIEW, actor=liaison_a) for _ in range(4)]
    assert len({event.chain for event in written}) == 1
    assert [event.seq for event in written] == [1, 2, 3, 4]
    assert [event.prev_id for event in written[1:]] == [event.pk for event in written[:-1]]


def test_a_rolled_back_transaction_leaves_no_trace(liaison_a: User) -> None:
    first = record(AuditEvent.Action.VIEW, actor=liaison_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(AuditEvent.Action.VIEW, actor=liaison_a)
        raise RuntimeError("the service failed")
    again = record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr="again")
    assert AuditEvent.objects.count() == 2
    assert verify() is None
    if again.chain == first.chain:
        assert again.seq == first.seq + 1


def test_one_chain_is_the_old_design(
    transactional_db: None, liaison_a: User, settings: Any
) -> None:
    settings.AUDIT_CHAINS = 1
    written = [record(AuditEvent.Action.VIEW, actor=liaison_a) for _ in range(5)]
    assert {event.chain for event in written} == {0}
    assert [event.seq for event in written] == [1, 2, 3, 4, 5]


def test_the_head_names_the_key_that_wrote_it(liaison_a: User) -> None:
    event = record(AuditEvent.Action.VIEW, actor=liaison_a)
    head = ChainHead.objects.get(chain=event.chain)
    assert (head.seq, head.last_hash, head.last_event_id) == (1, event.hash, event.pk)
    assert head.key_id == chain.keys().key_id


def test_a_long_transaction_does_not_hold_up_other_writers(
    transactional_db: None, liaison_a: User, settings: Any
) -> None:
    """Issue 19: a page view waited 3 s behind an import that had audited early."""
    settings.AUDIT_CHAINS = 4
    chain.make_heads()  # As `migrate` does.
    if not connection.features.has_select_for_update_skip_locked:
        # SQLite has one writer at a time whatever the chains: a connection keeps to its chain.
        written = [record(AuditEvent.Action.VIEW, actor=liaison_a) for _ in range(3)]
        assert len({event.chain for event in written}) == 1
        assert verify() is None
        return
    audited, release = threading.Event(), threading.Event()
    held: list[int] = []

    def long_import() -> None:
        try:
            with transaction.atomic():
                held.append(record(AuditEvent.Action.UPLOAD, actor=liaison_a).chain)
                audited.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    worker = threading.Thread(target=long_import)
    worker.start()
    try:
        assert audited.wait(timeout=30)
        others: list[int] = []

        def view(done: threading.Event) -> None:
            try:
                others.append(record(AuditEvent.Action.VIEW, actor=liaison_a).chain)
            finally:
                connection.close()
                done.set()

        for _ in range(6):
            done = threading.Event()
            threading.Thread(target=view, args=(done,)).start()
            assert done.wait(timeout=10), "a writer waited behind the long transaction"
        assert held and held[0] not in others
    finally:
        release.set()
        worker.join(timeout=30)
    assert verify() is None
    assert ChainHead.objects.filter(chain__lt=4).count() == 4  # Made by migrate.


def test_a_rollback_to_a_savepoint_keeps_the_chain(liaison_a: User) -> None:
    with transaction.atomic():
        first = record(AuditEvent.Action.VIEW, actor=liaison_a)
        transaction.on_commit(lambda: None)
        with pytest.raises(RuntimeError), transaction.atomic():
            transaction.on_commit(lambda: None)
            record(AuditEvent.Action.VIEW, actor=liaison_a)
            raise RuntimeError("an inner step failed")
        after = record(AuditEvent.Action.VIEW, actor=liaison_a)
    assert after.chain == first.chain and after.seq == first.seq + 1
    assert verify() is None


def test_many_callbacks_do_not_lose_the_chain(liaison_a: User) -> None:
    with transaction.atomic():
        record(AuditEvent.Action.VIEW, actor=liaison_a)
        for _ in range(5000):
            transaction.on_commit(lambda: None)
        later = [record(AuditEvent.Action.VIEW, actor=liaison_a) for _ in range(3)]
    assert len({event.chain for event in later}) == 1
