"""Every write in law education goes through here, with its checks and audit event.

Pages, the API, the Excel import and the demo call these functions; each user-triggered one
checks the actor's `rules` permission first. One module per topic (zulip's zerver/actions):

- `terms`: terms, their coverage rule and the topic list;
- `sessions`: sessions, and the legalvp duty record a legal vice-principal's session writes;
- `cases`: the case library;
- `imports`: the Excel import of a term's sessions.

`from weibao.education import services; services.session_create(...)` keeps working: the
public names are re-exported here.
"""

from weibao.education.services._common import MIN_PURPOSE_LENGTH, Errors, check_purpose
from weibao.education.services.cases import (
    CASE_FIELDS,
    CASE_TEXT_FIELDS,
    PrivacyWarning,
    case_check,
    case_decide,
    case_propose,
    case_search,
    case_update,
)
from weibao.education.services.imports import (
    COLUMNS,
    ImportReport,
    sessions_import,
    sessions_template,
)
from weibao.education.services.sessions import (
    SESSION_FIELDS,
    may_record_at,
    session_create,
    session_delete,
    session_update,
)
from weibao.education.services.terms import (
    RULE_FIELDS,
    TERM_FIELDS,
    TOPIC_FIELDS,
    coverage_rule_set,
    term_create,
    term_update,
    topic_create,
    topic_update,
)

__all__ = [
    "CASE_FIELDS",
    "CASE_TEXT_FIELDS",
    "COLUMNS",
    "MIN_PURPOSE_LENGTH",
    "RULE_FIELDS",
    "SESSION_FIELDS",
    "TERM_FIELDS",
    "TOPIC_FIELDS",
    "Errors",
    "ImportReport",
    "PrivacyWarning",
    "case_check",
    "case_decide",
    "case_propose",
    "case_search",
    "case_update",
    "check_purpose",
    "coverage_rule_set",
    "may_record_at",
    "session_create",
    "session_delete",
    "session_update",
    "sessions_import",
    "sessions_template",
    "term_create",
    "term_update",
    "topic_create",
    "topic_update",
]
