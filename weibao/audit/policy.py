"""Who may read the audit log: auditors, and nobody else."""

from __future__ import annotations

import rules

from weibao.accounts.policy import is_auditor

reads_audit_log = is_auditor

rules.add_perm("audit.view_auditevent", reads_audit_log)
