"""The demo's assessment: last year's published with ranks, grades and a change; this year's
provisional; idempotent."""

from __future__ import annotations

from datetime import date

from weibao.accounts.models import User
from weibao.mechanisms.demo import seed_assessment
from weibao.mechanisms.models import Item, LeadingGroup, Member, Result, Scheme, Score, ScoreChange


def test_seed_assessment(group: LeadingGroup, coordinator: User, lead: User) -> None:
    ctx: dict[str, object] = {}
    seed_assessment(ctx, as_of=date(2026, 9, 15))
    units = set(Member.objects.current().values_list("unit_id", flat=True))

    last = Scheme.objects.get(year=2025)
    assert last.state == Scheme.State.PUBLISHED and last.published_at is not None
    assert 6 <= last.items.count() <= 10
    assert set(last.items.values_list("kind", flat=True)) == set(Item.Kind.values)
    results = list(Result.objects.filter(scheme=last))
    assert {r.unit_id for r in results} == units
    assert all(r.rank and r.grade for r in results)
    ranks = sorted(r.rank or 0 for r in results)
    assert ranks[0] == 1
    by_total = sorted(results, key=lambda r: -r.total)
    assert [r.rank or 0 for r in by_total] == ranks
    scores = Score.objects.filter(item__scheme=last)
    assert scores.filter(item__kind=Item.Kind.INDICATOR, computed__isnull=False).exists()
    assert scores.exclude(self_points=None).exclude(points=None).exclude(reason="").exists()
    adjusted = [s for s in scores.exclude(self_points=None) if s.points != s.self_points]
    assert len(adjusted) >= 2 and all(s.reason for s in adjusted)
    assert scores.filter(item__kind=Item.Kind.BONUS, points__gt=0).exists()
    assert scores.filter(item__kind=Item.Kind.DEDUCTION, points__gt=0).exists()
    change = ScoreChange.objects.get(score__item__scheme=last)
    assert change.reason and change.changed_by == coordinator
    assert change.new_points != change.old_points

    this = Scheme.objects.get(year=2026)
    assert this.state != Scheme.State.PUBLISHED and this.published_at is None
    provisional = Result.objects.filter(scheme=this)
    assert {r.unit_id for r in provisional} == units
    assert all(r.rank is None and r.grade == "" for r in provisional)
    assert all(r.total > 0 for r in provisional)
    assert Score.objects.filter(item__scheme=this, computed__isnull=False).exists()
    assert ctx["schemes"] == {2025: last, 2026: this}

    counts = (Scheme.objects.count(), Score.objects.count(), ScoreChange.objects.count())
    totals = list(Result.objects.order_by("pk").values_list("total", "rank", "grade"))
    seed_assessment({}, as_of=date(2026, 9, 15))
    assert (Scheme.objects.count(), Score.objects.count(), ScoreChange.objects.count()) == counts
    assert list(Result.objects.order_by("pk").values_list("total", "rank", "grade")) == totals
