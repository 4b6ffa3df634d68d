"""The home page's "waiting for you" lines for the care of left-behind and vulnerable children."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, is_member
from weibao.care.models import CareWarning, children_for
from weibao.care.services import visit_days
from weibao.core.contract import WaitingItem


def waiting(user: User) -> list[WaitingItem]:
    """For those who keep children's care records: open warnings (urgent), and the children in
    their reach not visited for the configured number of days."""
    if not (is_member(user) and can_write(user) and user.has_perm("care.view_children")):
        return []
    lines = []
    warnings = CareWarning.objects.for_user(user).open().count()
    if warnings:
        url = reverse("care:warning_list")
        lines.append(WaitingItem(_("Care warnings open"), warnings, url, True))
    cutoff = timezone.localdate() - timedelta(days=visit_days())
    unvisited = children_for(user).exclude(care_visits__visited_on__gte=cutoff).count()
    if unvisited:
        url = reverse("care:child_list") + "?not_visited=on"
        lines.append(WaitingItem(_("Children not visited lately"), unvisited, url))
    return lines
