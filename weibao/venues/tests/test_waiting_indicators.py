"""Waiting lines for the supervising unit; the indicators count by division and period."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from weibao.core.contract import Period, figure
from weibao.venues import indicators, services
from weibao.venues.waiting import waiting


def _inspect(actor, venue, failing=True):
    return services.inspection_record(
        actor=actor,
        venue=venue,
        data={
            "inspected_at": timezone.now() - timedelta(hours=1),
            "inspectors": "甲,乙",
            "checklist": {
                i.code: "fail" if failing else "ok" for i in services.venue_checklist(venue)
            },
        },
    )


def test_waiting_for_the_supervising_unit(cafe, culture, liaison_a, market) -> None:
    _inspect(culture, cafe)
    services.concern_raise(actor=liaison_a, venue=cafe, text="有学生进出网吧")
    lines = {item.label: item for item in waiting(culture)}
    assert lines["Venues breaking a distance rule"].count == 1
    assert lines["Schools' concerns about venues"].count == 1
    assert lines["Venue rectifications open"].count == 1
    assert waiting(liaison_a) == [] and waiting(market) == []


def test_indicators(county, cafe, far_shop, culture) -> None:
    _inspect(culture, cafe)
    _inspect(culture, cafe, failing=False)
    year = Period.year(2026)
    assert indicators.VENUES.count(division=None, period=year) == 2
    assert indicators.VENUES.count(division=county.township_b, period=year) == 0
    assert figure("venues.violations_opened", division=county.township_a, period=year) == 1
    assert indicators.VIOLATIONS_OPEN.count(division=None, period=year) == 1
    assert figure("venues.violations_closed", division=None, period=year) == 0
    assert figure("venues.inspections", division=None, period=year) == 2
    assert figure("venues.inspections", division=None, period=Period.year(2025)) == 0
    assert str(indicators.INSPECTION_COVERAGE.figure(division=None, period=year)) == "50.0"
    assert figure("venues.findings", division=None, period=year) == len(
        services.venue_checklist(cafe)
    )
    assert indicators.findings_by_item(None, year)["sign"] == 1
    venues = indicators.VENUES.filtered(division=None, period=year)
    by_kind = venues.values("kind").annotate(n=Count("pk")).order_by("kind")
    assert {row["kind"]: row["n"] for row in by_kind} == {"V01": 1, "V10": 1}
    # The order from the first inspection is not due this month yet, so nothing on time.
    september = Period(date(2026, 9, 1), date(2026, 10, 1))
    assert indicators.RECTIFIED_ON_TIME.figure(division=None, period=september) == 0
    assert figure("venues.inspections", division=None, period=year) == 2


def test_tile_counts_the_venues_breaking_a_rule(cafe, far_shop, liaison_a, liaison_b) -> None:
    from weibao.venues.weibao_app import violations_count

    assert violations_count(liaison_a) == 1
    assert violations_count(liaison_b) == 0
