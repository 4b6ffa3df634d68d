"""Who sees which statistics, in the vocabulary's words (weibao.accounts.policy).

- The lead agencies for statistics, the procuratorate and the county coordinator, see every
  figure unsuppressed and may trace a figure to the rows it counts (trace shows only the rows
  their own `for_user` allows).
- Other county units (the education bureau's leaders, police, civil affairs...) see the county's
  and every township's figures, with small cells suppressed.
- A territorial unit (township government, village committee, police station) sees the
  county's figures and its own township's, suppressed.
- Schools see only their own school's few figures (the home-page tiles), not the statistics.
- The system administrator and the auditor see no statistics.
- Only the county coordinator enters population figures and sets targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from weibao.accounts.models import Organisation
from weibao.accounts.policy import (
    in_close_contact_unit,
    in_education_bureau,
    in_procuratorate,
    in_school,
    in_unit_of_kind,
    is_county_coordinator,
    works_with_data,
)

if TYPE_CHECKING:
    from weibao.accounts.models import User

K = Organisation.Kind

is_stats_lead = is_county_coordinator | in_procuratorate
views_statistics = works_with_data & ~in_school
# The leaders' dashboard and the year's report: the county's lead agencies and the education
# bureau's leaders (these see small cells suppressed).
reads_dashboard = is_stats_lead | in_education_bureau
# The indicator browser: every unit that works with data but those in close contact with
# children (schools see their own few figures on their home page) and hotels. A territorial
# unit sees its own township and the county (the engine narrows the cells).
browses_figures = works_with_data & ~in_close_contact_unit & ~in_unit_of_kind(K.HOTEL)
in_township_unit = in_unit_of_kind(K.TOWNSHIP, K.VILLAGE_COMMITTEE, name="in_township_unit")


def township_prefix(user: User) -> str | None:
    """The 9-digit township code a territorial unit's user is limited to; None for every
    township (county units and the lead agencies)."""
    if is_county_coordinator(user):
        return None
    org = user.organisation
    if org.is_territorial and org.division.code[6:9] != "000":
        return str(org.division.code[:9])
    return None


def sees_small_cells(user: User) -> bool:
    return bool(is_stats_lead(user))


rules.add_perm("stats.view_figures", views_statistics)
rules.add_perm("stats.view_small_cells", is_stats_lead)
rules.add_perm("stats.trace_figures", is_stats_lead)
rules.add_perm("stats.view_populations", views_statistics)
rules.add_perm("stats.manage_populations", is_county_coordinator)
rules.add_perm("stats.view_targets", views_statistics)
rules.add_perm("stats.manage_targets", is_county_coordinator)
rules.add_perm("stats.view_dashboard", reads_dashboard)
rules.add_perm("stats.download_report", reads_dashboard)
rules.add_perm("stats.browse_figures", browses_figures)
rules.add_perm("stats.tile_school", in_school)
rules.add_perm("stats.tile_township", in_township_unit)
rules.add_perm("stats.tile_procuratorate", in_procuratorate)
