"""The home page's "waiting for you" lines for venues near schools."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_member
from weibao.core.contract import WaitingItem
from weibao.venues.models import Concern, RectificationOrder, Violation, in_supervising_unit
from weibao.venues.policy import keeps_venues, sees_all_venues


def waiting(user: User) -> list[WaitingItem]:
    """For a supervising unit (and the county): open distance violations, open concerns, and
    rectification orders (those past their deadline marked overdue)."""
    acts = in_supervising_unit(user) or sees_all_venues(user)
    if not (is_member(user) and keeps_venues(user) and acts):
        return []
    today = timezone.localdate()
    lines = []
    violations = Violation.objects.for_user(user).open().count()
    if violations:
        url = reverse("venues:violation_list")
        lines.append(WaitingItem(_("Venues breaking a distance rule"), violations, url, True))
    concerns = Concern.objects.for_user(user).open().count()
    if concerns:
        url = reverse("venues:concern_list")
        lines.append(WaitingItem(_("Schools' concerns about venues"), concerns, url))
    orders = RectificationOrder.objects.for_user(user).open()
    overdue = orders.filter(deadline__lt=today).count()
    due = orders.filter(deadline__gte=today).count()
    url = reverse("venues:order_list")
    if overdue:
        label = _("Venue rectifications overdue")
        lines.append(WaitingItem(label, overdue, url + "?overdue=on", True))
    if due:
        lines.append(WaitingItem(_("Venue rectifications open"), due, url))
    return lines
