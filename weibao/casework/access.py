"""One access helper per casework resource: the record, fetched once through `for_user`.

Pages, the API and services call these (see weibao.kit.access): Http404 for a record the user
may not see, exactly as for one that does not exist; the object comes back marked as fetched for
the user, so the scope predicates in policy.py trust it without a second query.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.casework.models import Case, FollowUp, GuardianOrder, Referral, Suggestion, Supervision
from weibao.kit.access import fetch


def access_case(user: User, pk: Any, *, for_update: bool = False) -> Case:
    cases = Case.objects.for_user(user).select_related(
        "reporting_unit", "police_unit", "procuratorate", "transferred_to", "child", "division"
    )
    return fetch(cases, pk, user=user, for_update=for_update)


def access_referral(user: User, pk: Any, *, for_update: bool = False) -> Referral:
    referrals = Referral.objects.for_user(user).select_related(
        "from_unit", "to_unit", "case", "atrisk_file__person", "child"
    )
    return fetch(referrals, pk, user=user, for_update=for_update)


def access_supervision(user: User, pk: Any, *, for_update: bool = False) -> Supervision:
    items = Supervision.objects.for_user(user).select_related("case", "referral")
    return fetch(items, pk, user=user, for_update=for_update)


def access_suggestion(user: User, pk: Any, *, for_update: bool = False) -> Suggestion:
    suggestions = Suggestion.objects.for_user(user).select_related("issuer", "unit")
    return fetch(suggestions, pk, user=user, for_update=for_update)


def access_order(user: User, pk: Any, *, for_update: bool = False) -> GuardianOrder:
    orders = GuardianOrder.objects.for_user(user).select_related("issuer", "child")
    return fetch(orders, pk, user=user, for_update=for_update)


def access_followup(
    user: User, order: GuardianOrder, pk: Any, *, for_update: bool = False
) -> FollowUp:
    """A follow-up visit of an order the user has already accessed (`access_order`)."""
    followups = FollowUp.objects.filter(order=order)
    followup = fetch(followups, pk, user=user, for_update=for_update)
    followup.order = order  # the order the caller fetched, with its mark
    return followup
