"""A school's concern about a venue near it: a task for the venue's supervising unit, which
closes it with what was done."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.services import notify, unit_staff
from weibao.kit.guards import require_perm
from weibao.kit.messages import Message
from weibao.schools.models import School
from weibao.venues.models import Concern, Venue
from weibao.venues.services._common import coordinators

MIN_TEXT = 4
MAX_TEXT = 2000


def _text(value: str, field: str) -> str:
    text = " ".join((value or "").split())
    if len(text) < MIN_TEXT:
        message = _("Say what it is about (at least %(n)d characters).") % {"n": MIN_TEXT}
        raise ValidationError({field: message})
    if len(text) > MAX_TEXT:
        message = _("At most %(n)d characters.") % {"n": MAX_TEXT}
        raise ValidationError({field: message})
    return text


def concern_raise(*, actor: User, venue: Venue, text: str) -> Concern:
    """The actor's school reports a concern about a venue within its rule circles."""
    require_perm(actor, "venues.raise_concern", venue)
    text = _text(text, "text")
    school = School.objects.filter(organisation_id=actor.organisation_id).first()
    if school is None:
        raise ValidationError({"text": _("Your unit has no school record.")})
    concern = Concern(venue=venue, school=school, text=text, reported_by=actor)
    concern.full_clean(exclude=["reported_by", "closed_by"])
    with transaction.atomic(durable=True):
        concern.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=concern,
            target_repr=str(concern),
            operation="concern_raise",
            venue=venue.pk,
        )
        notify(
            recipients=unit_staff([venue.supervising_unit]) or coordinators(),
            title=Message(
                gettext_noop("A school reports a concern about %(venue)s"), {"venue": venue.name}
            ),
            link=reverse("venues:concern_list"),
            kind="venues_concern",
        )
    return concern


def concern_close(*, actor: User, concern: Concern, reply: str) -> Concern:
    """The supervising unit closes a concern with what it did; the school is told."""
    require_perm(actor, "venues.close_concern", concern)
    reply = _text(reply, "reply")
    if concern.closed_at is not None:
        raise ValidationError({"reply": _("This concern is already closed.")})
    with transaction.atomic(durable=True):
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        if locked.closed_at is not None:
            raise ValidationError({"reply": _("This concern is already closed.")})
        concern.closed_at, concern.closed_by, concern.reply = timezone.now(), actor, reply
        concern.save(update_fields=["closed_at", "closed_by", "reply"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=concern,
            target_repr=str(concern),
            operation="concern_close",
        )
        if concern.reported_by is not None:
            notify(
                recipients=[concern.reported_by],
                title=Message(
                    gettext_noop("Your concern about %(venue)s was dealt with"),
                    {"venue": concern.venue.name},
                ),
                body=reply[:500],
                link=reverse("venues:concern_list"),
                kind="venues_concern_closed",
            )
    return concern
