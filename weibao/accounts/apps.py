from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "weibao.accounts"
    verbose_name = _("accounts and units")

    def ready(self) -> None:
        from weibao.accounts import policy, signals  # noqa: F401  (permissions, login signals)
