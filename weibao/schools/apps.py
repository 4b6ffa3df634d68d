from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "weibao.schools"
    verbose_name = _("schools and campus liaisons")

    def ready(self) -> None:
        from weibao.core.navigation import MENU, MenuItem
        from weibao.core.services import WAITING_SOURCES
        from weibao.schools import policy  # noqa: F401  (registers the permissions)
        from weibao.schools.waiting import schools_waiting

        if not any(item.url_name == "schools:list" for item in MENU):
            units = next(
                (i for i, item in enumerate(MENU) if item.url_name == "accounts:unit_list"),
                len(MENU),
            )
            MENU[units:units] = [
                MenuItem(_("Schools"), "schools:list", "schools.list_schools"),
                MenuItem(_("Liaison coverage"), "schools:coverage", "schools.view_coverage"),
            ]
        if schools_waiting not in WAITING_SOURCES:
            WAITING_SOURCES.append(schools_waiting)
