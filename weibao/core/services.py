"""Shared services: notifications, attachments, long jobs. Every app calls these.

- `notify` puts a message in users' inboxes and, after the caller's transaction commits, posts it
  to units' group robots and e-mails it. A failed outside channel never fails the caller.
- `attachment_store` / `attachment_store_bytes` keep files outside the web root, checked and
  audited; `weibao.core.views.attachment_download` serves them back to those allowed.
- `job_start` hands a registered long job (see `weibao.core.jobs`) to the worker.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import re
import secrets
import unicodedata
import urllib.request
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core import tasks
from weibao.core.contract import WaitingItem, waiting_sources
from weibao.core.models import Attachment, Job, Notification, WebhookDelivery
from weibao.kit import filetypes
from weibao.kit.guards import require_perm
from weibao.kit.messages import Message, parts

logger = logging.getLogger(__name__)


# Waiting for you -----------------------------------------------------------------------------


def waiting_for(user: User) -> list[WaitingItem]:
    """Every app's waiting items for this user (their contracts' `waiting`), those with a count:
    overdue ones first, then the rest, each group in the apps' order."""
    items: list[WaitingItem] = []
    for source in waiting_sources():
        items.extend(item for item in source(user) if item.count)
    return sorted(items, key=lambda item: not item.overdue)


# Notifications -------------------------------------------------------------------------------

# How much of a message's body goes to a group robot (WeCom accepts 4096 bytes of markdown).
WEBHOOK_BODY_CHARS = 1000
# A retry waits settings.WEBHOOK_RETRY_BASE_SECONDS (default 30), twice as long each time, and
# never longer than this.
WEBHOOK_RETRY_MAX_SECONDS = 3600
# The longest response from a robot that is read.
WEBHOOK_RESPONSE_BYTES = 65536


def unit_staff(
    units: Iterable[Organisation | int | None],
    roles: Iterable[str] = (Role.UNIT_ADMIN, Role.CASE_WORKER),
) -> list[User]:
    """The active staff of the units (by unit or id; administrators and case workers unless
    `roles` says otherwise): who is told when a unit must act."""
    found = (unit.pk if isinstance(unit, Organisation) else unit for unit in units)
    ids = {pk for pk in found if pk is not None}
    if not ids:
        return []
    return list(User.objects.filter(is_active=True, organisation_id__in=ids, role__in=list(roles)))


def notify(
    *,
    recipients: Iterable[User],
    title: str | Message,
    body: str | Message = "",
    link: str = "",
    kind: str = "",
    webhook_units: Iterable[Organisation] = (),
    email: bool = True,
) -> list[Notification]:
    """Tell users (and units' group robots) about something. Call it inside your service.

    The in-app rows are written in the caller's transaction, so they exist exactly when the action
    does. The group-robot posts and e-mails leave only after the transaction commits, from the
    worker; any failure there is logged and never reaches the caller.

    The title and body leave the platform (group chats, mailboxes): never put a child's name or
    ID number in them. Say what happened and link to the record, which checks who may see it.

    A title or body given as a `kit.messages.Message` is kept as its message id and values, so
    each recipient reads it in their own language; the group robots and e-mails get it in the
    platform's language (LANGUAGE_CODE), since a group has no single reader.
    """
    users = list({user.pk: user for user in recipients if user.is_active}.values())
    (title_id, title_args), (body_id, body_args) = parts(title), parts(body)
    link = str(link)[:300]
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title_id[:200],
                title_args=title_args,
                body=body_id,
                body_args=body_args,
                link=link,
                kind=kind,
            )
            for user in users
        ]
    )
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(title)[:200], str(body)
    _queue_webhooks(webhook_units, title=title, body=body, link=link)
    if email and settings.EMAIL_HOST:
        addresses = sorted({user.email for user in users if user.email})
        if addresses:
            _on_commit(partial(_enqueue_email, addresses, title, body, link))
    return notifications


def _on_commit(callback: Callable[[], None]) -> None:
    """Run `callback` after the caller's transaction commits; a failure there is only logged."""
    try:
        transaction.on_commit(callback, robust=True)
    except Exception:
        logger.exception("could not schedule a notification channel")


