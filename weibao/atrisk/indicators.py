"""The figures the at-risk database offers the statistics app (weibao.core.contract.Indicator).

Each counts records of one period within one division (by the division code's prefix; None for
the whole county), directly, not through any user's scope: statistics are aggregates, and a
count names no child (sealed records count too, as the law's figures do).
"""

from __future__ import annotations

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.atrisk.models import AtRiskFile, MisconductEvent
from weibao.core.contract import Period


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.prefix})


def files_opened(*, division: Division | None, period: Period) -> int:
    """At-risk files opened in the period for minors living in the division."""
    return (
        AtRiskFile.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end)
        .filter(_within(division, "division"))
        .count()
    )


def misconduct_events(*, division: Division | None, period: Period) -> int:
    """Misconduct events that took place in the period involving at least one minor living in
    the division (a group event counts once)."""
    events = MisconductEvent.objects.filter(
        occurred_on__gte=period.start, occurred_on__lt=period.end
    )
    if division is not None:
        events = events.filter(
            pk__in=MisconductEvent.objects.filter(
                _within(division, "involved__file__division")
            ).values("pk")
        )
    return events.count()
