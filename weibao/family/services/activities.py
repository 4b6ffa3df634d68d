"""Activities: recording a talk, class, lesson, visit or holiday programme with its lecturers
and volunteers (only cleared ones where children take part), attachments, and the counts
(per village, site, team, volunteer hours; village coverage per year)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.models import Attachment
from weibao.family.models import Activity, Helper, Site, Team, Volunteer, sees_network
from weibao.family.services.volunteers import require_cleared
from weibao.kit.fielderrors import Errors, error, merge
from weibao.kit.guards import raise_if, require_perm
from weibao.schools.models import School

ACTIVITY_FIELDS = (
    "kind", "title", "held_on", "site", "school", "team", "topic", "method",
    "audience_children", "audience_parents", "hours", "notes",
)  # fmt: skip


def _apply(activity: Activity, data: Mapping[str, Any], errors: Errors) -> None:
    for name in ACTIVITY_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name == "hours":
            try:
                value = Decimal(str(value)) if value not in (None, "") else None
            except InvalidOperation:
                error(errors, "hours", _("Give the hours as a number, such as 1.5."))
                continue
        elif name in ("audience_children", "audience_parents") and value in (None, ""):
            value = 0
        elif name in ("title", "notes") and value is None:
            value = ""
        setattr(activity, name, value)


def _check(actor: User, activity: Activity, helpers: Sequence[Volunteer], errors: Errors) -> None:
    activity.title = " ".join((activity.title or "").split())
    if not activity.title:
        error(errors, "title", _("Give the activity's title."), "required")
    held_on = activity.held_on
    if not isinstance(held_on, date):
        error(errors, "held_on", _("Give the day the activity was held."), "required")
    elif held_on > timezone.localdate():
        error(
            errors,
            "held_on",
            _("An activity is recorded once held: the day cannot be in the future."),
            "future",
        )
    site: Site | None = activity.site if activity.site_id else None
    school: School | None = activity.school if activity.school_id else None
    if site is None and school is None:
        error(errors, "site", _("Choose the site or the school where it was held."), "required")
    elif site is not None and school is not None:
        error(errors, "school", _("Choose a site or a school, not both."), "both")
    elif site is not None:
        if site.status == Site.Status.CLOSED:
            error(errors, "site", _("This site is closed."), "closed")
        activity.village = site.village
    elif school is not None:
        activity.village = school.organisation.division
    team: Team | None = activity.team if activity.team_id else None
    if not sees_network(actor):
        if team is None or team.lead_id != actor.pk or not team.is_active:
            error(errors, "team", _("Choose one of the teams you lead."), "not_your_team")
    elif team is not None and not team.is_active:
        error(errors, "team", _("This team is no longer active."), "inactive")
    for field, count in (("audience_children", activity.audience_children),
                         ("audience_parents", activity.audience_parents)):  # fmt: skip
        if isinstance(count, int) and not 0 <= count <= 100_000:
            error(errors, field, _("Give a number from 0 to 100000."))
    hours = activity.hours
    if hours is not None and not Decimal("0") < hours <= Decimal("24"):
        error(errors, "hours", _("Give the hours, more than 0 and at most 24."))
    inactive = [v for v in helpers if v.status != Volunteer.Status.ACTIVE]
    if inactive:
        error(
            errors,
            "volunteers",
            _("These volunteers are not active: %(names)s.")
            % {"names": "、".join(v.person.masked_name for v in inactive)},
            "inactive",
        )
    if "held_on" not in errors:
        try:
            activity.full_clean(
                exclude=["recorded_by", "village"] if not activity.village_id else ["recorded_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            merge(errors, exc)


def _helpers(data: Mapping[str, Any]) -> tuple[list[Volunteer], list[Volunteer]]:
    lecturers = list(data.get("lecturers") or [])
    lecturer_ids = {v.pk for v in lecturers}
    volunteers = [v for v in data.get("volunteers") or [] if v.pk not in lecturer_ids]
    return lecturers, volunteers


def _write_helpers(
    activity: Activity, lecturers: list[Volunteer], volunteers: list[Volunteer]
) -> None:
    Helper.objects.filter(activity=activity).delete()
    Helper.objects.bulk_create(
        [Helper(activity=activity, volunteer=v, role=Helper.Role.LECTURER) for v in lecturers]
        + [Helper(activity=activity, volunteer=v, role=Helper.Role.VOLUNTEER) for v in volunteers]
    )


def _validate(
    actor: User, activity: Activity, data: Mapping[str, Any]
) -> tuple[list[Volunteer], list[Volunteer]]:
    errors: Errors = {}
    _apply(activity, data, errors)
    lecturers, volunteers = _helpers(data)
    _check(actor, activity, [*lecturers, *volunteers], errors)
    raise_if(errors)
    if activity.with_children:
        require_cleared(lecturers, "lecturers")
        require_cleared(volunteers, "volunteers")
    return lecturers, volunteers


def activity_record(*, actor: User, data: Mapping[str, Any]) -> Activity:
    """Record an activity held, with its lecturers and volunteers."""
    require_perm(actor, "family.record_activity")
    activity = Activity(recorded_by=actor)
    lecturers, volunteers = _validate(actor, activity, data)
    with transaction.atomic(durable=True):
        activity.save()
        _write_helpers(activity, lecturers, volunteers)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=activity,
            target_repr=str(activity),
            operation="family_activity_record",
            helpers=len(lecturers) + len(volunteers),
        )
    return activity


def activity_update(*, actor: User, activity: Activity, data: Mapping[str, Any]) -> Activity:
    require_perm(actor, "family.change_activity", activity)
    before = snapshot(activity, ACTIVITY_FIELDS)
    try:
        lecturers, volunteers = _validate(actor, activity, data)
    except ValidationError:
        activity.refresh_from_db()
        raise
    with transaction.atomic(durable=True):
        activity.save()
        _write_helpers(activity, lecturers, volunteers)
        changes = diff(activity, before, ACTIVITY_FIELDS)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=activity,
            target_repr=str(activity),
            operation="family_activity_update",
            changes=changes,
        )
    return activity


def activity_attach(*, actor: User, activity: Activity, upload: UploadedFile) -> Attachment:
    """Attach a file (sign-in sheet, photos, slides) to an activity."""
    from weibao.core.services import attachment_store

    require_perm(actor, "family.change_activity", activity)
    with transaction.atomic(durable=True):
        return attachment_store(actor=actor, upload=upload, owner=activity)


# Counts ------------------------------------------------------------------------------------

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=1))


def _totals(activities: QuerySet[Activity], key: str) -> QuerySet[Any]:
    return (
        activities.values(key)
        .annotate(
            activities=Count("pk"),
            children=Coalesce(Sum("audience_children"), 0),
            parents=Coalesce(Sum("audience_parents"), 0),
            hours=Coalesce(Sum("hours"), ZERO),
        )
        .order_by("-activities", key)
    )


def counts_by_village(activities: QuerySet[Activity]) -> QuerySet[Any]:
    return _totals(activities, "village").values(
        "village", "village__name", "village__parent__name", "activities", "children",
        "parents", "hours",
    )  # fmt: skip


def counts_by_site(activities: QuerySet[Activity]) -> QuerySet[Any]:
    return _totals(activities.filter(site__isnull=False), "site").values(
        "site", "site__name", "activities", "children", "parents", "hours"
    )


def counts_by_team(activities: QuerySet[Activity]) -> QuerySet[Any]:
    return _totals(activities.filter(team__isnull=False), "team").values(
        "team", "team__name", "activities", "children", "parents", "hours"
    )


def hours_by_volunteer(activities: QuerySet[Activity]) -> QuerySet[Any]:
    """Each helper's activities and hours (the activity's hours, for each who helped)."""
    return (
        Helper.objects.filter(activity__in=activities.values("pk"))
        .values("volunteer", "volunteer__person__name", "volunteer__team__name")
        .annotate(activities=Count("activity"), hours=Coalesce(Sum("activity__hours"), ZERO))
        .order_by("-hours", "volunteer")
    )


def village_coverage(year: int, township: Division | None = None) -> dict[str, int]:
    """Villages and communities with at least one activity in the year, of all."""
    villages = Division.objects.filter(level=Division.Level.VILLAGE)
    if township is not None:
        villages = villages.filter(code__startswith=township.prefix)
    covered = villages.filter(pk__in=Activity.objects.in_year(year).values("village")).count()
    total = villages.count()
    return {"total": total, "covered": covered, "uncovered": total - covered}
