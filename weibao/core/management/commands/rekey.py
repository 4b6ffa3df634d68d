"""Re-encrypt and re-index every protected field with the current cipher, key and blind index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core import rekey
from weibao.kit import crypto


class Command(BaseCommand):
    help = (
        "Move every encrypted field and blind index to FIELD_CIPHER, BLIND_INDEX and the first "
        "key of FIELD_ENCRYPTION_KEY, in batches; resumable (run it again after a stop); then "
        "a verification pass. --dry-run counts only; --verify only checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would change.")
        parser.add_argument("--verify", action="store_true", help="Only check every row.")
        parser.add_argument(
            "--checkpoint",
            default=str(Path(settings.VAR_DIR) / "rekey-checkpoint.json"),
            help="Where the pass notes how far it got.",
        )

    def handle(self, *args: Any, dry_run: bool, verify: bool, checkpoint: str, **kw: Any) -> None:
        self.stdout.write(f"target: {crypto.fingerprint()}")
        if not verify:
            tallies = rekey.rekey(dry_run=dry_run, checkpoint=Path(checkpoint))
            verb = "would change" if dry_run else "changed"
            for tally in tallies:
                self.stdout.write(f"{tally.model}: {tally.rows} rows read, {tally.changed} {verb}")
                for problem in tally.problems[:20]:
                    self.stderr.write(f"  {problem}")
            if dry_run:
                return
        problems = [p for tally in rekey.verify() for p in tally.problems]
        for problem in problems[:50]:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"verification found {len(problems)} problems")
        self.stdout.write("verified: every protected field is current and every index right")
