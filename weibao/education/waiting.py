"""The home page's "waiting for you" lines for law education: overdue sessions first."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import works_with_data
from weibao.core.contract import WaitingItem
from weibao.education.models import Session, TeachingCase
from weibao.education.policy import manages_education


def waiting(user: User) -> list[WaitingItem]:
    """Overdue planned sessions the user may record as held; cases awaiting approval."""
    items: list[WaitingItem] = []
    if not works_with_data(user):
        return items
    if user.has_perm("education.add_session"):
        sessions = Session.objects.overdue()
        if not manages_education(user):
            sessions = sessions.filter(
                Q(organiser_id=user.organisation_id)
                | Q(school__organisation_id=user.organisation_id)
            )
        items.append(
            WaitingItem(
                _("Planned law-education sessions overdue"),
                sessions.count(),
                reverse("education:session_list") + "?status=overdue",
                overdue=True,
            )
        )
    if user.has_perm("education.approve_case"):
        items.append(
            WaitingItem(
                _("Teaching cases awaiting approval"),
                TeachingCase.objects.proposed().count(),
                reverse("education:case_list") + "?status=proposed",
            )
        )
    return items
