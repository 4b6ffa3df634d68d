"""Who may see and do what in schools and campus liaisons.

- Every member reads the school list (it is the county's public list of schools).
- The education bureau's unit admins and case workers, and county coordinators, manage school
  records and appoint liaisons anywhere.
- A school's unit admin appoints its own liaisons and keeps its own contact fields (principal,
  phone, head counts, address), but not the kind, ownership, name, credit code or division.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import (
    in_education_bureau,
    is_county_coordinator,
    is_member,
    is_unit_admin,
    is_unit_staff,
)
from weibao.schools.models import LiaisonAppointment, School

# Those who keep the county's school list and appoint liaisons anywhere: the education bureau's
# administrators and case workers, and county coordinators.
manages_schools = (in_education_bureau & is_unit_staff) | is_county_coordinator


@rules.predicate
def is_school_admin_of(user: User, target: School | LiaisonAppointment | None) -> bool:
    """The unit admin of the school itself (or of the appointment's school)."""
    if target is None:
        return False
    school = target.school if isinstance(target, LiaisonAppointment) else target
    return bool(is_unit_admin(user) and school.organisation_id == user.organisation_id)


rules.add_perm("schools.list_schools", is_member)
rules.add_perm("schools.view_school", is_member)
rules.add_perm("schools.add_school", manages_schools)
# The whole record: kind, ownership, name, credit code, division, coordinates; closing.
rules.add_perm("schools.change_school_record", manages_schools)
# Some of the record: a school's own admin keeps the contact fields.
rules.add_perm("schools.change_school", manages_schools | is_school_admin_of)
rules.add_perm("schools.close_school", manages_schools)
rules.add_perm("schools.import_schools", manages_schools)
rules.add_perm("schools.export_schools", manages_schools)
rules.add_perm("schools.view_coverage", manages_schools)
rules.add_perm("schools.view_liaisons", is_member)
# Object: a School (appoint) or a LiaisonAppointment (end).
rules.add_perm("schools.appoint_liaison", manages_schools | is_school_admin_of)

__all__ = ["is_school_admin_of", "manages_schools"]