def _queue_webhooks(units: Iterable[Organisation], *, title: str, body: str, link: str) -> None:
    try:
        # A savepoint: a failure here rolls back only the deliveries, never the caller's work.
        with transaction.atomic():
            deliveries = WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(
                        organisation=unit,
                        url=unit.webhook_url,
                        payload=webhook_payload(unit.webhook_url, title, body, absolute_link(link)),
                    )
                    for unit in {unit.pk: unit for unit in units}.values()
                    if unit.webhook_url
                ]
            )
    except Exception:
        logger.exception("could not queue group-robot messages for %r", title)
        return
    for delivery in deliveries:
        _on_commit(partial(_enqueue_webhook, delivery.pk))


def _enqueue_webhook(delivery_id: int) -> None:
    try:
        tasks.send_webhook.enqueue(delivery_id)
    except Exception:
        logger.exception("could not enqueue webhook delivery %s", delivery_id)


def _enqueue_email(addresses: list[str], subject: str, body: str, link: str) -> None:
    try:
        tasks.send_email.enqueue(addresses, subject, body, absolute_link(link))
    except Exception:
        logger.exception("could not enqueue e-mail %r", subject)


def absolute_link(link: str) -> str:
    """A link usable outside the site: SITE_URL (if set) before a path."""
    base = getattr(settings, "SITE_URL", "")
    if link.startswith("/") and base:
        return base.rstrip("/") + link
    return link


def webhook_payload(url: str, title: str, body: str, link: str) -> dict[str, Any]:
    """The JSON a group robot accepts: DingTalk's when the address is DingTalk's, else WeCom's.

    The platform's name leads the text, so a DingTalk robot guarded by the keyword "未保" (or
    "Weibao") lets it through.
    """
    brand = _("Weibao")
    body = body.strip()
    if len(body) > WEBHOOK_BODY_CHARS:
        body = body[: WEBHOOK_BODY_CHARS - 1] + "…"
    link_text = f"[{_('Open in Weibao')}]({link})" if link else ""
    host = (urlsplit(url).hostname or "").lower()
    if "dingtalk" in host:
        text = "\n\n".join(part for part in (f"### 【{brand}】{title}", body, link_text) if part)
        return {"msgtype": "markdown", "markdown": {"title": f"【{brand}】{title}", "text": text}}
    content = "\n".join(part for part in (f"**【{brand}】{title}**", body, link_text) if part)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def webhook_deliver(*, delivery_id: int) -> str:
    """Make one attempt at a delivery; on failure queue the next, until the attempts run out.

    Safe to run twice for the same delivery: an attempt is claimed by a conditional UPDATE, and a
    run that finds a retry already scheduled stands down. Returns what happened, for the log.
    """
    now = timezone.now()
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "nothing to send"
    if delivery.next_attempt_at > now + timedelta(seconds=1):
        return "a retry is already scheduled"
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now)
    if not claimed:
        return "another worker has it"
    delivery.attempts += 1
    error = _post_json(delivery.url, delivery.payload)
    if error is None:
        delivery.status = WebhookDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "last_error"])
        return "sent"
    delivery.last_error = error[:2000]
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.save(update_fields=["status", "last_error"])
        logger.warning(
            "webhook delivery %s to %s failed for good after %s attempts: %s",
            delivery.pk,
            delivery.organisation_id,
            delivery.attempts,
            error,
        )
        return "failed"
    task = tasks.send_webhook
    if task.get_backend().supports_defer:
        base = getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30)
        delay = min(base * 2 ** (delivery.attempts - 1), WEBHOOK_RETRY_MAX_SECONDS)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        task = task.using(run_after=delivery.next_attempt_at)
    else:
        # A backend that cannot wait (the immediate one, in development) retries at once.
        delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["last_error", "next_attempt_at"])
    task.enqueue(delivery.pk)
    return "will retry"


