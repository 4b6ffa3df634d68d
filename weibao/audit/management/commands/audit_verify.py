"""`manage.py audit_verify`: check every audit chain, against its head and the checkpoints."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.audit.chain import verify_all


class Command(BaseCommand):
    help = (
        "Check the audit log's keyed chains (every row, in bounded memory) against their heads "
        "and the signed checkpoints, and report each chain's first broken link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint-dir",
            help="the checkpoints to check against (default AUDIT_CHECKPOINT_DIR); for a "
            "restore drill, the folder holding the backup's checkpoint",
        )
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all(using=options["database"], checkpoint_dir=options["checkpoint_dir"])
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.intact:
            for broken in report.breaks[1:]:
                self.stderr.write(self._line(broken))
            raise CommandError(self._line(report.breaks[0]))
        anchored = f"; anchored by checkpoint {report.checkpoint}" if report.checkpoint else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"audit chain intact: {report.events} events in {report.chains} chains{anchored}"
            )
        )

    @staticmethod
    def _line(broken: Any) -> str:
        if broken.event_id is None:
            return f"audit chain broken: {broken.reason}"
        return f"audit chain broken at event {broken.event_id}: {broken.reason}"
