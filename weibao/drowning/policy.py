"""Who may see and do what in drowning prevention.

- The water-resources bureau keeps the county's registry of hazardous waters; a township
  government keeps the waters of its township. Both file custodians and close rectifications.
- Township and village staff record patrols in their area (the water-resources bureau too).
- A village committee reads its village's waters; the education bureau reads them all; a
  school reads the waters of its catchment (within CATCHMENT_METRES, see models). Nobody else.
- Incidents: the county lead agencies and the township record and read them.
- The patrol plan and the township map are set by the water-resources bureau; whoever reads
  waters reads them; who patrols sees the waters overdue for a patrol.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, in_school, is_county_coordinator
from weibao.drowning.models import (
    Custodian,
    HazardousWater,
    Incident,
    Rectification,
    in_township_government,
    in_village_committee,
    in_water_resources,
    sees_all_incidents,
    sees_all_waters,
    sees_division_waters,
)
from weibao.kit.access import in_scope

# Who keeps the registry, and who patrols.
keeps_county_waters = can_write & (is_county_coordinator | in_water_resources)
keeps_waters = keeps_county_waters | (can_write & in_township_government)
patrols = keeps_waters | (can_write & in_village_committee)
# Who records incidents.
records_incidents = can_write & (sees_all_incidents | in_township_government)

# The county's settings (patrol plan, township map) are the water-resources bureau's.
keeps_county_settings = can_write & in_water_resources

reads_waters = sees_all_waters | sees_division_waters | in_school
uses_drowning = reads_waters | sees_all_incidents


def _reaches(user: User, division_code: str) -> bool:
    """Whether a place (a village's or township's code) lies in the user's division."""
    if keeps_county_waters(user):
        return True
    prefix = user.scope.division_prefix
    return bool(prefix and division_code.startswith(prefix))


def _water_code(obj: object) -> str:
    village = getattr(obj, "village", None) if getattr(obj, "village_id", None) else None
    return getattr(village, "code", "") or ""


@rules.predicate
def sees_water(user: User, water: object) -> bool:
    if not isinstance(water, HazardousWater):
        return False
    return in_scope(user, water, HazardousWater.objects.for_user)


@rules.predicate
def keeps_water(user: User, water: object) -> bool:
    """A keeper of the registry, for a water (saved or not) in their area."""
    return bool(keeps_waters(user) and _reaches(user, _water_code(water)))


@rules.predicate
def patrols_water(user: User, water: object) -> bool:
    return bool(patrols(user) and _reaches(user, _water_code(water)))


@rules.predicate
def keeps_custodian(user: User, custodian: object) -> bool:
    if not isinstance(custodian, Custodian) or not keeps_waters(user):
        return False
    township = custodian.township if custodian.township_id else None
    return _reaches(user, getattr(township, "code", ""))


@rules.predicate
def closes_rectification(user: User, rectification: object) -> bool:
    if not isinstance(rectification, Rectification) or not keeps_waters(user):
        return False
    return bool(
        in_scope(user, rectification, Rectification.objects.for_user)
        and _reaches(user, rectification.township.code)
    )


@rules.predicate
def sees_incident(user: User, incident: object) -> bool:
    if not isinstance(incident, Incident):
        return False
    return in_scope(user, incident, Incident.objects.for_user)


@rules.predicate
def records_incident_at(user: User, division: object) -> bool:
    """Records an incident placed in `division` (a village or township)."""
    if not records_incidents(user):
        return False
    if sees_all_incidents(user):
        return True
    return _reaches(user, getattr(division, "code", "") or "")


rules.add_perm("drowning.view_drowning", uses_drowning)
rules.add_perm("drowning.view_waters", reads_waters)
rules.add_perm("drowning.view_water", sees_water)
rules.add_perm("drowning.manage_waters", keeps_waters)
rules.add_perm("drowning.change_water", keeps_water)
rules.add_perm("drowning.record_patrol", patrols_water)
rules.add_perm("drowning.patrol", patrols)
rules.add_perm("drowning.change_custodian", keeps_custodian)
rules.add_perm("drowning.close_rectification", closes_rectification)
rules.add_perm("drowning.set_patrol_plan", keeps_county_settings)
rules.add_perm("drowning.upload_map", keeps_county_settings)
rules.add_perm("drowning.view_incidents", sees_all_incidents | in_township_government)
rules.add_perm("drowning.view_incident", sees_incident)
rules.add_perm("drowning.add_incident", records_incidents)
rules.add_perm("drowning.record_incident_at", records_incident_at)
