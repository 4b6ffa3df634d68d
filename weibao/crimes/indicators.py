"""The figures the criminal-case register offers the statistics app, declared as `Measure`s
(weibao.core.contract) so that statistics counts every township and period in one query.

Every figure is placed by the case's division (`where`: a township or a village, counted by the
code's prefix). Decisions are counted by the day they were decided (the speech's "arrested in
2021" is the year of the arrest decision); suspects and victims by the offence date; prosecuted
cases by the day of the first prosecution decision on one of their minor suspects.
"""

from __future__ import annotations

from django.db.models import QuerySet

from weibao.core.contract import Measure, Share
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


# Shares of those counts (the statistics app keeps the two counts beside each share).
GANG_SHARE = Share(part=PROSECUTED_GANG_CASES, whole=PROSECUTED_CASES)
SHARE_14_16 = Share(part=SUSPECTS_14_16, whole=MINOR_SUSPECTS)
SHARE_UNDER_14 = Share(part=SUSPECTS_UNDER_14, whole=MINOR_SUSPECTS)
