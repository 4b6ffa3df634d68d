"""Staff criminal-record checks: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry
from weibao.staffchecks.waiting import waiting

APP = AppContract(
    urls="weibao.staffchecks.urls",
    url_prefix="staff-checks/",
    menu=[
        MenuEntry(
            _("Staff checks"), "staffchecks:home", Group.CHECKS, 10, "staffchecks.view_staffchecks"
        ),
        MenuEntry(
            _("Offender register"),
            "staffchecks:register",
            Group.CHECKS,
            20,
            "staffchecks.view_register",
        ),
        MenuEntry(
            _("Check compliance"),
            "staffchecks:compliance",
            Group.CHECKS,
            30,
            "staffchecks.view_compliance",
        ),
    ],
    waiting=[waiting],
    policy="weibao.staffchecks.policy",
    tasks=["weibao.staffchecks.tasks"],
    demo="weibao.staffchecks.demo.seed",
    demo_order=60,
    api="weibao.staffchecks.api.register",
)
