"""The access policy, written once: who may see and do what.

Every scoped model's `for_user` QuerySet and every `rules` predicate is built from `scope_for`, so
pages, the API and exports all apply the same rule:

- a county coordinator sees the county;
- a territorial unit (township government, village committee, police station) sees its division;
- any other unit sees its own records and those of the units under it (the education bureau's
  schools, say);
- a system administrator manages units and users but sees no child's data (separation of duties);
- an auditor reads the audit log and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from weibao.accounts.models import Organisation, Role

if TYPE_CHECKING:
    from weibao.accounts.models import User


@dataclass(frozen=True)
class Scope:
    """The reach of one user's data access."""

    county: bool = False
    org_ids: frozenset[int] = field(default_factory=frozenset)
    division_prefix: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.county or self.org_ids or self.division_prefix)

    def q(self, *org_fields: str, division: str | None = None, prefix: str = "") -> Q:
        """A filter for records owned by the units in `org_fields` or placed in `division`.

        `division` is the path of a Division foreign key; its code is compared by prefix.
        `prefix` puts every path behind a relation ("guardian__") to filter related records.
        """
        if self.county:
            return Q()
        condition = Q(pk__in=[])
        for org in org_fields if self.org_ids else ():
            condition |= Q(**{f"{prefix}{org}__in": self.org_ids})
        if division and self.division_prefix:
            condition |= Q(**{f"{prefix}{division}__code__startswith": self.division_prefix})
        return condition


NO_SCOPE = Scope()


def unit_subtree_ids(root_id: int) -> frozenset[int]:
    """The unit and every unit below it (the tree is small: a few hundred units)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = {root_id}, [root_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)


def scope_for(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    if user.role == Role.COUNTY_COORDINATOR:
        return Scope(county=True)
    if user.role in (Role.SYSADMIN, Role.AUDITOR):
        return NO_SCOPE
    org = user.organisation
    prefix = org.division.prefix if org.is_territorial else None
    return Scope(org_ids=unit_subtree_ids(org.pk), division_prefix=prefix)


# The vocabulary -----------------------------------------------------------------------------
#
# Every app's policy.py and for_user are written in these words, each defined once here.

# Roles that reach beyond data: they see no child's record, whatever their unit.
NO_DATA_ROLES = frozenset({Role.SYSADMIN, Role.AUDITOR})


@rules.predicate
def is_member(user: User) -> bool:
    """Signed in with an active account."""
    return bool(user.is_authenticated and user.is_active)


def has_role(*roles: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role:{','.join(roles)}")
    def predicate(user: User) -> bool:
        return bool(is_member(user) and user.role in roles)

    return predicate


is_sysadmin = has_role(Role.SYSADMIN)
is_auditor = has_role(Role.AUDITOR)
is_county_coordinator = has_role(Role.COUNTY_COORDINATOR)
is_unit_admin = has_role(Role.UNIT_ADMIN)
is_case_worker = has_role(Role.CASE_WORKER)
# A unit's own staff who act for it: its administrators and case workers.
is_unit_staff = has_role(Role.UNIT_ADMIN, Role.CASE_WORKER)
# Roles that may change records, as opposed to reading them.
can_write = has_role(
    Role.UNIT_ADMIN, Role.CASE_WORKER, Role.CAMPUS_LIAISON, Role.COUNTY_COORDINATOR
)
# "Works with children's data": every role but the system administrator and the auditor. What
# such a user sees is still limited by their scope.
works_with_data = has_role(*(role for role in Role.values if role not in NO_DATA_ROLES))


def in_unit_of_kind(*kinds: str, name: str = "") -> rules.Predicate:
    """Works with children's data, in a unit of one of these kinds."""
    wanted = frozenset(kinds)

    @rules.predicate(name=name or f"in_unit_of_kind:{','.join(sorted(wanted))}")
    def predicate(user: User) -> bool:
        return bool(works_with_data(user) and user.organisation.kind in wanted)

    return predicate


K = Organisation.Kind
in_education_bureau = in_unit_of_kind(K.EDUCATION, name="in_education_bureau")
in_procuratorate = in_unit_of_kind(K.PROCURATORATE, name="in_procuratorate")
in_court = in_unit_of_kind(K.COURT, name="in_court")
in_police = in_unit_of_kind(*Organisation.POLICE_KINDS, name="in_police")
in_sending_body = in_unit_of_kind(*Organisation.SENDING_BODY_KINDS, name="in_sending_body")
in_close_contact_unit = in_unit_of_kind(
    *Organisation.CLOSE_CONTACT_KINDS, name="in_close_contact_unit"
)


@rules.predicate
def in_school(user: User) -> bool:
    """A school's own staff (not a county-wide role that happens to sit at a school)."""
    return bool(works_with_data(user) and not user.is_county_wide and user.organisation.is_school)


@rules.predicate
def administers_unit(user: User, unit: Organisation | None) -> bool:
    """A system administrator administers every unit; a unit administrator their own."""
    if is_sysadmin(user):
        return True
    return bool(unit is not None and is_unit_admin(user) and user.organisation_id == unit.pk)


@rules.predicate
def administers_user(user: User, target: User | None) -> bool:
    if target is None:
        return bool(is_sysadmin(user) or is_unit_admin(user))
    if is_sysadmin(user):
        return True
    # A unit administrator manages the ordinary staff of their own unit, never county roles.
    return bool(
        is_unit_admin(user)
        and target.organisation_id == user.organisation_id
        and target.role not in (Role.SYSADMIN, Role.AUDITOR, Role.COUNTY_COORDINATOR)
    )


rules.add_perm("accounts.manage_units", is_sysadmin)
rules.add_perm("accounts.change_organisation", administers_unit)
rules.add_perm("accounts.manage_users", is_sysadmin | is_unit_admin)
rules.add_perm("accounts.change_user", administers_user)
# The audit log (weibao.audit) sits below accounts and knows no roles: auditors read it.
rules.add_perm("audit.view_auditevent", is_auditor)
