"""The people register: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry

APP = AppContract(
    urls="weibao.people.urls",
    url_prefix="people/",
    menu=[MenuEntry(_("People"), "people:list", Group.MINORS, 10, "people.list_people")],
    policy="weibao.people.policy",
    tasks=["weibao.people.tasks"],
    api="weibao.people.api.register",
)
