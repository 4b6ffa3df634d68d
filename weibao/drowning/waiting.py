"""The home page's "waiting for you" lines for drowning prevention."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_member
from weibao.core.contract import WaitingItem
from weibao.drowning.models import (
    HazardousWater,
    Rectification,
    Season,
    SignInspection,
    in_township_government,
)
from weibao.drowning.policy import inspects_signs, keeps_waters
from weibao.drowning.seasons import summer_start
from weibao.drowning.services import overdue_for_patrol
from weibao.drowning.services.reminders import SUMMER_START
from weibao.schools.models import School

SUMMER_LAST_DAY = (8, 31)


def sign_inspection_waiting(user: User) -> list[WaitingItem]:
    """A school's summer sign inspection, once the summer has begun and until it ends, while
    it is not reported."""
    if not (is_member(user) and inspects_signs(user)):
        return []
    today = timezone.localdate()
    if not summer_start(today.year, SUMMER_START) <= today <= date(today.year, *SUMMER_LAST_DAY):
        return []
    schools = School.objects.open().filter(organisation_id=user.organisation_id)
    done = SignInspection.objects.submitted().filter(year=today.year, season=Season.SUMMER)
    if not schools.exists() or done.filter(school__in=schools).exists():
        return []
    url = reverse("drowning:sign_inspection_form")
    return [WaitingItem(_("This summer's inspection of the warning signs near the school"), 1, url)]


def waiting(user: User) -> list[WaitingItem]:
    """Open rectifications in the keeper's area: those past their deadline marked overdue;
    for a township, its waters overdue for a patrol under the plan."""
    if not (is_member(user) and keeps_waters(user)):
        return []
    today = timezone.localdate()
    items = Rectification.objects.for_user(user).open()
    url = reverse("drowning:rectification_list")
    overdue = items.filter(deadline__lt=today).count()
    due = items.filter(deadline__gte=today).count()
    lines = []
    if overdue:
        lines.append(
            WaitingItem(
                _("Water-safety rectifications overdue"), overdue, url + "?overdue=on", True
            )
        )
    if due:
        lines.append(WaitingItem(_("Water-safety rectifications open"), due, url))
    if in_township_government(user):
        late = overdue_for_patrol(HazardousWater.objects.for_user(user)).count()
        if late:
            overdue_url = reverse("drowning:patrols_overdue")
            lines.append(WaitingItem(_("Waters overdue for a patrol"), late, overdue_url, True))
    return lines
