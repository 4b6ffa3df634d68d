"""Who may see and do what in drowning prevention.

- The water-resources bureau keeps the county's registry of hazardous waters; a township
  government keeps the waters of its township. Both file custodians and close rectifications.
- Township and village staff record patrols in their area (the water-resources bureau too).
- A village committee reads its village's waters; the education bureau reads them all; a
  school reads the waters of its catchment (within CATCHMENT_METRES, see models). Nobody else.
- Incidents: the county lead agencies and the township record and read them.
- The patrol plan and the township map are set by the water-resources bureau; whoever reads
  waters reads them; who patrols sees the waters overdue for a patrol.
- Letters to parents: a school issues its own and records its pupils' receipts; the education
  bureau (and county coordinators) read and keep every school's; a township reads its schools'.
- Named responsibility: schools, townships and the education bureau assign the children they
  see to a named official or teacher; an assignee logs contacts for the children in their care;
  villages read the assignments of their children.
- The schools' summer sign inspection: a school inspects its catchment and reports to the
  township; a school reads its own inspections, a township its schools', the education bureau
  (and county coordinators) every school's; the township and the education bureau see which
  schools have inspected and which have not.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, in_school, is_county_coordinator
from weibao.drowning.models import (
    Assignment,
    Custodian,
    HazardousWater,
    Incident,
    ParentLetter,
    Rectification,
    SignInspection,
    in_township_government,
    in_village_committee,
    in_water_resources,
    sees_all_incidents,
    sees_all_school_letters,
    sees_all_waters,
    sees_division_waters,
)
from weibao.kit.access import in_scope
from weibao.people.models import Person
from weibao.schools.models import School

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


# Letters to parents and named responsibility.
reads_letters = sees_all_school_letters | in_school | in_township_government
keeps_all_letters = can_write & sees_all_school_letters
reads_assignments = reads_letters | in_village_committee
assigns = can_write & (sees_all_school_letters | in_school | in_township_government)


@rules.predicate
def sees_letter(user: User, letter: object) -> bool:
    if not isinstance(letter, ParentLetter):
        return False
    return in_scope(user, letter, ParentLetter.objects.for_user)


@rules.predicate
def issues_letter_of(user: User, school: object) -> bool:
    """Issues letters for `school` (a School): its own staff, or the education bureau."""
    if not isinstance(school, School) or not can_write(user):
        return False
    if sees_all_school_letters(user):
        return True
    return bool(in_school(user) and school.organisation_id in user.scope.org_ids)


@rules.predicate
def keeps_letter(user: User, letter: object) -> bool:
    if not isinstance(letter, ParentLetter):
        return False
    return bool(issues_letter_of(user, letter.school))


@rules.predicate
def assigns_child(user: User, child: object) -> bool:
    """Assigns `child` (a Person): a minor the user sees in the register."""
    if not isinstance(child, Person) or not assigns(user):
        return False
    return bool(Person.objects.for_user(user).filter(pk=child.pk).exists())


@rules.predicate
def sees_assignment(user: User, assignment: object) -> bool:
    if not isinstance(assignment, Assignment):
        return False
    return in_scope(user, assignment, Assignment.objects.for_user)


@rules.predicate
def logs_contact(user: User, assignment: object) -> bool:
    """The assignee, or who may assign the child."""
    if not isinstance(assignment, Assignment) or not can_write(user):
        return False
    if assignment.assignee_id == user.pk:
        return True
    return bool(assigns(user) and sees_assignment(user, assignment))


# The schools' summer sign inspection.
reads_sign_inspections = sees_all_school_letters | in_school | in_township_government
sees_sign_coverage = sees_all_school_letters | in_township_government
inspects_signs = can_write & in_school


@rules.predicate
def inspects_signs_of(user: User, school: object) -> bool:
    """Inspects the signs of `school` (a School): its own staff."""
    if not isinstance(school, School) or not inspects_signs(user):
        return False
    return school.organisation_id in user.scope.org_ids


@rules.predicate
def sees_sign_inspection(user: User, inspection: object) -> bool:
    if not isinstance(inspection, SignInspection):
        return False
    return in_scope(user, inspection, SignInspection.objects.for_user)


@rules.predicate
def keeps_sign_inspection(user: User, inspection: object) -> bool:
    if not isinstance(inspection, SignInspection):
        return False
    return bool(inspects_signs_of(user, inspection.school))


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
rules.add_perm("drowning.view_letters", reads_letters)
rules.add_perm("drowning.view_letter", sees_letter)
rules.add_perm("drowning.issue_letters", keeps_all_letters | (can_write & in_school))
rules.add_perm("drowning.issue_letter", issues_letter_of)
rules.add_perm("drowning.record_receipt", keeps_letter)
rules.add_perm("drowning.view_assignments", reads_assignments)
rules.add_perm("drowning.view_assignment", sees_assignment)
rules.add_perm("drowning.assign", assigns)
rules.add_perm("drowning.assign_child", assigns_child)
rules.add_perm("drowning.log_contact", logs_contact)
rules.add_perm("drowning.view_sign_inspections", reads_sign_inspections)
rules.add_perm("drowning.view_sign_inspection", sees_sign_inspection)
rules.add_perm("drowning.view_sign_coverage", sees_sign_coverage)
rules.add_perm("drowning.inspect_signs", inspects_signs)
rules.add_perm("drowning.inspect_signs_of", inspects_signs_of)
rules.add_perm("drowning.change_sign_inspection", keeps_sign_inspection)
