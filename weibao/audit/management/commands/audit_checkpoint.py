"""`manage.py audit_checkpoint`: sign every audit chain's head in a checkpoint file now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.audit import checkpoints
from weibao.audit.services import restore_acknowledge


class Command(BaseCommand):
    help = (
        "Verify the audit chains since the last checkpoint and write a signed checkpoint of "
        "every chain's head to AUDIT_CHECKPOINT_DIR (outside the database)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after-restore",
            metavar="REASON",
            help="after restoring a backup older than the newest checkpoint: record the events "
            "the restore dropped, move aside the checkpoints the database no longer matches, "
            "and start anew from the restored chains",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["after_restore"]:
                moved, lost = restore_acknowledge(reason=options["after_restore"])
                dropped = sum(lost.values())
                self.stdout.write(
                    f"{len(moved)} checkpoints moved aside; {dropped} signed events were "
                    f"dropped by the restore: {lost or 'none'}"
                )
            checkpoint = checkpoints.write()
        except checkpoints.CheckpointRefused as error:
            raise CommandError(f"no checkpoint written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"checkpoint {checkpoint.path}: {checkpoint.events} events in "
                f"{len(checkpoint.chains)} chains"
            )
        )
