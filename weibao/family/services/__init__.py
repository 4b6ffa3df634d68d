"""Every write of the family protection network, one module per topic: sites (`sites`),
volunteers, training, clearance and their Excel (`volunteers`), activities and counts
(`activities`), guidance on casework's orders to guardians (`guidance`). Each user-triggered
service takes `actor=` and checks the actor's permission first, with the same `rules` perm the
page checks (policy.py)."""

from __future__ import annotations

from weibao.family.models import orders_awaiting_guidance
from weibao.family.services.activities import (
    activity_attach,
    activity_record,
    activity_update,
    counts_by_site,
    counts_by_team,
    counts_by_village,
    hours_by_volunteer,
    village_coverage,
)
from weibao.family.services.guidance import (
    guidance_assign,
    guidance_complete,
    guidance_session_record,
)
from weibao.family.services.sites import (
    site_create,
    site_update,
    sites_export,
    townships_coverage,
    villages_without_site,
)
from weibao.family.services.volunteers import (
    COLUMNS,
    ImportReport,
    clearance_refresh,
    clearance_refresh_all,
    require_cleared,
    training_record,
    volunteer_create,
    volunteer_update,
    volunteer_view,
    volunteers_export,
    volunteers_import,
    volunteers_template,
)

__all__ = [
    "COLUMNS",
    "ImportReport",
    "activity_attach",
    "activity_record",
    "activity_update",
    "clearance_refresh",
    "clearance_refresh_all",
    "counts_by_site",
    "counts_by_team",
    "counts_by_village",
    "guidance_assign",
    "guidance_complete",
    "guidance_session_record",
    "hours_by_volunteer",
    "orders_awaiting_guidance",
    "require_cleared",
    "site_create",
    "site_update",
    "sites_export",
    "townships_coverage",
    "training_record",
    "village_coverage",
    "villages_without_site",
    "volunteer_create",
    "volunteer_update",
    "volunteer_view",
    "volunteers_export",
    "volunteers_import",
    "volunteers_template",
]
