"""The figures casework offers the statistics app (weibao.core.contract.Indicator).

Each counts records of one period within one division (by the division code's prefix; None for
the whole county), directly, not through any user's scope: statistics are aggregates.
"""

from __future__ import annotations

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.casework.models import Case, GuardianOrder, LateReport
from weibao.core.contract import Period


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.prefix})


def mandatory_reports(*, division: Division | None, period: Period) -> int:
    """Mandatory reports filed in the period about a place in the division."""
    return (
        Case.objects.filter(filed_at__date__gte=period.start, filed_at__date__lt=period.end)
        .filter(_within(division, "division"))
        .count()
    )


def late_reports(*, division: Division | None, period: Period) -> int:
    """Units found to have reported late or not at all (recorded in the period), for reports
    about a place in the division."""
    return (
        LateReport.objects.filter(
            recorded_at__date__gte=period.start, recorded_at__date__lt=period.end
        )
        .filter(_within(division, "case__division"))
        .count()
    )


def guardian_orders(*, division: Division | None, period: Period) -> int:
    """Orders to guardians issued in the period, for minors living in the division."""
    return (
        GuardianOrder.objects.filter(issued_on__gte=period.start, issued_on__lt=period.end)
        .filter(_within(division, "child__division"))
        .count()
    )
