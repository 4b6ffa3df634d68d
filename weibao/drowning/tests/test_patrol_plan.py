"""The patrol plan: the bureau sets it (history kept, bad input named), the township sees its
waters overdue for a patrol (paged, flat query count), the waiting line; the wrong user is
refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.drowning import services
from weibao.drowning.models import HazardousWater, PatrolPlan
from weibao.drowning.waiting import waiting

PLAN = {"high_peak_days": 2, "high_other_days": 10, "medium_peak_days": 5,
        "medium_other_days": 20, "holidays": "2026-10-01 2026-10-07"}  # fmt: skip


def _patrol(water, actor, *, days_ago: float) -> None:
    services.patrol_record(
        actor=actor,
        water=water,
        data={"patrolled_at": timezone.now() - timedelta(days=days_ago), "patroller": "张",
              "sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok",
              "people_in_water": 0},
    )  # fmt: skip


def test_defaults_without_a_plan(db) -> None:
    plan = PatrolPlan.current()
    assert plan.pk is None and (plan.high_peak_days, plan.medium_other_days) == (3, 30)


def test_set_keeps_history_and_audits(water_bureau) -> None:
    first = services.patrol_plan_set(actor=water_bureau, data=PLAN)
    second = services.patrol_plan_set(actor=water_bureau, data={**PLAN, "high_peak_days": 1})
    assert PatrolPlan.objects.count() == 2 and PatrolPlan.current() == second
    assert first.holidays == "2026-10-01 2026-10-07"
    event = AuditEvent.objects.filter(detail__operation="patrol_plan_set").last()
    assert event is not None and "high_peak_days" in str(event.detail)


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [({"high_peak_days": 0}, "high_peak_days", "out_of_range"),
     ({"medium_other_days": "x"}, "medium_other_days", "invalid"),
     ({"holidays": "2026-10-01 2026-10-07\n十一"}, "holidays", "invalid_holiday"),
     ({"high_peak_days": 12}, "high_peak_days", "peak_laxer")],
)  # fmt: skip
def test_bad_plan_refused(water_bureau, data, field, code) -> None:
    with pytest.raises(ValidationError) as caught:
        services.patrol_plan_set(actor=water_bureau, data={**PLAN, **data})
    assert caught.value.error_dict[field][0].code == code
    assert not PatrolPlan.objects.exists()


def test_bad_holiday_message_names_the_line(water_bureau) -> None:
    with pytest.raises(ValidationError) as caught:
        services.patrol_plan_set(actor=water_bureau, data={**PLAN, "holidays": "a\n"})
    assert "Line 1 (a)" in caught.value.messages[0]


def test_overdue_by_risk_and_period(make_water, township_worker, water_bureau) -> None:
    high = make_water(name="高塘")
    medium = make_water(name="中塘", risk="medium")
    make_water(name="低塘", risk="low")
    _patrol(high, township_worker, days_ago=4)  # summer: every 3 days
    _patrol(medium, township_worker, days_ago=4)  # summer: weekly
    waters = HazardousWater.objects.all()
    assert [w.name for w in services.overdue_for_patrol(waters)] == ["高塘"]
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):  # September
        overdue = {w.name: w.every_days for w in services.overdue_for_patrol(waters)}  # type: ignore[attr-defined]
        assert overdue == {"高塘": 7, "中塘": 30}
    services.patrol_plan_set(actor=water_bureau, data={**PLAN, "high_peak_days": 5})
    assert not services.overdue_for_patrol(HazardousWater.objects.all()).exists()


def test_never_patrolled_counts_from_registration(make_water) -> None:
    water = make_water()
    assert not services.overdue_for_patrol(HazardousWater.objects.all()).exists()
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        found = list(services.overdue_for_patrol(HazardousWater.objects.all()))
        assert found == [water] and found[0].last_patrol_at is None  # type: ignore[attr-defined]


def test_waiting_line_for_townships(water, township_worker, township_b_worker, water_bureau):
    assert all(i.label != "Waters overdue for a patrol" for i in waiting(township_worker))
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        lines = [(i.label, i.count, i.overdue) for i in waiting(township_worker)]
        assert ("Waters overdue for a patrol", 1, True) in lines
        assert waiting(township_b_worker) == []
        assert waiting(water_bureau) == []  # the line is the townships'


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [("patrol_plan", "liaison_a", "outsider"), ("patrols_overdue", "township_worker", "liaison_a"),
     ("patrols_overdue", "village_clerk", "auditor")],
)  # fmt: skip
def test_page_access(request, client_for, water, name, allowed, refused) -> None:
    url = reverse(f"drowning:{name}")
    assert client_for(request.getfixturevalue(allowed)).get(url).status_code == 200
    assert client_for(request.getfixturevalue(refused)).get(url).status_code == 403


def test_only_the_bureau_sets_the_plan(client_for, water_bureau, township_worker) -> None:
    url = reverse("drowning:patrol_plan")
    assert client_for(township_worker).post(url, PLAN).status_code == 403
    assert "Set a new plan" not in client_for(township_worker).get(url).content.decode()
    assert not PatrolPlan.objects.exists()
    bad = client_for(water_bureau).post(url, {**PLAN, "holidays": "十一"})
    assert bad.status_code == 400 and "Line 1" in bad.content.decode()
    assert client_for(water_bureau).post(url, PLAN).status_code == 302
    assert PatrolPlan.current().high_peak_days == 2


def test_overdue_page_lists_the_township_s_waters(
    client_for, make_water, township_worker, township_b_worker, county
) -> None:
    make_water(name="甲塘")
    make_water(name="乙塘", village=county.village_b, latitude="27.600000",
               longitude="116.000000")  # fmt: skip
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        text = client_for(township_worker).get(reverse("drowning:patrols_overdue")).content
        assert "甲塘" in text.decode() and "乙塘" not in text.decode()
        assert "never patrolled" in text.decode()
        other = client_for(township_b_worker).get(reverse("drowning:patrols_overdue"))
        assert "乙塘" in other.content.decode() and "甲塘" not in other.content.decode()


def test_overdue_page_query_count_flat(
    client_for, make_water, township_worker, django_assert_max_num_queries
) -> None:
    url = reverse("drowning:patrols_overdue")
    make_water(name="塘")
    later = timezone.now() + timedelta(days=4)
    with time_machine.travel(later, tick=False):
        client = client_for(township_worker)  # signed in then: sessions end after 30 idle minutes
        with django_assert_max_num_queries(30) as few:
            assert client.get(url).status_code == 200
    for i in range(8):
        water = make_water(name=f"塘{i}")
        _patrol(water, township_worker, days_ago=0.1)
    with time_machine.travel(later, tick=False):
        client = client_for(township_worker)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("Record a patrol") == 9
