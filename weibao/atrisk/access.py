"""One access helper per at-risk resource, for pages, the API and services alike.

Each fetches through the user's `for_user` QuerySet (kit.access.fetch): a record outside the
user's reach is a 404, exactly like one that does not exist, and the object comes back marked so
that the `rules` scope predicates (policy.py) trust it without a second query.

`reportable_people` is the one rule for "which minors may I record an event (or open a file)
for": the event form, the API and the services all use it.
"""

from __future__ import annotations

from django.db.models import Q

from weibao.accounts.models import User
from weibao.atrisk.models import (
    AtRiskFile,
    Measure,
    MisconductEvent,
    RiskWarning,
    SealedQueryApplication,
    works_on_atrisk,
)
from weibao.kit.access import fetch
from weibao.people.models import Person, PersonQuerySet


def access_file(user: User, pk: object, *, for_update: bool = False) -> AtRiskFile:
    """The file `pk` as `user` sees it, with what the file's pages show of its minor."""
    files = AtRiskFile.objects.for_user(user).select_related(
        "person", "person__school", "school", "township", "worker", "unit"
    )
    return fetch(files, pk, user=user, for_update=for_update)


def access_event(user: User, pk: object, *, for_update: bool = False) -> MisconductEvent:
    events = MisconductEvent.objects.for_user(user).select_related("reporting_unit")
    return fetch(events, pk, user=user, for_update=for_update)


def access_measure(user: User, pk: object, *, for_update: bool = False) -> Measure:
    measures = Measure.objects.for_user(user).select_related("file", "issuing_unit")
    return fetch(measures, pk, user=user, for_update=for_update)


def access_warning(user: User, pk: object, *, for_update: bool = False) -> RiskWarning:
    """An open warning on a file the user sees (a resolved one is a 404)."""
    warnings = RiskWarning.objects.for_user(user).open().select_related("file", "file__person")
    return fetch(warnings, pk, user=user, for_update=for_update)


def access_application(
    user: User, pk: object, *, for_update: bool = False
) -> SealedQueryApplication:
    applications = SealedQueryApplication.objects.for_user(user).select_related(
        "file", "file__person", "applicant"
    )
    return fetch(applications, pk, user=user, for_update=for_update)


def reportable_people(user: User) -> PersonQuerySet:
    """The minors `user` may record a misconduct event for (or open a watch file for): minors
    today (under 18) who are in the user's people register, or whose open file the user sees.
    Nobody for a user who takes no part in at-risk work."""
    if not works_on_atrisk(user):
        return Person.objects.none()
    return Person.objects.minors().filter(
        Q(pk__in=Person.objects.for_user(user).values("pk"))
        | Q(pk__in=AtRiskFile.objects.for_user(user).open().values("person_id"))
    )
