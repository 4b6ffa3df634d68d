from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "weibao.casework"
    verbose_name = _("linked casework")
