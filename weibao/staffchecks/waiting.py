"""The home page's "waiting for you" lines for staff checks."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.core.contract import WaitingItem
from weibao.staffchecks.models import CheckBatch, CheckItem, sees_register


def waiting(user: User) -> list[WaitingItem]:
    """Possible matches for the register's holders; for a unit, the barring results still
    without a recorded action (overdue once one is past its due date) and the checks to run."""
    if not user.is_authenticated:
        return []
    items: list[WaitingItem] = []
    if sees_register(user):
        count = CheckItem.objects.possible_for_police(user).count()
        items.append(
            WaitingItem(_("Possible matches to confirm"), count, reverse("staffchecks:matches"))
        )
    if user.has_perm("staffchecks.view_staffchecks"):
        own = CheckItem.objects.barred_without_action().filter(batch__unit_id=user.organisation_id)
        counts = own.aggregate(
            n=Count("pk"), late=Count("pk", filter=Q(action_due__lt=timezone.localdate()))
        )
        items.append(
            WaitingItem(
                _("Staff check results needing action"),
                counts["n"],
                reverse("staffchecks:batch_list"),
                overdue=bool(counts["late"]),
            )
        )
        opened = CheckBatch.objects.filter(
            unit_id=user.organisation_id, status=CheckBatch.Status.OPEN
        )
        items.append(
            WaitingItem(_("Staff checks to run"), opened.count(), reverse("staffchecks:batch_list"))
        )
    return items
