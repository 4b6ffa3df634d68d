"""Who may see and do what in staff criminal-record checks.

- A close-contact unit (school, kindergarten, training institution...) keeps its own roster and
  sees its own results;
- the education bureau sees every school's and training institution's results (never the
  register); a county coordinator sees every unit's;
- only the police and the procuratorate see the register, import it and decide possible matches.
"""

from __future__ import annotations

from typing import Any

import rules

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import (
    can_write,
    in_close_contact_unit,
    in_education_bureau,
    is_county_coordinator,
    works_with_data,
)
from weibao.kit.access import in_scope
from weibao.staffchecks.models import (
    EDUCATION_KINDS,
    CheckBatch,
    CheckItem,
    RosterUpload,
    StaffMember,
    holds_register,
)


def _unit_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, CheckBatch):
        return obj.unit
    if isinstance(obj, CheckItem):
        return obj.batch.unit
    return None


@rules.predicate
def own_unit(user: User, obj: Any) -> bool:
    unit = _unit_of(obj)
    return unit is not None and unit.pk == user.organisation_id


@rules.predicate
def oversees_unit(user: User, obj: Any) -> bool:
    """The education bureau for schools and training institutions; a coordinator for all."""
    unit = _unit_of(obj)
    if unit is None or unit.kind not in Organisation.CLOSE_CONTACT_KINDS:
        return False
    if is_county_coordinator(user):
        return True
    return bool(in_education_bureau(user) and unit.kind in EDUCATION_KINDS)


@rules.predicate
def sees_results(user: User, obj: Any) -> bool:
    """The record is in the user's `for_user`: trusted from `access_*`'s mark, else one query."""
    for model in (CheckBatch, CheckItem, RosterUpload, StaffMember):
        if isinstance(obj, model):
            return in_scope(user, obj, model.objects.for_user)
    return False


oversees = in_education_bureau | is_county_coordinator
view_staffchecks = works_with_data & (in_close_contact_unit | oversees)

rules.add_perm("staffchecks.view_staffchecks", view_staffchecks)
# One request's (or person's) results: a user who sees staff checks, for a record in their reach.
rules.add_perm("staffchecks.view_results", view_staffchecks & sees_results)
rules.add_perm("staffchecks.manage_roster", can_write & in_close_contact_unit & own_unit)
rules.add_perm(
    "staffchecks.request_check",
    can_write & ((in_close_contact_unit & own_unit) | oversees_unit),
)
rules.add_perm("staffchecks.request_all", can_write & oversees)
rules.add_perm("staffchecks.record_action", can_write & own_unit)
rules.add_perm("staffchecks.view_register", holds_register)
rules.add_perm("staffchecks.import_register", holds_register)
rules.add_perm("staffchecks.confirm_match", holds_register)
rules.add_perm("staffchecks.view_compliance", works_with_data & oversees)
rules.add_perm("staffchecks.export_compliance", works_with_data & oversees)
