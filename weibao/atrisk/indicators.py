"""The figures the at-risk database offers the statistics app (weibao.core.contract.Indicator).

Both are declared Measures: rows dated in the period within the division (by the division
code's prefix; the whole county without one), read directly, not through any user's scope:
statistics are aggregates, and a count names no child (sealed records count too, as the law's
figures do).
"""

from __future__ import annotations

from django.db.models import Count

from weibao.atrisk.models import AtRiskFile, MisconductEvent
from weibao.core.contract import Measure

# At-risk files opened in the period (by the opening date) for minors living in the division,
# split by the file's grade as it stands now.
FILES_OPENED = Measure(
    rows=lambda: AtRiskFile.objects.all(),
    on="opened_at",
    where="division",
    breakdown="grade",
    school="school__school_record",
)

# Misconduct events that took place in the period involving at least one minor living in the
# division: an event with two minors of the division, or a group event, counts once.
MISCONDUCT_EVENTS = Measure(
    rows=lambda: MisconductEvent.objects.all(),
    on="occurred_on",
    where="involved__file__division",
    value=lambda: Count("pk", distinct=True),
    # Through a many-valued join: a row in two townships counts in each, once in the county,
    # so the county is not the sum of its townships: counted by a group of its own.
    additive=False,
)
