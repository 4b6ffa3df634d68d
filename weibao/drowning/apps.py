from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrowningConfig(AppConfig):
    name = "weibao.drowning"
    verbose_name = _("drowning prevention")
