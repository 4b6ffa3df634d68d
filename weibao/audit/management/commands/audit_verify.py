"""`manage.py audit_verify`: report the first broken link in the audit chain, if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from weibao.audit.models import AuditEvent
from weibao.audit.services import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at event {broken.event_id}: {broken.reason}")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} events"))
