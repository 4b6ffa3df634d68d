"""`manage.py run_demo`: its arguments and plan (no servers start here), and stopping children."""

from __future__ import annotations

import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from weibao.demo import runner
from weibao.demo.management.commands.run_demo import Command
from weibao.demo.runner import DemoPlan, Process, plan_demo, run_demo

REAL_POPEN = subprocess.Popen


@pytest.fixture(autouse=True)
def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in these tests may start a real server."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(runner.subprocess, "Popen", refuse)


def run(*args: str) -> tuple[str, str]:
    # The command object itself: another app may also define a command of this name.
    out, err = StringIO(), StringIO()
    call_command(Command(), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_the_address_accounts_and_commands(db: None) -> None:
    everywhere = "0.0.0.0"  # noqa: S104  (only printed)
    out, err = run("--host", everywhere, "--port", "8123", "--dry-run", "--server", "gunicorn")
    assert "http://0.0.0.0:8123/" in out
    assert "liaison_a" in out and "Weibao@2026" in out
    assert "gunicorn weibao.wsgi:application --bind 0.0.0.0:8123 --workers 2" in out
    assert "db_worker --no-reload" in out
    assert "seed_demo" in err  # warns that the county is not seeded yet


def test_runserver_when_asked(db: None) -> None:
    out, _err = run("--port", "8124", "--dry-run", "--server", "runserver", "--no-worker")
    assert "runserver 127.0.0.1:8124 --noreload" in out
    assert "db_worker" not in out


@pytest.mark.parametrize(
    "args", [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--server", "uwsgi"]]
)
def test_bad_arguments_are_refused(db: None, args: list[str]) -> None:
    with pytest.raises(CommandError):
        run(*args, "--dry-run")


def test_scheduler_is_skipped_with_a_warning_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "get_commands", lambda: {"db_worker": "django_tasks_db"})
    plan = plan_demo(host="127.0.0.1", port=8000)
    assert [p.name for p in plan.background] == ["db_worker"]
    assert plan.warnings and "run_scheduler" in plan.warnings[0]


def test_scheduler_runs_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "get_commands", lambda: {"run_scheduler": "weibao.core"})
    plan = plan_demo(host="127.0.0.1", port=8000, worker=False)
    assert [p.name for p in plan.background] == ["run_scheduler"]
    assert plan.background[0].argv[-1] == "run_scheduler"
    assert not plan.warnings


def test_children_are_stopped_when_the_server_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real, harmless child processes: a "worker" that would sleep a minute and a "server" that
    # exits at once with code 3.
    monkeypatch.setattr(runner.subprocess, "Popen", REAL_POPEN)
    monkeypatch.setattr(runner, "POLL_INTERVAL", 0.05)
    plan = DemoPlan(
        url="http://127.0.0.1:1/",
        server=Process("server", [sys.executable, "-c", "raise SystemExit(3)"]),
        background=[Process("worker", [sys.executable, "-c", "import time; time.sleep(60)"])],
    )
    lines: list[str] = []
    started = time.monotonic()
    assert run_demo(plan, lines.append) == 3
    assert time.monotonic() - started < 10, "the sleeping worker was stopped, not waited for"
    assert "started worker" in lines


def test_sigterm_stops_the_server_and_the_children(monkeypatch: pytest.MonkeyPatch) -> None:
    # The "server" sends SIGTERM to this process, as `kill` or a service manager would.
    monkeypatch.setattr(runner.subprocess, "Popen", REAL_POPEN)
    monkeypatch.setattr(runner, "POLL_INTERVAL", 0.05)
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    killer = "import os, signal, time; os.kill(os.getppid(), signal.SIGTERM); time.sleep(60)"
    plan = DemoPlan(
        url="http://127.0.0.1:1/",
        server=Process("server", [sys.executable, "-c", killer]),
        background=[Process("worker", sleeper)],
    )
    lines: list[str] = []
    started = time.monotonic()
    assert run_demo(plan, lines.append) == 0
    assert time.monotonic() - started < 10
    assert "Stopping the demo..." in lines
