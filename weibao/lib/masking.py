"""Masking of names, ID numbers, phone numbers and addresses for display (PIPL
de-identification)."""

from __future__ import annotations

from weibao.lib._text import DIGITS, to_halfwidth
from weibao.lib.phone import is_mobile, normalise_mobile


def mask_name(name: str | None) -> str:
    """Mask a name: 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明.

    Latin-script (ASCII) names keep only the first character; every other non-space character
    becomes "*" (John Smith → J*** *****).
    """
    s = (name or "").strip()
    if len(s) <= 1:
        return s
    if s.isascii():
        return s[0] + "".join(c if c.isspace() else "*" for c in s[1:])
    if len(s) == 2:
        return s[0] + "*"
    return s[0] + "*" * (len(s) - 2) + s[-1]


def mask_id(number: str | None) -> str:
    """Mask an ID number, keeping its length: first 6 and last 4 shown if longer than 10.

    Shorter strings show only the last 2 characters, and strings of 1–2 characters show none.
    """
    s = (number or "").strip()
    n = len(s)
    if n > 10:
        return s[:6] + "*" * (n - 10) + s[-4:]
    if n > 2:
        return "*" * (n - 2) + s[-2:]
    return "*" * n


def mask_phone(phone: str | None) -> str:
    """Mask a phone number: a mainland mobile becomes 138****5678; others show the last 4 digits.

    For other numbers every digit but the last 4 becomes "*"; separators are kept.
    """
    s = to_halfwidth(phone or "").strip()
    if not s:
        return ""
    if is_mobile(s):
        m = normalise_mobile(s)
        return m[:3] + "****" + m[-4:]
    hidden = sum(c in DIGITS for c in s) - 4
    out = []
    for c in s:
        if c in DIGITS:
            out.append("*" if hidden > 0 else c)
            hidden -= 1
        else:
            out.append(c)
    return "".join(out)


# How much of a home address shows: enough to place it (the township and village, as the
# place of residence already does), never the house. 鳌溪镇上岭村3组12号 → 鳌溪镇上岭村******.
ADDRESS_SHOWN = 6


def mask_address(address: str | None) -> str:
    """Mask an address like a phone number: the first ADDRESS_SHOWN characters show, every
    other character but spaces becomes "*"; an address of ADDRESS_SHOWN characters or fewer
    shows its first half."""
    s = " ".join((address or "").split())
    if not s:
        return ""
    shown = ADDRESS_SHOWN if len(s) > ADDRESS_SHOWN else len(s) // 2
    return s[:shown] + "".join(c if c.isspace() else "*" for c in s[shown:])
