"""Patrols update the water, open rectifications; closing; the overdue notice is idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.core.models import Notification
from weibao.drowning import services
from weibao.drowning.models import Patrol, Rectification


def patrol_data(**extra):
    data = {"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张巡",
            "sign_state": "ok", "pole_state": "missing", "rope_state": "damaged",
            "ring_state": "ok", "people_in_water": 2, "notes": ""}  # fmt: skip
    data.update(extra)
    return data


def test_patrol_updates_water_and_opens_rectifications(water, township_worker) -> None:
    patrol = services.patrol_record(actor=township_worker, water=water, data=patrol_data())
    water.refresh_from_db()
    assert (water.pole_state, water.rope_state, water.sign_state) == ("missing", "damaged", "ok")
    items = Rectification.objects.filter(water=water).order_by("item")
    assert [(r.item, r.state) for r in items] == [("pole", "missing"), ("rope", "damaged")]
    assert all(r.deadline == date(2026, 7, 22) for r in items)
    assert items[0].township.code == "361025100000" and items[0].patrol == patrol
    assert Notification.objects.filter(recipient=township_worker).count() == 1
    # The same gap found again is the same rectification.
    services.patrol_record(actor=township_worker, water=water, data=patrol_data())
    assert Rectification.objects.filter(water=water).count() == 2


def test_village_clerk_patrols_own_village(water, village_clerk) -> None:
    services.patrol_record(actor=village_clerk, water=water, data=patrol_data())
    assert Patrol.objects.count() == 1


def test_future_patrol_refused(water, township_worker) -> None:
    with pytest.raises(ValidationError) as caught:
        services.patrol_record(
            actor=township_worker,
            water=water,
            data=patrol_data(patrolled_at=timezone.now() + timedelta(minutes=5)),
        )
    assert "future" in str(caught.value.message_dict["patrolled_at"])
    assert not Patrol.objects.exists() and not Rectification.objects.exists()


def test_older_patrol_does_not_overwrite(water, township_worker) -> None:
    services.patrol_record(actor=township_worker, water=water, data=patrol_data(pole_state="ok",
                           rope_state="ok"))  # fmt: skip
    services.patrol_record(
        actor=township_worker,
        water=water,
        data=patrol_data(patrolled_at=timezone.now() - timedelta(days=3)),
    )
    water.refresh_from_db()
    assert water.pole_state == "ok"


def test_close_puts_item_back(water, township_worker) -> None:
    services.patrol_record(actor=township_worker, water=water, data=patrol_data())
    item = Rectification.objects.get(item="pole")
    with pytest.raises(ValidationError):
        services.rectification_close(actor=township_worker, rectification=item, note="ok")
    services.rectification_close(actor=township_worker, rectification=item, note="新装救生杆一根")
    water.refresh_from_db()
    assert water.pole_state == "ok" and not Rectification.objects.get(pk=item.pk).is_open
    with pytest.raises(ValidationError):
        services.rectification_close(actor=township_worker, rectification=item, note="again ok")


def test_overdue_notice_once(water, township_worker) -> None:
    services.patrol_record(actor=township_worker, water=water, data=patrol_data())
    before = Notification.objects.count()
    assert services.rectifications_notify_overdue() == 0
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        assert services.rectifications_notify_overdue() == 2
        assert services.rectifications_notify_overdue() == 0
    assert Notification.objects.count() == before + 1
