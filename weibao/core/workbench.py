"""A user's workbench (工作台), the home page: what waits for them (overdue first), their counts
as tiles (each app's `tiles`, within the user's scope), and one chart of their own work: the
records they created, changed, uploaded or exported, month by month, from the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core.contract import WaitingItem, tiles_for
from weibao.core.services import waiting_for

MONTHS = 12
WORK = (
    AuditEvent.Action.CREATE,
    AuditEvent.Action.UPDATE,
    AuditEvent.Action.DELETE,
    AuditEvent.Action.UPLOAD,
    AuditEvent.Action.EXPORT,
)


@dataclass(frozen=True)
class TileCount:
    label: str
    count: int | Decimal | str
    url: str


@dataclass(frozen=True)
class Workbench:
    waiting: list[WaitingItem]
    tiles: list[TileCount]
    chart: dict[str, Any]
    work_total: int


def _months(today: date) -> list[date]:
    """The first days of the last MONTHS months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _step in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def work_by_month(user: User, today: date) -> list[tuple[date, int]]:
    months = _months(today)
    start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    rows = (
        AuditEvent.objects.filter(actor=user, at__gte=start, action__in=WORK)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        month = row["month"]
        day = month.date() if hasattr(month, "date") else month
        counts[day.replace(day=1)] = row["n"]
    return [(month, counts.get(month, 0)) for month in months]


def chart_option(series: list[tuple[date, int]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": [m.strftime("%Y-%m") for m, _n in series]},
        "yAxis": {"type": "value", "name": _("Records"), "minInterval": 1},
        "series": [
            {
                "name": _("Records created or changed"),
                "type": "bar",
                "itemStyle": {"color": "#2f6db5"},
                "data": [n for _m, n in series],
            }
        ],
    }


def workbench(user: User) -> Workbench:
    series = work_by_month(user, timezone.localdate())
    tiles = [TileCount(str(tile.label), tile.count(user), tile.url) for tile in tiles_for(user)]
    return Workbench(
        waiting=waiting_for(user),
        tiles=tiles,
        chart=chart_option(series),
        work_total=sum(n for _m, n in series),
    )
