"""What waits for a worker on the home page, and the figures offered to the statistics app."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from weibao.atrisk import services
from weibao.atrisk.indicators import FILES_OPENED, MISCONDUCT_EVENTS
from weibao.atrisk.models import AtRiskFile, Contact, RiskWarning, SealedQueryApplication
from weibao.atrisk.tests.conftest import report
from weibao.atrisk.waiting import waiting
from weibao.atrisk.weibao_app import APP
from weibao.core.contract import Period

KEYS = {indicator.key: indicator for indicator in APP.indicators}
files_opened = KEYS["atrisk_files_opened"].figure
misconduct_events = KEYS["misconduct_events"].figure


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def test_waiting_counts_my_warnings_and_overdue_contacts(liaison_a, coordinator, pupil_a):
    with at(date(2026, 2, 2)):
        report(liaison_a, [pupil_a], "BL02", days_ago=1)
        file = AtRiskFile.objects.get(person=pupil_a)
        raised = RiskWarning.objects.open().filter(file=file).count()  # by the grade going up
        RiskWarning.objects.create(file=file, kind=RiskWarning.Kind.RETURNED, key="w")
        Contact.objects.create(file=file, worker=liaison_a, due_date=date(2026, 1, 20))
        services.sealed_query_apply(
            actor=liaison_a, file=file, legal_basis="刑事诉讼法第286条", purpose="办案需要"
        )
        items = {item.label: item for item in waiting(liaison_a)}
        assert (
            items["At-risk warnings"].count == raised + 1 and not items["At-risk warnings"].overdue
        )
        overdue = items["Overdue at-risk contacts"]
        assert overdue.count == 1 and overdue.overdue
        assert "Sealed-record applications to decide" not in items
        decide = {item.label: item for item in waiting(coordinator)}
        assert decide["Sealed-record applications to decide"].count == 1
        assert SealedQueryApplication.objects.pending().count() == 1


def test_nothing_waits_outside_atrisk_work(outsider, sysadmin):
    assert waiting(outsider) == [] and waiting(sysadmin) == []


@pytest.fixture
def two_years(liaison_a, coordinator, pupil_a, pupil_b):
    """2025: a group event of both pupils (two files opened). 2026: one more event of pupil A."""
    with at(date(2025, 9, 10)):
        report(coordinator, [pupil_a, pupil_b], "BL01", days_ago=2)
    with at(date(2026, 3, 4)):
        report(liaison_a, [pupil_a], "BL02", days_ago=1)


def test_files_opened_by_year_and_division(two_years, county):
    y2025, y2026 = Period.year(2025), Period.year(2026)
    assert files_opened(division=None, period=y2025) == 2
    assert files_opened(division=county.township_a, period=y2025) == 1
    assert files_opened(division=county.township_b, period=y2025) == 1
    assert files_opened(division=None, period=y2026) == 0


def test_misconduct_events_by_year_and_division(two_years, county):
    y2025, y2026 = Period.year(2025), Period.year(2026)
    assert misconduct_events(division=None, period=y2025) == 1  # a group event counts once
    assert misconduct_events(division=county.township_a, period=y2025) == 1
    assert misconduct_events(division=county.township_b, period=y2025) == 1
    assert misconduct_events(division=None, period=y2026) == 1
    assert misconduct_events(division=county.township_b, period=y2026) == 0


def test_the_contract_declares_them():
    assert KEYS["atrisk_files_opened"].measure is FILES_OPENED
    assert KEYS["misconduct_events"].measure is MISCONDUCT_EVENTS
    assert all(indicator.doc for indicator in APP.indicators)
