from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    verbose_name = _("platform")

    def ready(self) -> None:
        from weibao.core.contract import contracts

        # Every app's contract, read once all models are loaded: its permissions, scheduled jobs
        # and job handlers are registered before anything asks for them.
        contracts()
