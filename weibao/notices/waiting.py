"""The notices' lines in "waiting for you" on the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import is_member
from weibao.core.contract import WaitingItem
from weibao.notices.models import Notice, NoticeRecipient, is_sender_side


def waiting(user: User) -> list[WaitingItem]:
    """Liaisons' notices awaiting their reply; senders' notices with overdue replies."""
    if not is_member(user):
        return []
    items = []
    if is_sender_side(user):
        count = Notice.objects.sent_by_unit(user).with_overdue().count()
        items.append(
            WaitingItem(
                _("Notices with overdue replies"), count, reverse("notices:list"), overdue=True
            )
        )
    count = NoticeRecipient.objects.filter(user=user).pending().count()
    items.append(WaitingItem(_("Notices waiting for your reply"), count, reverse("notices:inbox")))
    return items
