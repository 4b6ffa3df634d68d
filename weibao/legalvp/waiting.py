"""The home page's "waiting for you" lines for legal vice-principals."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_member
from weibao.core.contract import WaitingItem
from weibao.legalvp.models import ENDING_SOON_DAYS, Appointment
from weibao.legalvp.policy import manages_appointments
from weibao.legalvp.services import schools_without_appointment


def waiting(user: User) -> list[WaitingItem]:
    """Coverage gaps and terms ending for the bureau; the appointee's hours. None is overdue:
    a term ending soon has not ended, and the year's hours can still be taught."""
    items: list[WaitingItem] = []
    if not is_member(user):
        return items
    if manages_appointments(user):
        coverage = reverse("legalvp:coverage")
        items.append(
            WaitingItem(
                _("Schools without a legal vice-principal"),
                schools_without_appointment().count(),
                coverage,
            )
        )
        items.append(
            WaitingItem(
                _("Legal vice-principal terms ending within %(days)d days")
                % {"days": ENDING_SOON_DAYS},
                Appointment.objects.ending_within(ENDING_SOON_DAYS).count(),
                coverage + "#ending",
            )
        )
    own_below = Appointment.objects.filter(appointee_user=user).below_minimum().count()
    if own_below:
        items.append(
            WaitingItem(
                _("Your law-education hours are below four this year"),
                own_below,
                reverse("legalvp:list") + "?below=on",
            )
        )
    return items
