from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "weibao.audit"
    verbose_name = _("audit")

    def ready(self) -> None:
        from weibao.audit import signals  # noqa: F401  (login events)
