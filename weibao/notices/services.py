"""Every write to the liaison group goes through here: drafts, sending, reading, replies, reminders.

Pages, the API, the scheduled reminder and the demo all call these, so the rules hold everywhere:
only drafts change; sending resolves the audience once; a file-form notice needs a file; a reply
after the deadline is accepted but flagged late, and may not be revised; the scheduled reminder
reaches each overdue liaison at most once a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.core.models import Attachment
from weibao.core.services import attachment_store, notify
from weibao.kit.guards import require, require_perm
from weibao.kit.messages import Message
from weibao.kit.spreadsheets import workbook_bytes
from weibao.notices.models import (
    Notice,
    NoticeRecipient,
    NoticeReply,
    is_sender_side,
)
from weibao.schools.models import LiaisonAppointment, School

NOTICE_FIELDS = ("title", "body", "deadline", "requires", "school_kinds")
NOTIFY_KIND = "notice"


def _field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _check_sender(actor: User) -> None:
    if not is_sender_side(actor):
        raise ValidationError(
            _("Only the education bureau and county coordinators send notices."), code="forbidden"
        )


def _check_draft(notice: Notice) -> None:
    if notice.status != Notice.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed; this notice was sent."), "not_draft")


def _apply(notice: Notice, data: Mapping[str, Any]) -> list[Division] | None:
    """Copy the form's values onto the notice; returns the townships to set, if given."""
    for name in NOTICE_FIELDS:
        if name in data:
            value = data[name]
            setattr(notice, name, value.strip() if isinstance(value, str) else value)
    if "school_kinds" in data:
        notice.school_kinds = sorted({str(kind) for kind in data["school_kinds"] or []})
    townships = data.get("townships")
    return list(townships) if townships is not None else None


