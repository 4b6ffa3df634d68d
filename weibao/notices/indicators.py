"""The figures the notices app offers the statistics app (weibao.core.contract.Indicator).

Notices sent in the period to schools of a division (None for the whole county), and how many
of the schools asked for an answer gave one. Read directly, not through any user's scope.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from weibao.accounts.models import Division
from weibao.core.contract import Period, percent
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


def notices_sent(*, division: Division | None, period: Period) -> int:
    """Notices sent in the period that reached at least one school of the division."""
    recipients = NoticeRecipient.objects.filter(_schools_in(division))
    return (
        Notice.objects.filter(_sent_in(period), pk__in=recipients.values("notice_id"))
        .distinct()
        .count()
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
