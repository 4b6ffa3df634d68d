"""Who reads which venues: the county and the education bureau all; a supervising unit its
kinds (a police station those of its division); a township its area; a school the venues inside
its rule circles; nobody else. Inspections follow, never to a school."""

from __future__ import annotations

import pytest

from weibao.venues.models import Inspection, InspectionPlan, Venue, Violation
from weibao.venues.tests.conftest import north_of_a


@pytest.fixture
def world(make_venue, police, county):
    cafe = make_venue()
    shop = make_venue(kind="V10", name="文具店", latitude=north_of_a(500))
    hotel = make_venue(kind="V06", name="宾馆", latitude=north_of_a(800), actor=police)
    far = make_venue(
        name="公溪网吧", village=county.village_b, latitude="27.600000", longitude="116.010000"
    )
    return {"cafe": cafe, "shop": shop, "hotel": hotel, "far": far}


def _names(user) -> set[str]:
    return set(Venue.objects.for_user(user).values_list("name", flat=True))


def test_scopes(request, world) -> None:
    everyone = {"星空网咖", "文具店", "宾馆", "公溪网吧"}
    expected = {
        "coordinator": everyone,
        "edu_reader": everyone,
        "culture": {"星空网咖", "公溪网吧"},
        "market": {"文具店"},
        "police": {"宾馆"},
        "township_worker": {"星空网咖", "文具店", "宾馆"},
        "township_b_worker": {"公溪网吧"},
        "liaison_a": {"星空网咖"},  # inside school A's 200 m circle
        "liaison_b": set(),
        "outsider": set(),
        "sysadmin": set(),
        "auditor": set(),
    }
    for name, names in expected.items():
        assert _names(request.getfixturevalue(name)) == names, name


def test_school_sees_violations_of_its_own_circles_only(world, liaison_a, liaison_b) -> None:
    assert Violation.objects.for_user(liaison_a).count() == 1
    assert Violation.objects.for_user(liaison_b).count() == 0


def test_schools_see_no_inspections_or_plans(world, liaison_a, culture) -> None:
    Inspection.objects.create(
        venue=world["cafe"],
        inspecting_unit=culture.organisation,
        inspected_at=world["cafe"].created_at,
        inspectors=["a", "b"],
    )
    assert Inspection.objects.for_user(culture).count() == 1
    assert Inspection.objects.for_user(liaison_a).count() == 0
    assert InspectionPlan.objects.for_user(liaison_a).count() == 0
