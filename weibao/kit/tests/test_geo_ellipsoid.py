"""Distances on the WGS-84 ellipsoid (Vincenty), the search of points within a radius, circles."""

from __future__ import annotations

import math

import pytest

from weibao.kit import geo


def _dms(degrees: int, minutes: int, seconds: float) -> float:
    return degrees + minutes / 60 + seconds / 3600


def test_flinders_peak_to_buninyong() -> None:
    """The classic geodesy test line (Vincenty 1975; Geoscience Australia): 54 972.271 m."""
    flinders = (-_dms(37, 57, 3.72030), _dms(144, 25, 29.52440))
    buninyong = (-_dms(37, 39, 10.15610), _dms(143, 55, 35.38390))
    metres = geo.ellipsoid_distance_m(*flinders, *buninyong)
    assert metres == pytest.approx(54_972.271, abs=0.001)


def test_a_degree_on_the_equator_and_the_meridian() -> None:
    # a·π/180 along the equator; the meridian's first degree from the equator.
    assert geo.ellipsoid_distance_m(0, 0, 0, 1) == pytest.approx(111_319.491, abs=0.001)
    assert geo.ellipsoid_distance_m(0, 0, 1, 0) == pytest.approx(110_574.389, abs=0.01)


def test_short_distances_near_the_county() -> None:
    """200 m north of a school at 27.43°N: the meridian's radius of curvature there gives
    110 793 m a degree of latitude."""
    lat = 27.43
    m_radius = (
        geo.WGS84_A
        * (1 - (e2 := geo.WGS84_F * (2 - geo.WGS84_F)))
        / (1 - e2 * math.sin(math.radians(lat)) ** 2) ** 1.5
    )
    step = 200 / (m_radius * math.pi / 180)
    assert geo.ellipsoid_distance_m(lat, 115.83, lat + step, 115.83) == pytest.approx(200, abs=0.01)
    # East-west, 200 m along the parallel.
    n_radius = geo.WGS84_A / math.sqrt(1 - e2 * math.sin(math.radians(lat)) ** 2)
    east = 200 / (n_radius * math.cos(math.radians(lat)) * math.pi / 180)
    assert geo.ellipsoid_distance_m(lat, 115.83, lat, 115.83 + east) == pytest.approx(200, abs=0.01)
    # The sphere (haversine) is within 0.5 %, but not as exact.
    assert geo.distance_m(lat, 115.83, lat + step, 115.83) == pytest.approx(200, rel=0.005)


def test_same_point_and_symmetry() -> None:
    assert geo.ellipsoid_distance_m(27.43, 115.83, 27.43, 115.83) == 0
    a = geo.ellipsoid_distance_m(27.43, 115.83, 27.6, 116.0)
    assert a == pytest.approx(geo.ellipsoid_distance_m(27.6, 116.0, 27.43, 115.83), abs=1e-6)


def test_nearly_antipodal_points_fall_back_to_the_sphere() -> None:
    metres = geo.ellipsoid_distance_m(0, 0, 0.5, 179.7)
    assert metres == pytest.approx(geo.distance_m(0, 0, 0.5, 179.7), rel=0.01)


def test_pairs_within_finds_exactly_the_points_inside() -> None:
    lat, lng = 27.43, 115.83
    per_lat = 110_793.0
    points = [
        (1, lat + 199 / per_lat, lng),  # inside
        (2, lat + 201 / per_lat, lng),  # just outside
        (3, lat, lng + 150 / (per_lat * math.cos(math.radians(lat)))),  # inside, east
        (4, lat + 0.5, lng),  # far
    ]
    found = geo.pairs_within([(9, lat, lng)], points, 200)
    assert sorted(key for _c, key, _m in found) == [1, 3]
    assert all(centre == 9 and metres <= 200 for centre, _k, metres in found)
    # The same as checking every pair.
    brute = [k for k, plat, plng in points if geo.ellipsoid_distance_m(lat, lng, plat, plng) <= 200]
    assert sorted(brute) == [1, 3]


def test_circle_points_lie_on_the_radius() -> None:
    ring = geo.circle(27.43, 115.83, 200, steps=12)
    assert ring[0] == ring[-1] and len(ring) == 13
    for lng, lat in ring:
        assert geo.ellipsoid_distance_m(27.43, 115.83, lat, lng) == pytest.approx(200, abs=1)
