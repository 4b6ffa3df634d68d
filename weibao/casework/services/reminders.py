"""The nightly reminders (scheduler only: no actor, so no permission to check)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation
from weibao.casework.models import (
    Case,
    FollowUp,
    Referral,
    Suggestion,
    Supervision,
)
from weibao.casework.services._common import (
    procuratorate_for,
    unit_users,
)
from weibao.casework.services.referrals import referrals_escalate
from weibao.core.deadlines import remind_once
from weibao.core.services import notify
from weibao.kit.messages import Message

# Reminders ---------------------------------------------------------------------------------------


def reminders_send(*, on: date | None = None) -> int:
    """Remind what falls due tomorrow and what is overdue; escalate overdue referrals.

    Idempotent: each reminder is keyed by its record, step and day, so a second run that day
    sends nothing new.
    """
    today = on or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sent = referrals_escalate(on=today)

    def remind(key: str, units: Iterable[Organisation | None], title: Message, link: str) -> int:
        return remind_once(
            f"{key}:{today.isoformat()}",
            lambda: notify(
                recipients=unit_users(*units), title=title, link=link, kind="casework.reminder"
            ),
        )

    now = timezone.now()
    for case in Case.objects.accept_overdue(now).select_related("police_unit", "procuratorate"):
        sent += remind(
            f"case:{case.pk}:accept",
            [case.police_unit, case.procuratorate],
            Message(
                gettext_noop("Overdue: report %(ref)s is not yet accepted"), {"ref": case.reference}
            ),
            case.get_absolute_url(),
        )
    pending = Case.objects.feedback_pending().select_related(
        "police_unit", "transferred_to", "procuratorate"
    )
    for case in pending.filter(feedback_due__lte=tomorrow):
        handler = case.transferred_to or case.police_unit
        if case.feedback_due is not None and case.feedback_due < today:
            sent += remind(
                f"case:{case.pk}:feedback",
                [handler, case.procuratorate],
                Message(
                    gettext_noop("Overdue: feedback on report %(ref)s was due %(due)s"),
                    {"ref": case.reference, "due": case.feedback_due},
                ),
                case.get_absolute_url(),
            )
        elif case.feedback_due == tomorrow:
            sent += remind(
                f"case:{case.pk}:feedback",
                [handler],
                Message(
                    gettext_noop("Due tomorrow: feedback on report %(ref)s"),
                    {"ref": case.reference},
                ),
                case.get_absolute_url(),
            )
    referrals = Referral.objects.open().filter(due_date__lte=tomorrow)
    for referral in referrals.select_related("to_unit", "from_unit"):
        late = referral.due_date < today
        units = [referral.to_unit, referral.from_unit] if late else [referral.to_unit]
        title = (
            gettext_noop("Overdue: referral due %(due)s")
            if late
            else gettext_noop("Due tomorrow: referral")
        )
        sent += remind(
            f"referral:{referral.pk}",
            units,
            Message(title, {"due": referral.due_date}),
            referral.get_absolute_url(),
        )
    for s in (
        Suggestion.objects.awaiting_reply()
        .filter(reply_due__lte=tomorrow)
        .select_related("unit", "issuer")
    ):
        late = s.reply_due < today
        title = (
            gettext_noop("Overdue: reply to suggestion %(n)s")
            if late
            else gettext_noop("Due tomorrow: reply to suggestion %(n)s")
        )
        units = [s.unit, s.issuer] if late else [s.unit]
        sent += remind(
            f"suggestion:{s.pk}", units, Message(title, {"n": s.number}), s.get_absolute_url()
        )
    for f in FollowUp.objects.due().filter(due_date__lte=tomorrow).select_related("order__issuer"):
        late = f.due_date < today
        title = (
            gettext_noop("Overdue: follow-up visit on order %(n)s")
            if late
            else gettext_noop("Due tomorrow: follow-up visit on order %(n)s")
        )
        sent += remind(
            f"followup:{f.pk}",
            [f.order.issuer],
            Message(title, {"n": f.order.number}),
            f.order.get_absolute_url(),
        )
    for item in (
        Supervision.objects.open()
        .filter(deadline__lte=tomorrow)
        .select_related("opened_by__organisation")
    ):
        unit = item.opened_by.organisation if item.opened_by else procuratorate_for()
        sent += remind(
            f"supervision:{item.pk}",
            [unit],
            Message(gettext_noop("Supervision deadline %(d)s"), {"d": item.deadline}),
            reverse_supervision(),
        )
    return sent


def reverse_supervision() -> str:

    return reverse("casework:supervision_list")
