"""What waits for a user on the home page: their at-risk warnings, overdue contacts, and (for
county coordinators) sealed-record applications to decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_county_coordinator
from weibao.atrisk.models import Contact, RiskWarning, SealedQueryApplication, works_on_atrisk
from weibao.core.contract import WaitingItem


def waiting(user: User) -> list[WaitingItem]:
    if not works_on_atrisk(user):
        return []
    mine = {"file__worker": user, "file__closed_at__isnull": True}
    items = [
        WaitingItem(
            _("At-risk warnings"),
            RiskWarning.objects.open().filter(**mine).count(),
            reverse("atrisk:caseload"),
        ),
        WaitingItem(
            _("Overdue at-risk contacts"),
            Contact.objects.overdue().filter(**mine).count(),
            reverse("atrisk:caseload"),
            overdue=True,
        ),
    ]
    if is_county_coordinator(user):
        items.append(
            WaitingItem(
                _("Sealed-record applications to decide"),
                SealedQueryApplication.objects.pending().exclude(applicant=user).count(),
                reverse("atrisk:sealed_list"),
            )
        )
    return items