def _post_json(url: str, payload: dict[str, Any]) -> str | None:
    """POST the payload; None on success, else what went wrong.

    Both robots answer HTTP 200 with {"errcode": n, "errmsg": ...}; a non-zero code is a failure.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        return f"not an http(s) address: {url}"
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            raw = response.read(WEBHOOK_RESPONSE_BYTES)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    try:
        answer = json.loads(raw.decode("utf-8", "replace")) if raw.strip() else {}
    except ValueError:
        return None  # A 2xx that is not JSON: the server took it.
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        return f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"
    return None


def email_send(*, addresses: list[str], subject: str, body: str, link: str = "") -> int:
    """Send one message to each address (so recipients do not see each other); returns the count."""
    text = "\n\n".join(part for part in (body, link) if part)
    brand = _("Weibao")
    messages = [
        EmailMessage(subject=f"【{brand}】{subject}", body=text, to=[address])
        for address in addresses
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def notification_mark_read(*, actor: User, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread message in the actor's inbox read; returns how many."""
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())


def notifications_prune(*, older_than_days: int = 180) -> int:
    """Delete read messages older than the given age; returns how many. Safe to run twice."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _by_model = Notification.objects.read().filter(created_at__lt=cutoff).delete()
    return deleted


def webhook_retry_stale(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the pending deliveries whose attempt is long overdue (the worker was down).

    A delivery whose first task is still queued is not sent twice: see `webhook_deliver`.
    """
    ids = list(WebhookDelivery.objects.stale(older_than).values_list("pk", flat=True))
    for delivery_id in ids:
        _enqueue_webhook(delivery_id)
    return len(ids)


# Attachments ---------------------------------------------------------------------------------

# The type each accepted extension is served as (what it must hold: weibao.kit.filetypes).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
    "ofd": "application/ofd",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
NAME_MAX = 200
# Characters Windows refuses in file names; users save downloads on Windows desktops.
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*]')


