"""The season's reminders: sent in the week before summer (and before a holiday the patrol
plan lists) to schools without a letter, townships and assignees; once a season, however often
the job runs; nothing outside the window."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from weibao.core.models import Notification
from weibao.drowning import services
from weibao.drowning.models import PatrolPlan, ReminderSent
from weibao.drowning.tasks import drowning_season_reminders


def _kinds() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, username in Notification.objects.values_list("kind", "recipient__username"):
        found.setdefault(kind, set()).add(username)
    return found


def test_before_summer_once(liaison_b, letter, township_worker, assignment) -> None:
    with time_machine.travel(datetime(2026, 6, 23, 1, 0, tzinfo=UTC), tick=False):  # 8 days
        assert services.reminders_send() == 0
    with time_machine.travel(datetime(2026, 6, 25, 1, 0, tzinfo=UTC), tick=False):
        assert drowning_season_reminders() != "0 told"
        kinds = _kinds()
        # School A issued its letter; school B has none.
        assert kinds["drowning_reminder_schools"] == {"liaison_b"}
        assert kinds["drowning_reminder_townships"] == {"township_a"}
        assert kinds["drowning_reminder_assignees"] == {"teacher_a"}
        count = Notification.objects.count()
        assert services.reminders_send() == 0  # again the same day
    with time_machine.travel(datetime(2026, 6, 29, 1, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == 0  # later in the window
    assert Notification.objects.count() == count
    assert set(ReminderSent.objects.values_list("audience", flat=True)) == {
        "schools", "townships", "assignees"
    }  # fmt: skip


def test_nothing_once_summer_started(liaison_b, township_worker) -> None:
    with time_machine.travel(datetime(2026, 7, 2, 1, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == 0
    assert not Notification.objects.exists()


def test_before_a_plan_holiday(liaison_b, township_worker, settings) -> None:
    PatrolPlan.objects.create(holidays="2026-10-01 2026-10-07")
    with time_machine.travel(datetime(2026, 9, 27, 1, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == 2  # school B and the township
    assert set(ReminderSent.objects.values_list("season_key", flat=True)) == {"2026-10-01"}
    with time_machine.travel(datetime(2026, 9, 28, 1, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == 0
