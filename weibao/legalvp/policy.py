"""Who may see and do what in legal vice-principals.

- The education bureau's staff and county coordinators see every appointment; those of them
  who may write create, renew and end appointments.
- A sending body (procuratorate, court, police, justice) sees its own appointees.
- A school sees the appointments at it, their duty records there, and evaluates them; it never
  creates or changes an appointment.
- An appointee with a platform account records their own duties.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import (
    can_write,
    in_education_bureau,
    in_school,
    in_sending_body,
    is_county_coordinator,
    is_member,
)
from weibao.kit.access import in_scope
from weibao.legalvp.models import Appointment, AppointmentSchool, sees_all_appointments


@rules.predicate
def is_appointee(user: User) -> bool:
    return bool(is_member(user) and user.legalvp_appointments.exists())


manages_appointments = is_county_coordinator | (in_education_bureau & can_write)


@rules.predicate
def sees_appointment(user: User, appointment: object) -> bool:
    if not isinstance(appointment, Appointment):
        return False
    return in_scope(user, appointment, Appointment.objects.for_user)


@rules.predicate
def is_own_appointment(user: User, appointment: object) -> bool:
    return bool(is_member(user) and getattr(appointment, "appointee_user_id", None) == user.pk)


@rules.predicate
def evaluates_at(user: User, appointment: object) -> bool:
    """A school's writing staff evaluate an appointment that serves their school."""
    pk = getattr(appointment, "pk", None)
    if not (in_school(user) and can_write(user)) or pk is None:
        return False
    return AppointmentSchool.objects.filter(
        appointment_id=pk,
        school__organisation_id=user.organisation_id,
    ).exists()


@rules.predicate
def records_at_own_school(user: User, school: object) -> bool:
    """A unit's writing staff record law-education sessions (and so their duty records) at
    their own school."""
    org = getattr(school, "organisation_id", None)
    return bool(can_write(user) and org is not None and org == user.organisation_id)


uses_legalvp = sees_all_appointments | in_sending_body | in_school | is_appointee

rules.add_perm("legalvp.view_legalvp", uses_legalvp)
rules.add_perm("legalvp.view_appointment", sees_appointment)
rules.add_perm("legalvp.manage_appointments", manages_appointments)
rules.add_perm("legalvp.add_dutyrecord", manages_appointments | is_own_appointment)
rules.add_perm("legalvp.add_session_duty", manages_appointments | records_at_own_school)
rules.add_perm("legalvp.evaluate", manages_appointments | evaluates_at)
rules.add_perm("legalvp.view_summary", sees_all_appointments)
rules.add_perm("legalvp.view_coverage", sees_all_appointments)
