from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    verbose_name = _("platform")

    def ready(self) -> None:
        from weibao.core import (  # noqa: F401  (registers permissions and scheduled jobs)
            policy,
            tasks,
        )
