"""The figures the notices app offers the statistics app (weibao.core.contract.Indicator).

Notices sent in the period to schools of a division (within the whole county for None), and how
many of the schools asked for an answer gave one: declared, a Measure and a Share of two. Read
directly, not through any user's scope.
"""

from __future__ import annotations

from django.db.models import Aggregate, CharField, Count, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Concat

from weibao.core.contract import Measure, Share
from weibao.notices.models import Notice, NoticeRecipient

SENT = [Notice.Status.SENT, Notice.Status.WITHDRAWN]  # withdrawn ones were sent too

# Notices sent in the period (withdrawn ones too: they were sent) that reached at least one
# school of the division, each once however many of its schools it reached.
NOTICES_SENT = Measure(
    rows=lambda: Notice.objects.filter(
        Exists(NoticeRecipient.objects.filter(notice=OuterRef("pk"))), status__in=SENT
    ),
    on="sent_at",
    where="recipients__school__organisation__division",
    value=lambda: Count("pk", distinct=True),
    # Through a many-valued join: a row in two townships counts in each, once in the county,
    # so the county is not the sum of its townships: counted by a group of its own.
    additive=False,
)


def _asked() -> QuerySet[NoticeRecipient]:
    """The copies of sent notices that asked for an answer (withdrawn notices left out)."""
    return (
        NoticeRecipient.objects.filter(notice__status__in=SENT)
        .exclude(notice__requires=Notice.Requires.NONE)
        .exclude(notice__status=Notice.Status.WITHDRAWN)
    )


def _pairs() -> Aggregate:
    """The distinct (notice, school) pairs: a school counts once per notice, however many
    liaisons it has."""
    pair = Concat("notice_id", Value("-"), "school_id", output_field=CharField())
    return Count(pair, distinct=True)


# (notice, school) pairs sent in the period asking for an answer, placed by the school's unit.
# A pair belongs to one notice, so to one month: the year's pairs are the sum of its months'.
ASKED = Measure(
    rows=_asked,
    on="notice__sent_at",
    where="school__organisation__division",
    value=_pairs,
    depends=("notices.Notice",),
)

# Of those pairs, the ones answered (by any of the school's liaisons).
ANSWERED = Measure(
    rows=lambda: _asked().filter(replied_at__isnull=False),
    on="notice__sent_at",
    where="school__organisation__division",
    value=_pairs,
    depends=("notices.Notice",),
)

# Of the schools sent a notice in the period that asked for an answer, the share (per cent, one
# decimal) that answered.
NOTICE_REPLY_RATE = Share(part=ANSWERED, whole=ASKED)
