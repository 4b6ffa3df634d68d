from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalvpConfig(AppConfig):
    name = "weibao.legalvp"
    verbose_name = _("legal vice-principals")
