"""Tests for weibao.lib.phone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.lib import phone


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "１３８１２３４５６７８",
        "+86 138 1234 5678",
        "＋８６１３８１２３４５６７８",
        "008613812345678",
        "8613812345678",
        "\u300013812345678",
    ],
)
def test_normalise(text: str) -> None:
    assert phone.normalise_mobile(text) == "13812345678"
    assert phone.is_mobile(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        (" - ", "empty"),
        ("138.1234.5678", "only digits; found ."),
        ("1381234567a", "only digits; found a"),
        ("+8513812345678", "only digits; found \\+"),
        ("1381234567", "found 10"),
        ("861381234567", "found 12"),  # bare 86 is stripped only from 13 digits
        ("+86", "found 0"),
        ("12812345678", "start with 13 to 19"),
        ("23812345678", "start with 13 to 19"),
        ("07941234567", "start with 13 to 19"),
    ],
)
def test_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        phone.normalise_mobile(text)
    assert not phone.is_mobile(text)


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
def test_any_mobile(second: str, rest: str) -> None:
    number = "1" + second + rest
    assert phone.normalise_mobile(number) == number
    assert phone.normalise_mobile("+86 " + number) == number
    assert phone.normalise_mobile("86" + number) == number
