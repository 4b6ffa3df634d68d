"""The figures the mechanisms offer the statistics app (weibao.core.contract.Indicator).

Declared, counted directly (never through a user's scope) and placed by the unit's division:
a meeting by its convener's, a task by its owner's, an activity by its partner's (a school or a
village committee). Units of the county itself count in the county's figure only. Tasks are split
by the kind of their owner unit, so that the figure shows which kinds of unit keep their
deadlines; each unit's own figures are the assessment's (weibao.mechanisms.unitfigures).
"""

from __future__ import annotations

from weibao.core.contract import Measure, Share
from weibao.mechanisms.models import Cobuilding, Decision, Meeting, SupervisionNotice, Task

# Meetings held in the period (joint, special, case consultations), split by kind.
MEETINGS = Measure(
    rows=lambda: Meeting.objects.all(),
    on="held_on",
    where="convener__division",
    breakdown="kind",
)

# Decisions of the meetings held in the period.
DECISIONS = Measure(
    rows=lambda: Decision.objects.all(),
    on="meeting__held_on",
    where="meeting__convener__division",
)

# Tasks whose deadline falls in the period, split by the kind of the owner unit.
TASKS_DUE = Measure(
    rows=lambda: Task.objects.all(),
    on="deadline",
    where="owner__division",
    breakdown="owner__kind",
)

# Of those, the ones accepted whose result was submitted by the deadline.
TASKS_DONE_ON_TIME = Measure(
    rows=lambda: Task.objects.done_on_time(),
    on="deadline",
    where="owner__division",
    breakdown="owner__kind",
)

TASKS_ON_TIME = Share(part=TASKS_DONE_ON_TIME, whole=TASKS_DUE)

# Supervision notices issued in the period, by the owner unit of their task.
NOTICES = Measure(
    rows=lambda: SupervisionNotice.objects.all(),
    on="issued_on",
    where="task__owner__division",
)

# Party-building co-construction activities held in the period, by the partner unit.
ACTIVITIES = Measure(
    rows=lambda: Cobuilding.objects.all(),
    on="held_on",
    where="partner__division",
)
