from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "weibao.care"
    verbose_name = _("care of left-behind and vulnerable children")
