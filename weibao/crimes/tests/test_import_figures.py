"""The speech's figures reproduced from a workbook built to match them, through the import and
the indicator definitions (weibao_app.py's declared measures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from weibao.accounts.models import User
from weibao.core.contract import Period, figure, percent
from weibao.crimes import services
from weibao.crimes.models import Case, Decision, Suspect, Victim
from weibao.crimes.tests.conftest import (
    AGED_14_16,
    ARRESTED,
    PROSECUTED,
    speech_upload,
)
from weibao.testing import County

SPAN = Period(date(2017, 1, 1), date(2022, 10, 1))


def _import(actor: User) -> services.ImportReport:
    report = services.cases_import(actor=actor, upload=speech_upload())
    assert report.clean, report.errors
    return report


def _yearly(key: str) -> dict[int, int]:
    return {
        year: int(figure(f"crimes.{key}", division=None, period=Period.year(year)))
        for year in range(2017, 2023)
    }


def test_arrested_and_prosecuted_over_the_span(prosecutor: User) -> None:
    _import(prosecutor)
    assert figure("crimes.minors_arrested", division=None, period=SPAN) == 76
    assert figure("crimes.minors_prosecuted", division=None, period=SPAN) == 74


def test_yearly_counts_rise_except_2020(prosecutor: User) -> None:
    _import(prosecutor)
    arrested, prosecuted = _yearly("minors_arrested"), _yearly("minors_prosecuted")
    assert arrested == ARRESTED
    assert prosecuted == PROSECUTED
    for series in (arrested, prosecuted):
        falls = [year for year in range(2018, 2023) if series[year] < series[year - 1]]
        assert falls == [2020]


def test_gang_share_of_prosecuted_cases(prosecutor: User) -> None:
    _import(prosecutor)
    assert figure("crimes.prosecuted_cases", division=None, period=SPAN) == 41
    assert figure("crimes.prosecuted_gang_cases", division=None, period=SPAN) == 34
    assert figure("crimes.gang_share", division=None, period=SPAN) == Decimal("82.9")


def test_sexual_assault_victims_fall_by_71_4_per_cent(prosecutor: User) -> None:
    _import(prosecutor)
    victims = _yearly("sexual_assault_victims")
    assert (victims[2020], victims[2021]) == (7, 2)
    assert percent(victims[2020] - victims[2021], victims[2020]) == Decimal("71.4")
    # The 2021 theft's victim is a minor victim, not one of a sexual offence.
    assert _yearly("minor_victims")[2021] == 3


def test_suspects_aged_14_to_16_rise(prosecutor: User) -> None:
    _import(prosecutor)
    assert _yearly("suspects_14_16") == AGED_14_16
    assert _yearly("suspects_under_14")[2021] == 1


def test_adult_suspects_are_not_counted(prosecutor: User) -> None:
    _import(prosecutor)
    adults = Suspect.objects.filter(minor=False)
    assert adults.count() == 5
    arrested = Decision.objects.filter(kind=Decision.Kind.ARREST).count()
    assert arrested == 76 + 4  # the four adults of the cases against minors


def test_by_township(prosecutor: User, county: County) -> None:
    _import(prosecutor)
    a = figure("crimes.minors_arrested", division=county.township_a, period=SPAN)
    b = figure("crimes.minors_arrested", division=county.township_b, period=SPAN)
    assert a + b == 76 and a > 0 and b > 0
    village = figure("crimes.minors_arrested", division=county.village_a, period=SPAN)
    assert 0 < village < a


def test_reimport_changes_nothing(prosecutor: User) -> None:
    first = _import(prosecutor)
    counts = (Case.objects.count(), Suspect.objects.count(), Victim.objects.count())
    pks = sorted(Suspect.objects.values_list("pk", flat=True))
    for _ in range(2):
        again = _import(prosecutor)
        assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert (Case.objects.count(), Suspect.objects.count(), Victim.objects.count()) == counts
    assert sorted(Suspect.objects.values_list("pk", flat=True)) == pks
    assert figure("crimes.minors_arrested", division=None, period=SPAN) == 76
