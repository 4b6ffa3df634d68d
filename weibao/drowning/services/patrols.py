"""Patrols of hazardous waters and the rectifications their gaps open.

A patrol is the latest word on a water's four ones: saving it sets the water's equipment state
(unless a later patrol is already on file), and each item missing or damaged opens a
rectification for the water's township, due RECTIFICATION_DAYS after the patrol (one open item
per water and item: a gap found again is the same rectification). The township closes it with a
note of what was done, which puts the item back in place on the water.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.services import attachment_store, extension_of, notify, validate_upload
from weibao.drowning.models import (
    EQUIPMENT_FIELDS,
    RECTIFICATION_DAYS,
    EquipmentState,
    HazardousWater,
    Patrol,
    Rectification,
)
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message, plural_message

PATROL_FIELDS = ("patrolled_at", "patroller", *EQUIPMENT_FIELDS.values(), "people_in_water",
                 "notes")  # fmt: skip
MIN_NOTE_LENGTH = 4
# Photos taken on a patrol: pictures only, each within the limit, a few a patrol.
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
PHOTO_MAX_BYTES = getattr(settings, "DROWNING_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
MAX_PHOTOS = 6


def check_photos(photos: list[UploadedFile]) -> list[ValidationError]:
    """What is wrong with a patrol's photos (JPEG or PNG, each within PHOTO_MAX_BYTES, at most
    MAX_PHOTOS); an empty list when nothing is."""
    problems: list[ValidationError] = []
    if len(photos) > MAX_PHOTOS:
        problems.append(
            ValidationError(_("At most %(n)d photos a patrol.") % {"n": MAX_PHOTOS}, "too_many")
        )
    for photo in photos:
        name = photo.name or ""
        if extension_of(name) not in PHOTO_EXTENSIONS:
            message = _("%(name)s: only JPEG or PNG photos are accepted.") % {"name": name}
            problems.append(ValidationError(message, "extension"))
        elif (photo.size or 0) > PHOTO_MAX_BYTES:
            message = _("%(name)s is too large; the limit is %(limit)s a photo.") % {
                "name": name,
                "limit": filesizeformat(PHOTO_MAX_BYTES),
            }
            problems.append(ValidationError(message, "too_large"))
        else:
            try:
                validate_upload(photo)
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    problems.append(ValidationError(f"{name}: {message}", "content"))
    return problems


def township_of(water: HazardousWater) -> Division:
    """The water's township: its village's parent (or the division with the township code)."""
    parent = water.village.parent
    if parent is not None and parent.level == Division.Level.TOWNSHIP:
        return parent
    return Division.objects.get(code=water.township_code)


def township_staff(township: Division) -> list[User]:
    """Active users of the township's government: who is told of its rectifications."""
    return list(
        User.objects.filter(
            is_active=True,
            organisation__kind=Organisation.Kind.TOWNSHIP,
            organisation__division=township,
        )
    )


def patrol_record(*, actor: User, water: HazardousWater, data: dict[str, Any]) -> Patrol:
    """Record a patrol of `water`; update its equipment; open rectifications for its gaps."""
    require_perm(actor, "drowning.record_patrol", water)
    patrol = Patrol(water=water, recorded_by=actor)
    errors: Errors = {}
    for name in PATROL_FIELDS:
        if name in data:
            value = data[name]
            setattr(patrol, name, value.strip() if isinstance(value, str) else value)
    patrol.patroller = " ".join((patrol.patroller or actor.full_name or actor.username).split())
    patrol.notes = patrol.notes or ""
    if patrol.patrolled_at is None:
        error(errors, "patrolled_at", _("Give the time of the patrol."), "required")
    elif patrol.patrolled_at > timezone.now():
        message = _("The patrol cannot be in the future.")
        error(errors, "patrolled_at", message, "future")
    try:
        patrol.full_clean(exclude=["recorded_by", "water"])
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    photos = list(data.get("photos") or [])
    problems = check_photos(photos)
    if problems:
        errors.setdefault("photos", []).extend(problems)
    raise_if(errors)
    with transaction.atomic(durable=True):
        locked = HazardousWater.objects.select_for_update().get(pk=water.pk)
        patrol.water = locked
        patrol.save()
        for photo in photos:
            attachment_store(actor=actor, upload=photo, owner=patrol)
        later = Patrol.objects.filter(water=locked, patrolled_at__gt=patrol.patrolled_at)
        changes: dict[str, list[str]] = {}
        if not later.exists():
            for name in EQUIPMENT_FIELDS.values():
                old, new = getattr(locked, name), getattr(patrol, name)
                if old != new:
                    changes[name] = [old, new]
                    setattr(water, name, new)
            if changes:
                HazardousWater.objects.filter(pk=locked.pk).update(
                    **{name: pair[1] for name, pair in changes.items()}
                )
        opened = _open_rectifications(patrol, township_of(water))
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=patrol,
            target_repr=str(patrol),
            operation="patrol_record",
            water=water.pk,
            equipment=changes,
            rectifications=len(opened),
            photos=len(photos),
        )
        if opened:
            township = opened[0].township
            notify(
                recipients=township_staff(township),
                title=plural_message(
                    "A patrol found %(n)d gap in a water's safety equipment",
                    "A patrol found %(n)d gaps in a water's safety equipment",
                    "n",
                    {"n": len(opened)},
                ),
                body=Message(
                    gettext_noop("Put it right by %(date)s."),
                    {"date": opened[0].deadline.isoformat()},
                ),
                link=reverse("drowning:rectification_list"),
                kind="drowning_rectification",
            )
    return patrol


