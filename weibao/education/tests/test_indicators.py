"""The law-education figures for the statistics app: held sessions and schools reached, by year
and division."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine

from weibao.core.contract import Period, figure


@pytest.fixture(autouse=True)
def _midyear() -> Iterator[None]:
    with time_machine.travel(date(2026, 6, 15), tick=False):
        yield


@pytest.fixture
def sessions(make_session, school_b, county) -> None:
    make_session()  # held at school A on 2026-06-08
    make_session(school=school_b, speaker_kind="teacher")
    make_session(school=None, division=county.village_a)  # in a village of township A
    make_session(date=date(2025, 12, 1))  # last year
    make_session(status="planned", attendance=0, date=date(2026, 6, 20))  # not held


def test_sessions_held_by_year_and_division(sessions, county) -> None:
    year = Period.year(2026)
    assert figure("education.sessions_held", division=None, period=year) == 3
    assert figure("education.sessions_held", division=county.township_a, period=year) == 2
    assert figure("education.sessions_held", division=county.township_b, period=year) == 1
    assert figure("education.sessions_held", division=None, period=Period.year(2025)) == 1
    assert figure("education.sessions_held", division=None, period=year) == 3


def test_schools_reached_counts_each_school_once(sessions, make_session, county) -> None:
    make_session(date=date(2026, 5, 1))  # school A again
    year = Period.year(2026)
    assert figure("education.schools_reached", division=None, period=year) == 2
    assert figure("education.schools_reached", division=county.township_a, period=year) == 1
    assert figure("education.schools_reached", division=None, period=Period.year(2024)) == 0
    assert figure("education.schools_reached", division=None, period=year) == 2
