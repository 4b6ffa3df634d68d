"""The home page's "waiting for you" lines for the mechanisms' tasks."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import can_write
from weibao.core.contract import WaitingItem
from weibao.mechanisms.models import Task, in_lead_agency

DUE_SOON_DAYS = 3
ACTIVE = (Task.State.OPEN, Task.State.RETURNED)


def waiting(user: User) -> list[WaitingItem]:
    """For a unit: its own tasks overdue (marked overdue), returned, or due within three days.
    For the lead agency: results waiting for its acceptance."""
    if not can_write(user):
        return []
    today = timezone.localdate()
    url = reverse("mechanisms:task_list")
    lines = []
    own = Task.objects.filter(Q(owner_id=user.organisation_id) | Q(co_units=user.organisation_id))
    counts = own.distinct().aggregate(
        overdue=_count(Q(state__in=ACTIVE, deadline__lt=today)),
        returned=_count(Q(state=Task.State.RETURNED, deadline__gte=today)),
        due=_count(
            Q(
                state=Task.State.OPEN,
                deadline__gte=today,
                deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
        ),
    )
    if counts["overdue"]:
        lines.append(
            WaitingItem(
                _("Tasks past their deadline"), counts["overdue"], url + "?overdue=on", True
            )
        )
    if counts["returned"]:
        lines.append(
            WaitingItem(_("Task results returned"), counts["returned"], url + "?state=returned")
        )
    if counts["due"]:
        lines.append(WaitingItem(_("Tasks due within three days"), counts["due"], url))
    if in_lead_agency(user):
        submitted = Task.objects.filter(state=Task.State.SUBMITTED).count()
        if submitted:
            board = reverse("mechanisms:task_board") + "?state=submitted"
            lines.append(WaitingItem(_("Task results waiting for acceptance"), submitted, board))
    return lines


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition, distinct=True)