def sanitise_name(name: str) -> str:
    """A display name safe to store and to offer for download.

    Drops any directory part, control and format characters (including right-to-left overrides
    that disguise an extension), characters Windows refuses, and leading dots; keeps Chinese.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:NAME_MAX]
    return name


def extension_of(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _file_error(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code, params=params)]})


def validate_upload(upload: UploadedFile, *, accept: Iterable[str] = ()) -> str:
    """Check an upload's size, extension and content; returns its sanitised name.

    `accept`: the extensions or kinds (weibao.kit.filetypes.KINDS: "image", "document",
    "spreadsheet", "presentation") the field takes; by default every ATTACHMENT_EXTENSIONS.
    The content must be what the extension claims, and the size within its kind's limit.
    Raises ValidationError keyed "file" (forms show it under the field). Call it from a form's
    clean_<field>() to show the error before anything is stored.
    """
    name = sanitise_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise _file_error(_("The file is empty."), "empty")
    ext = extension_of(name)
    allowed = [
        e for e in settings.ATTACHMENT_EXTENSIONS if not accept or e in filetypes.extensions(accept)
    ]
    if ext not in allowed:
        raise _file_error(
            _("Files of this type (%(ext)s) are not accepted. Accepted types: %(allowed)s."),
            "extension",
            ext=f".{ext}" if ext else _("no extension"),
            allowed=", ".join(allowed),
        )
    limit = filetypes.max_bytes(ext)
    if size > limit:
        raise _file_error(
            _("The file is too large: %(size)s; the limit is %(limit)s."),
            "too_large",
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )
    if not filetypes.content_matches(ext, upload):
        raise _file_error(
            _("The file's content is not a .%(ext)s file. Save it again in that format."),
            "content",
            ext=ext,
        )
    return name


@transaction.atomic
def attachment_store(
    *, actor: User, upload: UploadedFile, owner: models.Model | None = None
) -> Attachment:
    """Check and store an uploaded file, attached to `owner`; audited as an upload."""
    name = validate_upload(upload)
    attachment = _save_attachment(
        name=name,
        content=upload,
        content_type=CONTENT_TYPES[extension_of(name)],
        actor=actor,
        owner=owner,
    )
    record(
        AuditEvent.Action.UPLOAD,
        actor=actor,
        target=attachment,
        target_repr=attachment.name,
        size=attachment.size,
        sha256=attachment.sha256,
        owner=_owner_label(owner),
    )
    return attachment


@transaction.atomic
def attachment_store_bytes(
    *,
    actor: User | None,
    name: str,
    content: bytes,
    content_type: str,
    owner: models.Model | None = None,
) -> Attachment:
    """Store a file the platform made (an export, a generated document).

    Not checked like an upload: the platform wrote it. The caller audits what the file is (an
    export, say); this records that it was stored.
    """
    name = sanitise_name(name) or "file"
    attachment = _save_attachment(
        name=name, content=ContentFile(content), content_type=content_type, actor=actor, owner=owner
    )
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=attachment,
        target_repr=attachment.name,
        size=attachment.size,
        sha256=attachment.sha256,
        owner=_owner_label(owner),
        generated=True,
    )
    return attachment


def _save_attachment(
    *,
    name: str,
    content: File,
    content_type: str,
    actor: User | None,
    owner: models.Model | None,
) -> Attachment:
    digest = hashlib.sha256()
    size = 0
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    attachment = Attachment(
        name=name,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    if owner is not None:
        attachment.owner_type = ContentType.objects.get_for_model(owner)
        attachment.owner_id = str(owner.pk)
    # Stored under a random name (see attachment_path); the user's name never reaches the disk.
    attachment.file.save(name, content, save=False)
    try:
        attachment.full_clean(exclude=["file", "uploaded_by"])
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_open(*, actor: User, attachment: Attachment) -> IO[bytes]:
    """The attachment's file, open for reading; the download is on the record.
    OSError when the stored file is missing."""
    require_perm(actor, "core.download_attachment", attachment)
    if attachment.is_expired:
        raise AttachmentExpired(attachment)
    if attachment.downloads_left is not None:
        # Counted down in the database, so two clicks at once cannot both take the last one.
        taken = Attachment.objects.filter(pk=attachment.pk, downloads_left__gt=0).update(
            downloads_left=F("downloads_left") - 1
        )
        if not taken:
            raise AttachmentExpired(attachment)
        attachment.downloads_left -= 1
    handle = attachment.file.open("rb")
    owner_type = attachment.owner_type
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=attachment,
        target_repr=attachment.name,
        size=attachment.size,
        owner=f"{owner_type.app_label}.{owner_type.model}:{attachment.owner_id}"
        if owner_type
        else "",
        **(
            {"downloads_left": str(attachment.downloads_left)}
            if attachment.downloads_left is not None
            else {}
        ),
    )
    if attachment.downloads_left == 0:
        # The last download: the stored file goes now (the open handle still reads it).
        _delete_stored(attachment)
    return handle


class AttachmentExpired(Exception):
    """An export past its time or its downloads: its file is no longer served."""

    def __init__(self, attachment: Attachment) -> None:
        super().__init__(attachment.name)
        self.attachment = attachment


def _delete_stored(attachment: Attachment) -> None:
    try:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
    except OSError:
        logger.exception("could not delete the expired file of attachment %s", attachment.pk)


# Exports: password-protected, expiring files -------------------------------------------------

# Letters and digits that cannot be mistaken for each other when read off a screen.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105
PASSWORD_LENGTH = 12


def export_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@transaction.atomic
def export_store(
    *,
    actor: User,
    name: str,
    content: bytes,
    content_type: str,
    owner: models.Model | None = None,
    protect: bool = False,
) -> tuple[Attachment, str]:
    """Store an export that carries personal data: it expires after settings.EXPORT_DOWNLOADS
    downloads [1] or settings.EXPORT_EXPIRY_DAYS days [7], whichever comes first, and with
    `protect` the .xlsx or .docx is encrypted with a new password. Returns (the file, the
    password or "").

    Show the password to the user once and keep it nowhere in plain text; every download is
    audited (attachment_open)."""
    password = ""
    if protect:
        from weibao.kit.spreadsheets import encrypt_office

        password = export_password()
        content = encrypt_office(content, password)
    attachment = attachment_store_bytes(
        actor=actor, name=name, content=content, content_type=content_type, owner=owner
    )
    attachment.expires_at = timezone.now() + timedelta(days=settings.EXPORT_EXPIRY_DAYS)
    attachment.downloads_left = settings.EXPORT_DOWNLOADS or None
    attachment.save(update_fields=["expires_at", "downloads_left"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=attachment,
        target_repr=attachment.name,
        protected=protect,
        expires_at=attachment.expires_at.isoformat(),
        downloads=attachment.downloads_left,
    )
    return attachment, password


def audit_checkpoint_failed_notify() -> int:
    """Tell the auditors that the audit log's checkpoint failed: once a day, however often the
    job runs meanwhile. The reason (English, technical) stays in the scheduler's record and the
    server log; the message says what to do. Returns how many were told."""
    today = timezone.localdate()
    kind = "audit_checkpoint_failed"
    if Notification.objects.filter(kind=kind, created_at__date=today).exists():
        return 0
    auditors = User.objects.filter(role=Role.AUDITOR, is_active=True)
    with transaction.atomic():
        told = notify(
            recipients=auditors,
            title=Message(gettext_noop("The audit log could not be checkpointed")),
            body=Message(
                gettext_noop(
                    "The scheduled check of the audit log stopped without signing a checkpoint: "
                    "an event may have been changed or removed, or the checkpoint folder cannot "
                    "be written. Ask the system administrator to run manage.py audit_verify on "
                    "the server and to look at the scheduler's record."
                )
            ),
            kind=kind,
        )
    return len(told)


def job_password_keep(*, job: Job, password: str) -> None:
    """Keep a protected result's password (encrypted) until the job page shows it once."""
    from weibao.kit import crypto

    Job.objects.filter(pk=job.pk).update(secret=crypto.encrypt(password))
    job.secret = crypto.encrypt(password) if password else ""


