"""The figures the family protection network offers the statistics app.

Each counts records within one division (by the division code's prefix; None for the whole
county), directly, not through any user's scope. Activities, the children and parents they
reached, the volunteers' hours and the guidance completed are declared Measures, the open sites
a Stock (a state at the period's end), the villages' coverage a Share of two Stocks of
villages (rows that are divisions themselves)."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, Share, Stock, midnight
from weibao.family.models import Activity, Guidance, Helper, Site


def _registered(period: Period) -> Q:
    return Q(created_at__lt=midnight(period.end))


# Open sites (now) registered before the period's end, in the division's villages.
SITES = Stock(rows=lambda: Site.objects.open(), where="village", when=_registered)


def _villages() -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.VILLAGE)


def _with_site(period: Period) -> Q:
    return Q(pk__in=Site.objects.open().filter(_registered(period)).values("village"))


# Per cent of the division's villages and communities with an open site registered before the
# period's end.
VILLAGES_WITH_SITE = Share(
    part=Stock(rows=_villages, where="", when=_with_site, depends=("family.Site",)),
    whole=Stock(rows=_villages, where="", when=lambda _period: Q()),
)


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


# Hours of lecturers and volunteers at activities held in the period (for each helper, the
# activity's hours).
VOLUNTEER_HOURS = Measure(
    rows=lambda: Helper.objects.all(),
    on="activity__held_on",
    where="activity__village",
    value=lambda: Sum("activity__hours"),
)


# Guidance on orders to guardians finished and reported to the issuer in the period (in the
# division by the child's place of residence).
GUIDANCE_COMPLETED = Measure(
    rows=lambda: Guidance.objects.filter(status=Guidance.Status.COMPLETED),
    on="reported_at",
    where="order__child__division",
)
