from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def make_chain_heads(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Every chain's head row exists before anyone writes (weibao.audit.chain): made in a
    writer's transaction, an uncommitted head would hold up the other writers."""
    from weibao.audit.chain import make_heads

    make_heads(using)


class AuditConfig(AppConfig):
    name = "weibao.audit"
    verbose_name = _("audit")

    def ready(self) -> None:
        from weibao.audit import signals  # noqa: F401  (login events)

        post_migrate.connect(make_chain_heads, sender=self)
