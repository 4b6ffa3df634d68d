"""Who may download an attachment and follow a job."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import ValidationError

from weibao.accounts.policy import is_member
from weibao.core.models import Attachment, Job

if TYPE_CHECKING:
    from weibao.accounts.models import User


def owner_visible_to(user: User, attachment: Attachment) -> bool:
    """Whether the user may see the record the file is attached to.

    The record's own `for_user` decides, so a file is exactly as visible as its record (a job's
    result file: the job's starter). A record type without `for_user` is visible to no one.
    """
    owner_type = attachment.owner_type
    if owner_type is None or not attachment.owner_id:
        return False
    model = owner_type.model_class()
    if model is None:
        return False
    queryset = model._default_manager.all()
    for_user = getattr(queryset, "for_user", None)
    if for_user is None:
        return False
    try:
        return bool(for_user(user).filter(pk=attachment.owner_id).exists())
    except (
        ValueError,
        TypeError,
        ValidationError,
    ):  # An owner id that is not a valid key for the model.
        return False


@rules.predicate
def may_download(user: User, attachment: Attachment | None) -> bool:
    if attachment is None:
        return False
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk:
        return True
    return owner_visible_to(user, attachment)


@rules.predicate
def started_job(user: User, job: Job | None) -> bool:
    return job is not None and Job.objects.for_user(user).filter(pk=job.pk).exists()


rules.add_perm("core.download_attachment", is_member & may_download)
rules.add_perm("core.view_job", is_member & started_job)
