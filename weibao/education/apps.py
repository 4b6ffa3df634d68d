from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "weibao.education"
    verbose_name = _("law education")
