"""The figures the notices app offers the statistics app (weibao.core.contract.Indicator).

Notices sent in the period to schools of a division (None for the whole county), and how many
of the schools asked for an answer gave one (a share: a function; the notices sent are a
declared Measure). Read directly, not through any user's scope.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, percent
from weibao.notices.models import Notice, NoticeRecipient


def _sent_in(period: Period, path: str = "") -> Q:
    return Q(
        **{
            f"{path}status__in": [Notice.Status.SENT, Notice.Status.WITHDRAWN],
            f"{path}sent_at__date__gte": period.start,
            f"{path}sent_at__date__lt": period.end,
        }
    )


def _schools_in(division: Division | None) -> Q:
    if division is None:
        return Q()
    return Q(school__organisation__division__code__startswith=division.prefix)


# Notices sent in the period (withdrawn ones too: they were sent) that reached at least one
# school of the division, each once however many of its schools it reached.
NOTICES_SENT = Measure(
    rows=lambda: Notice.objects.filter(
        Exists(NoticeRecipient.objects.filter(notice=OuterRef("pk"))),
        status__in=[Notice.Status.SENT, Notice.Status.WITHDRAWN],
    ),
    on="sent_at",
    where="recipients__school__organisation__division",
    value=lambda: Count("pk", distinct=True),
    # Through a many-valued join: a row in two townships counts in each, once in the county,
    # so the county is not the sum of its townships: counted by a group of its own.
    additive=False,
)


def notice_reply_rate(*, division: Division | None, period: Period) -> Decimal:
    """Of the schools sent a notice in the period that asked for an answer, the share (per cent,
    one decimal) that answered. A school counts once per notice, however many liaisons it has."""
    asked = (
        NoticeRecipient.objects.filter(_sent_in(period, "notice__"), _schools_in(division))
        .exclude(notice__requires=Notice.Requires.NONE)
        .exclude(notice__status=Notice.Status.WITHDRAWN)
    )
    replied = asked.filter(replied_at__isnull=False)
    return percent(
        replied.values("notice_id", "school_id").distinct().count(),
        asked.values("notice_id", "school_id").distinct().count(),
    )
