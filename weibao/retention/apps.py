from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "weibao.retention"
    verbose_name = _("retention and impact assessments")