def _validate(notice: Notice, townships: Sequence[Division] | None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        notice.full_clean(exclude=["townships"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not notice.title.strip():
        errors.setdefault("title", []).append(_("Give the notice a title."))
    unknown = set(notice.school_kinds) - set(School.Kind.values)
    if unknown:
        errors.setdefault("school_kinds", []).append(
            _("Unknown school kinds: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}
        )
    if notice.wants_answer and notice.deadline is None:
        errors.setdefault("deadline", []).append(
            _("A notice that asks for a reply or a file needs a deadline.")
        )
    if townships and any(t.level != Division.Level.TOWNSHIP for t in townships):
        errors.setdefault("townships", []).append(_("Choose townships only."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(*, actor: User, data: Mapping[str, Any]) -> Notice:
    """Write a draft notice from the actor's unit."""
    require_perm(actor, "notices.add_notice")
    _check_sender(actor)
    notice = Notice(sender=actor, sender_unit=actor.organisation)
    townships = _apply(notice, data)
    _validate(notice, townships)
    notice.save()
    if townships:
        notice.townships.set(townships)
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        requires=notice.requires,
    )
    return notice


@transaction.atomic
def notice_update(*, actor: User, notice: Notice, data: Mapping[str, Any]) -> Notice:
    """Change a draft."""
    require_perm(actor, "notices.change_notice", notice)
    _check_sender(actor)
    _check_draft(notice)
    before = {name: getattr(notice, name) for name in NOTICE_FIELDS}
    townships = _apply(notice, data)
    _validate(notice, townships)
    notice.save()
    changes = diff(notice, before, NOTICE_FIELDS)
    if townships is not None:
        old = sorted(notice.townships.values_list("name", flat=True))
        notice.townships.set(townships)
        new = sorted(t.name for t in townships)
        if old != new:
            changes["townships"] = [", ".join(old), ", ".join(new)]
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        changes=changes,
    )
    return notice


def notice_attach(*, actor: User, notice: Notice, upload: UploadedFile) -> Attachment:
    """Attach a file to a draft (checked and audited by the attachment store)."""
    require_perm(actor, "notices.change_notice", notice)
    _check_sender(actor)
    _check_draft(notice)
    return attachment_store(actor=actor, upload=upload, owner=notice)


def audience_liaisons(notice: Notice) -> list[LiaisonAppointment]:
    """The active liaison appointments (main and deputy) the notice's audience reaches."""
    appointments = LiaisonAppointment.objects.active().filter(
        user__is_active=True, school__closed_on__isnull=True
    )
    prefixes = [t.prefix for t in notice.townships.all()] if notice.pk else []
    if prefixes:
        appointments = appointments.filter(
            reduce(
                or_,
                (Q(school__organisation__division__code__startswith=p) for p in prefixes),
            )
        )
    if notice.school_kinds:
        appointments = appointments.filter(school__kind__in=notice.school_kinds)
    return list(appointments.select_related("user", "school__organisation").order_by("pk"))


def _deadline_text(notice: Notice) -> str:
    if notice.deadline is None:
        return ""
    when = formats.date_format(timezone.localtime(notice.deadline), "DATETIME_FORMAT")
    return _("Deadline: %(when)s") % {"when": when}


def _notice_message(notice: Notice) -> str:
    """The body that leaves the platform: what is asked and by when, never the notice's text."""
    parts = [_("From %(unit)s.") % {"unit": notice.sender_unit}]
    if notice.wants_answer:
        parts.append(_("Required: %(what)s.") % {"what": notice.get_requires_display()})
    deadline = _deadline_text(notice)
    if deadline:
        parts.append(deadline)
    return " ".join(parts)


@transaction.atomic
def notice_send(*, actor: User, notice: Notice) -> int:
    """Send a draft to its audience; returns how many liaisons it reached.

    The recipients are fixed now, from the active liaison appointments: a liaison appointed later
    does not receive it. Each gets an in-app message, and each school's group robot (if set) a
    post, queued for the worker after the commit.
    """
    require_perm(actor, "notices.change_notice", notice)
    _check_sender(actor)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _check_draft(notice)
    _validate(notice, None)
    now = timezone.now()
    if notice.deadline is not None and notice.deadline <= now:
        raise _field_error("deadline", _("The deadline has passed; set a later one."), "past")
    appointments = audience_liaisons(notice)
    if not appointments:
        raise ValidationError(
            _("No active campus liaison matches the chosen townships and school kinds."),
            code="no_recipients",
        )
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, school=a.school, user=a.user) for a in appointments]
    )
    notice.status = Notice.Status.SENT
    notice.sent_at = now
    notice.save(update_fields=["status", "sent_at", "updated_at"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        changes={"status": [Notice.Status.DRAFT.value, Notice.Status.SENT.value]},
        recipients=len(appointments),
    )
    notify(
        recipients=[a.user for a in appointments],
        title=Message(gettext_noop("New notice: %(title)s"), {"title": notice.title}),
        body=_notice_message(notice),
        link=notice.get_absolute_url(),
        kind=NOTIFY_KIND,
        webhook_units=[a.school.organisation for a in appointments],
    )
    return len(appointments)


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice) -> Notice:
    """Withdraw a sent notice: no more replies or reminders; the recipients are told."""
    require_perm(actor, "notices.change_notice", notice)
    _check_sender(actor)
    if notice.status != Notice.Status.SENT:
        raise ValidationError(_("Only a sent notice can be withdrawn."), code="not_sent")
    notice.status = Notice.Status.WITHDRAWN
    notice.save(update_fields=["status", "updated_at"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        changes={"status": [Notice.Status.SENT.value, Notice.Status.WITHDRAWN.value]},
    )
    users = User.objects.filter(notices_received__notice=notice).distinct()
    notify(
        recipients=users,
        title=Message(gettext_noop("Notice withdrawn: %(title)s"), {"title": notice.title}),
        link=notice.get_absolute_url(),
        kind=NOTIFY_KIND,
    )
    return notice


def notice_mark_read(*, actor: User, notice: Notice) -> int:
    """Mark the actor's copies of the notice read (the first time they open it)."""
    require_perm(actor, "notices.view_notice", notice)
    return NoticeRecipient.objects.filter(notice=notice, user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notice_reply(
    *,
    actor: User,
    recipient: NoticeRecipient,
    text: str = "",
    uploads: Iterable[UploadedFile] = (),
) -> NoticeReply:
    """Reply for the school. Checks what the notice requires; a late reply is accepted and flagged.

    The reply answers for the school: every liaison row of the school is marked replied. Before
    the deadline a reply may be revised (a new row: the history is kept); after it, not.
    """
    require_perm(actor, "notices.reply_notice", recipient.notice)
    # The recipient row is the actor's own: another liaison's row (even of the same notice) is
    # refused as any other write the actor may not make.
    require(recipient.user_id == actor.pk)
    notice = Notice.objects.select_for_update().get(pk=recipient.notice_id)
    text = (text or "").strip()
    files = [upload for upload in uploads if upload]
    if notice.status != Notice.Status.SENT:
        raise ValidationError(_("This notice was withdrawn; it takes no replies."), "withdrawn")
    if not notice.wants_answer:
        raise _field_error("text", _("This notice asks for no reply."), "no_reply")
    now = timezone.now()
    late = notice.deadline is not None and now > notice.deadline
    school_rows = NoticeRecipient.objects.filter(notice=notice, school_id=recipient.school_id)
    if late and school_rows.filter(replied_at__isnull=False).exists():
        raise ValidationError(
            _("The deadline has passed; the reply can no longer be changed."), "closed"
        )
    if notice.requires == Notice.Requires.FILE and not files:
        raise _field_error("file", _("This notice asks for a filled-in form: attach the file."))
    if notice.requires == Notice.Requires.REPLY and not (text or files):
        raise _field_error("text", _("Write a reply or attach a file."), "required")
    reply = NoticeReply(recipient=recipient, text=text, is_late=late, created_at=now)
    reply.full_clean()
    reply.save()
    for upload in files:
        try:
            attachment_store(actor=actor, upload=upload, owner=reply)
        except ValidationError as exc:
            raise _field_error("file", " ".join(exc.messages)) from exc
    school_rows.filter(replied_at__isnull=True).update(replied_at=now)
    school_rows.filter(user=actor, read_at__isnull=True).update(read_at=now)
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=reply,
        target_repr=f"{notice.title} · {recipient.school}",
        notice=notice.pk,
        files=len(files),
        late=late,
    )
    return reply


def reply_view(*, actor: User, reply: NoticeReply) -> None:
    """Record that someone opened a school's reply (it may carry the school's own data)."""
    require_perm(actor, "notices.view_reply", reply)
    record(
        AuditEvent.Action.VIEW,
        actor=actor,
        target=reply,
        target_repr=str(reply),
        notice=reply.recipient.notice_id,
    )


def _remind(
    *, actor: User | None, notice: Notice, recipients: Sequence[NoticeRecipient], now: datetime
) -> int:
    if not recipients:
        return 0
    NoticeRecipient.objects.filter(pk__in=[r.pk for r in recipients]).update(
        reminded_at=now, reminder_count=F("reminder_count") + 1
    )
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        reminded=len(recipients),
        scheduled=actor is None,
    )
    notify(
        recipients=[r.user for r in recipients],
        title=Message(
            gettext_noop("Reminder: overdue reply to “%(title)s”"), {"title": notice.title}
        ),
        body=_notice_message(notice),
        link=notice.get_absolute_url(),
        kind=NOTIFY_KIND,
        webhook_units=[r.school.organisation for r in recipients],
    )
    return len(recipients)


@transaction.atomic
def notice_remind_overdue(*, actor: User, notice: Notice) -> int:
    """Remind every overdue liaison of the notice now (the sender's one action); returns how many.

    No once-a-day limit here: the sender chose to remind. The scheduled job has the limit.
    """
    require_perm(actor, "notices.change_notice", notice)
    _check_sender(actor)
    now = timezone.now()
    overdue = list(
        notice.recipients.overdue(now).select_related("user", "school__organisation").order_by("pk")
    )
    return _remind(actor=actor, notice=notice, recipients=overdue, now=now)


def notices_remind_overdue_daily(*, now: datetime | None = None) -> int:
    """The scheduled reminder: every overdue liaison not yet reminded today; returns how many.

    Safe to run twice a day: a liaison reminded today (by hand or by this) is skipped.
    """
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    due = (
        NoticeRecipient.objects.overdue(now)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
        .select_related("user", "school__organisation", "notice")
        .order_by("notice_id", "pk")
    )
    by_notice: dict[int, list[NoticeRecipient]] = {}
    for recipient in due:
        by_notice.setdefault(recipient.notice_id, []).append(recipient)
    count = 0
    for rows in by_notice.values():
        with transaction.atomic():
            count += _remind(actor=None, notice=rows[0].notice, recipients=rows, now=now)
    return count


# The status table ----------------------------------------------------------------------------


def status_rows(notice: Notice) -> list[NoticeRecipient]:
    """The notice's recipients in table order, with what the table shows loaded."""
    return list(
        notice.recipients.select_related(
            "user", "school__organisation__division__parent", "notice"
        ).order_by("school__organisation__division__code", "school__organisation__name", "pk")
    )


def recipient_state(recipient: NoticeRecipient, now: datetime) -> str:
    if recipient.is_overdue(now):
        return _("overdue")
    if recipient.is_late:
        return _("replied late")
    if recipient.replied_at:
        return _("replied")
    if recipient.read_at:
        return _("read")
    return _("unread")


def township_of(recipient: NoticeRecipient) -> str:
    """The township the school lies in (its unit sits in a village of it, or the township)."""
    division = recipient.school.organisation.division
    if division.level == Division.Level.VILLAGE and division.parent is not None:
        return division.parent.name
    return division.name


def _local(when: datetime | None) -> str:
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}" if when else ""


