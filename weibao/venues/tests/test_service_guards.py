"""Every user-triggered venues service checks its actor itself: called directly by the wrong
user it raises PermissionDenied and writes nothing. The scheduler's services take no actor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.testing import xlsx_upload
from weibao.venues import services
from weibao.venues.models import (
    Concern,
    DistanceRule,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
    Violation,
)
from weibao.venues.tests.conftest import venue_data

MODELS = (
    Venue,
    Violation,
    DistanceRule,
    InspectionPlan,
    Inspection,
    RectificationOrder,
    Concern,
    AuditEvent,
)


def _state():
    return [list(m._default_manager.order_by("pk").values()) for m in MODELS]


def _answers(venue):
    return {item.code: "fail" for item in services.venue_checklist(venue)}


@pytest.fixture
def world(cafe, culture, liaison_a, county):
    services.inspection_record(
        actor=culture,
        venue=cafe,
        data={
            "inspected_at": timezone.now() - timedelta(hours=1),
            "inspectors": "甲,乙",
            "checklist": _answers(cafe),
        },
    )
    concern = services.concern_raise(actor=liaison_a, venue=cafe, text="有学生进出网吧")
    return {
        "cafe": cafe,
        "county": county,
        "concern": concern,
        "order": RectificationOrder.objects.get(),
        "rule": DistanceRule.objects.get(kind="V01"),
    }


CALLS = {
    "venue_create": lambda a, w: services.venue_create(
        actor=a, data=venue_data(w["county"], name="新网吧")
    ),
    "venue_update": lambda a, w: services.venue_update(
        actor=a, venue=w["cafe"], data={"operator": "李四"}
    ),
    "venues_import": lambda a, w: services.venues_import(
        actor=a, upload=xlsx_upload(["Venue name"], [["x"]])
    ),
    "venues_export": lambda a, w: services.venues_export(actor=a),
    "rule_set": lambda a, w: services.rule_set(
        actor=a, data={"kind": "V07", "school_kinds": ["primary"], "metres": 50, "basis": "x"}
    ),
    "rule_end": lambda a, w: services.rule_end(actor=a, rule=w["rule"]),
    "plan_create": lambda a, w: services.plan_create(
        actor=a,
        data={
            "title": "t",
            "season": "summer",
            "kinds": ["V01"],
            "lead": w["cafe"].supervising_unit,
            "starts_on": date(2026, 9, 1),
            "due_on": date(2026, 9, 30),
        },
    ),
    "inspection_record": lambda a, w: services.inspection_record(
        actor=a,
        venue=w["cafe"],
        data={
            "inspected_at": timezone.now(),
            "inspectors": "甲,乙",
            "checklist": _answers(w["cafe"]),
        },
    ),
    "order_notice": lambda a, w: services.order_notice(actor=a, order=w["order"]),
    "concern_raise": lambda a, w: services.concern_raise(
        actor=a, venue=w["cafe"], text="门口有人卖刀具"
    ),
    "concern_close": lambda a, w: services.concern_close(
        actor=a, concern=w["concern"], reply="已经处理完毕"
    ),
}
# The wrong actor for each: a school (reads its circle, keeps nothing), a unit of other kinds.
WRONG = {
    "venue_create": "liaison_a",
    "venue_update": "market",
    "venues_import": "edu_reader",
    "venues_export": "outsider",
    "rule_set": "culture",
    "rule_end": "township_worker",
    "plan_create": "township_worker",
    "inspection_record": "liaison_a",
    "order_notice": "liaison_a",
    "concern_raise": "culture",
    "concern_close": "liaison_a",
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("extra", ["sysadmin", "auditor"])
def test_wrong_actor_refused(request, world, name, extra) -> None:
    for user in (WRONG[name], extra):
        actor = request.getfixturevalue(user)
        before = _state()
        with pytest.raises(PermissionDenied):
            CALLS[name](actor, world)
        assert _state() == before
