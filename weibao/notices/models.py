"""The liaison group (联络群): notices from the education bureau to the campus liaisons.

A notice is written as a draft, then sent: sending resolves its audience (all liaisons, or those of
chosen townships or school kinds) into one `NoticeRecipient` row per active liaison, main and
deputy alike. Each row carries that liaison's state: read, replied, reminded.

A reply answers for the school: when either of a school's liaisons replies, the school's rows are
all marked replied. Replies keep their history (each submission is a new `NoticeReply`; the
newest is the current one), so the sender can see what was changed and when.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_education_bureau, is_county_coordinator
from weibao.schools.models import School


def is_sender_side(user: User) -> bool:
    """Education bureau staff and county coordinators: the people who send notices."""
    return bool(is_county_coordinator(user) or in_education_bureau(user))


def _overdue_q(now: datetime, prefix: str = "") -> Q:
    """Recipients whose required reply or file is missing after the deadline."""
    return Q(
        **{
            f"{prefix}notice__status": Notice.Status.SENT,
            f"{prefix}notice__deadline__lt": now,
            f"{prefix}replied_at__isnull": True,
        }
    ) & ~Q(**{f"{prefix}notice__requires": Notice.Requires.NONE})


class NoticeQuerySet(models.QuerySet["Notice"]):
    def for_user(self, user: User) -> NoticeQuerySet:
        """The notices a user's unit sent (sender side), and the sent notices addressed to them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        addressed = NoticeRecipient.objects.filter(notice=OuterRef("pk"), user=user)
        condition = Q(Exists(addressed)) & ~Q(status=Notice.Status.DRAFT)
        if is_sender_side(user):
            condition |= Q(sender_unit_id=user.organisation_id)
        return self.filter(condition)

    def sent_by_unit(self, user: User) -> NoticeQuerySet:
        """The sender side's own list: the notices of the user's unit (none for others)."""
        if not is_sender_side(user):
            return self.none()
        return self.filter(sender_unit_id=user.organisation_id)

    def with_counts(self, now: datetime | None = None) -> NoticeQuerySet:
        """Annotate recipients, read, replied and overdue counts (one query for a whole list)."""
        now = now or timezone.now()
        overdue = Q(recipients__replied_at__isnull=True) & Q(
            status=Notice.Status.SENT, deadline__lt=now
        )
        overdue &= ~Q(requires=Notice.Requires.NONE)
        return self.annotate(
            recipient_count=Count("recipients", distinct=True),
            read_count=Count(
                "recipients", filter=Q(recipients__read_at__isnull=False), distinct=True
            ),
            replied_count=Count(
                "recipients", filter=Q(recipients__replied_at__isnull=False), distinct=True
            ),
            overdue_count=Count("recipients", filter=overdue, distinct=True),
        )

    def with_overdue(self, now: datetime | None = None) -> NoticeQuerySet:
        """Sent notices with at least one overdue recipient."""
        overdue = NoticeRecipient.objects.filter(notice=OuterRef("pk")).overdue(now)
        return self.filter(Exists(overdue))


class Notice(models.Model):
    """A notice to the campus liaisons: what, by when, and what answer is expected."""

    class Requires(models.TextChoices):
        NONE = "none", _("no reply")
        REPLY = "reply", _("a reply")
        FILE = "file", _("a filled-in form (file)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        WITHDRAWN = "withdrawn", _("withdrawn")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="notices_sent",
    )
    sender_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("sending unit"),
        on_delete=models.PROTECT,
        related_name="notices_sent",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, max_length=20000)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    requires = models.CharField(
        _("answer required"), max_length=10, choices=Requires.choices, default=Requires.NONE
    )
    townships = models.ManyToManyField(
        Division,
        verbose_name=_("townships"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
        help_text=_("Leave empty for every township."),
    )
    school_kinds = models.JSONField(
        _("school kinds"), default=list, blank=True, help_text=_("Leave empty for every kind.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    # Set by NoticeQuerySet.with_counts().
    recipient_count: int
    read_count: int
    replied_count: int
    overdue_count: int

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["sender_unit", "status"], name="notice_unit_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def wants_answer(self) -> bool:
        return self.requires != self.Requires.NONE

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.now()

    def school_kind_labels(self) -> list[str]:
        labels = dict(School.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.school_kinds]


class NoticeRecipientQuerySet(models.QuerySet["NoticeRecipient"]):
    def for_user(self, user: User) -> NoticeRecipientQuerySet:
        """The sender side sees its unit's recipients; a liaison sees their school's rows."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        same_school = NoticeRecipient.objects.filter(
            user=user, notice=OuterRef("notice"), school=OuterRef("school")
        )
        condition = Q(Exists(same_school))
        if is_sender_side(user):
            condition |= Q(notice__sender_unit_id=user.organisation_id)
        return self.filter(condition)

    def overdue(self, now: datetime | None = None) -> NoticeRecipientQuerySet:
        """A required reply or file missing, and the deadline passed (sent notices only)."""
        return self.filter(_overdue_q(now or timezone.now()))

    def pending(self) -> NoticeRecipientQuerySet:
        """Waiting for a reply: the notice is out, asks for an answer, and none has come."""
        return self.filter(notice__status=Notice.Status.SENT, replied_at__isnull=True).exclude(
            notice__requires=Notice.Requires.NONE
        )

    def unread(self) -> NoticeRecipientQuerySet:
        return self.filter(read_at__isnull=True)


class NoticeRecipient(models.Model):
    """One liaison's copy of a sent notice, with their state."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="recipients"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.PROTECT,
        related_name="notices_received",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)

    objects = NoticeRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        ordering = ["notice", "school__organisation__division__code", "school__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "school", "user"], name="notice_recipient_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_recipient_user_idx")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.school} · {self.user}"

    def get_absolute_url(self) -> str:
        return self.notice.get_absolute_url()

    def is_overdue(self, now: datetime | None = None) -> bool:
        notice = self.notice
        return bool(
            notice.status == Notice.Status.SENT
            and notice.wants_answer
            and self.replied_at is None
            and notice.deadline is not None
            and notice.deadline < (now or timezone.now())
        )

    @property
    def is_late(self) -> bool:
        """Replied, but after the deadline."""
        deadline = self.notice.deadline
        return bool(self.replied_at and deadline and self.replied_at > deadline)


class NoticeReplyQuerySet(models.QuerySet["NoticeReply"]):
    def for_user(self, user: User) -> NoticeReplyQuerySet:
        """The sender side sees its notices' replies; a liaison only their own school's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        same_school = NoticeRecipient.objects.filter(
            user=user,
            notice=OuterRef("recipient__notice"),
            school=OuterRef("recipient__school"),
        )
        condition = Q(Exists(same_school))
        if is_sender_side(user):
            condition |= Q(recipient__notice__sender_unit_id=user.organisation_id)
        return self.filter(condition)


class NoticeReply(models.Model):
    """One submission of a school's answer; a revision is a new row (the history is kept)."""

    recipient = models.ForeignKey(
        NoticeRecipient,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    text = models.TextField(_("reply"), blank=True, max_length=10000)
    is_late = models.BooleanField(_("late"), default=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    objects = NoticeReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice reply")
        verbose_name_plural = _("notice replies")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient.school} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("notices:reply_detail", args=[self.pk])
