"""Every write for venues near schools, one module per topic: the registry and its import and
export (`venues`), the distance check (`checks`), the distance rules (`rules`), inspections,
orders and the notice (`inspections`), schools' concerns (`concerns`).

Each service a user triggers takes `actor=` and checks the actor's permission first, with the
same `rules` perm the page checks (policy.py). The scheduler's and the queue's (`recheck`,
`orders_escalate_overdue`, `licences_notify_expired`) take no actor.
"""

from __future__ import annotations

from weibao.venues.services.checks import recheck
from weibao.venues.services.concerns import concern_close, concern_raise
from weibao.venues.services.inspections import (
    inspection_record,
    licences_notify_expired,
    order_notice,
    orders_escalate_overdue,
    plan_create,
    plan_progress,
    rule_metres,
    venue_checklist,
)
from weibao.venues.services.rules import RECHECK_JOB, rule_end, rule_set
from weibao.venues.services.venues import (
    COLUMNS,
    ImportReport,
    Supervisors,
    venue_create,
    venue_update,
    venues_export,
    venues_import,
    venues_template,
)

__all__ = [
    "COLUMNS",
    "RECHECK_JOB",
    "ImportReport",
    "Supervisors",
    "concern_close",
    "concern_raise",
    "inspection_record",
    "licences_notify_expired",
    "order_notice",
    "orders_escalate_overdue",
    "plan_create",
    "plan_progress",
    "recheck",
    "rule_end",
    "rule_metres",
    "rule_set",
    "venue_checklist",
    "venue_create",
    "venue_update",
    "venues_export",
    "venues_import",
    "venues_template",
]
