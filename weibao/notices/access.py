"""One access helper per notices resource: a notice, a reply, fetched once through `for_user`.

Pages, the API and services call these (see weibao.kit.access): Http404 for a record the user
may not see, exactly as for one that does not exist; the object comes back marked as fetched for
the user, so the scope predicates in policy.py trust it without a second query.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.notices.models import Notice, NoticeReply


def access_notice(user: User, pk: Any, *, for_update: bool = False) -> Notice:
    notices = Notice.objects.for_user(user).select_related("sender", "sender_unit")
    return fetch(notices, pk, user=user, for_update=for_update)


def access_reply(user: User, pk: Any, *, for_update: bool = False) -> NoticeReply:
    replies = NoticeReply.objects.for_user(user).select_related(
        "recipient__notice", "recipient__school__organisation", "recipient__user"
    )
    return fetch(replies, pk, user=user, for_update=for_update)
