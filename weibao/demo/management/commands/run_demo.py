"""`manage.py run_demo --host H --port P`: the web server, the task worker and the scheduler.

Prints the address and the demo accounts, runs the web server in the foreground (gunicorn if
installed, else runserver) and stops the background processes on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from weibao.demo.accounts import accounts_table
from weibao.demo.county import county_exists
from weibao.demo.runner import plan_demo, run_demo


class Command(BaseCommand):
    help = "Run the demo: web server in front, task worker and scheduler in the background."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn worker processes (default 2)."
        )
        parser.add_argument(
            "--server",
            choices=["auto", "gunicorn", "runserver"],
            default="auto",
            help="Web server: gunicorn if installed (auto), or Django's runserver.",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the task worker."
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Do not start the scheduler."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be started, and start nothing.",
        )

    def say(self, message: str) -> None:
        """Write a line now: the children's output shares the terminal (or pipe)."""
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(_("--port must be between 1 and 65535"))
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1"))
        plan = plan_demo(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            server=options["server"],
            worker=not options["no_worker"],
            scheduler=not options["no_scheduler"],
        )
        for warning in plan.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not county_exists():
            self.stderr.write(
                self.style.WARNING(_("The demo county is not seeded: run manage.py seed_demo."))
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Weibao demo: %(url)s") % {"url": plan.url}))
        self.stdout.write("")
        for line in accounts_table():
            self.stdout.write(f"  {line}" if line else "")
        self.stdout.write("")
        if options["dry_run"]:
            for process in [*plan.background, plan.server]:
                self.stdout.write(f"{process.name}: {' '.join(process.argv)}")
            return
        self.say(_("Press Ctrl-C to stop."))
        code = run_demo(plan, self.say)
        if code:
            raise CommandError(_("The web server stopped with exit code %(code)s") % {"code": code})
