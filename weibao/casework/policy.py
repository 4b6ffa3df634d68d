"""Who may see and do what in linked casework.

The for_user QuerySets decide which records a user sees at all; these predicates decide what they
may see inside one and what they may do. The reporter's identity is the sharpest rule: only the
receiving police unit (and the units above it) and the procuratorate see it (强制报告意见).
"""

from __future__ import annotations

import rules

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import (
    can_write,
    in_procuratorate,
    in_unit_of_kind,
    is_county_coordinator,
    works_with_data,
)
from weibao.casework.models import (
    GUIDANCE_KINDS,
    ORDER_ISSUER_KINDS,
    Case,
    GuardianOrder,
    Referral,
    Suggestion,
)
from weibao.kit.access import in_scope


@rules.predicate
def order_guides_family(user: User, order: object) -> bool:
    """An order whose guardian is to receive family-education guidance."""
    return isinstance(order, GuardianOrder) and order.kind in GUIDANCE_KINDS


# The police, the procuratorate and the court issue orders to guardians.
issues_orders = in_unit_of_kind(*ORDER_ISSUER_KINDS, name="issues_orders")
# The units that give family-education guidance on an order (家庭教育促进法 Art. 48-49).
gives_guidance = in_unit_of_kind(
    Organisation.Kind.CIVIL_AFFAIRS, Organisation.Kind.WOMENS_FEDERATION, name="gives_guidance"
)


@rules.predicate
def case_visible(user: User, case: Case | None) -> bool:
    return in_scope(user, case, Case.objects.for_user)


@rules.predicate
def receives_case(user: User, case: Case | None) -> bool:
    """The police unit that handles the report now (or one above it)."""
    if case is None or not works_with_data(user):
        return False
    return case.handler_unit_id in user.scope.org_ids or case.police_unit_id in user.scope.org_ids


@rules.predicate
def handles_case(user: User, case: Case | None) -> bool:
    """The police unit that must act on it now: the receiving one, or the one it went to."""
    if case is None or not works_with_data(user):
        return False
    return case.handler_unit_id in user.scope.org_ids


@rules.predicate
def reporting_unit_of(user: User, case: Case | None) -> bool:
    return case is not None and case.reporting_unit_id in user.scope.org_ids


@rules.predicate
def referral_receiver(user: User, referral: Referral | None) -> bool:
    return referral is not None and referral.to_unit_id in user.scope.org_ids


@rules.predicate
def referral_sender(user: User, referral: Referral | None) -> bool:
    return referral is not None and referral.from_unit_id in user.scope.org_ids


@rules.predicate
def referral_visible(user: User, referral: Referral | None) -> bool:
    return in_scope(user, referral, Referral.objects.for_user)


@rules.predicate
def suggestion_visible(user: User, suggestion: Suggestion | None) -> bool:
    return in_scope(user, suggestion, Suggestion.objects.for_user)


@rules.predicate
def order_visible(user: User, order: GuardianOrder | None) -> bool:
    return in_scope(user, order, GuardianOrder.objects.for_user)


@rules.predicate
def suggestion_addressee(user: User, suggestion: Suggestion | None) -> bool:
    return suggestion is not None and suggestion.unit_id in user.scope.org_ids


@rules.predicate
def order_issuer(user: User, order: GuardianOrder | None) -> bool:
    return order is not None and order.issuer_id in user.scope.org_ids


def may_see_reporter(user: User, case: Case) -> bool:
    """Whether the reporter's name, phone and position may be shown to `user`."""
    return bool(user.has_perm("casework.view_reporter", case))


def may_see_investigation(user: User, case: Case) -> bool:
    """Whether the decision's reasons and the investigation notes may be shown to `user`."""
    return bool(user.has_perm("casework.view_investigation", case))


rules.add_perm("casework.view_cases", works_with_data)
rules.add_perm("casework.file_report", can_write)
rules.add_perm("casework.view_case", works_with_data & case_visible)
rules.add_perm("casework.view_reporter", works_with_data & (receives_case | in_procuratorate))
rules.add_perm("casework.view_investigation", works_with_data & (receives_case | in_procuratorate))
rules.add_perm("casework.handle_case", can_write & handles_case)
rules.add_perm(
    "casework.record_late_report", can_write & (in_procuratorate | is_county_coordinator)
)
rules.add_perm(
    "casework.refer_case",
    can_write & case_visible & (handles_case | in_procuratorate | is_county_coordinator),
)
rules.add_perm("casework.view_referrals", works_with_data)
rules.add_perm("casework.view_referral", works_with_data & referral_visible)
rules.add_perm("casework.respond_referral", can_write & referral_receiver)
rules.add_perm("casework.supervise", can_write & (in_procuratorate | is_county_coordinator))
rules.add_perm("casework.view_supervision", in_procuratorate | is_county_coordinator)
rules.add_perm("casework.view_suggestions", works_with_data)
rules.add_perm("casework.view_suggestion", works_with_data & suggestion_visible)
rules.add_perm("casework.issue_suggestion", can_write & in_procuratorate)
rules.add_perm("casework.reply_suggestion", can_write & suggestion_addressee)
rules.add_perm("casework.assess_suggestion", can_write & in_procuratorate)
rules.add_perm("casework.view_orders", issues_orders | is_county_coordinator)
rules.add_perm("casework.view_order", works_with_data & order_visible)
rules.add_perm("casework.issue_order", can_write & issues_orders)
rules.add_perm("casework.record_followup", can_write & (order_issuer | in_procuratorate))
rules.add_perm("casework.change_settings", is_county_coordinator)
rules.add_perm(
    "casework.report_guidance",
    can_write & (gives_guidance | is_county_coordinator) & order_guides_family,
)
