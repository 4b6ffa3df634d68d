"""Who may see and do what in the family protection network.

- County coordinators, civil affairs (民政) and the women's federation (妇联) read the county's
  sites, volunteers and activities, and keep them (their writers).
- A team lead reads their teams' volunteers and activities and the sites; they record their
  team's activities and their volunteers' training.
- A school reads the activities held at the school.
- Guidance on casework's orders to guardians: the network's writers assign it to a lecturer and
  report its result; the lead of the lecturer's team records its sessions.
- Nobody else reads anything.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, in_school
from weibao.family.models import (
    Activity,
    Guidance,
    Site,
    Volunteer,
    leads_a_team,
    sees_network,
)
from weibao.kit.access import in_scope

keeps_network = can_write & sees_network
records_activities = can_write & (sees_network | leads_a_team)


@rules.predicate
def sees_site(user: User, site: object) -> bool:
    return isinstance(site, Site) and in_scope(user, site, Site.objects.for_user)


@rules.predicate
def sees_volunteer(user: User, volunteer: object) -> bool:
    return isinstance(volunteer, Volunteer) and in_scope(
        user, volunteer, Volunteer.objects.for_user
    )


@rules.predicate
def sees_activity(user: User, activity: object) -> bool:
    return isinstance(activity, Activity) and in_scope(user, activity, Activity.objects.for_user)


@rules.predicate
def keeps_activity(user: User, activity: object) -> bool:
    """The network's writers, or the lead of the activity's organising team."""
    if not isinstance(activity, Activity) or not can_write(user):
        return False
    if sees_network(user):
        return True
    team = activity.team if activity.team_id else None
    return bool(team is not None and team.lead_id == user.pk and team.is_active)


@rules.predicate
def trains_volunteer(user: User, volunteer: object) -> bool:
    return bool(can_write(user) and sees_volunteer(user, volunteer))


@rules.predicate
def sees_guidance(user: User, guidance: object) -> bool:
    return isinstance(guidance, Guidance) and in_scope(user, guidance, Guidance.objects.for_user)


rules.add_perm("family.view_sites", sees_network | leads_a_team)
rules.add_perm("family.view_site", sees_site)
rules.add_perm("family.manage_sites", keeps_network)
rules.add_perm("family.change_site", keeps_network & sees_site)
rules.add_perm("family.view_coverage", sees_network)
rules.add_perm("family.view_volunteers", sees_network | leads_a_team)
rules.add_perm("family.view_volunteer", sees_volunteer)
rules.add_perm("family.manage_volunteers", keeps_network)
rules.add_perm("family.change_volunteer", keeps_network & sees_volunteer)
rules.add_perm("family.record_training", trains_volunteer)
rules.add_perm("family.view_activities", sees_network | leads_a_team | in_school)
rules.add_perm("family.view_activity", sees_activity)
rules.add_perm("family.record_activity", records_activities)
rules.add_perm("family.change_activity", keeps_activity)
rules.add_perm("family.view_counts", sees_network)
rules.add_perm("family.view_guidance", sees_network | leads_a_team)
rules.add_perm("family.view_guidance_item", sees_guidance)
rules.add_perm("family.assign_guidance", keeps_network)
rules.add_perm("family.record_guidance_session", can_write & sees_guidance)
rules.add_perm("family.complete_guidance", keeps_network & sees_guidance)
