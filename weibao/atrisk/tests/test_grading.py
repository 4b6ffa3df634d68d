"""The grade function: every tier, the 周岁 age test on the day of the act, and the flags."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.atrisk.grading import CrimeClass, EventFacts, Grade, GradeInput, Params, grade

BIRTH = date(2012, 5, 10)
ON = date(2026, 11, 1)
DEFAULTS = Params()


def ev(on: date, *codes: str, **flags: object) -> EventFacts:
    return EventFacts(on, frozenset(codes), **flags)  # type: ignore[arg-type]


def g(
    *events: EventFacts,
    measures: frozenset[str] = frozenset(),
    factors: frozenset[str] = frozenset(),
    birth: date = BIRTH,
    params: Params = DEFAULTS,
) -> tuple[str, str]:
    result = grade(GradeInput(birth, ON, tuple(events), measures, factors), params)
    return result.grade, result.rule


def test_no_records_is_watch():
    assert g() == (Grade.WATCH, "T0:none")


def test_risk_factors_only_is_watch():
    assert g(factors=frozenset({"left_behind"})) == (Grade.WATCH, "T0:factors")


def test_any_bl_is_t1():
    assert g(ev(date(2026, 10, 1), "BL01", "BL02")) == (Grade.MISCONDUCT, "T1:BL01,BL02")


@pytest.mark.parametrize("flag", ["refuses_correction", "grave"])
def test_bl_with_flag_is_t1_plus(flag):
    assert g(ev(date(2026, 10, 1), "BL02", **{flag: True})) == (Grade.PERSISTENT, "T1P:flag")


def test_bl_repeated_within_window_is_t1_plus():
    events = [ev(date(2026, m, 1), "BL02") for m in (3, 6, 9)]
    assert g(*events)[0] == Grade.PERSISTENT
    # The same three events spread over more than the window are not "repeated".
    events = [
        ev(date(2024, 1, 1), "BL02"),
        ev(date(2025, 1, 1), "BL02"),
        ev(date(2026, 9, 1), "BL02"),
    ]
    assert g(*events)[0] == Grade.MISCONDUCT
    # The county's threshold is data: at 4, three events are not enough.
    events = [ev(date(2026, m, 1), "BL02") for m in (3, 6, 9)]
    assert g(*events, params=Params(repeat_threshold=4))[0] == Grade.MISCONDUCT


def test_sb_is_t2_and_outranks_bl():
    assert g(ev(date(2026, 9, 1), "BL01"), ev(date(2026, 10, 1), "SB04")) == (
        Grade.SERIOUS,
        "T2:SB04",
    )


@pytest.mark.parametrize(
    "flag,item", [("grave", "44(1)"), ("repeated", "44(2)"), ("refuses_correction", "44(3)")]
)
def test_t2_with_art44_flag_is_t3_plus(flag, item):
    assert g(ev(date(2026, 10, 1), "SB03", **{flag: True})) == (
        Grade.SPECIAL_EDUCATION,
        f"T3P:{item}",
    )


def test_sb00_under_14_is_t3_with_age_on_event_day():
    # Born 2012-05-10: 13 on 2026-05-10 itself (周岁 count from the day after the birthday).
    assert g(ev(date(2026, 5, 10), "SB00", crime_class=CrimeClass.EIGHT_GRAVE)) == (
        Grade.UNDER_AGE_CRIME,
        "T3:SB00@13",
    )


def test_sb00_age_test_fourteen():
    born = date(2012, 5, 10)
    grave = CrimeClass.EIGHT_GRAVE
    # On the 14th birthday the minor is still 13: not responsible, T3.
    assert (
        g(ev(date(2026, 5, 10), "SB00", crime_class=grave), birth=born)[0] == Grade.UNDER_AGE_CRIME
    )
    # The day after: 14, responsible for the eight grave crimes: T4.
    assert g(ev(date(2026, 5, 11), "SB00", crime_class=grave), birth=born) == (
        Grade.CRIMINAL,
        "T4:SB00@14",
    )
    # At 14 an "other" crime is still below the age (liable only from 16): T3.
    assert g(ev(date(2026, 5, 11), "SB00", crime_class=CrimeClass.OTHER), birth=born) == (
        Grade.UNDER_AGE_CRIME,
        "T3:SB00@14",
    )


def test_sb00_at_16_any_crime_is_t4():
    born = date(2010, 10, 1)
    assert g(ev(date(2026, 10, 2), "SB00"), birth=born) == (Grade.CRIMINAL, "T4:SB00@16")
    assert g(ev(date(2026, 10, 1), "SB00"), birth=born) == (Grade.UNDER_AGE_CRIME, "T3:SB00@15")


def test_sb00_under_14_with_flag_is_t3_plus():
    assert g(ev(date(2026, 1, 1), "SB00", grave=True))[0] == Grade.SPECIAL_EDUCATION


def test_criminal_measure_is_t4():
    assert g(ev(date(2026, 10, 1), "BL01"), measures=frozenset({"non_prosecution"})) == (
        Grade.CRIMINAL,
        "T4:non_prosecution",
    )


def test_reason_is_given_with_every_grade():
    result = grade(GradeInput(BIRTH, ON, (ev(date(2026, 10, 1), "SB04"),)))
    assert "SB04" in result.text


def test_a_stored_reason_reads_in_each_readers_language() -> None:
    """Reasons are kept as message ids and values, and translated when shown."""
    from django.utils import translation

    from weibao.atrisk.grading import reason_text

    args = {"codes": "BL01,BL02"}
    with translation.override("zh-hans"):
        assert reason_text("Misconduct (Art. 28): %(codes)s.", args) == (
            "不良行为（第二十八条）：BL01,BL02。"
        )
    with translation.override("en"):
        assert reason_text("Misconduct (Art. 28): %(codes)s.", args) == (
            "Misconduct (Art. 28): BL01,BL02."
        )
    # Text stored before reasons were kept as ids is shown as it is.
    assert reason_text("free text 100%", {}) == "free text 100%"
