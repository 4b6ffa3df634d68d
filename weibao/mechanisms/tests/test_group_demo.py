"""The group's demo part: through the services, idempotent, with a history to show."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.accounts.models import Organisation
from weibao.mechanisms.demo import seed_group
from weibao.mechanisms.models import Cobuilding, LeadingGroup, Member, Plan, PlanItem

pytestmark = pytest.mark.django_db


def test_seed_group(county, coordinator):
    Organisation.objects.create(
        name="乐安县鳌溪村村民委员会",
        kind=Organisation.Kind.VILLAGE_COMMITTEE,
        division=county.village_a,
    )
    ctx: dict = {}
    seed_group(ctx, as_of=date(2026, 9, 15))
    group = ctx["group"]
    assert group.name == "乐安县未成年人保护工作领导小组"
    assert group.lead_unit == county.procuratorate
    units = {m.unit for m in ctx["members"]}
    assert {county.procuratorate, county.education} <= units
    assert set(ctx["plans"]) == {2025, 2026}
    assert len(ctx["plan_items"]) == 22
    edu = Member.objects.get(unit=county.education)
    assert edu.responsibilities.filter(valid_to__isnull=False).exists()  # edited last year
    old = list(edu.responsibilities.on(date(2025, 3, 1)).values_list("text", flat=True))
    assert "组织教职员工入职查询" in old
    assert Cobuilding.objects.count() == 10
    counts = [m.objects.count() for m in (LeadingGroup, Member, Plan, PlanItem, Cobuilding)]
    again: dict = {}
    seed_group(again, as_of=date(2026, 9, 15))
    assert [m.objects.count() for m in (LeadingGroup, Member, Plan, PlanItem, Cobuilding)] == counts
    assert again["group"] == group and len(again["members"]) == len(ctx["members"])
