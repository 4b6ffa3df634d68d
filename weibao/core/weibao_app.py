"""The platform's own pages: core's, and those of accounts and audit, which sit below core and
know nothing of the contract (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.audit.forms import AUDIT_UNIT_PICKER
from weibao.core.contract import AppContract, Group, MenuEntry, Protected
from weibao.core.pickers import DIVISION_PICKER, UNIT_PICKER

APP = AppContract(
    menu=[
        MenuEntry(_("Home"), "core:home", Group.WORKBENCH, 10),
        MenuEntry(_("Inbox"), "core:inbox", Group.WORKBENCH, 20),
        MenuEntry(_("Units"), "accounts:unit_list", Group.SYSTEM, 10, "accounts.manage_units"),
        MenuEntry(_("Users"), "accounts:user_list", Group.SYSTEM, 20, "accounts.manage_users"),
        MenuEntry(_("Audit log"), "audit:list", Group.SYSTEM, 30, "audit.view_auditevent"),
        MenuEntry(_("API"), "api:docs", Group.SYSTEM, 90),
    ],
    policy="weibao.core.policy",
    tasks=["weibao.core.tasks"],
    pickers=[UNIT_PICKER, DIVISION_PICKER, AUDIT_UNIT_PICKER],
    protected=[Protected("core.Job", encrypted=["secret"])],
)
