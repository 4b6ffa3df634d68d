from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "weibao.notices"
    verbose_name = _("liaison group notices")
