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
from weibao.accounts.policy import can_write, is_county_coordinator, sees_people
from weibao.staffchecks.models import (
    CLOSE_CONTACT_KINDS,
    EDUCATION_KINDS,
    CheckBatch,
    CheckItem,
    sees_register,
)


@rules.predicate
def holds_register(user: User) -> bool:
    return sees_register(user)


@rules.predicate
def in_close_contact_unit(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation.kind in CLOSE_CONTACT_KINDS)


@rules.predicate
def in_education_bureau(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation.kind == Organisation.Kind.EDUCATION)


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
    if unit is None or unit.kind not in CLOSE_CONTACT_KINDS:
        return False
    if is_county_coordinator(user):
        return True
    return bool(in_education_bureau(user) and unit.kind in EDUCATION_KINDS)


oversees = in_education_bureau | is_county_coordinator

rules.add_perm("staffchecks.view_staffchecks", sees_people & (in_close_contact_unit | oversees))
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
rules.add_perm("staffchecks.view_compliance", sees_people & oversees)
rules.add_perm("staffchecks.export_compliance", sees_people & oversees)
