from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "weibao.notices"
    verbose_name = _("liaison group notices")

    def ready(self) -> None:
        from weibao.core.navigation import MENU, MenuItem
        from weibao.core.services import WAITING_SOURCES
        from weibao.notices import (  # noqa: F401  (registers the permissions and scheduled jobs)
            policy,
            schedule,
        )
        from weibao.notices.services import waiting_items

        names = [item.url_name for item in MENU]
        at = names.index("accounts:unit_list") if "accounts:unit_list" in names else len(MENU)
        for item in (
            MenuItem(_("Notices"), "notices:list", "notices.view_sent"),
            MenuItem(_("My notices"), "notices:inbox", "notices.view_inbox"),
        ):
            if item.url_name not in names:
                MENU.insert(at, item)
                at += 1
        if waiting_items not in WAITING_SOURCES:
            WAITING_SOURCES.append(waiting_items)
