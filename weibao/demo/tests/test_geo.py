"""Coordinates for the demo units: stable, and inside the county."""

from __future__ import annotations

from decimal import Decimal

from weibao.demo.geo import COUNTY_CENTRE, coordinates_for, township_centre
from weibao.demo.plan import plan_county


def test_coordinates_are_stable_and_near_the_county() -> None:
    county = plan_county(2026)
    places = {s.name: coordinates_for(s.name, s.division_code) for s in county.schools}
    again = {s.name: coordinates_for(s.name, s.division_code) for s in county.schools}
    assert places == again
    assert len(set(places.values())) == len(places), "no two schools in the same spot"
    for lat, lon in places.values():
        assert isinstance(lat, Decimal) and lat == lat.quantize(Decimal("0.000001"))
        assert Decimal("27.1") < lat < Decimal("27.75")
        assert Decimal("115.5") < lon < Decimal("116.2")


def test_the_county_seat_is_in_the_middle_and_seeds_move_the_rest() -> None:
    assert township_centre("361025100000") == COUNTY_CENTRE
    assert township_centre("361025101000", seed=1) != township_centre("361025101000", seed=2)
    # A school lies near its own township's centre, whichever village it is in.
    lat, lon = coordinates_for("公溪镇中学", "361025101001")
    centre = township_centre("361025101000")
    assert abs(float(lat) - centre[0]) <= 0.02 and abs(float(lon) - centre[1]) <= 0.02
