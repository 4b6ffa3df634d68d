"""The legal vice-principal figures for the statistics app: letters issued and law classes, by
year and division."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from weibao.core.contract import Period, figure
from weibao.legalvp import services


@pytest.fixture(autouse=True)
def _midyear() -> Iterator[None]:
    with time_machine.travel(date(2026, 6, 15), tick=False):
        yield


def test_appointments_issued_by_year_and_division(make_appointment, school_a, school_b, county):
    make_appointment([school_a])  # letter issued today, 2026-06-15
    make_appointment(
        [school_b], seq=2, name="李明", term_start=date(2025, 3, 1), issued_on=date(2025, 3, 1)
    )
    year = Period.year(2026)
    assert figure("legalvp.appointments_issued", division=None, period=year) == 1
    assert figure("legalvp.appointments_issued", division=county.township_a, period=year) == 1
    assert figure("legalvp.appointments_issued", division=county.township_b, period=year) == 0
    assert (
        figure("legalvp.appointments_issued", division=county.township_b, period=Period.year(2025))
        == 1
    )
    assert figure("legalvp.appointments_issued", division=None, period=year) == 1


def test_law_classes_count_law_education_duties_only(bureau, appointment, school_a, county):
    for day, kind in (
        (date(2026, 6, 1), "FD1"),
        (date(2026, 6, 2), "FD2"),
        (date(2025, 7, 1), "FD1"),
    ):
        services.duty_record_add(
            actor=bureau,
            appointment=appointment,
            data={"school": school_a, "kind": kind, "hours": Decimal(1), "date": day},
        )
    year = Period.year(2026)
    assert figure("legalvp.law_classes", division=None, period=year) == 1
    assert figure("legalvp.law_classes", division=county.township_a, period=year) == 1
    assert figure("legalvp.law_classes", division=county.township_b, period=year) == 0
    assert figure("legalvp.law_classes", division=None, period=Period.year(2025)) == 1
    assert figure("legalvp.law_classes", division=None, period=year) == 1
