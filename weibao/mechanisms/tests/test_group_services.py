"""The leading group's services: members, responsibilities with their history, plans and
activities; bad input refused by field, changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from weibao.accounts.models import Organisation, Role
from weibao.audit.models import AuditEvent
from weibao.core.models import Notification
from weibao.mechanisms.models import (
    Cobuilding,
    LeadingGroup,
    Member,
    Plan,
    PlanItem,
    Responsibility,
)
from weibao.mechanisms.services import group as services
from weibao.testing import make_user

pytestmark = pytest.mark.django_db


def _lines(member, day=None):
    rows = member.responsibilities.on(day) if day else member.responsibilities.current()
    return list(rows.order_by("position", "pk").values_list("text", flat=True))


def test_group_setup_creates_then_updates(county, coordinator):
    group = services.group_setup(
        actor=coordinator,
        data={
            "name": " 乐安县  领导小组 ",
            "lead_unit": county.procuratorate,
            "established_on": None,
        },
    )
    assert group.name == "乐安县 领导小组"
    assert Member.objects.current().filter(group=group, unit=county.procuratorate).exists()
    again = services.group_setup(actor=coordinator, data={"name": "新名称"})
    assert again.pk == group.pk
    assert LeadingGroup.objects.count() == 1
    event = AuditEvent.objects.filter(detail__operation="group_setup").last()
    assert event is not None


def test_group_setup_bad_input(county, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.group_setup(
            actor=coordinator,
            data={"name": "  ", "lead_unit": None, "established_on": date(2027, 1, 1)},
        )
    assert set(exc.value.message_dict) == {"name", "lead_unit", "established_on"}
    assert LeadingGroup.objects.count() == 0


def test_member_add_and_duplicate_refused(county, group, lead):
    civil = Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )
    clerk = make_user("civil_clerk", civil, Role.CASE_WORKER)
    member = services.member_add(
        actor=lead,
        group=group,
        data={"unit": civil, "contact": clerk, "contact_phone": "0794-7512345"},
    )
    assert member.left_on is None
    assert Notification.objects.filter(recipient=clerk).exists()
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=lead, group=group, data={"unit": civil})
    assert "already a member" in exc.value.message_dict["unit"][0]
    assert Member.objects.filter(unit=civil).count() == 1


def test_member_add_bad_contact_and_phone(county, group, lead, liaison_a):
    civil = Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=lead,
            group=group,
            data={"unit": civil, "contact": liaison_a, "contact_phone": "call me"},
        )
    assert set(exc.value.message_dict) == {"contact", "contact_phone"}
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=lead, group=group, data={"unit": None})
    assert "unit" in exc.value.message_dict
    assert not Member.objects.filter(unit=civil).exists()


def test_member_update_and_remove_keeps_history(county, group, lead, edu_clerk):
    member = Member.objects.get(unit=county.education)
    services.member_update(actor=lead, member=member, data={"contact": edu_clerk})
    member.refresh_from_db()
    assert member.contact == edu_clerk
    services.responsibilities_set(actor=lead, member=member, lines=["统筹学校保护"])
    services.member_remove(actor=lead, member=member, on=date(2026, 9, 15))
    member.refresh_from_db()
    assert member.left_on == date(2026, 9, 15)
    line = Responsibility.objects.get(member=member)
    assert line.valid_to == date(2026, 9, 15)  # ended with the membership, kept
    # The unit may join again: the old membership stays.
    services.member_add(actor=lead, group=group, data={"unit": county.education})
    assert Member.objects.filter(unit=county.education).count() == 2


def test_member_remove_refuses_bad_day_and_the_lead(county, group, lead):
    member = Member.objects.get(unit=county.education)
    with pytest.raises(ValidationError) as exc:
        services.member_remove(actor=lead, member=member, on=date(2019, 1, 1))
    assert "left_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.member_remove(actor=lead, member=member, on=None)
    assert "left_on" in exc.value.message_dict
    proc = Member.objects.get(unit=county.procuratorate)
    with pytest.raises(ValidationError) as exc:
        services.member_remove(actor=lead, member=proc, on=date(2026, 9, 1))
    assert "lead agency" in exc.value.message_dict["left_on"][0]
    assert Member.objects.current().count() == 6


def test_responsibilities_history_across_two_edits(county, group, lead):
    member = Member.objects.get(unit=county.education)
    with time_machine.travel(date(2026, 3, 1), tick=False):
        services.responsibilities_set(
            actor=lead, member=member, lines=["甲：法治进校园", "乙：强制报告", "丙：入职查询"]
        )
    with time_machine.travel(date(2026, 6, 1), tick=False):
        services.responsibilities_set(
            actor=lead,
            member=member,
            lines=["丙：入职查询", "甲：法治进校园", "丁：防溺水"],  # 乙 removed, 丁 new, reordered
        )
    with time_machine.travel(date(2026, 8, 1), tick=False):
        services.responsibilities_set(
            actor=lead,
            member=member,
            lines=["丙：入职查询", "甲：法治进校园（全覆盖）", "丁：防溺水"],
        )
    assert _lines(member) == ["丙：入职查询", "甲：法治进校园（全覆盖）", "丁：防溺水"]
    assert _lines(member, date(2026, 2, 28)) == []
    # A kept line keeps its row (and first day); positions follow the newest order.
    first = {"甲：法治进校园", "乙：强制报告", "丙：入职查询"}
    assert set(_lines(member, date(2026, 3, 1))) == first
    assert set(_lines(member, date(2026, 5, 31))) == first
    assert _lines(member, date(2026, 6, 1)) == ["丙：入职查询", "甲：法治进校园", "丁：防溺水"]
    assert _lines(member, date(2026, 7, 31)) == ["丙：入职查询", "甲：法治进校园", "丁：防溺水"]
    # Unchanged lines kept their rows and first day.
    kept = member.responsibilities.get(text="丙：入职查询")
    assert kept.valid_from == date(2026, 3, 1) and kept.valid_to is None
    changed = member.responsibilities.get(text="甲：法治进校园")
    assert changed.valid_to == date(2026, 8, 1)
    assert member.responsibilities.count() == 5
    ops = AuditEvent.objects.filter(detail__operation="responsibilities_set")
    assert ops.count() == 3


def test_responsibilities_noop_changes_nothing(county, group, lead):
    member = Member.objects.get(unit=county.education)
    services.responsibilities_set(actor=lead, member=member, lines=["一", "二"])
    before = list(Responsibility.objects.values())
    events = AuditEvent.objects.count()
    services.responsibilities_set(actor=lead, member=member, lines=[" 一 ", "", "二", "二"])
    assert list(Responsibility.objects.values()) == before
    assert AuditEvent.objects.count() == events


def test_responsibilities_bad_input(county, group, lead):
    member = Member.objects.get(unit=county.education)
    with pytest.raises(ValidationError) as exc:
        services.responsibilities_set(actor=lead, member=member, lines=["短", "长" * 301])
    assert "Line 2" in exc.value.message_dict["lines"][0]
    with pytest.raises(ValidationError) as exc:
        services.responsibilities_set(actor=lead, member=member, lines=["x"], on=date(2027, 1, 1))
    assert "on" in exc.value.message_dict
    assert not Responsibility.objects.exists()


def test_responsibilities_backdated_never_before_the_current_list(county, group, lead):
    member = Member.objects.get(unit=county.education)
    services.responsibilities_set(actor=lead, member=member, lines=["一"], on=date(2025, 5, 1))
    assert _lines(member, date(2025, 6, 1)) == ["一"]
    with pytest.raises(ValidationError) as exc:
        services.responsibilities_set(actor=lead, member=member, lines=["二"], on=date(2025, 4, 1))
    assert "2025-05-01" in exc.value.message_dict["on"][0]


def test_plan_and_items(group, lead, county):
    plan = services.plan_create(actor=lead, data={"title": "2027年实施方案", "year": 2027})
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=lead, data={"title": "重复", "year": 2027})
    assert "already an implementation plan" in exc.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=lead, data={"title": "", "year": 1999})
    assert set(exc.value.message_dict) == {"title", "year"}
    item = services.plan_item_create(
        actor=lead,
        plan=plan,
        data={"number": "一、1", "kind": "goal", "title": "法治进校园", "lead": county.education},
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_item_create(
            actor=lead, plan=plan, data={"number": "一、1", "kind": "measure", "title": "又一"}
        )
    assert "numbered 一、1" in exc.value.message_dict["number"][0]
    services.plan_item_update(actor=lead, item=item, data={"title": "法治进校园全覆盖"})
    item.refresh_from_db()
    assert item.title == "法治进校园全覆盖"
    services.plan_update(actor=lead, plan=plan, data={"title": "2027年实施方案（修订）"})
    assert Plan.objects.get(pk=plan.pk).title.endswith("（修订）")
    assert PlanItem.objects.filter(plan=plan).count() == 1


def test_activity_record_and_bad_input(county, group, lead, plan_item):
    activity = services.activity_record(
        actor=lead,
        data={
            "held_on": date(2026, 9, 1),
            "title": "支部共建：法治进校园",
            "partner": county.school_a,
            "plan_item": plan_item,
            "participants": 40,
            "summary": "",
        },
    )
    assert activity.organiser == county.procuratorate
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=lead,
            data={
                "held_on": date(2026, 12, 1),
                "title": "",
                "partner": county.hotel,
                "participants": -1,
            },
        )
    assert set(exc.value.message_dict) == {"held_on", "title", "partner", "participants"}
    services.activity_update(actor=lead, activity=activity, data={"participants": 45})
    activity.refresh_from_db()
    assert activity.participants == 45
    assert Cobuilding.objects.count() == 1
