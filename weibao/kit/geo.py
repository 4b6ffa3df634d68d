"""Pure rules of place: distances on the earth, the county's box, the
shape of a water's polygon. No database, no Django models: tested on their own.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# The WGS-84 mean radius (IUGG R1 = (2a + b) / 3), in metres. Haversine on a sphere of this
# radius is within 0.5 % of the ellipsoidal distance: plenty for "how far is the school".
EARTH_RADIUS_M = 6_371_008.8

Number = float | Decimal


def distance_m(lat1: Number, lng1: Number, lat2: Number, lng2: Number) -> float:
    """The great-circle distance in metres between two points (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    """A longitude/latitude box (the county's extent)."""

    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def contains(self, lat: Number, lng: Number) -> bool:
        return (
            self.min_lat <= float(lat) <= self.max_lat
            and self.min_lng <= float(lng) <= self.max_lng
        )

    @classmethod
    def around(cls, points: Iterable[tuple[Number, Number]], margin: float) -> Box | None:
        """The box of (lat, lng) points widened by `margin` degrees; None without points."""
        pts = [(float(lat), float(lng)) for lat, lng in points]
        if not pts:
            return None
        lats, lngs = [p[0] for p in pts], [p[1] for p in pts]
        return cls(min(lngs) - margin, min(lats) - margin, max(lngs) + margin, max(lats) + margin)

    def describe(self) -> str:
        return f"{self.min_lng:.4f}–{self.max_lng:.4f}, {self.min_lat:.4f}–{self.max_lat:.4f}"


def polygon_points(text: str) -> list[tuple[float, float]]:
    """The (lng, lat) points of a GeoJSON Polygon (a geometry or a Feature holding one): its
    outer ring. Raises ValueError with a reason when the text is not such a polygon."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValueError("not JSON") from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") != "Polygon":
        raise ValueError("not a Polygon")
    rings = data.get("coordinates")
    if not isinstance(rings, list) or not rings or not isinstance(rings[0], list):
        raise ValueError("no ring")
    points: list[tuple[float, float]] = []
    for pair in rings[0]:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair[:2])
        ):
            raise ValueError("a point is not [lng, lat]")
        points.append((float(pair[0]), float(pair[1])))
    if len(points) < 4 or points[0] != points[-1]:
        raise ValueError("the ring must close on its first point and have at least 4 points")
    return points


# The WGS-84 ellipsoid: semi-major axis (m) and flattening.
WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84_B = WGS84_A * (1 - WGS84_F)
METRES_PER_DEGREE_LAT = 110_574.0  # the shortest degree of latitude (at the equator)


def ellipsoid_distance_m(lat1: Number, lng1: Number, lat2: Number, lng2: Number) -> float:
    """The geodesic distance in metres on the WGS-84 ellipsoid (Vincenty's inverse formula,
    to well under a millimetre). For nearly antipodal points, where the iteration does not
    converge, the haversine distance is returned (no county has such points)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    big_l = math.radians(float(lng2) - float(lng1))
    if phi1 == phi2 and big_l == 0:
        return 0.0
    f = WGS84_F
    u1 = math.atan((1 - f) * math.tan(phi1))
    u2 = math.atan((1 - f) * math.tan(phi2))
    sin_u1, cos_u1 = math.sin(u1), math.cos(u1)
    sin_u2, cos_u2 = math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0  # the same point
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    else:
        return distance_m(lat1, lng1, lat2, lng2)
    u_sq = cos2_alpha * (WGS84_A**2 - WGS84_B**2) / WGS84_B**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return WGS84_B * big_a * (sigma - delta_sigma)


Keyed = tuple[int, float, float]  # (key, lat, lng)


def pairs_within(
    centres: Iterable[Keyed], points: Iterable[Keyed], radius_m: float
) -> list[tuple[int, int, float]]:
    """Every (centre key, point key, metres) with the point within `radius_m` of the centre on
    the WGS-84 ellipsoid. The points are sorted by latitude once; each centre looks only at
    those inside its box (a band of latitude found by bisection, then longitude), so a county's
    thousands of points against its hundreds of centres cost a few hundred ellipsoid distances,
    not millions."""
    ordered = sorted((float(lat), float(lng), key) for key, lat, lng in points)
    lats = [p[0] for p in ordered]
    dlat = radius_m / METRES_PER_DEGREE_LAT * 1.01 + 1e-9
    found: list[tuple[int, int, float]] = []
    for ckey, clat_, clng_ in centres:
        clat, clng = float(clat_), float(clng_)
        cos_lat = max(math.cos(math.radians(min(89.9, abs(clat) + dlat))), 1e-6)
        dlng = dlat / cos_lat
        start = bisect.bisect_left(lats, clat - dlat)
        end = bisect.bisect_right(lats, clat + dlat)
        for lat, lng, key in ordered[start:end]:
            if abs(lng - clng) > dlng:
                continue
            metres = ellipsoid_distance_m(clat, clng, lat, lng)
            if metres <= radius_m:
                found.append((ckey, key, metres))
    return found


def circle(lat: Number, lng: Number, radius_m: float, steps: int = 36) -> list[list[float]]:
    """A closed ring of [lng, lat] points `radius_m` around a point (for drawing a circle on a
    map; a local flat approximation, exact to well under a metre at a few hundred metres)."""
    clat, clng = float(lat), float(lng)
    per_lat = METRES_PER_DEGREE_LAT + 1_130 * math.sin(math.radians(clat)) ** 2
    per_lng = math.pi / 180 * WGS84_A * math.cos(math.radians(clat))
    ring = []
    for step in range(steps + 1):
        angle = 2 * math.pi * step / steps
        ring.append(
            [
                round(clng + radius_m * math.sin(angle) / per_lng, 6),
                round(clat + radius_m * math.cos(angle) / per_lat, 6),
            ]
        )
    return ring
