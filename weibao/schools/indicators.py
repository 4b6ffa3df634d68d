"""The figures the schools app offers the statistics app (weibao.core.contract.Indicator).

Declared Stocks on the period's last day, by the school unit's division (within the whole
county for None). Read directly, not through any user's scope.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q

from weibao.core.contract import Period, Stock, last_day
from weibao.schools.models import LiaisonAppointment, School

WHERE = "organisation__division"


def _open_on(day: date) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


def _open(period: Period) -> Q:
    return _open_on(last_day(period))


def _open_with_liaison(period: Period) -> Q:
    day = last_day(period)
    in_post = LiaisonAppointment.objects.filter(
        school=OuterRef("pk"), position=LiaisonAppointment.Position.MAIN, started_on__lte=day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    return _open_on(day) & Q(Exists(in_post))


# Schools on the register not closed by the period's last day (no opening dates are kept: a
# school opened later counts too).
SCHOOLS = Stock(rows=lambda: School.objects.all(), where=WHERE, when=_open, school="pk")

# Of those schools, the ones with a main campus liaison in post on the period's last day.
SCHOOLS_WITH_LIAISON = Stock(
    rows=lambda: School.objects.all(),
    where=WHERE,
    when=_open_with_liaison,
    depends=("schools.LiaisonAppointment",),
    school="pk",
)
