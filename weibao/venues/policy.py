"""Who may see and do what with venues near schools.

- County coordinators and the education bureau read every venue; a supervising unit (culture
  and tourism, market regulation, public security, a police station in its division) reads and
  keeps the venues of its kinds; a township government keeps those of its township, a village
  committee reads those of its village; a school reads the venues inside its rule circles and
  reports concerns about them. Nobody else.
- The distance rules are set by the county coordinator; everyone who reads venues reads them.
- Inspection plans are made by county coordinators, supervising units and the education bureau;
  inspections are recorded by supervising units, the education bureau (joint inspections) and
  township governments, of the venues they read.
- A concern is closed by the venue's supervising unit (or a county coordinator).
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, in_education_bureau, in_school, is_county_coordinator
from weibao.kit.access import in_scope
from weibao.venues.kinds import kinds_supervised_by
from weibao.venues.models import (
    Concern,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
    in_supervising_unit,
    in_township_government,
    sees_all_venues,
    sees_area_venues,
)

reads_venues = sees_all_venues | in_supervising_unit | sees_area_venues | in_school
keeps_venues = can_write & (is_county_coordinator | in_supervising_unit | in_township_government)
sets_rules = can_write & is_county_coordinator
plans_inspections = can_write & (is_county_coordinator | in_supervising_unit | in_education_bureau)
inspects = can_write & (in_supervising_unit | in_education_bureau | in_township_government)
reads_inspections = sees_all_venues | in_supervising_unit | sees_area_venues
raises_concerns = can_write & in_school


def _reaches(user: User, kind: str, village_code: str) -> bool:
    """Whether a venue of `kind` in the village `village_code` lies in the user's keeping."""
    if is_county_coordinator(user):
        return True
    prefix = user.scope.division_prefix
    in_area = bool(prefix and village_code.startswith(prefix))
    if in_supervising_unit(user):
        if kind not in kinds_supervised_by(user.organisation.kind):
            return False
        return in_area if user.organisation.is_territorial else True
    return in_area


def _village_code(venue: object) -> str:
    village = getattr(venue, "village", None) if getattr(venue, "village_id", None) else None
    return getattr(village, "code", "") or ""


@rules.predicate
def sees_venue(user: User, venue: object) -> bool:
    if not isinstance(venue, Venue):
        return False
    return in_scope(user, venue, Venue.objects.for_user)


@rules.predicate
def keeps_venue(user: User, venue: object) -> bool:
    """A keeper of the registry, for a venue (saved or not) of its kinds and area."""
    if not isinstance(venue, Venue) or not keeps_venues(user):
        return False
    return _reaches(user, venue.kind, _village_code(venue))


@rules.predicate
def inspects_venue(user: User, venue: object) -> bool:
    return bool(inspects(user) and sees_venue(user, venue))


@rules.predicate
def sees_inspection(user: User, inspection: object) -> bool:
    if not isinstance(inspection, Inspection):
        return False
    return in_scope(user, inspection, Inspection.objects.for_user)


@rules.predicate
def sees_order(user: User, order: object) -> bool:
    if not isinstance(order, RectificationOrder):
        return False
    return in_scope(user, order, RectificationOrder.objects.for_user)


@rules.predicate
def sees_plan(user: User, plan: object) -> bool:
    if not isinstance(plan, InspectionPlan):
        return False
    return in_scope(user, plan, InspectionPlan.objects.for_user)


@rules.predicate
def raises_concern_about(user: User, venue: object) -> bool:
    return bool(raises_concerns(user) and sees_venue(user, venue))


@rules.predicate
def closes_concern(user: User, concern: object) -> bool:
    if not isinstance(concern, Concern) or not can_write(user):
        return False
    if is_county_coordinator(user):
        return True
    if not in_supervising_unit(user):
        return False
    venue = concern.venue
    return _reaches(user, venue.kind, venue.village.code)


rules.add_perm("venues.view_venues", reads_venues)
rules.add_perm("venues.view_venue", sees_venue)
rules.add_perm("venues.manage_venues", keeps_venues)
rules.add_perm("venues.change_venue", keeps_venue)
rules.add_perm("venues.set_rules", sets_rules)
rules.add_perm("venues.view_rules", reads_venues)
rules.add_perm("venues.plan_inspections", plans_inspections)
rules.add_perm("venues.view_plans", reads_inspections)
rules.add_perm("venues.view_plan", sees_plan)
rules.add_perm("venues.inspect", inspects)
rules.add_perm("venues.record_inspection", inspects_venue)
rules.add_perm("venues.view_inspections", reads_inspections)
rules.add_perm("venues.view_inspection", sees_inspection)
rules.add_perm("venues.view_order", sees_order)
rules.add_perm("venues.raise_concern", raises_concern_about)
rules.add_perm("venues.close_concern", closes_concern)
rules.add_perm("venues.view_concerns", reads_venues)
rules.add_perm("venues.view_repeat_offenders", sees_all_venues | in_supervising_unit)
