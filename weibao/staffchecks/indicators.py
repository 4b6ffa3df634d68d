"""Staff checks' figures for the statistics app (see weibao.core.contract.Indicator).

What the county shows year by year for 未成年人保护法 Art. 62: how many people working with
children were checked against the register, and how many were found barred. Both are declared
Measures: a check counts in the period its request was completed, in the division of the unit
checked (the whole county without one).
"""

from __future__ import annotations

from weibao.core.contract import Measure
from weibao.staffchecks.models import CheckBatch, CheckItem

# People checked against the register by requests completed in the period.
PEOPLE_CHECKED = Measure(
    rows=lambda: CheckItem.objects.filter(batch__status=CheckBatch.Status.DONE),
    on="batch__completed_at",
    where="batch__unit__division",
    school="batch__unit__school_record",
)

# Of those, the people found barred from work with children (by the register, the police's
# confirmation of a possible match, or the national query platform).
BARRED_FOUND = Measure(
    rows=lambda: CheckItem.objects.filter(
        batch__status=CheckBatch.Status.DONE, result=CheckItem.Result.BARRED
    ),
    on="batch__completed_at",
    where="batch__unit__division",
    school="batch__unit__school_record",
)
