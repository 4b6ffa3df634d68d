"""The figures drowning prevention offers the statistics app (weibao.core.contract.Indicator).

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope, and is declared: incidents, deaths and patrols
are Measures counting those of the period; the equipment and custodian shares describe the
registry as it stands (Stocks of the waters registered before the period's end); the coverages
are Shares of two counts.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from weibao.core.contract import Measure, Period, Share, Stock, last_day, midnight
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
    to_be_assigned_on,
)
from weibao.people.models import Person
from weibao.schools.models import School

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


def _registered(period: Period) -> Q:
    """Waters registered before the period's end."""
    return Q(created_at__lt=midnight(period.end))


def _high_risk() -> WaterQuerySet:
    return HazardousWater.objects.filter(risk=HazardousWater.Risk.HIGH)


# High-risk waters registered before the period's end, and those of them whose four ones (sign,
# pole, rope, ring) are all in place now.
HIGH_RISK = Stock(rows=_high_risk, where="village", when=_registered)
HIGH_RISK_EQUIPPED = Stock(
    rows=lambda: _high_risk().fully_equipped(), where="village", when=_registered
)

# Per cent of high-risk waters with all four ones (sign, pole, rope, ring) in place.
HIGH_RISK_EQUIPPED_SHARE = Share(part=HIGH_RISK_EQUIPPED, whole=HIGH_RISK)


def _deep() -> QuerySet[HazardousWater]:
    return HazardousWater.objects.filter(deeper_than_half_metre=True)


def _deep_with_custodian() -> QuerySet[HazardousWater]:
    linked = Custodian.waters.through.objects.filter(hazardouswater=OuterRef("pk"))
    return _deep().filter(Exists(linked))


# Waters deeper than 0.5 m registered before the period's end, and those of them with at least
# one custodian (now).
DEEP = Stock(rows=_deep, where="village", when=_registered)
DEEP_WITH_CUSTODIAN = Stock(
    rows=_deep_with_custodian,
    where="village",
    when=_registered,
    depends=("drowning.Custodian", "drowning.Custodian_waters"),
)

# Per cent of waters deeper than 0.5 m with at least one custodian.
CUSTODIAN_SHARE = Share(part=DEEP_WITH_CUSTODIAN, whole=DEEP)


# Patrols of hazardous waters in the period, by the water's village.
PATROLS = Measure(rows=lambda: Patrol.objects.all(), on="patrolled_at", where="water__village")


LETTER_WHERE = "school__organisation__division"


def _pupils_of_school() -> Subquery:
    """The number of pupils in the register now of a letter's school."""
    pupils = (
        Person.objects.filter(school_id=OuterRef("school__organisation_id"))
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(pupils)


# Receipts returned of the letters to parents issued in the period, by the letter's school.
LETTER_RECEIPTS = Measure(
    rows=lambda: LetterReceipt.objects.all(),
    on="letter__issued_on",
    where=f"letter__{LETTER_WHERE}",
    school="letter__school",
)

# The receipts expected of the letters issued in the period: for each letter, the pupils of its
# school in the register now (a school with two letters counts its pupils twice).
LETTER_RECEIPTS_EXPECTED = Measure(
    rows=lambda: ParentLetter.objects.all(),
    on="issued_on",
    where=LETTER_WHERE,
    value=lambda: Sum(_pupils_of_school()),
    depends=("people.Person",),
    school="school",
)

# Per cent of the pupils of the division's schools whose receipt came back, over the letters
# issued in the period (a school with two letters counts its pupils twice).
LETTER_RECEIPT_COVERAGE = Share(part=LETTER_RECEIPTS, whole=LETTER_RECEIPTS_EXPECTED)


def _to_be_assigned(period: Period) -> Q:
    """People registered before the period's end who are to be assigned on its last day: minors
    aged 3-15, or left behind."""
    return Q(to_be_assigned_on(last_day(period)), created_at__lt=midnight(period.end))


def _assigned(period: Period) -> Q:
    """Those of them with an assignment for a season of the period's years made before its end."""
    assigned = Assignment.objects.filter(
        child=OuterRef("pk"),
        year__gte=period.start.year,
        year__lte=last_day(period).year,
        assigned_on__lt=period.end,
    )
    return _to_be_assigned(period) & Q(Exists(assigned))


# Children living in the division to be assigned on the period's last day (aged 3-15, or left
# behind), and those of them with an assignment for the period's years.
TO_BE_ASSIGNED = Stock(
    rows=lambda: Person.objects.all(),
    where="division",
    when=_to_be_assigned,
    depends=("people.LeftBehindStatus",),
)
ASSIGNED = Stock(
    rows=lambda: Person.objects.all(),
    where="division",
    when=_assigned,
    depends=("people.LeftBehindStatus", "drowning.Assignment"),
)

# Per cent of the children to be assigned (aged 3-15, or left behind) on the period's last day,
# living in the division, with an assignment for the period's years.
ASSIGNMENT_COVERAGE = Share(part=ASSIGNED, whole=TO_BE_ASSIGNED)


def _inspected_signs(period: Period) -> Q:
    done = SignInspection.objects.submitted().filter(
        school=OuterRef("pk"), inspected_on__gte=period.start, inspected_on__lt=period.end
    )
    return Q(Exists(done))


SCHOOL_WHERE = "organisation__division"

# The open schools (now) of the division, and those of them that reported a summer sign
# inspection dated in the period.
OPEN_SCHOOLS = Stock(
    rows=lambda: School.objects.open(), where=SCHOOL_WHERE, when=lambda _period: Q(), school="pk"
)
SIGNS_INSPECTED = Stock(
    rows=lambda: School.objects.open(),
    where=SCHOOL_WHERE,
    when=_inspected_signs,
    depends=("drowning.SignInspection",),
    school="pk",
)

# Per cent of the division's open schools that reported a summer sign inspection dated in the
# period.
SIGN_INSPECTION_COVERAGE = Share(part=SIGNS_INSPECTED, whole=OPEN_SCHOOLS)
