"""The figures the schools app offers the statistics app (weibao.core.contract.Indicator).

Stocks on the period's last day, by the school unit's division (None for the whole county).
Read directly, not through any user's scope.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.core.contract import Period
from weibao.schools.models import LiaisonAppointment, School


def _schools_in(division: Division | None, path: str = "") -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}organisation__division__code__startswith": division.prefix})


def _open_on(day: date) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


def schools(*, division: Division | None, period: Period) -> int:
    """Schools on the register not closed by the period's last day (no opening dates are kept:
    a school opened later counts too)."""
    last_day = period.end - timedelta(days=1)
    return School.objects.filter(_schools_in(division), _open_on(last_day)).count()


def schools_with_liaison(*, division: Division | None, period: Period) -> int:
    """Of those schools, the ones with a main campus liaison in post on the period's last day."""
    last_day = period.end - timedelta(days=1)
    in_post = LiaisonAppointment.objects.filter(
        position=LiaisonAppointment.Position.MAIN, started_on__lte=last_day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=last_day))
    return (
        School.objects.filter(_schools_in(division), _open_on(last_day))
        .filter(pk__in=in_post.values("school_id"))
        .count()
    )
