"""Run one scheduled job now, in this process, and print its summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weibao.core import schedule


class Command(BaseCommand):
    help = "Run a scheduled job now, by hand (jobs are safe to run twice). --list shows them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="The scheduled job's name.")
        parser.add_argument(
            "--list", action="store_true", dest="show_list", help="List the scheduled jobs."
        )

    def handle(self, *args: Any, name: str | None, show_list: bool, **options: Any) -> None:
        if show_list or not name:
            for job in sorted(schedule.REGISTRY.values(), key=lambda job: job.name):
                self.stdout.write(f"{job.name}\t{job.when}\t{(job.func.__doc__ or '').strip()}")
            if not name:
                return
        if name not in schedule.REGISTRY:
            known = ", ".join(sorted(schedule.REGISTRY))
            raise CommandError(f"No scheduled job named {name!r}. Known: {known}")
        try:
            summary = schedule.run(name)
        except Exception as error:
            raise CommandError(f"{name} failed: {type(error).__name__}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{name}: {summary}"))
