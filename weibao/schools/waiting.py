"""The schools' line in "waiting for you" on the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.core.contract import WaitingItem
from weibao.schools.services import uncovered_schools


def waiting(user: User) -> list[WaitingItem]:
    """For the education bureau and coordinators: schools without a campus liaison."""
    if not user.has_perm("schools.view_coverage"):
        return []
    count = uncovered_schools().count()
    return [WaitingItem(_("Schools without a campus liaison"), count, reverse("schools:coverage"))]
