"""`manage.py backup`: the database, the stored files and the audit checkpoint in one encrypted
file (weibao.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, the stored files and the newest audit checkpoint into one file "
        "encrypted with BACKUP_ENCRYPTION_KEY, in BACKUP_DIR (or --output)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup(output=options["output"], progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"backup {path} ({path.stat().st_size} bytes): {len(manifest['tables'])} tables, "
                f"{rows} rows, {len(manifest['files'])} files, audit checkpoint "
                f"{manifest['audit_checkpoint'] or '(none)'}"
            )
        )
