"""The figures the care of left-behind and vulnerable children offers the statistics app.

Each counts records within one division (by the division code's prefix, through the child's
place of residence; None for the whole county), directly, not through any user's scope. The
warnings raised are a declared Measure; the rest are declared Stocks (the register now, the
children in difficulty at some time in the period) or a Share of two."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from weibao.care.models import CareWarning, Difficulty, Visit
from weibao.core.contract import Measure, Period, Share, Stock
from weibao.people.models import LeftBehindStatus

CONTACT_DAYS = 7
WHERE = "child__division"  # by the child's place of residence


def _left_behind() -> QuerySet[LeftBehindStatus]:
    return LeftBehindStatus.objects.filter(is_active=True)


def _last_day(period: Period) -> date:
    """The period's last day, or today for a period not over yet."""
    return min(period.end - timedelta(days=1), timezone.localdate())


def _visited_in(period: Period) -> Q:
    visits = Visit.objects.filter(
        child=OuterRef("child"), visited_on__gte=period.start, visited_on__lt=period.end
    )
    return Q(Exists(visits))


def _contact_overdue(period: Period) -> Q:
    cutoff = _last_day(period) - timedelta(days=CONTACT_DAYS)
    return Q(last_contact_date__isnull=True) | Q(last_contact_date__lt=cutoff)


def _in_difficulty(period: Period) -> Q:
    return Q(since__lt=period.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))


# Children on the left-behind register now (an active status), by where they live: the
# register keeps no history, so every period counts today's list.
LEFT_BEHIND = Stock(rows=_left_behind, where=WHERE, when=lambda _period: Q())

# Of those, the ones with at least one home visit in the period.
VISITED = Stock(rows=_left_behind, where=WHERE, when=_visited_in, depends=("care.Visit",))

# Per cent of the left-behind children with at least one home visit in the period.
VISIT_COVERAGE = Share(part=VISITED, whole=LEFT_BEHIND)

# Left-behind children whose parents' last contact was more than a week before the period's
# last day (today, for a period not over yet), or never.
OVERDUE_CONTACTS = Stock(rows=_left_behind, where=WHERE, when=_contact_overdue)

# Children in difficulty at some time in the period (a child in two categories once).
CHILDREN_IN_DIFFICULTY = Stock(
    rows=lambda: Difficulty.objects.all(),
    where=WHERE,
    when=_in_difficulty,
    value=lambda: Count("child", distinct=True),
)

# Care warnings raised in the period about children living in the division, split by the
# reason (an unfit or absent carer, a child alone, a disqualified carer, an overdue contact).
WARNINGS_RAISED = Measure(
    rows=lambda: CareWarning.objects.all(),
    on="raised_at",
    where="child__division",
    breakdown="reason",
)
