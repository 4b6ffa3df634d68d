"""Who may see and do what in liaison group notices.

- The sender side (education bureau staff, county coordinators) lists its unit's notices and their
  recipients' states; those with a writing role create, send, withdraw and remind.
- A liaison sees the notices addressed to them and replies for their school; they never see
  another school's reply.
- Nobody else sees notices at all (the `for_user` querysets in models.py say the same).
"""

from __future__ import annotations

import rules

from weibao.accounts.models import Role, User
from weibao.accounts.policy import can_write, has_role, is_member
from weibao.kit import access
from weibao.notices.models import (
    Notice,
    NoticeRecipient,
    NoticeReply,
    is_sender_side,
)

is_campus_liaison = has_role(Role.CAMPUS_LIAISON)


@rules.predicate
def sender_side(user: User) -> bool:
    return is_sender_side(user)


@rules.predicate
def receives_notices(user: User) -> bool:
    """A campus liaison, or anyone who has been sent a notice (a liaison whose term ended)."""
    if not is_member(user):
        return False
    if is_campus_liaison(user):
        return True
    return NoticeRecipient.objects.filter(user=user).exists()


@rules.predicate
def of_own_unit(user: User, notice: Notice | None) -> bool:
    return notice is not None and notice.sender_unit_id == user.organisation_id


@rules.predicate
def notice_visible(user: User, notice: Notice | None) -> bool:
    return access.in_scope(user, notice, Notice.objects.for_user)


@rules.predicate
def is_recipient(user: User, notice: Notice | None) -> bool:
    return notice is not None and NoticeRecipient.objects.filter(notice=notice, user=user).exists()


@rules.predicate
def reply_visible(user: User, reply: NoticeReply | None) -> bool:
    return access.in_scope(user, reply, NoticeReply.objects.for_user)


may_send = sender_side & can_write

rules.add_perm("notices.view_sent", sender_side)
rules.add_perm("notices.view_inbox", receives_notices)
rules.add_perm("notices.add_notice", may_send)
rules.add_perm("notices.view_notice", notice_visible)
# Drafts, sending, withdrawing, reminding and the status table: the sending unit's writers.
rules.add_perm("notices.change_notice", may_send & of_own_unit)
rules.add_perm("notices.view_status", sender_side & of_own_unit)
rules.add_perm("notices.reply_notice", is_member & is_recipient)
rules.add_perm("notices.view_reply", reply_visible)
