"""Who may see and do what in at-risk minors.

The lists and pages start from the `for_user` QuerySets in models.py (which decide *which* files,
events and measures a user sees); these permissions decide *what* a user may do.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, is_county_coordinator
from weibao.atrisk.models import AtRiskFile, works_on_atrisk


@rules.predicate
def file_in_scope(user: User, file: AtRiskFile | None) -> bool:
    if file is None:
        return False
    # A file fetched through for_user(user) (the views' access helper marks it) is in scope.
    if getattr(file, "fetched_for", None) == user.pk:
        return True
    return AtRiskFile.objects.for_user(user).filter(pk=file.pk).exists()


@rules.predicate
def file_is_open(user: User, file: AtRiskFile | None) -> bool:
    return file is not None and file.closed_at is None


takes_part = rules.predicate(works_on_atrisk)

rules.add_perm("atrisk.list_files", takes_part)
rules.add_perm("atrisk.view_file", takes_part & file_in_scope)
rules.add_perm("atrisk.report_event", takes_part & can_write)
rules.add_perm("atrisk.change_file", takes_part & can_write & file_in_scope & file_is_open)
rules.add_perm("atrisk.reveal_person", takes_part & file_in_scope)
rules.add_perm("atrisk.apply_sealed", takes_part & file_in_scope)
rules.add_perm("atrisk.decide_sealed", is_county_coordinator)
rules.add_perm("atrisk.manage_rules", is_county_coordinator)
rules.add_perm("atrisk.export_files", takes_part)
rules.add_perm("atrisk.view_overview", takes_part)
