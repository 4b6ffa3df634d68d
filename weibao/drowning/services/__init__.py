"""Every write in drowning prevention, one module per topic: the registry and its custodians
(`waters`), patrols and rectifications (`patrols`), incidents and death reviews (`incidents`),
the patrol plan (`plans`), the township map (`maps`), the letter to parents and its receipts
(`letters`), named responsibility (`assignments`), the season's reminders (`reminders`) and
the schools' summer sign inspection (`signs`).

Each service a user triggers takes `actor=` and checks the actor's permission first, with the
same `rules` perm the page checks (policy.py). The scheduler's (`catchments_recompute`,
`rectifications_notify_overdue`, `reminders_send`) take no actor. Outer services open durable
transactions.
"""

from __future__ import annotations

from weibao.drowning.services.assignments import (
    assignable_users,
    assignment_create,
    contact_log,
    silent_assignees,
    unassigned,
)
from weibao.drowning.services.incidents import incident_record, review_start
from weibao.drowning.services.letters import (
    coverage,
    letter_create,
    letter_document,
    letter_download,
    receipts_import,
    receipts_set,
    receipts_template,
    without_receipt,
)
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
from weibao.drowning.services.reminders import reminders_send
from weibao.drowning.services.signs import (
    sign_inspection_save,
    sign_inspection_submit,
    sign_report_download,
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
    "assignable_users",
    "assignment_create",
    "catchments_recompute",
    "contact_log",
    "county_box",
    "coverage",
    "custodian_create",
    "custodian_update",
    "incident_record",
    "letter_create",
    "letter_document",
    "letter_download",
    "overdue_for_patrol",
    "parse_township_map",
    "patrol_plan_set",
    "patrol_record",
    "receipts_import",
    "receipts_set",
    "receipts_template",
    "rectification_close",
    "rectifications_notify_overdue",
    "reminders_send",
    "required_days",
    "review_start",
    "school_points",
    "sign_inspection_save",
    "sign_inspection_submit",
    "sign_report_download",
    "silent_assignees",
    "township_map",
    "township_map_upload",
    "township_of",
    "unassigned",
    "unknown_townships",
    "water_create",
    "water_update",
    "waters_export",
    "waters_import",
    "waters_template",
    "with_last_patrol",
    "without_receipt",
]
