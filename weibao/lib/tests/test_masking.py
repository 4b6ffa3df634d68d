"""Tests for weibao.lib.masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.lib.masking import mask_id, mask_name, mask_phone
from weibao.lib.phone import is_mobile, normalise_mobile


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        (None, ""),
        ("", ""),
        ("张", "张"),
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        (" 张三 ", "张*"),
        ("John Smith", "J*** *****"),
        ("Li", "L*"),
    ],
)
def test_mask_name(name: str | None, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (None, ""),
        ("", ""),
        ("361025200801011234", "361025********1234"),
        ("110105491231002", "110105*****1002"),
        ("12345678901", "123456*8901"),
        ("1234567890", "********90"),
        ("123", "*23"),
        ("12", "**"),
    ],
)
def test_mask_id(number: str | None, masked: str) -> None:
    assert mask_id(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (None, ""),
        ("", ""),
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("0794-1234567", "****-***4567"),
        ("12345", "*2345"),
        ("110", "110"),
    ],
)
def test_mask_phone(number: str | None, masked: str) -> None:
    assert mask_phone(number) == masked


printable = st.characters(codec="utf-8", exclude_categories=["Zs", "Zl", "Zp", "Cc"])


@given(st.text(printable, min_size=11))
def test_mask_id_hides_middle(number: str) -> None:
    masked = mask_id(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(printable, max_size=10))
def test_mask_id_short_shows_last_two_at_most(number: str) -> None:
    masked = mask_id(number)
    assert len(masked) == len(number)
    assert set(masked[:-2]) <= {"*"}


@given(st.text(printable, min_size=3))
def test_mask_name_keeps_only_ends(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert masked[0] == name[0]
    assert set(masked[1:-1]) <= {"*"}


@given(st.text("0123456789- ", max_size=20))
def test_mask_phone_reveals_only_stated_digits(number: str) -> None:
    masked = mask_phone(number)
    shown = "".join(c for c in masked if c.isdigit())
    digits = "".join(c for c in number if c.isdigit())
    if is_mobile(number):
        # A leading 86 country code is dropped before masking.
        mobile = normalise_mobile(number)
        assert masked == mobile[:3] + "****" + mobile[-4:]
    else:
        assert len(masked) == len(number.strip())
        assert shown == digits[-4:]
