"""The figures the criminal-case register offers the statistics app, declared as `Measure`s
(weibao.core.contract) so that statistics counts every township and period in one query.

Every figure is placed by the case's division (`where`: a township or a village, counted by the
code's prefix). Decisions are counted by the day they were decided (the speech's "arrested in
2021" is the year of the arrest decision); suspects and victims by the offence date; prosecuted
cases by the day of the first prosecution decision on one of their minor suspects.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, percent
from weibao.crimes.models import AgeBand, Case, Decision, OffenceGroup, Suspect, Victim


def _arrests() -> QuerySet[Decision]:
    return Decision.objects.filter(kind=Decision.Kind.ARREST, suspect__minor=True)


def _prosecutions() -> QuerySet[Decision]:
    return Decision.objects.filter(kind=Decision.Kind.PROSECUTE, suspect__minor=True)


def _minor_suspects() -> QuerySet[Suspect]:
    return Suspect.objects.filter(minor=True)


def _suspects_14_16() -> QuerySet[Suspect]:
    return Suspect.objects.filter(age_band=AgeBand.FROM_14_TO_16)


def _suspects_under_14() -> QuerySet[Suspect]:
    return Suspect.objects.filter(age_band=AgeBand.UNDER_14)


def _prosecuted_cases() -> QuerySet[Case]:
    return Case.objects.filter(prosecuted_on__isnull=False)


def _prosecuted_gang_cases() -> QuerySet[Case]:
    return Case.objects.filter(prosecuted_on__isnull=False, gang=True)


def _minor_victims() -> QuerySet[Victim]:
    return Victim.objects.filter(minor=True)


def _sexual_assault_victims() -> QuerySet[Victim]:
    return Victim.objects.filter(minor=True, offence_group=OffenceGroup.SEXUAL)


DECISION_WHERE = "suspect__case__division"

MINORS_ARRESTED = Measure(
    rows=_arrests, on="decided_on", where=DECISION_WHERE, breakdown="suspect__age_band"
)
MINORS_PROSECUTED = Measure(
    rows=_prosecutions, on="decided_on", where=DECISION_WHERE, breakdown="suspect__age_band"
)
MINOR_SUSPECTS = Measure(
    rows=_minor_suspects, on="case__offence_date", where="case__division", breakdown="age_band"
)
SUSPECTS_14_16 = Measure(rows=_suspects_14_16, on="case__offence_date", where="case__division")
SUSPECTS_UNDER_14 = Measure(
    rows=_suspects_under_14, on="case__offence_date", where="case__division"
)
PROSECUTED_CASES = Measure(
    rows=_prosecuted_cases, on="prosecuted_on", where="division", breakdown="offence_group"
)
PROSECUTED_GANG_CASES = Measure(
    rows=_prosecuted_gang_cases, on="prosecuted_on", where="division", breakdown="offence_group"
)
MINOR_VICTIMS = Measure(
    rows=_minor_victims, on="case__offence_date", where="case__division", breakdown="offence_group"
)
SEXUAL_ASSAULT_VICTIMS = Measure(
    rows=_sexual_assault_victims, on="case__offence_date", where="case__division"
)


def gang_share(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the cases prosecuted in the period that are gang crimes."""
    whole = PROSECUTED_CASES.count(division=division, period=period)
    part = PROSECUTED_GANG_CASES.count(division=division, period=period)
    return percent(part, whole)


def share_14_16(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the minor suspects (by offence date) aged 14 or 15 at the offence."""
    whole = MINOR_SUSPECTS.count(division=division, period=period)
    return percent(SUSPECTS_14_16.count(division=division, period=period), whole)


def share_under_14(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the minor suspects (by offence date) under 14 at the offence."""
    whole = MINOR_SUSPECTS.count(division=division, period=period)
    return percent(SUSPECTS_UNDER_14.count(division=division, period=period), whole)
