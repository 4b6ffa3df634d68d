"""The people figures for the statistics app: minors in the register, left-behind children."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from weibao.core.contract import Period, figure
from weibao.people.models import LeftBehindStatus, Person

ADDED = datetime(2024, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _person(county, name: str, birth: date, **fields) -> Person:
    return Person.objects.create(
        name=name,
        sex=Person.Sex.FEMALE,
        birth_date=birth,
        created_at=ADDED,
        registered_by=county.school_a,
        **fields,
    )


def test_minors_on_the_last_day_by_residence_or_school(county) -> None:
    # 18 周岁 from 2026-12-31 (the day after the birthday).
    _person(county, "甲", date(2008, 12, 30), division=county.village_a)
    _person(county, "乙", date(2015, 5, 1), school=county.school_b)  # placed by school B
    _person(county, "丙", date(2015, 5, 1), division=county.village_a, school=county.school_b)
    assert figure("people.minors_registered", division=None, period=Period.year(2025)) == 3
    assert figure("people.minors_registered", division=None, period=Period.year(2026)) == 2
    assert (
        figure("people.minors_registered", division=county.township_a, period=Period.year(2026))
        == 1
    )
    assert (
        figure("people.minors_registered", division=county.township_b, period=Period.year(2026))
        == 1
    )
    # Not yet in the register in 2023.
    assert figure("people.minors_registered", division=None, period=Period.year(2023)) == 0
    assert figure("people.minors_registered", division=None, period=Period.year(2025)) == 3


def test_left_behind_children_active_only(county) -> None:
    child = _person(county, "丁", date(2016, 3, 1), division=county.village_b)
    other = _person(county, "戊", date(2016, 3, 1), division=county.village_b)
    LeftBehindStatus.objects.create(child=child)
    LeftBehindStatus.objects.create(child=other, is_active=False)
    assert figure("people.left_behind_children", division=None, period=Period.year(2026)) == 1
    assert (
        figure("people.left_behind_children", division=county.township_a, period=Period.year(2026))
        == 0
    )
