from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffchecksConfig(AppConfig):
    name = "weibao.staffchecks"
    verbose_name = _("staff criminal-record checks")
