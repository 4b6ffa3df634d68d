"""Staff checks' figures for the statistics app (see weibao.core.contract.Indicator).

What the county shows year by year for 未成年人保护法 Art. 62: how many people working with
children were checked against the register, and how many were found barred. A check counts in
the period its request was completed, in the division of the unit checked (None: the county).
"""

from __future__ import annotations

from weibao.accounts.models import Division
from weibao.core.contract import Period
from weibao.staffchecks.models import CheckBatch, CheckItem, CheckItemQuerySet


def _checked(*, division: Division | None, period: Period) -> CheckItemQuerySet:
    items = CheckItem.objects.filter(
        batch__status=CheckBatch.Status.DONE,
        batch__completed_at__date__gte=period.start,
        batch__completed_at__date__lt=period.end,
    )
    if division is not None:
        items = items.filter(batch__unit__division__code__startswith=division.prefix)
    return items


def people_checked(*, division: Division | None, period: Period) -> int:
    """People checked against the register by requests completed in the period."""
    return _checked(division=division, period=period).count()


def barred_found(*, division: Division | None, period: Period) -> int:
    """Of those, the people found barred from work with children (by the register, the
    police's confirmation of a possible match, or the national query platform)."""
    return _checked(division=division, period=period).filter(result=CheckItem.Result.BARRED).count()
