from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "weibao.casework"
    verbose_name = _("linked casework")

    def ready(self) -> None:
        from weibao.casework import (  # noqa: F401  (registers the permissions and schedule)
            policy,
            schedule,
            waiting,
        )
        from weibao.core import navigation
        from weibao.core.services import WAITING_SOURCES

        names = [item.url_name for item in navigation.MENU]
        if "casework:case_list" not in names:
            at = names.index("accounts:unit_list") if "accounts:unit_list" in names else len(names)
            navigation.MENU[at:at] = [
                navigation.MenuItem(
                    _("Mandatory reports"), "casework:case_list", "casework.view_cases"
                ),
                navigation.MenuItem(
                    _("Referrals"), "casework:referral_list", "casework.view_referrals"
                ),
                navigation.MenuItem(
                    _("Supervision list"), "casework:supervision_list", "casework.view_supervision"
                ),
            ]
        if waiting.waiting not in WAITING_SOURCES:
            WAITING_SOURCES.append(waiting.waiting)
