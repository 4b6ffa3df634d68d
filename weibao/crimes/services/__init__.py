"""Every write of the minors' criminal-case register, one module per topic: cases with their
suspects, victims and decisions (`cases`), the Excel template, import and export (`sheets`), and
the links to the at-risk database and to casework (`links`).

Each service takes `actor=` and checks the actor's permission first (`crimes.keep_case` and its
kin, policy.py), then owns its transaction and records its audit event.
"""

from __future__ import annotations

from weibao.crimes.services.cases import (
    case_check,
    case_create,
    case_data,
    case_save,
    case_update,
    case_view,
    decision_record,
)
from weibao.crimes.services.links import suspect_send_to_atrisk, victim_refer
from weibao.crimes.services.sheets import (
    COLUMNS,
    ImportReport,
    cases_export,
    cases_import,
    cases_template,
)

__all__ = [
    "COLUMNS",
    "ImportReport",
    "case_check",
    "case_create",
    "case_data",
    "case_save",
    "case_update",
    "case_view",
    "cases_export",
    "cases_import",
    "cases_template",
    "decision_record",
    "suspect_send_to_atrisk",
    "victim_refer",
]
