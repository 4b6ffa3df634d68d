"""Mainland China mobile numbers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.lib._text import DIGITS, foreign_chars, to_halfwidth


def normalise_mobile(text: str) -> str:
    """Return the 11-digit mobile number, or raise ValueError saying what is wrong.

    Spaces, hyphens and full-width digits are accepted, as is a leading +86 or 0086, or a
    bare 86 when the whole is 13 digits starting with 861.
    """
    s = "".join(to_halfwidth(text).split()).replace("-", "")
    if not s:
        raise ValueError(_("Mobile number is empty"))
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif len(s) == 13 and s.startswith("861"):
        s = s[2:]
    bad = foreign_chars(s, DIGITS)
    if bad:
        raise ValueError(
            _("Mobile number may contain only digits; found %(chars)s") % {"chars": bad}
        )
    if len(s) != 11:
        raise ValueError(
            _("Mobile number must have 11 digits; found %(length)d") % {"length": len(s)}
        )
    if s[0] != "1" or s[1] not in "3456789":
        raise ValueError(
            _("%(number)s is not a mainland mobile number: it must start with 13 to 19")
            % {"number": s}
        )
    return s


def is_mobile(text: str) -> bool:
    """Return True if text is a mainland mobile number (in any form normalise_mobile accepts)."""
    try:
        normalise_mobile(text)
    except ValueError:
        return False
    return True
