"""Waiting lines (overdue marked), the scheduled task, and the indicators."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from weibao.core.contract import Period, figure
from weibao.drowning import services, tasks
from weibao.drowning.waiting import waiting


def _patrol(water, actor, **states):
    data = {"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张",
            "sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok",
            "people_in_water": 0, **states}  # fmt: skip
    return services.patrol_record(actor=actor, water=water, data=data)


def test_waiting_marks_overdue(water, township_worker, township_b_worker, liaison_a) -> None:
    _patrol(water, township_worker, ring_state="missing")

    def rectifications(user):  # the overdue-patrol line is tested in test_patrol_plan
        return [(i.count, i.overdue) for i in waiting(user) if "rectification" in i.label]

    assert rectifications(township_worker) == [(1, False)]
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert rectifications(township_worker) == [(1, True)]
        assert "1 told" in tasks.drowning_rectifications_overdue()
        assert "0 told" in tasks.drowning_rectifications_overdue()
    assert waiting(township_b_worker) == [] and waiting(liaison_a) == []


def test_indicators(water, make_water, township_worker, county) -> None:
    make_water(name="二塘", pole_state="missing")
    _patrol(water, township_worker)
    services.incident_record(
        actor=township_worker,
        data={"occurred_at": timezone.now() - timedelta(hours=1), "water": water, "age": 7,
              "sex": "F", "circumstance": "alone", "activity": "playing", "outcome": "died",
              "reported_by": "x"},
    )  # fmt: skip
    year = Period.year(2026)
    assert figure("drowning.incidents", division=None, period=year) == 1
    assert figure("drowning.deaths", division=county.township_a, period=year) == 1
    assert figure("drowning.deaths", division=county.township_b, period=year) == 0
    assert figure("drowning.deaths", division=None, period=Period.year(2025)) == 0
    assert figure("drowning.patrols_held", division=None, period=year) == 1
    assert str(figure("drowning.high_risk_equipped_share", division=None, period=year)) == "50.0"
    assert figure("drowning.custodian_share", division=None, period=year) == 0
    assert date(2026, 7, 15) == timezone.localdate()
