"""The figures casework offers the statistics app (weibao.core.contract.Indicator).

Each is a declared Measure: records of one period within one division (by the division code's
prefix; the whole county without one), read directly, not through any user's scope: statistics
are aggregates.
"""

from __future__ import annotations

from weibao.casework.models import Case, GuardianOrder, LateReport
from weibao.core.contract import Measure

# Mandatory reports filed in the period about a place in the division.
MANDATORY_REPORTS = Measure(rows=lambda: Case.objects.all(), on="filed_at", where="division")

# Units found to have reported late or not at all (recorded in the period), for reports about a
# place in the division.
LATE_REPORTS = Measure(
    rows=lambda: LateReport.objects.all(), on="recorded_at", where="case__division"
)

# Orders to guardians issued in the period, for minors living in the division, split by the
# kind of order.
GUARDIAN_ORDERS = Measure(
    rows=lambda: GuardianOrder.objects.all(),
    on="issued_on",
    where="child__division",
    breakdown="kind",
)
