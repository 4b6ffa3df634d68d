"""Who may see and do what in law education.

- County coordinators and the education bureau see every session and the coverage page; they
  set terms, the coverage rule and the topic list (the bureau's writing staff and coordinators).
- A school sees and records its own sessions (and imports a term's sessions from Excel).
- Other units see the sessions they recorded, those their staff taught, those their legal
  vice-principals taught; a township or police station those held in its division. Units that
  are not schools record sessions outside schools (in a village or community).
- Published cases are visible to every member; proposed and rejected ones to the proposing unit
  and the county coordinators. Any unit's writing staff propose; county coordinators publish.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import (
    can_write,
    in_education_bureau,
    in_school,
    is_county_coordinator,
    is_member,
    works_with_data,
)
from weibao.education.models import Session, TeachingCase, sees_all_sessions
from weibao.kit.access import in_scope

manages_education = is_county_coordinator | (in_education_bureau & can_write)
records_sessions = can_write


@rules.predicate
def may_change_session(user: User, session: object) -> bool:
    """The bureau and coordinators change any session; a unit the sessions it recorded or
    those at its own school."""
    if not isinstance(session, Session) or not can_write(user):
        return False
    if manages_education(user):
        return True
    org = user.organisation_id
    if session.organiser_id == org:
        return True
    return session.school_id is not None and session.school.organisation_id == org  # type: ignore[union-attr]


@rules.predicate
def sees_session(user: User, session: object) -> bool:
    if not isinstance(session, Session):
        return False
    return in_scope(user, session, Session.objects.for_user)


@rules.predicate
def sees_case(user: User, case: object) -> bool:
    if not isinstance(case, TeachingCase):
        return False
    return in_scope(user, case, TeachingCase.objects.for_user)


@rules.predicate
def may_change_case(user: User, case: object) -> bool:
    """Coordinators edit any case; the proposing unit its own until it is published."""
    if not isinstance(case, TeachingCase) or not can_write(user):
        return False
    if is_county_coordinator(user):
        return True
    return (
        case.proposing_unit_id == user.organisation_id
        and case.status != TeachingCase.Status.PUBLISHED
    )


rules.add_perm("education.view_sessions", works_with_data)
rules.add_perm("education.view_session", sees_session)
rules.add_perm("education.add_session", records_sessions)
rules.add_perm("education.change_session", may_change_session)
rules.add_perm("education.import_sessions", in_school & can_write | manages_education)
rules.add_perm("education.view_coverage", sees_all_sessions)
rules.add_perm("education.export_coverage", sees_all_sessions)
rules.add_perm("education.manage_terms", manages_education)
rules.add_perm("education.manage_topics", manages_education)
rules.add_perm("education.view_cases", is_member)
rules.add_perm("education.view_case", sees_case)
rules.add_perm("education.propose_case", can_write)
rules.add_perm("education.change_case", may_change_case)
rules.add_perm("education.approve_case", is_county_coordinator)

__all__ = ["manages_education", "sees_all_sessions"]
