"""Deadlines and escalation, one mechanism for every app: a reminder that goes once (per day, or
once for good), an escalation step claimed once whatever the race, and the ladder that says
which step an item past its deadline has reached.

    LADDER = Ladder(remind_before=1, escalate_after=7)
    for task in Task.objects.open().filter(deadline__lte=LADDER.horizon(today)):
        step = LADDER.step(task.deadline, today)         # DUE_SOON, OVERDUE or ESCALATE
        if step is Step.ESCALATE and claim_once(Task.objects, task.pk, "supervised_on", today):
            ...                                          # issue the notice: this run won it
        remind_once(f"task:{task.pk}:{step}:{today}", lambda: notify(...))

The scheduler runs the nightly job that does this (core.schedule); both helpers make a second
run the same day send nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, models, transaction

from weibao.core.models import Reminder


class Step(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class Ladder:
    """Remind `remind_before` days before the deadline, every day once it has passed, and
    escalate once it is `escalate_after` days past (None: never)."""

    remind_before: int = 1
    escalate_after: int | None = None

    def horizon(self, today: date) -> date:
        """The latest deadline that calls for a step today (filter the open items by it)."""
        return today + timedelta(days=self.remind_before)

    def step(self, deadline: date, today: date) -> Step | None:
        late = (today - deadline).days
        if late > 0 and self.escalate_after is not None and late >= self.escalate_after:
            return Step.ESCALATE
        if late > 0:
            return Step.OVERDUE
        if -late <= self.remind_before:
            return Step.DUE_SOON
        return None


def remind_once(key: str, send: Callable[[], Any]) -> int:
    """Send unless a reminder with this key was sent already; 1 if sent now, else 0.

    Put the day in the key for a daily reminder, leave it out for a one-off."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=key[:120])
            send()
    except IntegrityError:
        return 0
    return 1


def claim_once(
    rows: models.QuerySet[Any] | models.Manager[Any], pk: Any, field: str, value: Any
) -> bool:
    """Set `field` to `value` on the row `pk` if it is still empty: True for the one caller that
    set it (a conditional UPDATE, so two workers never both escalate the same item)."""
    return bool(rows.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: value}))
