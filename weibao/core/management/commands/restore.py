"""`manage.py restore FILE`: replace the database and the stored files with a backup's, then
compare every table with the backup and verify the audit chains (weibao.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup over the configured database and file storage (stop the web server, "
        "worker and scheduler first), then compare every table's row count and checksum with "
        "the backup and run the audit verification. For a drill, point DATABASE_URL, FILE_ROOT "
        "and AUDIT_CHECKPOINT_DIR at scratch places."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="replace the database without asking"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such backup: {path}")
        if not options["yes"]:
            answer = input("This replaces the database and every stored file. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("not restored")
        try:
            result = restore(path, progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'table':<40} {'rows (backup)':>14} {'rows (restored)':>16}  checksum")
        for item in result.comparisons:
            mark = "match" if item.match else "DIFFERS"
            backup_rows = "-" if item.rows_backup is None else str(item.rows_backup)
            restored = "-" if item.rows_restored is None else str(item.rows_restored)
            self.stdout.write(f"{item.table:<40} {backup_rows:>14} {restored:>16}  {mark}")
        matched = sum(item.match for item in result.comparisons)
        self.stdout.write(
            f"{matched} of {len(result.comparisons)} tables match the backup; "
            f"{result.files} files restored; audit checkpoint {result.checkpoint or '(none)'}"
        )
        audit = result.audit
        if audit is not None and audit.intact:
            self.stdout.write(f"audit chain intact: {audit.events} events in {audit.chains} chains")
        elif audit is not None:
            for broken in audit.breaks:
                self.stderr.write(f"audit chain broken at event {broken.event_id}: {broken.reason}")
            self.stderr.write(
                "if the backup is older than the newest checkpoint, the events since were lost: "
                "put that on the record with manage.py audit_checkpoint --after-restore REASON"
            )
        if not result.tables_match:
            raise CommandError("the restored database does not match the backup")
        if audit is not None and not audit.intact:
            raise CommandError("the restored audit log does not verify")
        self.stdout.write(self.style.SUCCESS(f"restored {path}"))
