"""Who may see and do what in at-risk minors.

The lists and pages start from the `for_user` QuerySets in models.py (which decide *which* files,
events and measures a user sees); these permissions decide *what* a user may do. The pages, the
API and the services check the same permissions.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, is_county_coordinator
from weibao.atrisk.access import reportable_people
from weibao.atrisk.models import AtRiskFile, Measure, MisconductEvent, works_on_atrisk
from weibao.kit.access import in_scope


@rules.predicate
def file_in_scope(user: User, file: AtRiskFile | None) -> bool:
    """The file is in `AtRiskFile.objects.for_user(user)` (no query when access_file fetched it)."""
    return in_scope(user, file, AtRiskFile.objects.for_user)


@rules.predicate
def file_is_open(user: User, file: AtRiskFile | None) -> bool:
    return file is not None and file.closed_at is None


@rules.predicate
def record_in_scope(user: User, record: MisconductEvent | Measure | None) -> bool:
    """The event or measure is one the user sees."""
    if isinstance(record, Measure):
        return in_scope(user, record, Measure.objects.for_user)
    return in_scope(user, record, MisconductEvent.objects.for_user)


@rules.predicate
def record_of_own_unit(user: User, record: MisconductEvent | Measure | None) -> bool:
    """The user's unit reported the event (or issued the measure)."""
    if record is None:
        return False
    unit_id = record.issuing_unit_id if isinstance(record, Measure) else record.reporting_unit_id
    return unit_id == user.organisation_id


@rules.predicate
def minor_reportable(user: User, file: AtRiskFile | None) -> bool:
    """The file's minor is one the user may report (access.reportable_people): the police may
    put the order they issued on a minor's file they did not see before, as they may report an
    event for that minor."""
    return file is not None and reportable_people(user).filter(pk=file.person_id).exists()


takes_part = rules.predicate(works_on_atrisk)

rules.add_perm("atrisk.list_files", takes_part)
rules.add_perm("atrisk.view_file", takes_part & file_in_scope)
rules.add_perm("atrisk.report_event", takes_part & can_write)
rules.add_perm("atrisk.change_file", takes_part & can_write & file_in_scope & file_is_open)
rules.add_perm(
    "atrisk.record_measure",
    takes_part & can_write & file_is_open & (file_in_scope | minor_reportable),
)
rules.add_perm("atrisk.share_event", takes_part & can_write & record_in_scope)
# Seal or unseal an event or measure: the unit that made the record, or a county coordinator
# (the service adds that only a county coordinator unseals). No scope test: a sealed record
# leaves for_user, and both already reach it (its own unit; the county).
rules.add_perm(
    "atrisk.seal_record",
    takes_part & can_write & (record_of_own_unit | is_county_coordinator),
)
rules.add_perm("atrisk.reveal_person", takes_part & file_in_scope)
rules.add_perm("atrisk.apply_sealed", takes_part & file_in_scope)
rules.add_perm("atrisk.decide_sealed", is_county_coordinator)
rules.add_perm("atrisk.manage_rules", is_county_coordinator)
rules.add_perm("atrisk.export_files", takes_part)
rules.add_perm("atrisk.view_overview", takes_part)
