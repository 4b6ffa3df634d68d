"""Inspections: two inspectors at least, never in the future, every checklist line answered;
findings open an order with a deadline; a re-inspection closes it (rectified or not); repeated
findings flag the venue; overdue orders escalate once; plans; the Word notice."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from weibao.core.models import Notification
from weibao.venues import kinds, services
from weibao.venues.models import Finding, Inspection, RectificationOrder, Venue


def answers(venue: Venue, failing: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        item.code: "fail" if item.code in failing else "ok"
        for item in services.venue_checklist(venue)
    }


def inspect(actor, venue, failing=(), **extra):
    data = {
        "inspected_at": timezone.now() - timedelta(hours=1),
        "inspectors": "江涛、邱明",
        "checklist": answers(venue, failing),
        "minors_found": 0,
    }
    data.update(extra)
    return services.inspection_record(actor=actor, venue=venue, data=data)


def test_checklist_has_the_distance_line_for_a_cafe(cafe) -> None:
    codes = [item.code for item in services.venue_checklist(cafe)]
    assert codes[-1] == kinds.DISTANCE_ITEM and "no_minors" in codes


def test_a_clean_inspection_opens_nothing(culture, cafe) -> None:
    inspection = inspect(culture, cafe)
    assert inspection.inspectors == ["江涛", "邱明"]
    assert inspection.inspecting_unit == culture.organisation
    assert not Finding.objects.exists() and not RectificationOrder.objects.exists()


def test_one_inspector_is_refused(culture, cafe) -> None:
    with pytest.raises(ValidationError) as caught:
        inspect(culture, cafe, inspectors="江涛")
    assert "at least 2 inspectors" in caught.value.message_dict["inspectors"][0]
    with pytest.raises(ValidationError):
        inspect(culture, cafe, inspectors=["江涛", " 江涛 "])  # the same one twice
    assert not Inspection.objects.exists()


def test_a_future_time_is_refused(culture, cafe) -> None:
    with pytest.raises(ValidationError) as caught:
        inspect(culture, cafe, inspected_at=timezone.now() + timedelta(minutes=5))
    assert "future" in caught.value.message_dict["inspected_at"][0]


def test_every_line_must_be_answered(culture, cafe) -> None:
    partial = answers(cafe)
    partial.pop("hours")
    with pytest.raises(ValidationError) as caught:
        inspect(culture, cafe, checklist=partial)
    assert "Open only 08:00" in caught.value.message_dict["checklist"][0]
    with pytest.raises(ValidationError):
        inspect(culture, cafe, minors_found=-1)


def test_findings_open_an_order_and_tell_the_supervisor(culture, cafe, edu_reader, county) -> None:
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    joint = make_user("edu_worker", county.education, Role.CASE_WORKER)
    inspection = inspect(joint, cafe, failing=("sign", "no_minors"), minors_found=3)
    assert sorted(Finding.objects.values_list("item", flat=True)) == ["no_minors", "sign"]
    order = RectificationOrder.objects.get()
    assert order.inspection == inspection and order.state == "open"
    assert order.deadline == timezone.localdate() + timedelta(days=15)
    assert inspection.minors_found == 3
    assert Notification.objects.filter(recipient=culture, kind="venues_order").exists()


def test_reinspection_rectified_on_time(culture, cafe) -> None:
    inspect(culture, cafe, failing=("sign",))
    order = RectificationOrder.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        inspect(culture, cafe, reinspects=order)
    order.refresh_from_db()
    assert order.state == "rectified" and order.on_time is True
    assert RectificationOrder.objects.count() == 1


def test_reinspection_not_rectified_opens_the_next_order(culture, coordinator, cafe) -> None:
    inspect(culture, cafe, failing=("sign",))
    order = RectificationOrder.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        inspect(culture, cafe, failing=("sign",), reinspects=order)
    order.refresh_from_db()
    assert order.state == "not_rectified" and order.on_time is None
    assert RectificationOrder.objects.open().count() == 1
    # Two inspections with findings within a year: flagged for enforcement, once.
    cafe.refresh_from_db()
    assert cafe.flagged_on is not None
    assert Notification.objects.filter(kind="venues_repeat", recipient=coordinator).exists()


def test_an_order_of_another_venue_cannot_be_reinspected(culture, cafe, make_venue) -> None:
    other = make_venue(name="另一家网吧", latitude="27.445000")
    inspect(culture, other, failing=("sign",))
    with pytest.raises(ValidationError) as caught:
        inspect(culture, cafe, reinspects=RectificationOrder.objects.get())
    assert "reinspects" in caught.value.message_dict


def test_deadline_bounds(culture, cafe) -> None:
    with pytest.raises(ValidationError):
        inspect(culture, cafe, failing=("sign",), deadline=timezone.localdate() - timedelta(days=2))
    inspect(culture, cafe, failing=("sign",), deadline=timezone.localdate() + timedelta(days=5))
    assert RectificationOrder.objects.get().deadline == timezone.localdate() + timedelta(days=5)


def test_overdue_orders_escalate_once(culture, coordinator, cafe) -> None:
    inspect(culture, cafe, failing=("sign",))
    order = RectificationOrder.objects.get()
    assert services.orders_escalate_overdue(order.deadline) == 0  # due today, not overdue
    later = order.deadline + timedelta(days=1)
    assert services.orders_escalate_overdue(later) == 1
    assert services.orders_escalate_overdue(later) == 0
    assert Notification.objects.filter(recipient=coordinator, kind="venues_order_overdue").exists()


def test_plan_and_its_progress(culture, market, cafe, far_shop, county) -> None:
    plan = services.plan_create(
        actor=culture,
        data={
            "title": "秋季开学专项检查",
            "season": "term_start",
            "kinds": ["V01", "V10"],
            "townships": [county.township_a],
            "lead": culture.organisation,
            "units": [market.organisation],
            "starts_on": date(2026, 9, 1),
            "due_on": date(2026, 9, 30),
        },
    )
    assert set(plan.units.all()) == {culture.organisation, market.organisation}
    assert services.plan_progress(plan) == (0, 2)
    inspect(culture, cafe, plan=plan)
    assert services.plan_progress(plan) == (1, 2)
    assert Notification.objects.filter(recipient=market, kind="venues_plan").exists()
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            actor=culture,
            data={
                "title": "",
                "season": "summer",
                "kinds": [],
                "lead": None,
                "starts_on": date(2026, 9, 30),
                "due_on": date(2026, 9, 1),
            },
        )
    assert {"title", "kinds", "lead", "due_on"} <= set(caught.value.message_dict)


def test_a_plan_of_other_kinds_is_refused(culture, cafe) -> None:
    plan = services.plan_create(
        actor=culture,
        data={
            "title": "旅馆检查",
            "season": "summer",
            "kinds": ["V06"],
            "lead": culture.organisation,
            "starts_on": date(2026, 9, 1),
            "due_on": date(2026, 9, 30),
        },
    )
    with pytest.raises(ValidationError) as caught:
        inspect(culture, cafe, plan=plan)
    assert "plan" in caught.value.message_dict


def test_rectification_notice_is_word(culture, cafe) -> None:
    inspect(culture, cafe, failing=("sign",))
    order = RectificationOrder.objects.get()
    content = services.order_notice(actor=culture, order=order)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert order.number in text and cafe.name in text
    assert "No-entry sign" in text and culture.organisation.name in text
