"""Text clean-up shared by the parsers."""

from __future__ import annotations

from collections.abc import Container

DIGITS = frozenset("0123456789")

# Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space, mapped to ASCII.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def to_halfwidth(text: str) -> str:
    """Convert full-width characters (０-９, Ａ-Ｚ, ＋, －, U+3000 space) to ASCII."""
    return text.translate(_HALFWIDTH)


def foreign_chars(text: str, allowed: Container[str]) -> str:
    """Return the distinct characters of text not in allowed, in order of appearance."""
    return "".join(dict.fromkeys(c for c in text if c not in allowed))
