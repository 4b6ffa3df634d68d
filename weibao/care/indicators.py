"""The figures the care of left-behind and vulnerable children offers the statistics app.

Each counts records within one division (by the division code's prefix, through the child's
place of residence; None for the whole county), directly, not through any user's scope. The
warnings raised are a declared Measure; the rest are states (the register now, the children in
difficulty at some time in the period) or shares, and stay functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from weibao.accounts.models import Division
from weibao.care.models import CareWarning, Difficulty, Visit
from weibao.core.contract import Measure, Period, percent
from weibao.people.models import LeftBehindStatus

CONTACT_DAYS = 7


def _within(division: Division | None, path: str = "child__") -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}division__code__startswith": division.prefix})


def _left_behind(division: Division | None) -> QuerySet[LeftBehindStatus]:
    return LeftBehindStatus.objects.filter(_within(division), is_active=True)


def _last_day(period: Period) -> date:
    """The period's last day, or today for a period not over yet."""
    return min(period.end - timedelta(days=1), timezone.localdate())


def left_behind_children(*, division: Division | None, period: Period) -> int:
    """Children on the left-behind register now (an active status), by where they live."""
    return _left_behind(division).count()


def visit_coverage(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of the left-behind children with at least one home visit in the period."""
    children = _left_behind(division)
    visited = Visit.objects.filter(
        child=OuterRef("child"), visited_on__gte=period.start, visited_on__lt=period.end
    )
    return percent(children.filter(Exists(visited)).count(), children.count())


def overdue_contacts(*, division: Division | None, period: Period) -> int:
    """Left-behind children whose parents' last contact was more than a week before the
    period's last day (or never)."""
    cutoff = _last_day(period) - timedelta(days=CONTACT_DAYS)
    return (
        _left_behind(division)
        .filter(Q(last_contact_date__isnull=True) | Q(last_contact_date__lt=cutoff))
        .count()
    )


def children_in_difficulty(*, division: Division | None, period: Period) -> int:
    """Children in difficulty at some time in the period (a child in two categories once)."""
    return (
        Difficulty.objects.filter(_within(division), since__lt=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .values("child")
        .distinct()
        .count()
    )


# Care warnings raised in the period about children living in the division, split by the
# reason (an unfit or absent carer, a child alone, a disqualified carer, an overdue contact).
WARNINGS_RAISED = Measure(
    rows=lambda: CareWarning.objects.all(),
    on="raised_at",
    where="child__division",
    breakdown="reason",
)
