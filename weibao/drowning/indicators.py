"""The figures drowning prevention offers the statistics app (weibao.core.contract.Indicator).

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope. Incidents, deaths and patrols are declared
Measures counting those of the period; the shares stay functions: the equipment and custodian
shares describe the registry as it stands (waters registered before the period's end), the
coverages compare two counts.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, percent
from weibao.drowning.models import (
    Assignment,
    Custodian,
    HazardousWater,
    Incident,
    LetterReceipt,
    ParentLetter,
    Patrol,
    SignInspection,
    WaterQuerySet,
)
from weibao.drowning.services.assignments import to_be_assigned
from weibao.people.models import Person
from weibao.schools.models import School


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.prefix})


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Drowning incidents and near-drownings of minors in the period, by where they happened (the
# water's village, or the place given), split by the circumstance (alone, with other minors,
# with an adult).
INCIDENTS = Measure(
    rows=lambda: Incident.objects.all(),
    on="occurred_at",
    where="division",
    breakdown="circumstance",
)

# Incidents in the period in which the child died, split by the circumstance.
DEATHS = Measure(
    rows=lambda: Incident.objects.filter(outcome=Incident.Outcome.DIED),
    on="occurred_at",
    where="division",
    breakdown="circumstance",
)


def _waters(division: Division | None, period: Period) -> WaterQuerySet:
    return HazardousWater.objects.filter(
        _within(division, "village"), created_at__date__lt=period.end
    )


def high_risk_equipped_share(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of high-risk waters with all four ones (sign, pole, rope, ring) in place."""
    high = _waters(division, period).filter(risk=HazardousWater.Risk.HIGH)
    return _share(high.fully_equipped().count(), high.count())


def custodian_share(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of waters deeper than 0.5 m with at least one custodian."""
    deep = _waters(division, period).filter(deeper_than_half_metre=True)
    linked = Custodian.waters.through.objects.filter(hazardouswater=OuterRef("pk"))
    return _share(deep.filter(Exists(linked)).count(), deep.count())


# Patrols of hazardous waters in the period, by the water's village.
PATROLS = Measure(rows=lambda: Patrol.objects.all(), on="patrolled_at", where="water__village")


def letter_receipt_coverage(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the pupils of the division's schools whose receipt came back, over the
    letters issued in the period (a school with two letters counts its pupils twice)."""
    letters = ParentLetter.objects.filter(
        _within(division, "school__organisation__division"),
        issued_on__gte=period.start,
        issued_on__lt=period.end,
    )
    per_school = dict(
        letters.values("school__organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("school__organisation_id", "n")
    )
    pupils = (
        Person.objects.filter(school_id__in=per_school)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    expected = sum(row["n"] * per_school[row["school_id"]] for row in pupils)
    returned = LetterReceipt.objects.filter(letter__in=letters).count()
    return percent(returned, expected)


def assignment_coverage(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the children to be assigned (aged 3-15, or left behind) on the period's
    last day, living in the division, with an assignment for the period's years."""
    last = period.end - timedelta(days=1)
    children = to_be_assigned(
        Person.objects.filter(_within(division, "division"), created_at__date__lt=period.end),
        last,
    )
    assigned = Assignment.objects.filter(
        child=OuterRef("pk"),
        year__gte=period.start.year,
        year__lte=last.year,
        assigned_on__lt=period.end,
    )
    return percent(children.filter(Exists(assigned)).count(), children.count())


def sign_inspection_coverage(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the division's open schools that reported a summer sign inspection dated in
    the period."""
    schools = School.objects.open().filter(_within(division, "organisation__division"))
    done = SignInspection.objects.submitted().filter(
        school=OuterRef("pk"), inspected_on__gte=period.start, inspected_on__lt=period.end
    )
    return percent(schools.filter(Exists(done)).count(), schools.count())
