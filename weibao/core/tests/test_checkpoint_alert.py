"""A checkpoint of the audit log that fails tells the auditors at once, once a day."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.utils import translation

from weibao.accounts.models import User
from weibao.audit import checkpoints
from weibao.audit.models import AuditEvent, ChainHead
from weibao.audit.services import record
from weibao.core import schedule
from weibao.core.models import Notification, ScheduledRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-12-03 09:00:00+08:00", tick=False):
        yield


def _cut_the_tail(events: list[AuditEvent]) -> None:
    """Delete the last two events and set the head back, as a restore from an old backup would."""
    last = events[1]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    heads = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE seq > 2 AND chain = %s", [last.chain])  # noqa: S608
        cursor.execute(
            f"UPDATE {heads} SET seq = %s, last_hash = %s, last_event_id = %s WHERE chain = %s",  # noqa: S608
            [last.seq, last.hash, last.pk, last.chain],
        )


def test_a_refused_checkpoint_alerts_the_auditors_once_a_day(
    liaison_a: User, auditor: User
) -> None:
    events = [
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}") for n in range(4)
    ]
    checkpoints.write()
    _cut_the_tail(events)

    with pytest.raises(checkpoints.CheckpointRefused):
        schedule.run("audit_checkpoint")
    told = Notification.objects.get(recipient=auditor, kind="audit_checkpoint_failed")
    assert "behind position" in ScheduledRun.objects.get(name="audit_checkpoint").last_error
    with translation.override("en"):
        assert told.title_text() == "The audit log could not be checkpointed"
        assert "audit_verify" in told.body_text()
    with translation.override("zh-hans"):
        assert "checkpoint" not in told.title_text()
    assert not Notification.objects.filter(recipient=liaison_a).exists()

    with pytest.raises(checkpoints.CheckpointRefused):
        schedule.run("audit_checkpoint")  # the next run, ten minutes on: no second alert
    assert Notification.objects.filter(kind="audit_checkpoint_failed").count() == 1


def test_a_good_checkpoint_alerts_no_one(liaison_a: User, auditor: User) -> None:
    record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr="记录")
    schedule.run("audit_checkpoint")
    assert not Notification.objects.filter(kind="audit_checkpoint_failed").exists()
