"""GB/T 2260 division codes and 12-digit statistical division codes (统计用区划代码)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext as _

from weibao.lib._text import DIGITS, foreign_chars, to_halfwidth

PROVINCE_CODES = frozenset(
    f"{n}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
        91,
    )
)

# End of each part in the 12-digit code: 2 province + 2 prefecture + 2 county
# + 3 township + 3 village.
_ENDS = (2, 4, 6, 9, 12)


class Level(IntEnum):
    """Administrative level of a division; a larger value is a lower level."""

    PROVINCE = 1
    PREFECTURE = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5


@dataclass(frozen=True)
class DivisionCode:
    """A division code padded to 12 digits, and its level. Build it with parse()."""

    code: str
    level: Level


def parse(text: str) -> DivisionCode:
    """Parse a 2, 4, 6, 9 or 12-digit division code (trailing zero parts allowed)."""
    s = to_halfwidth(text).strip()
    if not s:
        raise ValueError(_("Division code is empty"))
    bad = foreign_chars(s, DIGITS)
    if bad:
        raise ValueError(
            _("Division code may contain only digits; found %(chars)s") % {"chars": bad}
        )
    if len(s) not in _ENDS:
        raise ValueError(
            _("Division code must have 2, 4, 6, 9 or 12 digits; found %(length)d")
            % {"length": len(s)}
        )
    code = s.ljust(12, "0")
    if code[:2] not in PROVINCE_CODES:
        raise ValueError(
            _("Division code starts with %(code)s, which is not a province code")
            % {"code": code[:2]}
        )
    nonzero = [int(code[start:end]) > 0 for start, end in zip((0, *_ENDS[:-1]), _ENDS, strict=True)]
    depth = max(i for i, flag in enumerate(nonzero) if flag) + 1
    if not all(nonzero[:depth]):
        raise ValueError(
            _("Division code %(code)s has a zero part followed by non-zero parts") % {"code": s}
        )
    return DivisionCode(code, Level(depth))


def _coerce(code: DivisionCode | str) -> DivisionCode:
    """Return code as a DivisionCode, parsing it if it is a string."""
    return code if isinstance(code, DivisionCode) else parse(code)


def level(code: DivisionCode | str) -> Level:
    """Return the level of a division code."""
    return _coerce(code).level


def short(code: DivisionCode | str) -> str:
    """Return the significant digits of a code: 2, 4, 6, 9 or 12 of them."""
    c = _coerce(code)
    return c.code[: _ENDS[c.level - 1]]


def parent(code: DivisionCode | str) -> DivisionCode | None:
    """Return the division one level up, or None for a province."""
    c = _coerce(code)
    if c.level == Level.PROVINCE:
        return None
    up = Level(c.level - 1)
    return DivisionCode(c.code[: _ENDS[up - 1]].ljust(12, "0"), up)


def is_within(child: DivisionCode | str, ancestor: DivisionCode | str) -> bool:
    """Return True if child lies inside ancestor; a division lies within itself."""
    return _coerce(child).code.startswith(short(ancestor))


def township_kind(code: DivisionCode | str) -> str:
    """Classify the township part: "subdistrict" (街道), "town" (镇), "township" (乡) or "other".

    001–099 街道, 100–199 镇, 200–399 乡; 4xx–5xx and above are township-like units.
    """
    c = _coerce(code)
    if c.level < Level.TOWNSHIP:
        raise ValueError(
            _("Division code %(code)s is not a township or village code") % {"code": short(c)}
        )
    n = int(c.code[6:9])
    return "subdistrict" if n < 100 else "town" if n < 200 else "township" if n < 400 else "other"


def village_kind(code: DivisionCode | str) -> str:
    """Classify the village part: "community" (居委会), "village" (村委会) or "other".

    001–199 居委会, 200–399 村委会.
    """
    c = _coerce(code)
    if c.level != Level.VILLAGE:
        raise ValueError(_("Division code %(code)s is not a village code") % {"code": short(c)})
    n = int(c.code[9:12])
    return "community" if n < 200 else "village" if n < 400 else "other"
