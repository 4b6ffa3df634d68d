"""The home page's "waiting for you" lines for casework: the overdue lines first."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, works_with_data
from weibao.casework.models import Case, FollowUp, GuardianOrder, Referral, Suggestion
from weibao.core.contract import WaitingItem


def waiting(user: User) -> list[WaitingItem]:
    if not (user.is_authenticated and works_with_data(user) and can_write(user)):
        return []
    today, now = timezone.localdate(), timezone.now()
    orgs = user.scope.org_ids
    cases_url = reverse("casework:case_list")
    referrals_url = reverse("casework:referral_list") + "?box=in&open=1"
    overdue: list[WaitingItem] = []
    due: list[WaitingItem] = []

    handled = Case.objects.handled_by(user) if orgs else Case.objects.none()
    to_accept = handled.awaiting_acceptance()
    overdue.append(
        WaitingItem(
            _("Overdue: reports to accept"),
            to_accept.filter(accept_due_at__lt=now).count(),
            cases_url + "?status=filed",
            overdue=True,
        )
    )
    due.append(WaitingItem(_("Reports to accept"), to_accept.count(), cases_url + "?status=filed"))
    feedback = handled.feedback_pending()
    overdue.append(
        WaitingItem(
            _("Overdue: feedback to reporting units"),
            feedback.filter(feedback_due__lt=today).count(),
            cases_url,
            overdue=True,
        )
    )
    due.append(WaitingItem(_("Feedback due to reporting units"), feedback.count(), cases_url))

    incoming = Referral.objects.filter(to_unit__in=orgs)
    overdue.append(
        WaitingItem(
            _("Overdue: referrals to finish"),
            incoming.overdue(today).count(),
            referrals_url,
            overdue=True,
        )
    )
    due.append(
        WaitingItem(
            _("Referrals to accept"),
            incoming.filter(status=Referral.Status.REQUESTED).count(),
            referrals_url,
        )
    )
    due.append(
        WaitingItem(
            _("Referrals to finish"),
            incoming.filter(status=Referral.Status.ACCEPTED).count(),
            referrals_url,
        )
    )
    if user.is_county_wide:
        overdue.append(
            WaitingItem(
                _("Escalated referrals past due"),
                Referral.objects.overdue(today).exclude(escalated_at=None).count(),
                reverse("casework:referral_list") + "?open=1",
                overdue=True,
            )
        )

    suggestions = Suggestion.objects.filter(unit__in=orgs).awaiting_reply()
    url = reverse("casework:suggestion_list")
    overdue.append(
        WaitingItem(
            _("Overdue: replies to procuratorial suggestions"),
            suggestions.filter(reply_due__lt=today).count(),
            url,
            overdue=True,
        )
    )
    due.append(WaitingItem(_("Replies to procuratorial suggestions"), suggestions.count(), url))

    followups = FollowUp.objects.due().filter(
        order__in=GuardianOrder.objects.filter(issuer__in=orgs).values("pk")
    )
    url = reverse("casework:order_list")
    overdue.append(
        WaitingItem(
            _("Overdue: follow-up visits on orders"),
            followups.overdue(today).count(),
            url,
            overdue=True,
        )
    )
    due.append(
        WaitingItem(
            _("Follow-up visits due this week"),
            followups.filter(due_date__lte=today + timedelta(days=7)).count(),
            url,
        )
    )
    return overdue + due
