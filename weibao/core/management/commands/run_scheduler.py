"""Run the scheduler: queue each scheduled job for the worker when its time comes."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from weibao.core import schedule


class Command(BaseCommand):
    help = (
        "Queue scheduled jobs for the worker when they are due (see weibao.core.schedule). "
        "Runs until stopped; --once checks once and exits (for tests and cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=float, default=20.0, help="Seconds between checks (default 20)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self.check_once()
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            # Finish the current check (a claimed slot is always queued), then exit.
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        names = ", ".join(f"{job.name} ({job.when})" for job in schedule.REGISTRY.values())
        self.stdout.write(f"Scheduler started: {names}")
        while not stop.is_set():
            # A long-lived process drops connections the database may have closed meanwhile.
            close_old_connections()
            self.check_once()
            stop.wait(interval)
        self.stdout.write("Scheduler stopped.")

    def check_once(self) -> None:
        for name in schedule.tick():
            self.stdout.write(f"queued {name}")
