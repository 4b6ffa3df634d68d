"""Who may see and do what with retention and impact assessments.

- The county coordinator sets the retention rules (each change closes the old rule and opens a
  new one), starts a dry run, and records and revises the impact assessments.
- The auditor reads the rules, the runs and the impact assessments (PIPL Art. 55-56), and
  changes nothing. Nobody else sees them.
"""

from __future__ import annotations

import rules

from weibao.accounts.policy import can_write, is_auditor, is_county_coordinator

reads_retention = is_county_coordinator | is_auditor
keeps_retention = can_write & is_county_coordinator

rules.add_perm("retention.view_rules", reads_retention)
rules.add_perm("retention.change_rules", keeps_retention)
rules.add_perm("retention.preview", keeps_retention)
rules.add_perm("retention.view_assessments", reads_retention)
rules.add_perm("retention.manage_assessments", keeps_retention)
