from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "weibao.schools"
    verbose_name = _("schools and campus liaisons")
