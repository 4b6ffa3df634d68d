from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "weibao.people"
    verbose_name = _("people")

    def ready(self) -> None:
        from weibao.people import (  # noqa: F401  (registers the permissions and job handlers)
            jobs,
            policy,
        )
