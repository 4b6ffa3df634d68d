from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalvpConfig(AppConfig):
    name = "weibao.legalvp"
    verbose_name = _("legal vice-principals")

    def ready(self) -> None:
        from weibao.core import navigation
        from weibao.core.services import WAITING_SOURCES
        from weibao.legalvp import (  # noqa: F401  (registers the permissions and the jobs)
            policy,
            schedule,
        )
        from weibao.legalvp.services import waiting_items

        item = navigation.MenuItem(
            _("Legal vice-principals"), "legalvp:list", "legalvp.view_legalvp"
        )
        if item not in navigation.MENU:
            labels = [entry.url_name for entry in navigation.MENU]
            at = labels.index("accounts:unit_list") if "accounts:unit_list" in labels else None
            navigation.MENU.insert(at if at is not None else len(navigation.MENU), item)
        if waiting_items not in WAITING_SOURCES:
            WAITING_SOURCES.append(waiting_items)
