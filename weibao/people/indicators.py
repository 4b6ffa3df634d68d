"""The figures the people register offers the statistics app (weibao.core.contract.Indicator).

Stocks rather than flows: how many minors the register holds on the period's last day, the
denominator of every per-minor rate. A person is placed by residence, or by school where no
residence is recorded; None for the whole county. Read directly, not through any user's scope.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.core.contract import Period
from weibao.people.models import LeftBehindStatus, Person, adult_birth_cutoff


def _placed_in(division: Division | None, path: str = "") -> Q:
    if division is None:
        return Q()
    prefix = division.prefix
    return Q(**{f"{path}division__code__startswith": prefix}) | Q(
        **{f"{path}division__isnull": True, f"{path}school__division__code__startswith": prefix}
    )


def _minors_on_last_day(period: Period, path: str = "") -> Q:
    last_day = period.end - timedelta(days=1)
    return Q(
        **{
            f"{path}birth_date__gte": adult_birth_cutoff(last_day),
            f"{path}birth_date__lte": last_day,
            f"{path}created_at__date__lte": last_day,
        }
    )


def minors_registered(*, division: Division | None, period: Period) -> int:
    """People under 18 on the period's last day who were in the register by then."""
    return Person.objects.filter(_minors_on_last_day(period), _placed_in(division)).count()


def left_behind_children(*, division: Division | None, period: Period) -> int:
    """Minors (on the period's last day) whose left-behind status is active. The register keeps
    the status as it is now, not its history: for a past period this is today's list."""
    return (
        LeftBehindStatus.objects.filter(is_active=True)
        .filter(_minors_on_last_day(period, "child__"), _placed_in(division, "child__"))
        .count()
    )
