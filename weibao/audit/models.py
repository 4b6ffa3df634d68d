"""The audit log: append-only, hash-chained events that outlive the users and records they name.

How the chains are keyed, sharded and anchored: weibao.audit.chain.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from weibao.accounts.models import User


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_user(self, user: User) -> AuditEventQuerySet:
        """Only auditors read the log (the permission is granted in weibao.accounts.policy)."""
        return self if user.has_perm("audit.view_auditevent") else self.none()

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        LOCKED_OUT = "locked_out", _("locked out")
        VIEW = "view", _("view")
        SEARCH = "search", _("search")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        REVEAL = "reveal", _("reveal")
        DOWNLOAD = "download", _("download")
        UPLOAD = "upload", _("upload")
        PASSWORD = "password", _("password change")
        OTP = "otp", _("one-time code")
        RESTORE = "restore", _("restore from backup")

    class Scheme(models.IntegerChoices):
        """How an event's link is computed (weibao.audit.chain)."""

        LEGACY = 1, "SHA-256"  # unkeyed: events written before the keyed chain (chain 0's prefix)
        HMAC_SHA256 = 2, "HMAC-SHA256"
        HMAC_SM3 = 3, "HMAC-SM3"  # GB/T 39786: AUDIT_CHAIN_MAC = "hmac-sm3"

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    organisation_name = models.CharField(_("unit name"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(
        pgettext_lazy("network address", "address"), null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # Looked up together, by the composite index below (no index of their own: every index is
    # paid for on every audited write).
    target_type = models.CharField(_("record type"), max_length=60, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_repr = models.CharField(_("record"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    # Not unique, not indexed: a row's place is (chain, seq), and its hash is checked by walking.
    hash = models.CharField(max_length=64, editable=False)
    # The event's place: which of the independent chains, at which position (1, 2, ...), linked
    # to which row before it (its id, 0 for the first); all covered by the keyed hash.
    chain = models.PositiveSmallIntegerField(default=0, editable=False)
    seq = models.PositiveBigIntegerField(default=0, editable=False)
    prev_id = models.BigIntegerField(default=0, editable=False)
    scheme = models.PositiveSmallIntegerField(
        choices=Scheme.choices, default=Scheme.HMAC_SHA256, editable=False
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        # One index each, no more: every index is paid for on every audited write (a field's
        # db_index on PostgreSQL adds a second, LIKE index to a text column).
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")

    def payload(self) -> str:
        """The canonical text of the event's content, which its hash covers."""
        return canonical_payload(
            at=self.at,
            actor_id=self.actor_id,
            actor_username=self.actor_username,
            organisation_id=self.organisation_id,
            organisation_name=self.organisation_name,
            ip=self.ip,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            target_repr=self.target_repr,
            detail=self.detail,
        )

    def compute_hash(self) -> str:
        """The link this row should carry, from its own fields (weibao.audit.chain.link)."""
        from weibao.audit.chain import link

        return link(
            self.scheme,
            chain=self.chain,
            seq=self.seq,
            prev_id=self.prev_id,
            prev_hash=self.prev_hash,
            payload=self.payload(),
        )


def canonical_payload(
    *,
    at: Any,
    actor_id: int | None,
    actor_username: str,
    organisation_id: int | None,
    organisation_name: str,
    ip: str | None,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    detail: Any,
) -> str:
    """The canonical JSON of an event's content (unchanged since the first, unkeyed chain)."""
    return json.dumps(
        {
            "at": at.isoformat(),
            "actor": actor_id,
            "actor_username": actor_username,
            "organisation": organisation_id,
            "organisation_name": organisation_name,
            "ip": ip,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "target_repr": target_repr,
            "detail": detail,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


class ChainHead(models.Model):
    """The last link of one chain. Locking its row serialises the writers of that chain only:
    writers spread over AUDIT_CHAINS heads (weibao.audit.chain)."""

    chain = models.PositiveSmallIntegerField(unique=True, default=0)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    # Which key wrote the last link (a fingerprint, not the key): tells a wrong key from tampering.
    key_id = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.chain}:{self.seq}:{self.last_hash}"
