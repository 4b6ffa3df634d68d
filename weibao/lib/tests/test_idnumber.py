"""Tests for weibao.lib.idnumber."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.lib import idnumber
from weibao.lib.divisions import PROVINCE_CODES

TODAY = date(2026, 6, 1)
GB_EXAMPLE = "11010519491231002X"  # the worked example of GB 11643

prefixes = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text("0123456789", min_size=4, max_size=4),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
seqs = st.integers(min_value=0, max_value=999)


def test_gb_example() -> None:
    result = idnumber.parse(GB_EXAMPLE, today=TODAY)
    assert result == idnumber.IdNumber(GB_EXAMPLE, date(1949, 12, 31), "F")


def test_make_known_value() -> None:
    number = idnumber.make("361025", date(2008, 5, 10), 123)
    assert number == "361025200805101236"
    assert idnumber.parse(number, today=TODAY).sex == "M"


@pytest.mark.parametrize(
    "text",
    [
        " 11010519491231002x ",
        "\u300011010519491231002X\u3000",
        "１１０１０５１９４９１２３１００２Ｘ",
    ],
)
def test_normalisation(text: str) -> None:
    assert idnumber.parse(text, today=TODAY).number == GB_EXAMPLE


def test_fullwidth_lower_x() -> None:
    assert idnumber.parse("11010519491231002ｘ", today=TODAY).number == GB_EXAMPLE


def test_legacy_15_digits() -> None:
    result = idnumber.parse("110105491231002", today=TODAY)
    assert result.number == GB_EXAMPLE
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "F"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("1101051949123100", "found 16"),
        ("11010519491231002X1", "found 19"),
        ("1101051949123100AX", "found A"),
        ("110105194912310X2X", "found X"),
        ("11010549123100X", "found X"),
        ("110105-91231002", "found -"),
        ("991025200805101236", "not a province code"),
        ("001025200805101236", "not a province code"),
        ("361025200802301230", "not a real date"),
        ("361025200813011230", "not a real date"),
        ("361025200800011230", "not a real date"),
        ("11010519491231002Y", "found Y"),
        ("110105194912310021", "expected X, got 1"),
    ],
)
def test_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        idnumber.parse(text, today=TODAY)


def test_future_birth_date() -> None:
    number = idnumber.make("361025", TODAY + timedelta(days=1), 1)
    with pytest.raises(ValueError, match="in the future"):
        idnumber.parse(number, today=TODAY)
    assert idnumber.parse(idnumber.make("361025", TODAY, 1), today=TODAY).birth_date == TODAY


def test_before_1900() -> None:
    with pytest.raises(ValueError, match="before 1900"):
        idnumber.parse(idnumber.make("440524", date(1899, 12, 31), 1), today=TODAY)


def test_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        idnumber.check_char("1234")
    with pytest.raises(ValueError):
        idnumber.check_char("1101051949123100X")


@pytest.mark.parametrize(("prefix", "seq"), [("36102", 1), ("36102A", 1), ("361025", 1000)])
def test_make_rejects_bad_input(prefix: str, seq: int) -> None:
    with pytest.raises(ValueError):
        idnumber.make(prefix, date(2008, 1, 1), seq)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2008, 5, 10), date(2026, 5, 9), 17),
        (date(2008, 5, 10), date(2026, 5, 10), 17),  # 周岁 start the day after the birthday
        (date(2008, 5, 10), date(2026, 5, 11), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),  # non-leap year: anniversary is 28 Feb
        (date(2008, 2, 29), date(2028, 2, 29), 19),
        (date(2008, 2, 29), date(2028, 3, 1), 20),
        (date(2008, 5, 10), date(2008, 5, 10), 0),
        (date(2008, 5, 10), date(2009, 5, 10), 0),
        (date(2008, 5, 10), date(2009, 5, 11), 1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert idnumber.age_on(birth, on) == age


def test_age_on_before_birth() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        idnumber.age_on(date(2008, 5, 10), date(2008, 5, 9))


def test_is_minor() -> None:
    assert idnumber.is_minor(date(2008, 5, 10), date(2026, 5, 10))
    assert not idnumber.is_minor(date(2008, 5, 10), date(2026, 5, 11))


@given(prefixes, births, seqs)
def test_make_parse_round_trip(prefix: str, birth: date, seq: int) -> None:
    number = idnumber.make(prefix, birth, seq)
    result = idnumber.parse(number)
    assert result.number == number
    assert result.birth_date == birth
    assert result.sex == ("M" if seq % 2 else "F")


@given(prefixes, births, seqs, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_single_character_change_is_caught(
    prefix: str, birth: date, seq: int, pos: int, char: str
) -> None:
    number = idnumber.make(prefix, birth, seq)
    changed = number[:pos] + char + number[pos + 1 :]
    if changed != number:
        with pytest.raises(ValueError):
            idnumber.parse(changed)


@given(prefixes, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), seqs)
def test_legacy_conversion(prefix: str, birth: date, seq: int) -> None:
    number = idnumber.make(prefix, birth, seq)
    legacy = number[:6] + number[8:17]
    result = idnumber.parse(legacy)
    assert result.number == number
    assert result.birth_date == birth


@given(births, st.integers(0, 50_000), st.integers(0, 50_000))
def test_age_on_monotonic(birth: date, d1: int, d2: int) -> None:
    early, late = sorted((d1, d2))
    on1, on2 = birth + timedelta(days=early), birth + timedelta(days=late)
    assert idnumber.age_on(birth, birth) == 0
    assert 0 <= idnumber.age_on(birth, on1) <= idnumber.age_on(birth, on2)
    assert idnumber.age_on(birth, on2) <= late // 365
