"""The assessment's services: items, computing, self-assessment, review, publication, changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Organisation, Role, User
from weibao.mechanisms.models import Item, LeadingGroup, Result, Scheme, Score, ScoreChange, Task
from weibao.mechanisms.services import assessment as services
from weibao.mechanisms.tests.test_assessment_rules import make_scheme
from weibao.testing import County, make_user

D = Decimal


@pytest.fixture
def police_clerk(county: County, group: LeadingGroup) -> User:
    return make_user("police_clerk", county.police_a, Role.CASE_WORKER)


def _score(scheme: Scheme, number: int, unit: Organisation) -> Score:
    return Score.objects.select_related("item__scheme", "unit").get(
        item__scheme=scheme, item__number=number, unit=unit
    )


def test_scheme_create_and_item_rules(lead: User) -> None:
    scheme = services.scheme_create(
        actor=lead,
        data={"year": 2026, "title": "2026年度考核", "excellent_from": 90, "qualified_from": 60},
    )
    with pytest.raises(ValidationError) as exc:
        services.scheme_create(actor=lead, data={"year": 2026, "title": "again"})
    assert "year" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.item_add(
            actor=lead,
            scheme=scheme,
            data={"title": "x", "kind": "indicator", "weight": 10, "figure": "nope", "target": 0},
        )
    assert {"figure", "target"} <= set(exc.value.error_dict)
    item = services.item_add(
        actor=lead, scheme=scheme, data={"title": "台账", "kind": "manual", "weight": 20}
    )
    assert (item.number, item.figure, item.target) == (1, "", None)
    assert not Item.objects.filter(title="x").exists()


def test_compute_creates_rows_with_sources(
    county: County, group: LeadingGroup, police_clerk: User
) -> None:
    scheme = make_scheme()
    Task.objects.create(
        title="t",
        owner=county.police_a,
        deadline=date(2026, 3, 1),
        state=Task.State.DONE,
        submitted_on=date(2026, 2, 1),
    )
    Task.objects.create(title="t2", owner=county.police_a, deadline=date(2026, 4, 1))
    count = services.scores_compute(scheme=scheme)
    assert count == 2 * 6  # two indicator items, six member units
    assert Score.objects.filter(item__scheme=scheme).count() == 5 * 6
    assert Result.objects.filter(scheme=scheme).count() == 6
    score = _score(scheme, 1, county.police_a)
    assert score.computed == D("22.22")  # 40 × 50 / 90
    assert score.source["numerator"] == 1 and score.source["denominator"] == 2
    assert score.source["figure"] == "tasks_on_time" and score.source["target"] == "90.0"
    result = Result.objects.get(scheme=scheme, unit=county.police_a)
    assert result.total == D("52.22") and result.rank is None  # 22.22 + 30 (no meetings)


def test_self_assessment_by_the_unit_only(
    county: County, group: LeadingGroup, police_clerk: User, liaison_a: User
) -> None:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    score = _score(scheme, 3, county.police_a)
    with pytest.raises(PermissionDenied):
        services.score_self_assess(actor=liaison_a, score=score, points=20, note="x")
    with pytest.raises(ValidationError) as exc:
        services.score_self_assess(actor=police_clerk, score=score, points=31, note="x")
    assert "points" in exc.value.error_dict
    services.score_self_assess(actor=police_clerk, score=score, points=D(25), note="台账齐全")
    score.refresh_from_db()
    assert score.self_points == D(25)
    result = Result.objects.get(scheme=scheme, unit=county.police_a)
    services.self_submit(actor=police_clerk, result=result)
    assert Result.objects.get(pk=result.pk).self_submitted_at is not None


def test_review_needs_a_reason_when_the_points_differ(
    county: County, group: LeadingGroup, lead: User, police_clerk: User
) -> None:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    score = _score(scheme, 3, county.police_a)
    services.score_self_assess(actor=police_clerk, score=score, points=D(25), note="台账齐全")
    with pytest.raises(ValidationError) as exc:
        services.score_review(actor=lead, score=score, points=D(20), reason="")
    assert "reason" in exc.value.error_dict
    services.score_review(actor=lead, score=score, points=D(25), reason="")  # the same: no reason
    services.score_review(actor=lead, score=score, points=D(20), reason="缺少三月台账")
    score.refresh_from_db()
    assert (score.points, score.reason) == (D(20), "缺少三月台账")
    assert Scheme.objects.get(pk=scheme.pk).state == Scheme.State.REVIEW


def test_publish_only_by_the_coordinator_and_only_at_100(
    county: County, group: LeadingGroup, lead: User, coordinator: User
) -> None:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    with pytest.raises(PermissionDenied):
        services.scheme_publish(actor=lead, scheme=scheme)
    scheme.items.filter(number=3).update(weight=D(20))
    with pytest.raises(ValidationError) as exc:
        services.scheme_publish(actor=coordinator, scheme=scheme)
    assert "items" in exc.value.error_dict
    assert Scheme.objects.get(pk=scheme.pk).state == Scheme.State.OPEN
    scheme.items.filter(number=3).update(weight=D(30))
    services.scheme_publish(actor=coordinator, scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.state == Scheme.State.PUBLISHED and scheme.published_at is not None
    assert not Result.objects.filter(scheme=scheme, rank__isnull=True).exists()
    assert services.scores_compute(scheme=scheme) == 0  # never touches a published scheme
    with pytest.raises(ValidationError):
        services.item_add(
            actor=lead, scheme=scheme, data={"title": "x", "kind": "manual", "weight": 1}
        )


def test_change_after_publishing_needs_a_reason_and_is_recorded(
    county: County, group: LeadingGroup, coordinator: User
) -> None:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    services.scheme_publish(actor=coordinator, scheme=scheme)
    score = _score(scheme, 5, county.school_a)  # a deduction
    with pytest.raises(ValidationError) as exc:
        services.score_change(actor=coordinator, score=score, points=D(10), reason="  ")
    assert "reason" in exc.value.error_dict
    assert not ScoreChange.objects.exists()
    before = Result.objects.get(scheme=scheme, unit=county.school_a).total
    change = services.score_change(
        actor=coordinator, score=score, points=D(10), reason="发生泄露学生信息事件"
    )
    assert (change.old_points, change.new_points, change.changed_by) == (None, D(10), coordinator)
    after = Result.objects.get(scheme=scheme, unit=county.school_a)
    assert after.total == before - D(10)
    assert after.rank == Result.objects.filter(scheme=scheme).order_by("-rank").first().rank  # type: ignore[union-attr]


def test_a_units_own_points_on_a_computed_item_do_not_count(
    county: County, group: LeadingGroup, police_clerk: User, lead: User
) -> None:
    """On an item computed from an indicator the unit's points are a claim: the computed ones
    stand until the lead agency reviews them."""
    scheme = make_scheme()
    Task.objects.create(title="t", owner=county.police_a, deadline=date(2026, 4, 1))
    services.scores_compute(scheme=scheme)
    score = _score(scheme, 1, county.police_a)
    assert score.item.kind == Item.Kind.INDICATOR and score.computed == D(0)
    services.score_self_assess(actor=police_clerk, score=score, points=40, note="已全部完成")
    score.refresh_from_db()
    assert score.self_points == D(40) and score.final == D(0)
    services.score_review(actor=lead, score=score, points=30, reason="核实后认定大部分完成")
    score.refresh_from_db()
    assert score.final == D(30)
