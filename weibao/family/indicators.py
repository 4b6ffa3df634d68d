"""The figures the family protection network offers the statistics app.

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from weibao.accounts.models import Division
from weibao.core.contract import Period, percent
from weibao.family.models import Activity, Guidance, Helper, Site


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    field = f"{path}__code__startswith" if path else "code__startswith"
    return Q(**{field: division.prefix})


def _activities(division: Division | None, period: Period) -> Q:
    return _within(division, "village") & Q(held_on__gte=period.start, held_on__lt=period.end)


def sites(*, division: Division | None, period: Period) -> int:
    """Open sites registered before the period's end."""
    return (
        Site.objects.open()
        .filter(_within(division, "village"), created_at__date__lt=period.end)
        .count()
    )


def villages_with_site(*, division: Division | None, period: Period) -> Decimal:
    """Per cent of villages and communities with an open site."""
    villages = Division.objects.filter(_within(division, ""), level=Division.Level.VILLAGE)
    with_site = villages.filter(
        pk__in=Site.objects.open().filter(created_at__date__lt=period.end).values("village")
    ).count()
    return percent(with_site, villages.count())


def activities_held(*, division: Division | None, period: Period) -> int:
    return Activity.objects.filter(_activities(division, period)).count()


def children_reached(*, division: Division | None, period: Period) -> int:
    total = Activity.objects.filter(_activities(division, period)).aggregate(
        n=Sum("audience_children")
    )["n"]
    return int(total or 0)


def parents_reached(*, division: Division | None, period: Period) -> int:
    total = Activity.objects.filter(_activities(division, period)).aggregate(
        n=Sum("audience_parents")
    )["n"]
    return int(total or 0)


def volunteer_hours(*, division: Division | None, period: Period) -> Decimal:
    """Hours of lecturers and volunteers at activities held in the period (each helper the
    activity's hours)."""
    q = Q(activity__held_on__gte=period.start, activity__held_on__lt=period.end)
    if division is not None:
        q &= Q(activity__village__code__startswith=division.prefix)
    total = Helper.objects.filter(q).aggregate(n=Sum("activity__hours"))["n"]
    return Decimal(total or 0)


def guidance_completed(*, division: Division | None, period: Period) -> int:
    """Guidance on orders to guardians finished and reported to the issuer in the period (in
    the division by the child's place of residence)."""
    return Guidance.objects.filter(
        _within(division, "order__child__division"),
        status=Guidance.Status.COMPLETED,
        reported_at__date__gte=period.start,
        reported_at__date__lt=period.end,
    ).count()
