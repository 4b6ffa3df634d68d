from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffchecksConfig(AppConfig):
    name = "weibao.staffchecks"
    verbose_name = _("staff criminal-record checks")

    def ready(self) -> None:
        from weibao.core import navigation
        from weibao.core.services import WAITING_SOURCES
        from weibao.staffchecks import (  # noqa: F401  (registers permissions, jobs, schedule)
            jobs,
            policy,
            schedule,
            waiting,
        )

        names = [item.url_name for item in navigation.MENU]
        if "staffchecks:home" not in names:
            at = names.index("accounts:unit_list") if "accounts:unit_list" in names else len(names)
            navigation.MENU[at:at] = [
                navigation.MenuItem(
                    _("Staff checks"), "staffchecks:home", "staffchecks.view_staffchecks"
                ),
                navigation.MenuItem(
                    _("Offender register"), "staffchecks:register", "staffchecks.view_register"
                ),
                navigation.MenuItem(
                    _("Check compliance"), "staffchecks:compliance", "staffchecks.view_compliance"
                ),
            ]
        if waiting.waiting not in WAITING_SOURCES:
            WAITING_SOURCES.append(waiting.waiting)
