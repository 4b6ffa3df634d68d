from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtriskConfig(AppConfig):
    name = "weibao.atrisk"
    verbose_name = _("at-risk minors")

    def ready(self) -> None:
        from weibao.atrisk import (  # noqa: F401  (registers the permissions and the nightly job)
            policy,
            schedule,
        )
        from weibao.atrisk.waiting import atrisk_waiting
        from weibao.core import navigation
        from weibao.core.services import WAITING_SOURCES

        item = navigation.MenuItem(_("At-risk minors"), "atrisk:list", "atrisk.list_files")
        if all(existing.url_name != item.url_name for existing in navigation.MENU):
            names = [existing.url_name for existing in navigation.MENU]
            at = names.index("accounts:unit_list") if "accounts:unit_list" in names else len(names)
            navigation.MENU.insert(at, item)
        if atrisk_waiting not in WAITING_SOURCES:
            WAITING_SOURCES.append(atrisk_waiting)
