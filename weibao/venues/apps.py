from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "weibao.venues"
    verbose_name = _("venues near schools")
