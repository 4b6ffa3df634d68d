"""Who may see and do what in the mechanisms.

- The member units read the leading group, its members and the plan; county coordinators and
  the lead agency keep them.
- The lead agency (and county coordinators) hold meetings, record decisions, set tasks, accept
  or return results and issue supervision notices; a unit reads the meetings it was asked to and
  the tasks it owns or shares.
- The owner and co-units of a task report progress; only the owner submits the result.
- Co-construction activities are recorded by the lead agency and the procuratorate.
- The assessment: the lead agency keeps the scheme and reviews the scores; a member unit reads
  and self-assesses its own; a county coordinator publishes; nobody else sees it.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import (
    can_write,
    in_procuratorate,
    is_county_coordinator,
    works_with_data,
)
from weibao.kit.access import in_scope
from weibao.mechanisms.models import (
    Cobuilding,
    Meeting,
    Result,
    Score,
    Task,
    in_lead_agency,
    in_member_unit,
    sees_everything,
)

runs_the_group = can_write & (is_county_coordinator | in_lead_agency)
records_activities = can_write & (is_county_coordinator | in_lead_agency | in_procuratorate)
publishes = can_write & is_county_coordinator


@rules.predicate
def sees_meeting(user: User, meeting: object) -> bool:
    return isinstance(meeting, Meeting) and in_scope(user, meeting, Meeting.objects.for_user)


@rules.predicate
def sees_task(user: User, task: object) -> bool:
    return isinstance(task, Task) and in_scope(user, task, Task.objects.for_user)


@rules.predicate
def owns_task(user: User, task: object) -> bool:
    """The user's unit is the task's owner (not a co-unit, not a unit above it)."""
    return isinstance(task, Task) and task.owner_id == user.organisation_id


@rules.predicate
def shares_task(user: User, task: object) -> bool:
    """The owner or a co-unit of the task."""
    if not isinstance(task, Task):
        return False
    return owns_task(user, task) or task.co_units.filter(pk=user.organisation_id).exists()


@rules.predicate
def sees_activity(user: User, activity: object) -> bool:
    return isinstance(activity, Cobuilding) and in_scope(
        user, activity, Cobuilding.objects.for_user
    )


@rules.predicate
def sees_score(user: User, score: object) -> bool:
    return isinstance(score, Score) and in_scope(user, score, Score.objects.for_user)


@rules.predicate
def own_result(user: User, result: object) -> bool:
    return isinstance(result, Result) and result.unit_id == user.organisation_id


rules.add_perm("mechanisms.view_group", sees_everything | in_member_unit)
rules.add_perm("mechanisms.manage_group", runs_the_group)
rules.add_perm("mechanisms.view_meetings", works_with_data)
rules.add_perm("mechanisms.view_meeting", sees_meeting)
rules.add_perm("mechanisms.manage_meetings", runs_the_group)
rules.add_perm("mechanisms.view_tasks", works_with_data)
rules.add_perm("mechanisms.view_task", sees_task)
rules.add_perm("mechanisms.manage_tasks", runs_the_group)
rules.add_perm("mechanisms.report_progress", can_write & sees_task & shares_task)
rules.add_perm("mechanisms.submit_result", can_write & sees_task & owns_task)
rules.add_perm("mechanisms.view_board", sees_everything)
rules.add_perm("mechanisms.view_activities", works_with_data)
rules.add_perm("mechanisms.view_activity", sees_activity)
rules.add_perm("mechanisms.record_activity", records_activities)
rules.add_perm("mechanisms.view_assessment", sees_everything | in_member_unit)
rules.add_perm("mechanisms.view_score", sees_score)
rules.add_perm("mechanisms.self_assess", can_write & own_result)
rules.add_perm("mechanisms.review_assessment", runs_the_group)
rules.add_perm("mechanisms.publish_assessment", publishes)
