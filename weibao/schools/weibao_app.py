"""Schools and campus liaisons: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry
from weibao.schools.waiting import waiting

APP = AppContract(
    urls="weibao.schools.urls",
    url_prefix="schools/",
    menu=[
        MenuEntry(_("Schools"), "schools:list", Group.SCHOOLS, 10, "schools.list_schools"),
        MenuEntry(
            _("Liaison coverage"), "schools:coverage", Group.SCHOOLS, 20, "schools.view_coverage"
        ),
    ],
    waiting=[waiting],
    policy="weibao.schools.policy",
    demo="weibao.schools.demo.seed",
    demo_order=10,
    api="weibao.schools.api.register",
)
