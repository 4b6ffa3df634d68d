"""GB 32100 unified social credit codes (统一社会信用代码)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.lib._text import DIGITS, foreign_chars, to_halfwidth

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
_VALUES = {c: i for i, c in enumerate(ALPHABET)}


def _illegal_error(chars: str) -> ValueError:
    """Return the error for characters outside the code alphabet."""
    return ValueError(
        _("Credit code contains characters that are not allowed: %(chars)s") % {"chars": chars}
    )


def normalise(text: str) -> str:
    """Convert full-width characters to ASCII, drop every space (a code is often pasted in groups,
    "91 110000 600037341L") and upper-case."""
    return "".join(to_halfwidth(text or "").split()).upper()


def check_char(first17: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError(_("The check character needs exactly 17 characters"))
    bad = foreign_chars(first17, _VALUES)
    if bad:
        raise _illegal_error(bad)
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(text: str) -> str:
    """Return the normalised code, or raise ValueError saying what is wrong."""
    s = normalise(text)
    if not s:
        raise ValueError(_("Credit code is empty"))
    if len(s) != 18:
        raise ValueError(
            _("Credit code must have 18 characters; found %(length)d") % {"length": len(s)}
        )
    bad = foreign_chars(s, _VALUES)
    if bad:
        raise _illegal_error(bad)
    expected = check_char(s[:17])
    if s[17] != expected:
        raise ValueError(
            _("Bad check character: expected %(expected)s, got %(got)s")
            % {"expected": expected, "got": s[17]}
        )
    return s


def make(prefix: str, division6: str, body9: str) -> str:
    """Build a valid code (for demo data and tests).

    prefix is the registration authority and entity type (e.g. "12" public institution,
    "52" private non-profit, "91" company, "92" sole trader); body9 uses the code alphabet.
    """
    prefix, division6, body9 = normalise(prefix), normalise(division6), normalise(body9)
    if len(prefix) != 2:
        raise ValueError(_("The credit code prefix must have 2 characters"))
    if len(division6) != 6 or foreign_chars(division6, DIGITS):
        raise ValueError(_("The address code must have 6 digits"))
    if len(body9) != 9:
        raise ValueError(_("The entity identifier must have 9 characters"))
    first17 = prefix + division6 + body9
    return first17 + check_char(first17)
