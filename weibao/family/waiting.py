"""The home page's "waiting for you" lines for the family protection network."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_member
from weibao.core.contract import WaitingItem
from weibao.family.models import Guidance, orders_awaiting_guidance


def waiting(user: User) -> list[WaitingItem]:
    """For the network's writers: orders to guardians waiting for a lecturer; for them and the
    lecturers' team leads: guidance under way."""
    if not is_member(user):
        return []
    lines = []
    url = reverse("family:guidance_list")
    if user.has_perm("family.assign_guidance"):
        awaiting = orders_awaiting_guidance().count()
        if awaiting:
            lines.append(WaitingItem(_("Orders to guardians waiting for guidance"), awaiting, url))
    if user.has_perm("family.view_guidance"):
        open_ = Guidance.objects.for_user(user).open().count()
        if open_:
            lines.append(WaitingItem(_("Family-education guidance under way"), open_, url))
    return lines
