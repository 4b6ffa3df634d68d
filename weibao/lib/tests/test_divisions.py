"""Tests for weibao.lib.divisions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.lib import divisions
from weibao.lib.divisions import DivisionCode, Level


@pytest.mark.parametrize(
    ("text", "code", "level"),
    [
        ("36", "360000000000", Level.PROVINCE),
        ("3610", "361000000000", Level.PREFECTURE),
        ("361025", "361025000000", Level.COUNTY),
        ("361025101", "361025101000", Level.TOWNSHIP),
        ("361025101201", "361025101201", Level.VILLAGE),
        ("360000", "360000000000", Level.PROVINCE),
        ("361000000000", "361000000000", Level.PREFECTURE),
        (" ３６１０２５ ", "361025000000", Level.COUNTY),
    ],
)
def test_parse(text: str, code: str, level: Level) -> None:
    assert divisions.parse(text) == DivisionCode(code, level)
    assert divisions.level(text) == level


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("36102a", "only digits; found a"),
        ("3610 25", "only digits"),
        ("361", "found 3"),
        ("36102500", "found 8"),
        ("3610250000000", "found 13"),
        ("360000100000", "zero part followed"),
        ("360025", "zero part followed"),
        ("361000000001", "zero part followed"),
        ("991025", "not a province code"),
        ("000000", "not a province code"),
    ],
)
def test_parse_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        divisions.parse(text)


def test_parent_chain() -> None:
    chain = []
    code: DivisionCode | None = divisions.parse("361025101201")
    while code is not None:
        chain.append(divisions.short(code))
        code = divisions.parent(code)
    assert chain == ["361025101201", "361025101", "361025", "3610", "36"]


def test_is_within() -> None:
    assert divisions.is_within("361025101201", "361025")
    assert divisions.is_within("361025", "361025")
    assert divisions.is_within("361025", "36")
    assert not divisions.is_within("361025", "361025101")
    assert not divisions.is_within("361003", "361025")
    assert not divisions.is_within("361025101201", "3611")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("361025001", "subdistrict"),
        ("361025099", "subdistrict"),
        ("361025100", "town"),
        ("361025199", "town"),
        ("361025200", "township"),
        ("361025399", "township"),
        ("361025400", "other"),
        ("361025501201", "other"),
    ],
)
def test_township_kind(text: str, kind: str) -> None:
    assert divisions.township_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("361025101001", "community"),
        ("361025101199", "community"),
        ("361025101200", "village"),
        ("361025101399", "village"),
        ("361025101400", "other"),
    ],
)
def test_village_kind(text: str, kind: str) -> None:
    assert divisions.village_kind(text) == kind


def test_kind_needs_low_enough_level() -> None:
    with pytest.raises(ValueError, match="not a township or village code"):
        divisions.township_kind("361025")
    with pytest.raises(ValueError, match="not a village code"):
        divisions.village_kind("361025101")


codes = st.builds(
    lambda p, parts: divisions.parse(p + "".join(parts)),
    st.sampled_from(sorted(divisions.PROVINCE_CODES)),
    st.sampled_from([[], ["10"], ["10", "25"], ["10", "25", "101"], ["10", "25", "101", "201"]]),
)


@given(codes)
def test_parent_is_ancestor(code: DivisionCode) -> None:
    up = divisions.parent(code)
    assert (up is None) == (code.level == Level.PROVINCE)
    if up is not None:
        assert up.level == code.level - 1
        assert divisions.is_within(code, up)
        assert not divisions.is_within(up, code)
    assert divisions.parse(divisions.short(code)) == code
    assert divisions.parse(code.code) == code
