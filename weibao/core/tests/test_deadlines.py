"""The platform's one deadline mechanism: the ladder's steps, a reminder sent once, an
escalation claimed once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from weibao.core.deadlines import Ladder, Step, claim_once, remind_once
from weibao.core.models import Reminder, ScheduledRun

DEADLINE = date(2026, 9, 15)


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2026, 9, 11), None),  # four days ahead: nothing yet
        (date(2026, 9, 12), Step.DUE_SOON),  # three days ahead
        (date(2026, 9, 15), Step.DUE_SOON),  # the deadline itself: still on time
        (date(2026, 9, 16), Step.OVERDUE),
        (date(2026, 9, 21), Step.OVERDUE),  # six days late
        (date(2026, 9, 22), Step.ESCALATE),  # seven days late
        (date(2026, 12, 31), Step.ESCALATE),
    ],
)
def test_the_ladder_climbs_with_the_days_late(today: date, step: Step | None) -> None:
    ladder = Ladder(remind_before=3, escalate_after=7)
    assert ladder.step(DEADLINE, today) is step
    if step is not None:
        assert ladder.horizon(today) >= DEADLINE


def test_a_ladder_without_escalation_stays_overdue() -> None:
    assert Ladder().step(DEADLINE, date(2027, 1, 1)) is Step.OVERDUE


def test_a_reminder_goes_once_per_key(db: None) -> None:
    sent: list[str] = []
    key = "task:1:overdue:2026-09-16"
    assert remind_once(key, lambda: sent.append("a")) == 1
    assert remind_once(key, lambda: sent.append("b")) == 0
    assert remind_once("task:1:overdue:2026-09-17", lambda: sent.append("c")) == 1
    assert sent == ["a", "c"]
    assert Reminder.objects.count() == 2


def test_a_failed_send_leaves_no_mark(db: None) -> None:
    def fail() -> None:
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError):
        remind_once("task:2:overdue", fail)
    assert not Reminder.objects.exists()


def test_an_escalation_is_claimed_once(db: None) -> None:
    first, second = datetime(2026, 9, 16, tzinfo=UTC), datetime(2026, 9, 17, tzinfo=UTC)
    run = ScheduledRun.objects.create(name="job")
    assert claim_once(ScheduledRun.objects, run.pk, "last_slot", first) is True
    assert claim_once(ScheduledRun.objects.all(), run.pk, "last_slot", second) is False
    run.refresh_from_db()
    assert run.last_slot == first
