"""The figures law education offers the statistics app (weibao.core.contract.Indicator).

Each counts records of one period within one division (by the division code's prefix; None for
the whole county), directly, not through any user's scope: statistics are aggregates. A session
is placed by its school's unit, or, outside schools, by its village or community: two paths to
a division, so the sessions held stay a function; the schools reached are a declared Measure.
"""

from __future__ import annotations

from django.db.models import Count, Q

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period
from weibao.education.models import Session, SessionQuerySet


def _held(division: Division | None, period: Period) -> SessionQuerySet:
    sessions = Session.objects.held().filter(date__gte=period.start, date__lt=period.end)
    if division is None:
        return sessions
    return sessions.filter(
        Q(school__organisation__division__code__startswith=division.prefix)
        | Q(division__code__startswith=division.prefix)
    )


def sessions_held(*, division: Division | None, period: Period) -> int:
    """Law-education sessions held in the period, at schools or villages in the division."""
    return _held(division, period).count()


# Schools in the division that held at least one law-education session in the period (the
# school's unit's division; a session at a school has no village of its own). Distinct schools:
# a school in two months is one school in the year.
SCHOOLS_REACHED = Measure(
    rows=lambda: Session.objects.held().filter(school__isnull=False),
    on="date",
    where="school__organisation__division",
    value=lambda: Count("school", distinct=True),
    additive=False,
)