def _latest_reply_text(recipient: NoticeRecipient) -> str:
    history: list[NoticeReply] = getattr(recipient, "history", [])  # prefetched, newest first
    return history[0].text if history else ""


def notice_export_status(*, actor: User, notice: Notice) -> bytes:
    """The status table as an .xlsx; audited as an export."""
    require_perm(actor, "notices.view_status", notice)
    _check_sender(actor)
    now = timezone.now()
    rows = status_rows(notice)
    latest = NoticeReply.objects.order_by("recipient_id", "-created_at", "-id")
    prefetch_related_objects(rows, Prefetch("replies", queryset=latest, to_attr="history"))
    content = workbook_bytes(
        _("Replies"),
        [
            _("School"),
            _("Township"),
            _("Liaison"),
            _("Read at"),
            _("Replied at"),
            _("State"),
            _("Reminders"),
            _("Reply"),
        ],
        (
            [
                r.school.name,
                township_of(r),
                r.user.full_name or r.user.username,
                _local(r.read_at),
                _local(r.replied_at),
                recipient_state(r, now),
                r.reminder_count,
                _latest_reply_text(r),  # the latest reply's words
            ]
            for r in rows
        ),
        (30, 14, 14, 18, 18, 12, 10, 60),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=notice,
        target_repr=notice.title,
        rows=len(rows),
        what="notice_status",
    )
    return content
