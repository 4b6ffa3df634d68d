"""Pure rules of place: distances on the earth, the county's box, the
shape of a water's polygon. No database, no Django models: tested on their own.
"""

from __future__ import annotations

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
