"""Tests for weibao.lib.creditcode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.lib import creditcode
from weibao.lib.creditcode import ALPHABET

GB_EXAMPLE = "91350100M000100Y43"  # the worked example of GB 32100


def test_known_valid() -> None:
    assert creditcode.validate(GB_EXAMPLE) == GB_EXAMPLE
    assert creditcode.validate(" 91350100m000100y43\u3000") == GB_EXAMPLE
    assert creditcode.validate("９１３５０１００Ｍ０００１００Ｙ４３") == GB_EXAMPLE
    assert creditcode.check_char(GB_EXAMPLE[:17]) == "3"


def test_make() -> None:
    code = creditcode.make("12", "361025", "49123456X")
    assert creditcode.validate(code) == code
    assert code.startswith("1236102549123456X")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("91350100M000100Y4", "found 17"),
        ("91350100M000100Y433", "found 19"),
        ("91350100I000100Y43", "not allowed: I"),
        ("91350100O000100Y43", "not allowed: O"),
        ("91350100S000100Y43", "not allowed: S"),
        ("91350100V000100Y43", "not allowed: V"),
        ("91350100Z000100Y43", "not allowed: Z"),
        ("91350100-000100Y43", "not allowed: -"),
        ("91350100M000100Y44", "expected 3, got 4"),
    ],
)
def test_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        creditcode.validate(text)


@pytest.mark.parametrize(
    ("prefix", "division", "body"),
    [("1", "361025", "491234567"), ("12", "36102", "491234567"), ("12", "361025", "4912345")],
)
def test_make_rejects_bad_input(prefix: str, division: str, body: str) -> None:
    with pytest.raises(ValueError):
        creditcode.make(prefix, division, body)


prefixes = st.sampled_from(["12", "52", "91", "92"])
divisions6 = st.text("0123456789", min_size=6, max_size=6)
bodies = st.text(ALPHABET, min_size=9, max_size=9)


@given(prefixes, divisions6, bodies)
def test_make_validate_round_trip(prefix: str, division: str, body: str) -> None:
    code = creditcode.make(prefix, division, body)
    assert len(code) == 18
    assert creditcode.validate(code) == code
    assert creditcode.validate(code.lower()) == code


@given(prefixes, divisions6, bodies, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_single_character_change_is_caught(
    prefix: str, division: str, body: str, pos: int, char: str
) -> None:
    code = creditcode.make(prefix, division, body)
    changed = code[:pos] + char + code[pos + 1 :]
    if changed != code:
        with pytest.raises(ValueError, match="Bad check character"):
            creditcode.validate(changed)
