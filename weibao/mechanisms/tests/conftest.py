"""Mechanisms fixtures: the leading group led by the procuratorate, with the education bureau,
the police station, the township government and schools A and B as members; a lead-agency
clerk, an education-bureau clerk and a police officer; the date frozen in the county's term."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from weibao.accounts.models import Role, User
from weibao.mechanisms.models import LeadingGroup, Member, Plan, PlanItem
from weibao.testing import County, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county, a Tuesday
TODAY = date(2026, 9, 15)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def group(county: County) -> LeadingGroup:
    group = LeadingGroup.objects.create(
        name="乐安县未成年人保护工作领导小组",
        lead_unit=county.procuratorate,
        established_on=date(2020, 8, 1),
    )
    for unit in (
        county.procuratorate,
        county.education,
        county.police_a,
        county.township_gov_a,
        county.school_a,
        county.school_b,
    ):
        Member.objects.create(group=group, unit=unit, joined_on=date(2020, 8, 1))
    return group


@pytest.fixture
def plan_item(group: LeadingGroup) -> PlanItem:
    plan = Plan.objects.create(title="2026年未成年人保护工作实施方案", year=2026)
    return PlanItem.objects.create(plan=plan, number="一、1", title="法治进校园全覆盖")


@pytest.fixture
def lead(county: County, group: LeadingGroup) -> User:
    """A clerk of the lead agency (the procuratorate's office of the group)."""
    return make_user("lead_clerk", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def edu_clerk(county: County, group: LeadingGroup) -> User:
    return make_user("edu_clerk", county.education, Role.CASE_WORKER)
