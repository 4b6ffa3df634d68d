"""Named responsibility (包保): every child aged 3–15 (ASSIGNED_AGES) and every left-behind
minor is assigned, for a season of a year, to a named official or teacher, who logs contacts
with the child or family. A child has one assignee a season: a second assignment is refused
naming the first. The lists: children without anyone, and assignees with no contact logged in
CONTACT_DAYS (settings.DROWNING_CONTACT_DAYS, 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import NO_DATA_ROLES
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.drowning.models import (
    CONTACT_DAYS,
    Assignment,
    Contact,
    Season,
    sees_all_school_letters,
    to_be_assigned_on,
)
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.people.models import Person, PersonQuerySet

# The units whose staff are named: schools (teachers), townships and villages (officials).
ASSIGNEE_KINDS = Organisation.SCHOOL_KINDS | {
    Organisation.Kind.TOWNSHIP,
    Organisation.Kind.VILLAGE_COMMITTEE,
    Organisation.Kind.EDUCATION,
}
FIRST_YEAR = 2000
MAX_NOTE = 2000


def assignable_users(actor: Any) -> QuerySet[User]:
    """Who `actor` may name: active staff of schools, townships and villages in the actor's
    reach (their unit and the units under it, or their division); all of them for the
    education bureau and county coordinators."""
    users = (
        User.objects.filter(is_active=True, organisation__kind__in=ASSIGNEE_KINDS)
        .exclude(role__in=NO_DATA_ROLES)
        .select_related("organisation")
    )
    if not getattr(actor, "is_authenticated", False):
        return users.none()
    if sees_all_school_letters(actor):
        return users
    scope = actor.scope
    reach = Q(organisation_id__in=scope.org_ids) if scope.org_ids else Q(pk__in=[])
    if scope.division_prefix:
        reach |= Q(organisation__division__code__startswith=scope.division_prefix)
    return users.filter(reach)


def _valid_year(errors: Errors, year: int | None) -> None:
    today = timezone.localdate()
    if year is not None and not FIRST_YEAR <= year <= today.year + 1:
        error(
            errors,
            "year",
            _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR,
                                                          "last": today.year + 1},
        )  # fmt: skip


def _already(child: Person, year: int, season: str) -> str:
    existing = (
        Assignment.objects.filter(child=child, year=year, season=season)
        .select_related("assignee")
        .first()
    )
    if existing is None:
        return ""
    return _(
        "This child is already assigned to %(name)s for the %(season)s of %(year)d: "
        "a child has one named official a season."
    ) % {
        "name": existing.assignee.full_name or existing.assignee.username,
        "season": existing.get_season_display(),
        "year": year,
    }


def assignment_create(*, actor: User, data: dict[str, Any]) -> Assignment:
    """Assign a child to a named official or teacher for a season of a year."""
    child = data.get("child")
    require_perm(actor, "drowning.assign_child", child)
    assert isinstance(child, Person)
    assignee: Any = data.get("assignee")
    year: Any = data.get("year")
    assignment = Assignment(
        child=child,
        assignee=assignee,
        year=year,
        season=data.get("season") or "",
        assigned_on=timezone.localdate(),
        created_by=actor,
    )
    errors: Errors = {}
    _valid_year(errors, assignment.year)
    if not child.is_minor:
        error(errors, "child", _("Only minors are assigned."), "adult")
    if assignee is None:
        error(errors, "assignee", _("Name the official or teacher responsible."), "required")
    elif not assignable_users(actor).filter(pk=assignee.pk).exists():
        error(
            errors,
            "assignee",
            _("Name an active official or teacher of a school, township or village you reach."),
        )
    if assignment.year and assignment.season:
        message = _already(child, assignment.year, assignment.season)
        if message:
            error(errors, "child", message, "duplicate")
    if "assignee" not in errors:
        try:
            assignment.full_clean(exclude=["created_by"], validate_constraints=False)
        except ValidationError as exc:
            for name, field_errors in exc.error_dict.items():
                errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)
    try:
        with transaction.atomic(durable=True):
            assignment.save()
            record(
                AuditEvent.Action.CREATE,
                actor=actor,
                target=assignment,
                target_repr=str(assignment),
                operation="assignment_create",
                child=child.pk,
                assignee=assignee.pk,
                year=assignment.year,
                season=assignment.season,
            )
    except IntegrityError:  # assigned by someone else a moment ago
        raise ValidationError(
            {"child": _already(child, assignment.year, assignment.season)}
        ) from None
    return assignment


def contact_log(*, actor: User, assignment: Assignment, data: dict[str, Any]) -> Contact:
    """Log a contact with the child or the family: the date (not in the future), the way, a
    note."""
    require_perm(actor, "drowning.log_contact", assignment)
    contacted_on: Any = data.get("contacted_on")
    contact = Contact(
        assignment=assignment,
        contacted_on=contacted_on,
        way=data.get("way") or "",
        note=(data.get("note") or "").strip(),
        recorded_by=actor,
    )
    errors: Errors = {}
    if contact.contacted_on is None:
        error(errors, "contacted_on", _("Give the date of the contact."), "required")
    elif contact.contacted_on > timezone.localdate():
        error(errors, "contacted_on", _("The contact cannot be in the future."), "future")
    if len(contact.note) > MAX_NOTE:
        error(errors, "note", _("Keep the note under %(n)d characters.") % {"n": MAX_NOTE})
    try:
        contact.full_clean(exclude=["recorded_by", "assignment"])
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        contact.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=assignment,
            target_repr=str(assignment),
            operation="contact_log",
            contacted_on=contact.contacted_on.isoformat(),
            way=contact.way,
        )
    return contact


# The lists ------------------------------------------------------------------------------------


def to_be_assigned(people: PersonQuerySet, on: date) -> PersonQuerySet:
    """Of `people`, the children to be assigned on `on`: aged 3–15, or left behind (minors)."""
    return people.filter(to_be_assigned_on(on))


def unassigned(people: PersonQuerySet, year: int, season: str, on: date) -> PersonQuerySet:
    """Children to be assigned with nobody for the season, by school, class and name."""
    assigned = Assignment.objects.filter(child=OuterRef("pk"), year=year, season=season)
    return (
        to_be_assigned(people, on)
        .exclude(Exists(assigned))
        .select_related("school", "division", "left_behind")
        .order_by("school_id", "grade", "class_name", "name_pinyin", "pk")
    )


@dataclass
class SilentRow:
    assignee: User
    children: int
    last_contact: date | None
    since: date


def silent_assignees(
    assignments: QuerySet[Assignment], today: date, days: int = CONTACT_DAYS
) -> QuerySet[Any]:
    """Assignees (of `assignments`) with no contact logged in `days`: their latest contact,
    or their first assignment when there is none, is older than that. Rows of values:
    assignee, children, last_contact, since; longest silence first."""
    cutoff = today - timedelta(days=days)
    return (
        assignments.values("assignee")
        .annotate(
            children=Count("pk", distinct=True),
            last_contact=Max("contacts__contacted_on"),
            since=Coalesce(Max("contacts__contacted_on"), Min("assigned_on")),
        )
        .filter(since__lt=cutoff)
        .order_by("since", "assignee")
    )


def silent_rows(page_rows: list[dict[str, Any]]) -> list[SilentRow]:
    """The page's rows with their assignees (one query)."""
    users = User.objects.select_related("organisation").in_bulk(
        [row["assignee"] for row in page_rows]
    )
    return [
        SilentRow(users[row["assignee"]], row["children"], row["last_contact"], row["since"])
        for row in page_rows
        if row["assignee"] in users
    ]


def last_contacts(assignments: list[Assignment]) -> dict[int, date]:
    rows = (
        Contact.objects.filter(assignment__in=assignments)
        .values("assignment")
        .annotate(last=Max("contacted_on"))
        .order_by()
    )
    return {row["assignment"]: row["last"] for row in rows}


__all__ = [
    "ASSIGNEE_KINDS",
    "Season",
    "SilentRow",
    "assignable_users",
    "assignment_create",
    "contact_log",
    "last_contacts",
    "silent_assignees",
    "silent_rows",
    "to_be_assigned",
    "unassigned",
]
