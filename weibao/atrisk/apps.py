from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtriskConfig(AppConfig):
    name = "weibao.atrisk"
    verbose_name = _("at-risk minors")
