"""Every write in linked casework, one module per topic (zulip's zerver/actions).

Each service a user triggers takes `actor=` and checks the actor's permission first, with the same
`rules` perm the page checks, so the API, an import, a task or a command cannot skip the rule.
Services only the scheduler calls (`referrals_escalate`, `reminders_send`) have no actor.

Notifications name the step and the reference, never the child (they leave the platform through
group robots and e-mail); the linked record checks who may read it.

Transactions: the services open ordinary (not durable) atomic blocks, because the demo seed
(weibao.demo's seed_demo) runs every app's part inside one transaction and calls them there.
"""

from __future__ import annotations

# The models the old single module exposed (tests and bench/casework_load.py reach them here).
from weibao.casework.models import Case, CaseworkSettings, GuardianOrder, Referral, Suggestion
from weibao.casework.services._common import (
    DATA_ROLES,
    coordinators,
    police_unit_for,
    procuratorate_for,
    unit_users,
)
from weibao.casework.services.limits import settings_update
from weibao.casework.services.orders import (
    LEGAL_BASIS,
    MEASURE_KIND,
    ORDER_TITLES,
    followup_record,
    guardian_order_issue,
    order_document,
    order_guidance_report,
    order_number,
)
from weibao.casework.services.police import (
    case_accept,
    case_decide,
    case_feedback,
    late_report_record,
)
from weibao.casework.services.referrals import (
    child_referral_create,
    referral_accept,
    referral_close,
    referral_create,
    referral_decline,
    referrals_escalate,
)
from weibao.casework.services.reminders import reminders_send, reverse_supervision
from weibao.casework.services.reports import (
    case_view,
    record_referral_view,
    record_view,
    report_file,
)
from weibao.casework.services.suggestions import (
    suggestion_assess,
    suggestion_document,
    suggestion_issue,
    suggestion_number,
    suggestion_reply,
)
from weibao.casework.services.supervision import supervision_close, supervision_open

__all__ = [
    "DATA_ROLES",
    "LEGAL_BASIS",
    "MEASURE_KIND",
    "ORDER_TITLES",
    "Case",
    "CaseworkSettings",
    "GuardianOrder",
    "Referral",
    "Suggestion",
    "case_accept",
    "case_decide",
    "case_feedback",
    "case_view",
    "child_referral_create",
    "coordinators",
    "followup_record",
    "guardian_order_issue",
    "late_report_record",
    "order_document",
    "order_guidance_report",
    "order_number",
    "police_unit_for",
    "procuratorate_for",
    "record_referral_view",
    "record_view",
    "referral_accept",
    "referral_close",
    "referral_create",
    "referral_decline",
    "referrals_escalate",
    "reminders_send",
    "report_file",
    "reverse_supervision",
    "settings_update",
    "suggestion_assess",
    "suggestion_document",
    "suggestion_issue",
    "suggestion_number",
    "suggestion_reply",
    "supervision_close",
    "supervision_open",
    "unit_users",
]
