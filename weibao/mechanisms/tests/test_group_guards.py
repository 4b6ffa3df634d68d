"""Each group service refuses a wrong actor called directly, and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from weibao.audit.models import AuditEvent
from weibao.mechanisms.models import (
    Cobuilding,
    LeadingGroup,
    Member,
    Plan,
    PlanItem,
    Responsibility,
)
from weibao.mechanisms.services import group as services

pytestmark = pytest.mark.django_db

MODELS = (LeadingGroup, Member, Responsibility, Plan, PlanItem, Cobuilding, AuditEvent)


def _state():
    return [list(m._default_manager.order_by("pk").values()) for m in MODELS]


@pytest.fixture
def activity(county, plan_item):
    return Cobuilding.objects.create(
        held_on=date(2026, 9, 1),
        title="共建",
        organiser=county.procuratorate,
        partner=county.school_a,
    )


CALLS = {
    "group_setup": lambda c, a: services.group_setup(
        actor=a, data={"name": "x", "lead_unit": c["county"].education}
    ),
    "member_add": lambda c, a: services.member_add(
        actor=a, group=c["group"], data={"unit": c["county"].hotel}
    ),
    "member_update": lambda c, a: services.member_update(
        actor=a, member=c["member"], data={"contact_phone": "13907941234"}
    ),
    "member_remove": lambda c, a: services.member_remove(
        actor=a, member=c["member"], on=date(2026, 9, 1)
    ),
    "responsibilities_set": lambda c, a: services.responsibilities_set(
        actor=a, member=c["member"], lines=["一"]
    ),
    "plan_create": lambda c, a: services.plan_create(actor=a, data={"title": "x", "year": 2030}),
    "plan_update": lambda c, a: services.plan_update(
        actor=a, plan=c["plan_item"].plan, data={"title": "y"}
    ),
    "plan_item_create": lambda c, a: services.plan_item_create(
        actor=a, plan=c["plan_item"].plan, data={"number": "9", "kind": "goal", "title": "x"}
    ),
    "plan_item_update": lambda c, a: services.plan_item_update(
        actor=a, item=c["plan_item"], data={"title": "y"}
    ),
    "activity_record": lambda c, a: services.activity_record(
        actor=a,
        data={"held_on": date(2026, 9, 1), "title": "x", "partner": c["county"].school_b},
    ),
    "activity_update": lambda c, a: services.activity_update(
        actor=a, activity=c["activity"], data={"title": "y"}
    ),
}


@pytest.mark.parametrize("who", ["edu_clerk", "liaison_a", "outsider", "sysadmin", "auditor"])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_wrong_actor_refused(request, county, group, plan_item, activity, who, call):
    actor = request.getfixturevalue(who)
    context = {
        "county": county,
        "group": group,
        "member": Member.objects.get(unit=county.education),
        "plan_item": plan_item,
        "activity": activity,
    }
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[call](context, actor)
    assert _state() == before


def test_procuratorate_records_but_not_someone_elses_activity(county, group, police, activity):
    """The police may not record activities; a procuratorate worker not in the lead agency
    could (the rule), but the lead and coordinators keep the group."""
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=police, activity=activity, data={"title": "y"})
