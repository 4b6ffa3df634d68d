"""The figures venues near schools offers the statistics app (weibao.core.contract.Indicator).

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope. Registry figures describe the venues registered
before the period's end (functions); violations, inspections and findings dated in the period
are declared Measures; the coverage and the rectification shares stay functions.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, percent
from weibao.venues.models import (
    Finding,
    Inspection,
    RectificationOrder,
    Venue,
    VenueQuerySet,
    Violation,
)


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.prefix})


def _venues(division: Division | None, period: Period) -> VenueQuerySet:
    return Venue.objects.operating().filter(
        _within(division, "village"), created_at__date__lt=period.end
    )


def venues(*, division: Division | None, period: Period) -> int:
    """Operating venues registered before the period's end."""
    return _venues(division, period).count()


def venues_by_kind(division: Division | None, period: Period) -> dict[str, int]:
    """Operating venues by kind (for tables; not an indicator of one figure)."""
    rows = _venues(division, period).values("kind").annotate(n=Count("pk")).order_by("kind")
    return {row["kind"]: row["n"] for row in rows}


def _in_period(path: str, period: Period) -> Q:
    return Q(**{f"{path}__date__gte": period.start, f"{path}__date__lt": period.end})


# Distance violations (venue-school pairs) opened in the period, by the venue's village, split
# by the kind of venue.
VIOLATIONS_OPENED = Measure(
    rows=lambda: Violation.objects.all(),
    on="opened_at",
    where="venue__village",
    breakdown="venue__kind",
)

# Distance violations closed in the period, split by the kind of venue.
VIOLATIONS_CLOSED = Measure(
    rows=lambda: Violation.objects.all(),
    on="closed_at",
    where="venue__village",
    breakdown="venue__kind",
)


def violations_open(*, division: Division | None, period: Period) -> int:
    """Distance violations open at the period's end."""
    return (
        Violation.objects.filter(
            _within(division, "venue__village"), opened_at__date__lt=period.end
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=period.end))
        .count()
    )


# Inspections of venues dated in the period, split by the kind of venue.
INSPECTIONS = Measure(
    rows=lambda: Inspection.objects.all(),
    on="inspected_at",
    where="venue__village",
    breakdown="venue__kind",
)


def inspection_coverage(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of operating venues inspected at least once in the period."""
    all_venues = _venues(division, period)
    inspected = all_venues.filter(
        pk__in=Inspection.objects.filter(_in_period("inspected_at", period)).values("venue")
    )
    return percent(inspected.count(), all_venues.count())


# Findings (checklist lines found broken) of inspections in the period.
FINDINGS = Measure(
    rows=lambda: Finding.objects.all(),
    on="inspection__inspected_at",
    where="inspection__venue__village",
)


def findings_by_item(division: Division | None, period: Period) -> dict[str, int]:
    """Findings by checklist item (for tables)."""
    rows = (
        Finding.objects.filter(
            _within(division, "inspection__venue__village"),
            _in_period("inspection__inspected_at", period),
        )
        .values("item")
        .annotate(n=Count("pk"))
        .order_by("-n", "item")
    )
    return {row["item"]: row["n"] for row in rows}


def rectified_on_time(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of orders due in the period that were rectified by their deadline."""
    due = RectificationOrder.objects.filter(
        _within(division, "venue__village"),
        deadline__gte=period.start,
        deadline__lt=period.end,
    )
    on_time = [order for order in due.only("state", "closed_at", "deadline") if order.on_time]
    return percent(len(on_time), due.count())
