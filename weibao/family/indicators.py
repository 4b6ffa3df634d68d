"""The figures the family protection network offers the statistics app.

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope. Activities, the children and parents they
reached and the guidance completed are declared Measures; the sites (a state at the period's
end), the villages' coverage (a share) and the volunteer hours (a sum of hours with decimals,
which a Measure's whole-number count would round) stay functions."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, percent
from weibao.family.models import Activity, Guidance, Helper, Site


def _within(division: Division | None, path: str) -> Q:
    if division is None:
        return Q()
    field = f"{path}__code__startswith" if path else "code__startswith"
    return Q(**{field: division.prefix})


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


# Activities held in the period in the division's villages, split by the kind of activity.
ACTIVITIES = Measure(
    rows=lambda: Activity.objects.all(), on="held_on", where="village", breakdown="kind"
)

# Children counted at activities held in the period (a child at two is counted twice).
CHILDREN_REACHED = Measure(
    rows=lambda: Activity.objects.all(),
    on="held_on",
    where="village",
    value=lambda: Sum("audience_children"),
    breakdown="kind",
)

# Parents counted at activities held in the period.
PARENTS_REACHED = Measure(
    rows=lambda: Activity.objects.all(),
    on="held_on",
    where="village",
    value=lambda: Sum("audience_parents"),
    breakdown="kind",
)


def volunteer_hours(*, division: Division | None, period: Period) -> Decimal:
    """Hours of lecturers and volunteers at activities held in the period (each helper the
    activity's hours)."""
    q = Q(activity__held_on__gte=period.start, activity__held_on__lt=period.end)
    if division is not None:
        q &= Q(activity__village__code__startswith=division.prefix)
    total = Helper.objects.filter(q).aggregate(n=Sum("activity__hours"))["n"]
    return Decimal(total or 0)


# Guidance on orders to guardians finished and reported to the issuer in the period (in the
# division by the child's place of residence).
GUIDANCE_COMPLETED = Measure(
    rows=lambda: Guidance.objects.filter(status=Guidance.Status.COMPLETED),
    on="reported_at",
    where="order__child__division",
)
