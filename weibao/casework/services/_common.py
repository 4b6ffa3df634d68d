"""Private helpers the casework topics share: who gets a unit's messages, the timeline, routing
and document numbers. Not part of the public API (the package re-exports what is)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.accounts.policy import NO_DATA_ROLES
from weibao.casework.models import (
    Case,
    GuardianOrder,
    Referral,
    Suggestion,
    TimelineEntry,
)
from weibao.kit.messages import Message

K = Organisation.Kind
# Roles that get a unit's casework messages: those who work with children's data.
DATA_ROLES = tuple(role for role in Role.values if role not in NO_DATA_ROLES)


def text_of(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def unit_users(*units: Organisation | None) -> list[User]:
    """The active users of the units who read or act on children's data."""
    ids = [unit.pk for unit in units if unit is not None]
    return list(User.objects.filter(organisation_id__in=ids, is_active=True, role__in=DATA_ROLES))


def coordinators() -> list[User]:
    return list(User.objects.filter(role=Role.COUNTY_COORDINATOR, is_active=True))


def timeline(
    *,
    actor: User | None,
    kind: str,
    text: Message,
    case: Case | None = None,
    referral: Referral | None = None,
) -> None:
    TimelineEntry.objects.create(
        case=case if case is not None else (referral.case if referral is not None else None),
        referral=referral,
        actor=actor,
        unit=actor.organisation if actor is not None else None,
        kind=kind,
        text=text.msgid[:300],
        text_args=dict(text.args),
    )


# Routing -----------------------------------------------------------------------------------------


def police_unit_for(division: Division) -> Organisation | None:
    """The police station whose division contains the place (the nearest one), else the county's
    public-security bureau."""
    stations = (
        Organisation.objects.active().filter(kind=K.POLICE_STATION).select_related("division")
    )
    best: Organisation | None = None
    for station in stations:
        prefix = station.division.prefix
        if division.code.startswith(prefix) and (
            best is None or len(prefix) > len(best.division.prefix)
        ):
            best = station
    if best is not None:
        return best
    return (
        Organisation.objects.active()
        .filter(kind=K.PUBLIC_SECURITY)
        .order_by("division__level", "pk")
        .first()
    )


def procuratorate_for(division: Division | None = None) -> Organisation | None:
    """The county procuratorate (its minors' team receives every report)."""
    return (
        Organisation.objects.active()
        .filter(kind=K.PROCURATORATE)
        .order_by("division__level", "pk")
        .first()
    )


# Serial numbers ----------------------------------------------------------------------------------


def next_serial(
    model: type[Suggestion] | type[GuardianOrder], issuer: Organisation, year: int
) -> int:
    top = model.objects.filter(issuer=issuer, year=year).aggregate(top=Max("serial"))["top"]
    return (top or 0) + 1


def short_name(issuer: Organisation) -> str:
    """乐安县人民检察院 -> 乐: the county's first character, as document numbers use it."""
    return issuer.name[:1]


def save_numbered(obj: Suggestion | GuardianOrder, make_number: Any) -> None:
    """Save with the next serial of the issuer's year; retry if another save took it."""
    for _attempt in range(5):
        obj.serial = next_serial(type(obj), obj.issuer, obj.year)
        obj.number = make_number(obj)
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            obj.pk = None
    raise ValidationError({"number": [_("Could not give a document number; try again.")]})


def save_fields(obj: models.Model, fields: Sequence[str]) -> None:
    """Validate the fields a step changes, then save just them (`full_clean` on those fields:
    the others were validated when the record was made)."""
    others = [f.name for f in obj._meta.concrete_fields if f.name not in fields]
    obj.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    obj.save(update_fields=list(fields))
