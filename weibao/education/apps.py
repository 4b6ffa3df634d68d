from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "weibao.education"
    verbose_name = _("law education")

    def ready(self) -> None:
        from weibao.core import navigation
        from weibao.core.services import WAITING_SOURCES
        from weibao.education import policy  # noqa: F401  (registers the permissions)
        from weibao.education.services import waiting_items

        items = [
            navigation.MenuItem(
                _("Law-education sessions"), "education:session_list", "education.view_sessions"
            ),
            navigation.MenuItem(
                _("Law-education coverage"), "education:coverage", "education.view_coverage"
            ),
            navigation.MenuItem(_("Case library"), "education:case_list", "education.view_cases"),
        ]
        for item in items:
            if item not in navigation.MENU:
                names = [entry.url_name for entry in navigation.MENU]
                at = names.index("accounts:unit_list") if "accounts:unit_list" in names else None
                navigation.MENU.insert(at if at is not None else len(navigation.MENU), item)
        if waiting_items not in WAITING_SOURCES:
            WAITING_SOURCES.append(waiting_items)
