"""The scoring rule, totals with bonus and deduction, ranks with ties, grades at thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weibao.mechanisms.models import Item, LeadingGroup, Result, Scheme, Score
from weibao.mechanisms.services import assessment as services
from weibao.testing import County

D = Decimal


def make_scheme(year: int = 2026, **extra: object) -> Scheme:
    """A scheme of four items: tasks on time (40, target 90 %), meeting attendance (30, target
    100 %), a hand-scored item (30), a bonus (5) and a deduction (10)."""
    scheme = Scheme.objects.create(year=year, title=f"{year}年度考核", **extra)
    Item.objects.create(
        scheme=scheme,
        number=1,
        title="任务按时完成",
        kind=Item.Kind.INDICATOR,
        weight=D(40),
        figure="tasks_on_time",
        target=D(90),
    )
    Item.objects.create(
        scheme=scheme,
        number=2,
        title="联席会议出席",
        kind=Item.Kind.INDICATOR,
        weight=D(30),
        figure="meeting_attendance",
        target=D(100),
    )
    Item.objects.create(
        scheme=scheme, number=3, title="工作台账", kind=Item.Kind.MANUAL, weight=D(30)
    )
    Item.objects.create(
        scheme=scheme, number=4, title="创新加分", kind=Item.Kind.BONUS, weight=D(5)
    )
    Item.objects.create(
        scheme=scheme, number=5, title="重大事件扣分", kind=Item.Kind.DEDUCTION, weight=D(10)
    )
    return scheme


def test_points_follow_the_target_and_clamp() -> None:
    assert services.points_for(D(40), D(45), D(90)) == D("20.00")
    assert services.points_for(D(40), D(100), D(90)) == D("40.00")  # above target: full points
    assert services.points_for(D(30), D("33.33"), D(100)) == D("10.00")
    assert services.points_for(D(30), D(0), D(100)) == D("0.00")
    assert services.points_for(D(30), None, D(100)) == D("30.00")  # nothing to count


def _score(item: Item, unit_id: int, **points: object) -> Score:
    return Score(item=item, unit_id=unit_id, **points)


def test_total_adds_bonus_takes_deductions_never_below_zero(county: County) -> None:
    scheme = make_scheme()
    i1, _i2, i3, bonus, deduction = scheme.items.order_by("number")
    unit = county.school_a.pk
    scores = [
        _score(i1, unit, computed=D(30)),
        _score(i3, unit, computed=None, self_points=D(20), points=D(25)),
        _score(bonus, unit, points=D(5)),
        _score(deduction, unit, points=D(10)),
    ]
    assert services.unit_total(scores) == D("50.00")  # 30 + 25 + 5 − 10
    low = [_score(i1, unit, computed=D(3)), _score(deduction, unit, points=D(10))]
    assert services.unit_total(low) == D("0.00")


def test_ties_share_a_rank_and_grades_follow_the_thresholds(
    county: County, group: LeadingGroup, coordinator: object
) -> None:
    scheme = make_scheme(excellent_from=D(90), qualified_from=D(60))
    services.scores_compute(scheme=scheme)
    manual = scheme.items.get(number=3)
    first = scheme.items.get(number=1)
    second = scheme.items.get(number=2)
    # Set every unit's points by hand: totals 90, 90, 89.99, 60, 59.99, 0.
    wanted = {
        county.procuratorate.pk: D(90),
        county.education.pk: D(90),
        county.police_a.pk: D("89.99"),
        county.township_gov_a.pk: D(60),
        county.school_a.pk: D("59.99"),
        county.school_b.pk: D(0),
    }
    for unit, total in wanted.items():
        Score.objects.filter(item__in=[first, second], unit_id=unit).update(points=D(0))
        Score.objects.filter(item=manual, unit_id=unit).update(points=min(total, D(30)))
        Score.objects.filter(item=first, unit_id=unit).update(points=max(total - D(30), D(0)))
    scheme.items.filter(number=1).update(weight=D(70))  # lets a unit reach 90 (40 + 30 + 30)
    scheme.items.filter(number=2).update(weight=D(0))
    scheme.refresh_from_db()
    services.scheme_publish(actor=coordinator, scheme=scheme)  # type: ignore[arg-type]
    results = {r.unit_id: r for r in Result.objects.filter(scheme=scheme)}
    ranks = {unit: (results[unit].rank, results[unit].grade) for unit in wanted}
    assert ranks == {
        county.procuratorate.pk: (1, Result.Grade.EXCELLENT),
        county.education.pk: (1, Result.Grade.EXCELLENT),
        county.police_a.pk: (3, Result.Grade.QUALIFIED),
        county.township_gov_a.pk: (4, Result.Grade.QUALIFIED),
        county.school_a.pk: (5, Result.Grade.UNQUALIFIED),
        county.school_b.pk: (6, Result.Grade.UNQUALIFIED),
    }


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D(90), Result.Grade.EXCELLENT),
        (D("89.9"), Result.Grade.QUALIFIED),
        (D(60), Result.Grade.QUALIFIED),
        (D("59.9"), Result.Grade.UNQUALIFIED),
    ],
)
def test_grade_at_the_thresholds(total: Decimal, grade: str) -> None:
    scheme = Scheme(year=2026, excellent_from=D(90), qualified_from=D(60))
    assert services.grade_for(scheme, total) == grade
