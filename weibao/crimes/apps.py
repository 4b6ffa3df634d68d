from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrimesConfig(AppConfig):
    name = "weibao.crimes"
    verbose_name = _("minors' criminal cases")
