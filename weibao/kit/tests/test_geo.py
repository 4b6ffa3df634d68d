"""The pure rules of place: haversine distances, the county box, GeoJSON polygons."""

from __future__ import annotations

import pytest

from weibao.kit import geo


def test_one_degree_of_meridian() -> None:
    # 2πR/360 on the WGS-84 mean sphere.
    assert geo.distance_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.1)


def test_beijing_to_shanghai() -> None:
    # Tian'anmen to People's Square: about 1,067 km on the sphere.
    assert geo.distance_m(39.9042, 116.4074, 31.2304, 121.4737) / 1000 == pytest.approx(1067, abs=3)


def test_same_point_is_zero() -> None:
    assert geo.distance_m(27.43, 115.83, 27.43, 115.83) == 0


def test_box() -> None:
    box = geo.Box.around([(27.4, 115.8), (27.6, 116.0)], 0.1)
    assert box is not None
    assert box.contains(27.5, 115.9) and box.contains(27.3, 115.7)
    assert not box.contains(28.0, 115.9) and not box.contains(27.5, 116.2)
    assert geo.Box.around([], 0.1) is None


def test_polygon() -> None:
    ring = (
        '{"type": "Polygon", "coordinates": '
        "[[[115.8, 27.4], [115.81, 27.4], [115.81, 27.41], [115.8, 27.4]]]}"
    )
    assert len(geo.polygon_points(ring)) == 4
    for bad in ("nonsense", '{"type": "Point", "coordinates": [1, 2]}',
                '{"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [5, 6]]]}'):  # fmt: skip
        with pytest.raises(ValueError):
            geo.polygon_points(bad)
