"""Every write in drowning prevention, one module per topic: the registry and its custodians
(`waters`), patrols and rectifications (`patrols`), incidents and death reviews (`incidents`),
the patrol plan (`plans`) and the township map (`maps`).

Each service a user triggers takes `actor=` and checks the actor's permission first, with the
same `rules` perm the page checks (policy.py). The scheduler's (`catchments_recompute`,
`rectifications_notify_overdue`) take no actor. Outer services open durable transactions.
"""

from __future__ import annotations

from weibao.drowning.services.incidents import incident_record, review_start
from weibao.drowning.services.maps import (
    parse_township_map,
    township_map,
    township_map_upload,
    unknown_townships,
)
from weibao.drowning.services.patrols import (
    patrol_record,
    rectification_close,
    rectifications_notify_overdue,
    township_of,
)
from weibao.drowning.services.plans import (
    overdue_for_patrol,
    patrol_plan_set,
    required_days,
    with_last_patrol,
)
from weibao.drowning.services.waters import (
    COLUMNS,
    ImportReport,
    catchments_recompute,
    county_box,
    custodian_create,
    custodian_update,
    school_points,
    water_create,
    water_update,
    waters_export,
    waters_import,
    waters_template,
)

__all__ = [
    "COLUMNS",
    "ImportReport",
    "catchments_recompute",
    "county_box",
    "custodian_create",
    "custodian_update",
    "incident_record",
    "overdue_for_patrol",
    "parse_township_map",
    "patrol_plan_set",
    "patrol_record",
    "rectification_close",
    "rectifications_notify_overdue",
    "required_days",
    "review_start",
    "school_points",
    "township_map",
    "township_map_upload",
    "township_of",
    "unknown_townships",
    "water_create",
    "water_update",
    "waters_export",
    "waters_import",
    "waters_template",
    "with_last_patrol",
]
