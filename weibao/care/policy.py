"""Who may see and do what in the care of left-behind and vulnerable children.

- County coordinators and civil affairs (民政) read every child's care records; their writers
  appoint the supervisors and directors and keep every child's records.
- A current children's supervisor (township) or director (village) reads and keeps the care
  records of the children living in their division: difficulties, contacts, visits, warnings.
- A school reads the care records of its left-behind pupils and keeps none.
- Nobody else reads anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import QuerySet

from weibao.accounts.models import Division, User
from weibao.accounts.policy import can_write, in_school
from weibao.care.models import (
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Need,
    Visit,
    holds_post,
    posts_of,
    sees_all_children,
)
from weibao.kit.access import in_scope
from weibao.people.models import Person

appoints = can_write & sees_all_children

RECORDS: dict[type[Any], Callable[[User], QuerySet[Any]]] = {
    CareAppointment: CareAppointment.objects.for_user,
    Difficulty: Difficulty.objects.for_user,
    Contact: Contact.objects.for_user,
    Visit: Visit.objects.for_user,
    Need: Need.objects.for_user,
    CareWarning: CareWarning.objects.for_user,
}


def _covers(user: User, division: Division | None, roles: tuple[str, ...] = ()) -> bool:
    """Whether one of the user's current posts (of `roles`, any by default) covers the
    division."""
    if division is None:
        return False
    return any(
        division.code.startswith(prefix)
        for role, prefix in posts_of(user)
        if not roles or role in roles
    )


@rules.predicate
def keeps_child(user: User, child: object) -> bool:
    """A writer of civil affairs or a coordinator, or a current supervisor or director of the
    child's place of residence."""
    if not isinstance(child, Person) or not can_write(user):
        return False
    if sees_all_children(user):
        return True
    return _covers(user, child.division)


@rules.predicate
def sees_record(user: User, obj: object) -> bool:
    for_user = RECORDS.get(type(obj))
    return for_user is not None and in_scope(user, obj, for_user)


@rules.predicate
def closes_warning(user: User, warning: object) -> bool:
    return isinstance(warning, CareWarning) and bool(keeps_child(user, warning.child))


@rules.predicate
def sees_township(user: User, township: object) -> bool:
    """Civil affairs and coordinators, or the township's current supervisor."""
    if not isinstance(township, Division):
        return False
    if sees_all_children(user):
        return True
    return _covers(user, township, (CareAppointment.Role.SUPERVISOR,))


rules.add_perm("care.view_children", sees_all_children | in_school | holds_post)
rules.add_perm("care.view_record", sees_record)
rules.add_perm("care.view_appointments", sees_all_children | holds_post)
rules.add_perm("care.manage_appointments", appoints)
rules.add_perm("care.keep_child", keeps_child)
rules.add_perm("care.close_warning", closes_warning)
rules.add_perm("care.view_township", sees_township)
rules.add_perm("care.view_overview", sees_all_children)
