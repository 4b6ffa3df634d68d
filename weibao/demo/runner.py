"""Runs the demo: the task worker and the scheduler in the background, the web server in front.

The plan (which programs, with which arguments) is worked out apart from running it, so the
command's argument handling can be tested without starting anything.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.core.management import get_commands
from django.utils.translation import gettext as _

STOP_TIMEOUT = 10  # seconds a child gets to stop before it is killed
POLL_INTERVAL = 0.5


@dataclass(frozen=True)
class Process:
    name: str
    argv: list[str]


@dataclass
class DemoPlan:
    url: str
    server: Process
    background: list[Process] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def gunicorn_available() -> bool:
    return sys.platform != "win32" and importlib.util.find_spec("gunicorn") is not None


def plan_demo(
    *,
    host: str,
    port: int,
    workers: int = 2,
    server: str = "auto",
    worker: bool = True,
    scheduler: bool = True,
) -> DemoPlan:
    """Which processes the demo runs, as argument lists for subprocess."""
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    plan = DemoPlan(url=f"http://{host}:{port}/", server=Process("", []))
    if server == "auto":
        server = "gunicorn" if gunicorn_available() else "runserver"
    if server == "gunicorn":
        argv = [
            sys.executable, "-m", "gunicorn", "weibao.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--chdir", str(settings.BASE_DIR), "--access-logfile", "-",
        ]  # fmt: skip
        plan.server = Process("gunicorn", argv)
    else:
        plan.server = Process("runserver", [*manage, "runserver", f"{host}:{port}", "--noreload"])
    commands = get_commands()
    if worker:
        plan.background.append(Process("db_worker", [*manage, "db_worker", "--no-reload"]))
    if scheduler:
        if "run_scheduler" in commands:
            plan.background.append(Process("run_scheduler", [*manage, "run_scheduler"]))
        else:
            plan.warnings.append(
                _("The run_scheduler command is not installed yet: running without the scheduler.")
            )
    return plan


class _Stop(Exception):
    """SIGTERM or SIGINT (Ctrl-C) arrived: leave the wait loop and stop the children."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def run_demo(plan: DemoPlan, write: Callable[[str], None]) -> int:
    """Start the background processes and the server; stop them all when any signal comes.

    Returns the server's exit code (0 after Ctrl-C or SIGTERM).
    """
    children: list[tuple[Process, subprocess.Popen[bytes]]] = []
    # Handle SIGINT ourselves too: a shell starts background jobs with it ignored.
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for process in plan.background:
            # Our own programs (sys.executable, manage.py), as plan_demo built them.
            child = subprocess.Popen(process.argv, cwd=settings.BASE_DIR)  # noqa: S603
            children.append((process, child))
            write(_("started %(name)s") % {"name": process.name})
        server = subprocess.Popen(plan.server.argv, cwd=settings.BASE_DIR)  # noqa: S603
        children.append((plan.server, server))
        reported: set[str] = set()
        while server.poll() is None:
            for process, child in children:
                code = child.poll()
                if code is not None and process.name not in reported:
                    reported.add(process.name)
                    write(
                        _("%(name)s stopped with exit code %(code)s")
                        % {"name": process.name, "code": code}
                    )
            time.sleep(POLL_INTERVAL)
        return server.returncode or 0
    except _Stop:
        write(_("Stopping the demo..."))
        return 0
    finally:
        # Back to the old handlers first, so a second Ctrl-C can still cut the wait short.
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_all([child for _, child in children])


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    """Ask every child to stop (SIGTERM), then kill those still running after the timeout."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
