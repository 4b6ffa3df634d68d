"""Every write to the at-risk database, one module per topic (zulip's zerver/actions).

The grade and the risk score are derived here (`grades.files_regrade`), from the records, each time
a record changes and nightly; nobody types them. Notifications never name the child: they say what
happened and link to the file, which checks who may see it.

Each service a user triggers takes `actor=` and checks the actor's permission first, with the same
`rules` perm the page checks (policy.py), so the API, an import, a task or a command cannot skip
the rule. Only the scheduler calls `nightly` (no actor), and `file_close(actor=None)`.

Transactions: services a user triggers open durable blocks, except `measure_record` (linked
casework records a guardian order's measure inside its own transaction) and `file_close` (the
nightly job calls it).
"""

from __future__ import annotations

from weibao.atrisk.services._common import (
    MIN_REASON_LENGTH,
    RETURN_WINDOW_DAYS,
    REVIEW_EVERY_DAYS,
    SCHEDULER,
    C,
    K,
    active_rules,
)
from weibao.atrisk.services.events import (
    EVENT_FIELDS,
    event_record,
    event_share,
    record_seal,
    record_unseal,
)
from weibao.atrisk.services.files import (
    file_assign,
    file_close,
    file_open,
    file_refer,
    file_reveal,
    file_view,
)
from weibao.atrisk.services.grades import Derived, Facts, derive, files_regrade, load_facts
from weibao.atrisk.services.nightly import (
    contacts_overdue_warn,
    files_close_adults,
    scores_recompute_all,
)
from weibao.atrisk.services.reading import (
    AGE_GROUPS,
    age_group,
    behaviours_for,
    file_export,
    overview,
)
from weibao.atrisk.services.records import (
    MEASURE_CATEGORIES_BY_UNIT,
    PLAN_FIELDS,
    contact_record,
    measure_categories_for,
    measure_record,
    plan_update,
    review_record,
    risk_factor_add,
    risk_factor_end,
    warning_resolve,
)
from weibao.atrisk.services.ruleset import ruleset_update
from weibao.atrisk.services.sealed import (
    may_see_sealed_grade,
    sealed_query_apply,
    sealed_query_decide,
)

__all__ = [
    "AGE_GROUPS",
    "EVENT_FIELDS",
    "MEASURE_CATEGORIES_BY_UNIT",
    "MIN_REASON_LENGTH",
    "PLAN_FIELDS",
    "RETURN_WINDOW_DAYS",
    "REVIEW_EVERY_DAYS",
    "SCHEDULER",
    "C",
    "Derived",
    "Facts",
    "K",
    "active_rules",
    "age_group",
    "behaviours_for",
    "contact_record",
    "contacts_overdue_warn",
    "derive",
    "event_record",
    "event_share",
    "file_assign",
    "file_close",
    "file_export",
    "file_open",
    "file_refer",
    "file_reveal",
    "file_view",
    "files_close_adults",
    "files_regrade",
    "load_facts",
    "may_see_sealed_grade",
    "measure_categories_for",
    "measure_record",
    "overview",
    "plan_update",
    "record_seal",
    "record_unseal",
    "review_record",
    "risk_factor_add",
    "risk_factor_end",
    "ruleset_update",
    "scores_recompute_all",
    "sealed_query_apply",
    "sealed_query_decide",
    "warning_resolve",
]
