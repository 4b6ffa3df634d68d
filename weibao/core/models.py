"""Shared platform pieces: notifications, attachments, long jobs with progress, scheduled runs."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import User
from weibao.kit.messages import render


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> NotificationQuerySet:
        """A user sees only their own inbox."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def read(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=False)


class Notification(models.Model):
    """One message in one user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A title or body given as a kit.messages.Message is kept as its message id and values
    # (title_args, body_args) and read in the reader's language: title_text(), body_text().
    title = models.CharField(_("title"), max_length=200)
    title_args = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("body"), blank=True, max_length=20000)
    body_args = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title_text()

    def title_text(self) -> str:
        return render(self.title, self.title_args)

    def body_text(self) -> str:
        return render(self.body, self.body_args)


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def pending(self) -> WebhookDeliveryQuerySet:
        return self.filter(status=WebhookDelivery.Status.PENDING)

    def stale(self, older_than: timedelta) -> WebhookDeliveryQuerySet:
        """Pending deliveries whose attempt was due long ago: their task was lost or never ran."""
        return self.pending().filter(next_attempt_at__lt=timezone.now() - older_than)


class WebhookDelivery(models.Model):
    """One message to one unit's group robot, sent by the worker with retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("unit"), on_delete=models.CASCADE
    )
    url = models.URLField(pgettext_lazy("web", "address"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the next (or the current) attempt is due: a task that finds it in the future knows
    # a retry is already queued and stands down, so a re-enqueued delivery is not sent twice.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_pending_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random storage name: the user's file name is kept only in the database."""
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def for_owner(self, owner: models.Model) -> AttachmentQuerySet:
        """The files attached to one record."""
        return self.filter(
            owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
        )


class Attachment(models.Model):
    """A stored file. Kept outside the web root; served only through the checked view.

    `owner` is the record it belongs to; who may download it is who may see that record.
    """

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # An export's file is gone after this time, or once downloaded this many more times
    # (settings.EXPORT_EXPIRY_DAYS, EXPORT_DOWNLOADS); None: kept like any attachment.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    downloads_left = models.PositiveIntegerField(_("downloads left"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:attachment_download", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        """An export past its time or its downloads: the file is no longer served."""
        if self.downloads_left is not None and self.downloads_left <= 0:
            return True
        return self.expires_at is not None and self.expires_at <= timezone.now()


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: User) -> JobQuerySet:
        """A user sees the jobs they started."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(started_by=user)


class Job(models.Model):
    """A long piece of work done by the worker, whose progress a page shows as a bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.TextField(_("message"), blank=True, max_length=5000)
    # Where the job's work shows when it has no file to download (a batch, a list), a path.
    link = models.CharField(_("where the result shows"), max_length=300, blank=True)
    result = models.ForeignKey(
        Attachment,
        verbose_name=_("result file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The password of a protected result, encrypted (kit.crypto), until the job page has shown
    # it to the starter once.
    secret = models.TextField(_("password of the result"), blank=True, max_length=500)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def is_active(self) -> bool:
        """Still queued or running: the progress page keeps polling."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ScheduledRun(models.Model):
    """The last run of each scheduled job, so the scheduler runs each at most once per slot."""

    name = models.CharField(_("job"), max_length=60, unique=True)
    last_slot = models.DateTimeField(_("last slot"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, max_length=2000)
    last_summary = models.TextField(_("last summary"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name


class RateHit(models.Model):
    """One counted attempt at a rate-limited action (weibao.core.ratelimit), or the mark that the
    auditors were alerted about a key: the rows of one key within its window are its count.

    In the database, so every web worker counts against the same window; rows older than the
    longest window are pruned by the scheduled job `ratelimit_prune`.
    """

    key = models.CharField(pgettext_lazy("rate limit", "key"), max_length=200)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        indexes = [models.Index(fields=["key", "at"], name="ratehit_key_at_idx")]

    def __str__(self) -> str:
        return self.key


class Reminder(models.Model):
    """A reminder or escalation step already sent: the mark that makes each one go once
    (weibao.core.deadlines.remind_once). The key names the record, the step and, for daily
    reminders, the day."""

    key = models.CharField(max_length=120, unique=True)
    sent_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key
