"""Made-up but stable coordinates for the demo county's schools and other units.

Organisation has no coordinates yet; the schools work will add School records with a location
and can fill them from `coordinates_for(unit.name, unit.division.code)`. The result depends only
on the name, the division and the seed, so every run of the demo puts a school in the same place.
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal

from weibao.demo.names import COUNTY_CODE, DEFAULT_SEED, TOWNSHIPS

# The county seat of 乐安县, and how far (degrees) the townships lie from it.
COUNTY_CENTRE = (27.43, 115.83)
TOWNSHIP_RING = (0.08, 0.26)
UNIT_JITTER = 0.02
_SEAT_CODE = COUNTY_CODE[:6] + TOWNSHIPS[0][0] + "000"
_PLACES = Decimal("0.000001")


def _unit_floats(text: str) -> tuple[float, float]:
    """Two numbers in [0, 1) from a text, the same on every machine (unlike hash())."""
    digest = hashlib.sha256(text.encode()).digest()
    return (
        int.from_bytes(digest[:8], "big") / 2**64,
        int.from_bytes(digest[8:16], "big") / 2**64,
    )


def township_centre(township_code: str, *, seed: int = DEFAULT_SEED) -> tuple[float, float]:
    """(lat, lon) of a township's centre: the county seat in the middle, the rest on a ring."""
    code = township_code[:9].ljust(12, "0")
    if code == _SEAT_CODE:
        return COUNTY_CENTRE
    angle_u, radius_u = _unit_floats(f"{seed}:township:{code}")
    angle = angle_u * 2 * math.pi
    radius = TOWNSHIP_RING[0] + radius_u * (TOWNSHIP_RING[1] - TOWNSHIP_RING[0])
    # A degree of longitude is shorter than one of latitude at 27°N.
    lat = COUNTY_CENTRE[0] + radius * math.sin(angle)
    lon = COUNTY_CENTRE[1] + radius * math.cos(angle) / math.cos(math.radians(COUNTY_CENTRE[0]))
    return lat, lon


def coordinates_for(
    unit_name: str, division_code: str, *, seed: int = DEFAULT_SEED
) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) of a unit, to 6 decimal places, near its township's centre."""
    lat, lon = township_centre(division_code, seed=seed)
    du, dv = _unit_floats(f"{seed}:unit:{unit_name}")
    lat += (du * 2 - 1) * UNIT_JITTER
    lon += (dv * 2 - 1) * UNIT_JITTER
    return Decimal(lat).quantize(_PLACES), Decimal(lon).quantize(_PLACES)
