"""GB 11643 citizen ID numbers (公民身份号码): parsing, check character and age (周岁)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from operator import mul

from django.utils.translation import gettext as _

from weibao.lib._text import DIGITS, foreign_chars, to_halfwidth
from weibao.lib.divisions import PROVINCE_CODES

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MIN_BIRTH_DATE = date(1900, 1, 1)
ADULT_AGE = 18


@dataclass(frozen=True)
class IdNumber:
    """A valid ID number (always 18 characters) and the facts it encodes."""

    number: str
    birth_date: date
    sex: str  # "M" or "F"


def check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or foreign_chars(first17, DIGITS):
        raise ValueError(_("The check character needs exactly 17 digits"))
    return _check_char(first17)


def _check_char(first17: str) -> str:
    # 17 ASCII digits, already checked: imports parse tens of thousands of numbers a file.
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def parse(text: str, *, today: date | None = None) -> IdNumber:
    """Validate an 18-character or legacy 15-digit ID number; the result is always 18 characters.

    The address code is checked only at province level: county codes change over time (361029
    东乡县 became 361003 东乡区) and numbers keep the code valid when they were issued.
    """
    s = (text if text.isascii() else to_halfwidth(text)).strip().upper()
    if not s:
        raise ValueError(_("ID number is empty"))
    if len(s) not in (15, 18):
        raise ValueError(
            _("ID number must have 18 characters (or 15 for an old number); found %(length)d")
            % {"length": len(s)}
        )
    tail = s[17:]  # the check character, or nothing in a 15-digit number
    # isdigit() also accepts other scripts' digits: hence ASCII first.
    if not (s.isascii() and s[:17].isdigit() and (tail.isdigit() or tail in ("", "X"))):
        raise ValueError(
            _("ID number may contain only digits (and X as the last character); found %(chars)s")
            % {"chars": foreign_chars(s[:17] + tail.replace("X", ""), DIGITS)}
        )
    if len(s) == 15:  # YYMMDD birth date of the 1900s, no check character
        s = s[:6] + "19" + s[6:]
        s += _check_char(s)
    if s[:2] not in PROVINCE_CODES:
        raise ValueError(
            _("ID number starts with %(code)s, which is not a province code") % {"code": s[:2]}
        )
    try:
        birth = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise ValueError(
            _("Birth date %(date)s in the ID number is not a real date") % {"date": s[6:14]}
        ) from None
    if birth > (today or date.today()):
        raise ValueError(
            _("Birth date %(date)s in the ID number is in the future") % {"date": birth}
        )
    if birth < MIN_BIRTH_DATE:
        raise ValueError(_("Birth date %(date)s in the ID number is before 1900") % {"date": birth})
    expected = _check_char(s[:17])
    if s[17] != expected:
        raise ValueError(
            _("Bad check character: expected %(expected)s, got %(got)s")
            % {"expected": expected, "got": s[17]}
        )
    return IdNumber(number=s, birth_date=birth, sex="M" if int(s[16]) % 2 else "F")


def check_birth_date(birth: date, *, today: date | None = None) -> date:
    """Return `birth` if it can be a living person's birth date, or raise ValueError saying why.

    A birth date after today or before 1900 is a typing mistake (a person born in the future
    has no age). Forms, imports and the API refuse it with this message.
    """
    if birth > (today or date.today()):
        raise ValueError(_("The birth date %(date)s is in the future.") % {"date": birth})
    if birth < MIN_BIRTH_DATE:
        raise ValueError(_("The birth date %(date)s is before 1900.") % {"date": birth})
    return birth


def age_or_none(birth: date | None, on: date) -> int | None:
    """The age in full years on `on`, or None when there is none: no birth date, or a birth
    date after `on` (a bad stored row). For readers that must never fail on one record."""
    if birth is None or on < birth:
        return None
    return age_on(birth, on)


def age_on(birth: date, on: date) -> int:
    """Return the age in full years (周岁) on the day `on`.

    周岁 count from the day after the birthday (最高法 2006 解释 Art. 2): someone born 2008-05-10
    is still 17 on 2026-05-10 and is 18 from 2026-05-11. For a 29 February birthday the
    anniversary in a non-leap year is 28 February, so the new age starts on 1 March.
    On the day of birth the age is 0.
    """
    if on < birth:
        raise ValueError(
            _("The date %(on)s is before the birth date %(birth)s") % {"on": on, "birth": birth}
        )
    day = 28 if (birth.month, birth.day) == (2, 29) and not calendar.isleap(on.year) else birth.day
    anniversary = date(on.year, birth.month, day)
    return max(on.year - birth.year - (on <= anniversary), 0)


def is_minor(birth: date, on: date) -> bool:
    """Return True if the person is under 18 周岁 on the day `on`."""
    return age_on(birth, on) < ADULT_AGE


def make(prefix6: str, birth: date, seq3: int) -> str:
    """Build a valid 18-character ID number (for demo data and tests)."""
    if len(prefix6) != 6 or foreign_chars(prefix6, DIGITS):
        raise ValueError(_("The address code must have 6 digits"))
    if not 0 <= seq3 <= 999:
        raise ValueError(_("The sequence number must be between 0 and 999"))
    first17 = f"{prefix6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + check_char(first17)