def _open_rectifications(patrol: Patrol, township: Division) -> list[Rectification]:
    states = {item: getattr(patrol, name) for item, name in EQUIPMENT_FIELDS.items()}
    day = timezone.localdate(patrol.patrolled_at)
    return open_rectifications(
        water=patrol.water, states=states, township=township, day=day, patrol=patrol
    )


def open_rectifications(
    *,
    water: HazardousWater,
    states: dict[str, str],
    township: Division,
    day: date,
    **source: Any,
) -> list[Rectification]:
    """Open a rectification for each item of `states` (item: state) not in place at `water`,
    due RECTIFICATION_DAYS after `day`, unless one is open for the item already. `source` names
    what found it (`patrol=` or `sign_inspection=`). Runs inside the caller's transaction."""
    already = set(Rectification.objects.open().filter(water=water).values_list("item", flat=True))
    opened = [
        Rectification(
            water=water,
            item=item,
            state=state,
            township=township,
            opened_on=day,
            deadline=day + timedelta(days=RECTIFICATION_DAYS),
            **source,
        )
        for item, state in states.items()
        if state != EquipmentState.OK and item not in already
    ]
    return Rectification.objects.bulk_create(opened)


def rectification_close(*, actor: User, rectification: Rectification, note: str) -> Rectification:
    """Close a rectification with what was done; the item is back in place on the water."""
    require_perm(actor, "drowning.close_rectification", rectification)
    note = " ".join((note or "").split())
    if not rectification.is_open:
        raise ValidationError({"note": _("This rectification is already closed.")})
    if len(note) < MIN_NOTE_LENGTH:
        message = _("Say what was done (at least %(n)d characters).") % {"n": MIN_NOTE_LENGTH}
        raise ValidationError({"note": message})
    with transaction.atomic(durable=True):
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if locked.closed_at is not None:
            raise ValidationError({"note": _("This rectification is already closed.")})
        rectification.closed_at = timezone.now()
        rectification.closed_by = actor
        rectification.close_note = note
        rectification.save(update_fields=["closed_at", "closed_by", "close_note"])
        field = EQUIPMENT_FIELDS[rectification.item]
        HazardousWater.objects.filter(pk=rectification.water_id).update(
            **{field: EquipmentState.OK}
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=rectification,
            target_repr=str(rectification),
            operation="rectification_close",
            item=rectification.item,
        )
    return rectification


def rectifications_notify_overdue(today: date | None = None) -> int:
    """The scheduler's: tell each township of its rectifications that have fallen overdue
    since the last run. Each item is told once (idempotent). Returns how many were told."""
    today = today or timezone.localdate()
    due = (
        Rectification.objects.overdue(today)
        .filter(overdue_notified_on__isnull=True)
        .select_related("township")
    )
    by_township: dict[int, list[Rectification]] = defaultdict(list)
    for item in due:
        by_township[item.township_id].append(item)
    told = 0
    for items in by_township.values():
        township = items[0].township
        with transaction.atomic():
            notify(
                recipients=township_staff(township),
                title=plural_message(
                    "%(n)d water-safety rectification is overdue",
                    "%(n)d water-safety rectifications are overdue",
                    "n",
                    {"n": len(items)},
                ),
                link=reverse("drowning:rectification_list") + "?overdue=on",
                kind="drowning_rectification_overdue",
            )
            Rectification.objects.filter(pk__in=[i.pk for i in items]).update(
                overdue_notified_on=today
            )
        told += len(items)
    return told
