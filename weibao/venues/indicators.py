"""The figures venues near schools offers the statistics app (weibao.core.contract.Indicator).

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope, and is declared: registry figures are Stocks
(the venues registered before the period's end, the violations open at its end); violations,
inspections, findings and rectification orders dated in the period are Measures; the coverage
and the rectification share are Shares of two counts.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, Share, Stock, midnight
from weibao.venues.models import (
    Finding,
    Inspection,
    RectificationOrder,
    Venue,
    Violation,
)


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.prefix})


def _registered(period: Period) -> Q:
    return Q(created_at__lt=midnight(period.end))


# Operating venues (not closed, now) registered before the period's end, by the venue's
# village, split by the kind of venue.
VENUES = Stock(
    rows=lambda: Venue.objects.operating(), where="village", when=_registered, breakdown="kind"
)


def _in_period(path: str, period: Period) -> Q:
    return Q(**{f"{path}__gte": midnight(period.start), f"{path}__lt": midnight(period.end)})


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


def _open_at_end(period: Period) -> Q:
    end = midnight(period.end)
    return Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))


# Distance violations open at the period's end (opened before it, not closed by then).
VIOLATIONS_OPEN = Stock(
    rows=lambda: Violation.objects.all(), where="venue__village", when=_open_at_end
)


# Inspections of venues dated in the period, split by the kind of venue.
INSPECTIONS = Measure(
    rows=lambda: Inspection.objects.all(),
    on="inspected_at",
    where="venue__village",
    breakdown="venue__kind",
)


def _inspected(period: Period) -> Q:
    done = Inspection.objects.filter(_in_period("inspected_at", period), venue=OuterRef("pk"))
    return _registered(period) & Q(Exists(done))


# Of the operating venues registered before the period's end, those inspected at least once in
# the period.
VENUES_INSPECTED = Stock(
    rows=lambda: Venue.objects.operating(),
    where="village",
    when=_inspected,
    depends=("venues.Inspection",),
)

# Per cent of operating venues inspected at least once in the period.
INSPECTION_COVERAGE = Share(part=VENUES_INSPECTED, whole=VENUES)


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


def _rectified_on_time() -> QuerySet[RectificationOrder]:
    """Orders rectified by their deadline: closed as rectified on (local date) or before it
    (RectificationOrder.on_time)."""
    return RectificationOrder.objects.filter(
        state=RectificationOrder.State.RECTIFIED,
        closed_at__isnull=False,
        closed_at__date__lte=F("deadline"),
    )


# Rectification orders due in the period, and those of them rectified by the deadline.
ORDERS_DUE = Measure(
    rows=lambda: RectificationOrder.objects.all(), on="deadline", where="venue__village"
)
ORDERS_ON_TIME = Measure(rows=_rectified_on_time, on="deadline", where="venue__village")

# Per cent of orders due in the period that were rectified by their deadline.
RECTIFIED_ON_TIME = Share(part=ORDERS_ON_TIME, whole=ORDERS_DUE)
