"""Access helpers for the platform's own records: one per resource (see kit.access)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from weibao.accounts.models import User
from weibao.core.models import Attachment, Job, Notification
from weibao.kit.access import fetch


def access_notification(user: User, pk: Any) -> Notification:
    """One of the user's own messages; else Http404."""
    return fetch(Notification.objects.for_user(user), pk, user=user)


def access_job(user: User, pk: Any) -> Job:
    """A job the user started; else Http404."""
    return fetch(Job.objects.for_user(user).select_related("result"), pk, user=user)


def access_attachment(user: User, pk: Any) -> Attachment:
    """An attachment the user uploaded or whose owner record they may see; else Http404.

    Visibility follows the owner record (whose type varies), so it is decided by the
    core.download_attachment rule rather than one queryset.
    """
    attachment = Attachment.objects.select_related("owner_type").filter(pk=_key(pk)).first()
    if attachment is None or not user.has_perm("core.download_attachment", attachment):
        raise Http404
    return attachment


def _key(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc
