"""The letter-receipt and assignment coverage indicators: counted by division and period,
directly (not through a user's scope)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from weibao.core.contract import Period
from weibao.drowning import indicators
from weibao.drowning.models import LetterReceipt
from weibao.drowning.weibao_app import APP


def test_declared() -> None:
    keys = {indicator.key for indicator in APP.indicators}
    assert {"letter_receipt_coverage", "assignment_coverage"} <= keys


def test_letter_receipt_coverage(letter, pupils, county) -> None:
    year = Period.year(2026)
    assert indicators.LETTER_RECEIPT_COVERAGE.figure(division=None, period=year) == Decimal(0)
    LetterReceipt.objects.create(
        letter=letter, pupil=pupils[0], received_on=date(2026, 7, 2), via="class_list"
    )
    assert indicators.LETTER_RECEIPT_COVERAGE.figure(division=None, period=year) == Decimal("33.3")
    assert indicators.LETTER_RECEIPT_COVERAGE.figure(
        division=county.township_a, period=year
    ) == Decimal("33.3")
    assert indicators.LETTER_RECEIPT_COVERAGE.figure(
        division=county.township_b, period=year
    ) == Decimal(0)
    assert indicators.LETTER_RECEIPT_COVERAGE.figure(
        division=None, period=Period.year(2025)
    ) == Decimal(0)


def test_assignment_coverage(assignment, pupils, county) -> None:
    year = Period.year(2026)
    # Three pupils aged 8-13 living in village A, one of them assigned.
    assert indicators.ASSIGNMENT_COVERAGE.figure(division=None, period=year) == Decimal("33.3")
    assert indicators.ASSIGNMENT_COVERAGE.figure(
        division=county.township_a, period=year
    ) == Decimal("33.3")
    assert indicators.ASSIGNMENT_COVERAGE.figure(
        division=county.township_b, period=year
    ) == Decimal(0)
    assert indicators.ASSIGNMENT_COVERAGE.figure(
        division=None, period=Period.year(2025)
    ) == Decimal(0)
