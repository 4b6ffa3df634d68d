"""The figures the people register offers the statistics app (weibao.core.contract.Indicator).

Stocks rather than flows, declared: how many minors the register holds on the period's last
day, the denominator of every per-minor rate. A person is placed by residence, or by school
where no residence is recorded (within the whole county for None). Read directly, not through
any user's scope.
"""

from __future__ import annotations

from django.db.models import Q

from weibao.core.contract import Period, Stock, last_day, midnight
from weibao.people.models import LeftBehindStatus, Person, adult_birth_cutoff


def _minors_on_last_day(period: Period, path: str = "") -> Q:
    day = last_day(period)
    return Q(
        **{
            f"{path}birth_date__gte": adult_birth_cutoff(day),
            f"{path}birth_date__lte": day,
            f"{path}created_at__lt": midnight(period.end),
        }
    )


# People under 18 on the period's last day who were in the register by then, placed by
# residence, else by school.
MINORS_REGISTERED = Stock(
    rows=lambda: Person.objects.all(),
    where=("division", "school__division"),
    when=_minors_on_last_day,
)

# Minors (on the period's last day) whose left-behind status is active. The register keeps the
# status as it is now, not its history: for a past period this is today's list.
LEFT_BEHIND_CHILDREN = Stock(
    rows=lambda: LeftBehindStatus.objects.filter(is_active=True),
    where=("child__division", "child__school__division"),
    when=lambda period: _minors_on_last_day(period, "child__"),
    depends=("people.Person",),
)
