"""The figures the family network offers statistics: each over a small county, for the whole
county, a township and a village, and for a year, a month and a year before anything."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest

from weibao.core.contract import Period, figure
from weibao.family import indicators, services
from weibao.family.models import Method, Site, Topic
from weibao.family.tests.conftest import TODAY, site_data
from weibao.schools.models import School

YEAR = Period.year(2026)
LAST_YEAR = Period.year(2025)
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 10, 1))
AUGUST = Period(date(2026, 8, 1), date(2026, 9, 1))


def _activity(place, held_on, children, parents, hours, helpers=()):
    key = "site" if isinstance(place, Site) else "school"
    return {
        "kind": "talk",
        "title": "家庭教育讲座",
        "held_on": held_on,
        key: place,
        "topic": Topic.HEALTH,
        "method": Method.EVERYDAY,
        "audience_children": children,
        "audience_parents": parents,
        "hours": hours,
        "lecturers": list(helpers[:1]),
        "volunteers": list(helpers[1:]),
    }


@pytest.fixture
def network(county, civil, site, school_a, make_volunteer, cleared):
    """An open site in village A and a closed one in village B; in 2026 a talk at the site
    (10 children, 5 parents, 2 h, two helpers) on 3 September and one at school B (30 parents,
    3 h, one helper) in August; in 2025 one at school A (7 children, 1 h, one helper)."""
    services.site_create(
        actor=civil,
        data=site_data(
            county, village=county.village_b, name="公溪村儿童之家", status=Site.Status.CLOSED
        ),
    )
    school_b = School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    a, b = make_volunteer(), make_volunteer()
    cleared(a)
    cleared(b)
    record = services.activity_record
    record(actor=civil, data=_activity(site, date(2026, 9, 3), 10, 5, "2", (a, b)))
    record(actor=civil, data=_activity(school_b, date(2026, 8, 20), 0, 30, "3", (b,)))
    record(actor=civil, data=_activity(school_a, date(2025, 6, 1), 7, 0, "1", (a,)))


def test_sites(county, network) -> None:
    assert indicators.SITES.count(division=None, period=YEAR) == 1  # the closed one does not count
    assert indicators.SITES.count(division=county.township_a, period=YEAR) == 1
    assert indicators.SITES.count(division=county.township_b, period=YEAR) == 0
    assert indicators.SITES.count(division=county.village_a, period=SEPTEMBER) == 1
    # Registered on 15 September: not yet there at the end of August, nor of 2025.
    assert indicators.SITES.count(division=None, period=AUGUST) == 0
    assert indicators.SITES.count(division=None, period=LAST_YEAR) == 0


def test_villages_with_site(county, network) -> None:
    assert indicators.VILLAGES_WITH_SITE.figure(division=None, period=YEAR) == Decimal("50.0")
    assert indicators.VILLAGES_WITH_SITE.figure(division=county.township_a, period=YEAR) == 100
    assert indicators.VILLAGES_WITH_SITE.figure(division=county.township_b, period=YEAR) == 0
    assert indicators.VILLAGES_WITH_SITE.figure(division=None, period=LAST_YEAR) == 0


def test_activities_held(county, network) -> None:
    assert figure("family.family_activities", division=None, period=YEAR) == 2
    assert figure("family.family_activities", division=county.township_a, period=YEAR) == 1
    assert figure("family.family_activities", division=county.township_b, period=YEAR) == 1
    assert figure("family.family_activities", division=county.village_a, period=LAST_YEAR) == 1
    assert figure("family.family_activities", division=None, period=SEPTEMBER) == 1
    # The period is half-open: an activity on its last day belongs to the next.
    day = Period(date(2026, 8, 20), date(2026, 8, 21))
    assert figure("family.family_activities", division=None, period=day) == 1
    assert figure("family.family_activities", division=None, period=Period(day.end, TODAY)) == 1


def test_children_and_parents_reached(county, network) -> None:
    assert figure("family.family_children_reached", division=None, period=YEAR) == 10
    assert figure("family.family_children_reached", division=county.township_b, period=YEAR) == 0
    assert figure("family.family_children_reached", division=None, period=LAST_YEAR) == 7
    assert figure("family.family_parents_reached", division=None, period=YEAR) == 35
    assert figure("family.family_parents_reached", division=county.township_b, period=YEAR) == 30
    assert figure("family.family_parents_reached", division=county.township_a, period=AUGUST) == 0


def test_volunteer_hours(county, network) -> None:
    # Each helper counts the activity's hours: 2 × 2 h at the site, 1 × 3 h at school B.
    hours = indicators.VOLUNTEER_HOURS.count
    assert hours(division=None, period=YEAR) == Decimal("7")
    assert hours(division=county.township_a, period=YEAR) == Decimal("4")
    assert hours(division=county.village_b, period=AUGUST) == Decimal("3")
    assert hours(division=None, period=LAST_YEAR) == Decimal("1")
    assert hours(division=None, period=Period.year(2024)) == 0


def test_nothing_at_all(county) -> None:
    for compute in (
        indicators.SITES.count,
        indicators.VILLAGES_WITH_SITE.figure,
        partial(figure, "family.family_activities"),
        partial(figure, "family.family_children_reached"),
        partial(figure, "family.family_parents_reached"),
        indicators.VOLUNTEER_HOURS.count,
    ):
        assert compute(division=None, period=YEAR) == 0
        assert compute(division=county.township_a, period=YEAR) == 0


def test_the_figures_are_offered_to_statistics(county, network) -> None:
    assert figure("family.family_activities", division=None, period=YEAR) == 2
    assert figure("family.family_volunteer_hours", division=None, period=YEAR) == 7
    assert figure("family.family_sites", division=county.township_b, period=YEAR) == 0


def test_an_activity_today_counts_in_the_year(county, civil, site) -> None:
    services.activity_record(actor=civil, data=_activity(site, TODAY, 3, 3, "1"))
    assert figure("family.family_activities", division=None, period=YEAR) == 1
    tomorrow = TODAY + timedelta(days=1)
    assert figure("family.family_activities", division=None, period=Period(tomorrow, tomorrow)) == 0
