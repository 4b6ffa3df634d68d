"""The figures legal vice-principals offer the statistics app (weibao.core.contract.Indicator).

Each counts records of one period within one division (by the division code's prefix; None for
the whole county), directly, not through any user's scope: statistics are aggregates. An
appointment or a duty is placed by the school it serves.
"""

from __future__ import annotations

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.core.contract import Period
from weibao.legalvp.models import Appointment, DutyRecord


def _schools_in(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__organisation__division__code__startswith": division.prefix})


def appointments_issued(*, division: Division | None, period: Period) -> int:
    """Letters of appointment (聘书) issued in the period, first terms and renewals, for
    legal vice-principals serving a school in the division."""
    return (
        Appointment.objects.filter(issued_on__gte=period.start, issued_on__lt=period.end)
        .filter(_schools_in(division, "school_links__school"))
        .distinct()
        .count()
    )


def law_classes(*, division: Division | None, period: Period) -> int:
    """Law-education duties (FD1) legal vice-principals performed in the period at schools in
    the division, each record one class or lecture."""
    return (
        DutyRecord.objects.filter(
            kind=DutyRecord.Kind.LAW_EDUCATION, date__gte=period.start, date__lt=period.end
        )
        .filter(_schools_in(division, "school"))
        .count()
    )
