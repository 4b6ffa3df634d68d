"""One access helper per law-education resource (see weibao.kit.access).

Pages, the API and services fetch a session or a case through these, so an object the user may
not see is a 404 everywhere, and the scope predicates trust the fetched mark.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.education.models import Session, TeachingCase, Term, Topic
from weibao.kit.access import fetch


def access_session(user: User, pk: Any, *, for_update: bool = False) -> Session:
    sessions = Session.objects.for_user(user).select_related(
        "school__organisation", "division", "organiser", "speaker_unit", "appointment__person",
        "duty_record",
    )  # fmt: skip
    return fetch(sessions, pk, user=user, for_update=for_update)


def access_case(user: User, pk: Any, *, for_update: bool = False) -> TeachingCase:
    cases = TeachingCase.objects.for_user(user).select_related(
        "proposing_unit", "proposed_by", "approver"
    )
    return fetch(cases, pk, user=user, for_update=for_update)


def access_term(user: User, pk: Any, *, for_update: bool = False) -> Term:
    """Terms are the county's calendar: every member who reaches the page sees them all."""
    return fetch(Term.objects.all(), pk, user=user, for_update=for_update)


def access_topic(user: User, pk: Any, *, for_update: bool = False) -> Topic:
    """The topic list is the county's: every member who reaches the page sees it all."""
    return fetch(Topic.objects.all(), pk, user=user, for_update=for_update)