def job_password_take(*, actor: User, job: Job) -> str:
    """The password of the job's protected result, once: it is erased as it is read, and the
    reading is audited. "" when there is none (or it was shown already)."""
    from weibao.kit import crypto

    if not job.secret or job.status != Job.Status.DONE or job.started_by_id != actor.pk:
        return ""
    with transaction.atomic():
        taken = Job.objects.filter(pk=job.pk).exclude(secret="").update(secret="")
        if not taken:
            return ""
        record(
            AuditEvent.Action.REVEAL,
            actor=actor,
            target=job,
            target_repr=job.title,
            field="export_password",
        )
    password = crypto.decrypt(job.secret)
    job.secret = ""
    return password


def exports_expire() -> int:
    """Delete the stored files of exports past their time; returns how many. Safe to run twice:
    the row stays (the audit log points at it), marked with no downloads left."""
    expired = Attachment.objects.filter(expires_at__lte=timezone.now()).exclude(downloads_left=0)
    count = 0
    for attachment in expired:
        _delete_stored(attachment)
        attachment.downloads_left = 0
        attachment.save(update_fields=["downloads_left"])
        count += 1
    return count


def _owner_label(owner: models.Model | None) -> str:
    return f"{owner._meta.label_lower}:{owner.pk}" if owner is not None else ""


# Long jobs -----------------------------------------------------------------------------------


@transaction.atomic
def job_start(
    *, actor: User, kind: str, title: str, params: dict[str, Any] | None = None, link: str = ""
) -> Job:
    """Create a job of a registered kind and hand it to the worker once the caller commits.

    `params` must be JSON (ids and strings, not model instances); the handler reads them.
    `link` is the path where the job's work shows (its page links there when it is done).
    """
    from weibao.core import jobs

    if kind not in jobs.HANDLERS:
        raise ValidationError(
            {"kind": [_("There is no job of the kind %(kind)s.") % {"kind": kind}]}
        )
    params = params or {}
    try:
        json.dumps(params)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            {"params": [_("The job's parameters are not plain data: %(error)s") % {"error": error}]}
        ) from error
    if link and not link.startswith("/"):
        raise ValidationError({"link": [_("A job links only to a page of this site.")]})
    job = Job(kind=kind, title=title[:200], params=params, started_by=actor, link=link)
    job.full_clean(exclude=["params"])
    job.save()
    record(AuditEvent.Action.CREATE, actor=actor, target=job, target_repr=job.title, kind=kind)
    transaction.on_commit(partial(_enqueue_job, str(job.pk)))
    return job


def _enqueue_job(job_id: str) -> None:
    """Queue the job; if the queue refuses, say so on the job rather than leave it waiting."""
    try:
        tasks.run_job.enqueue(job_id)
    except Exception as error:
        logger.exception("could not enqueue job %s", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            message=_("The job could not be queued: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
