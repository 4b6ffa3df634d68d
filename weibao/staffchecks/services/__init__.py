"""Every write in staff checks goes through here: rosters, the register, checks and results.

Pages, the API, jobs and scheduled tasks call these functions; each user-triggered one checks its
actor's permission first. Results leave this package only as "clear", "pending" or "not to be
employed / to be removed from work with children": the register's categories stay with the
police and the procuratorate.

One module per topic (zulip's zerver/actions); this module re-exports their public names, so
`from weibao.staffchecks import services; services.batch_create(...)` keeps working. Patch a
name where it is looked up: `services.rosters.CHUNK`, say, not `services.CHUNK`.
`_item_for_staff` is re-exported for the demo seed and the tests, which build items in bulk.
"""

from __future__ import annotations

from weibao.staffchecks.services._common import (
    MIN_PURPOSE_LENGTH,
    RUN_JOB_KIND,
    RegisterFileError,
    _item_for_staff,
    action_due_days,
    register_users,
)
from weibao.staffchecks.services.batches import (
    APPLICANT_COLUMNS,
    annual_batch_open,
    annual_open_all,
    batch_create,
    batches_run,
    batches_run_job,
    batches_run_start,
)
from weibao.staffchecks.services.compliance import (
    Compliance,
    UnitCompliance,
    compliance,
    compliance_export,
    compliance_units,
)
from weibao.staffchecks.services.register import (
    CATEGORY_ALIASES,
    REGISTER_COLUMNS,
    RegisterRow,
    register_import,
)
from weibao.staffchecks.services.results import (
    NATIONAL_COLUMNS,
    batch_letter,
    batch_view,
    item_confirm,
    item_record_action,
    letter_document,
    matches_view,
    national_results_enter,
)
from weibao.staffchecks.services.rosters import (
    CHUNK,
    ROLE_ALIASES,
    ROSTER_COLUMNS,
    STORED_ERRORS,
    RosterCheck,
    RosterRow,
    roster_rows_write,
    roster_upload,
    roster_upload_errors_bytes,
    roster_upload_import,
    staff_add,
    staff_mark_left,
)

__all__ = [
    "APPLICANT_COLUMNS",
    "CATEGORY_ALIASES",
    "CHUNK",
    "MIN_PURPOSE_LENGTH",
    "NATIONAL_COLUMNS",
    "REGISTER_COLUMNS",
    "ROLE_ALIASES",
    "ROSTER_COLUMNS",
    "RUN_JOB_KIND",
    "STORED_ERRORS",
    "Compliance",
    "RegisterFileError",
    "RegisterRow",
    "RosterCheck",
    "RosterRow",
    "UnitCompliance",
    "_item_for_staff",
    "action_due_days",
    "annual_batch_open",
    "annual_open_all",
    "batch_create",
    "batch_letter",
    "batch_view",
    "batches_run",
    "batches_run_job",
    "batches_run_start",
    "compliance",
    "compliance_export",
    "compliance_units",
    "item_confirm",
    "item_record_action",
    "letter_document",
    "matches_view",
    "national_results_enter",
    "register_import",
    "register_users",
    "roster_rows_write",
    "roster_upload",
    "roster_upload_errors_bytes",
    "roster_upload_import",
    "staff_add",
    "staff_mark_left",
]
