"""Benchmark harness: a seeded demo county behind a real gunicorn, and timed requests against it.

Benchmarks are not tests. Each prints its figures as ratios against a floor measured in the same
run on the same server (a trivial logged-in page), so they mean the same on a slow or fast machine.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Weibao@2026"


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def demo_server(scale: float, var_dir: str | None = None) -> Iterator[str]:
    """A gunicorn serving a demo county of the given scale; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="weibao-bench-") as tmp:
        env = {**os.environ, "WEIBAO_VAR_DIR": var_dir or tmp, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_demo", "--scale", str(scale), env=env)
        print(f"seeded scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "weibao.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--log-level", "warning"],
            cwd=ROOT,
            env={**env, "DEBUG": "1"},  # DEBUG serves static files from the finders
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


class Session:
    """A logged-in browser-like session (cookies and CSRF), using only the standard library."""

    def __init__(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
        self.opener.open(request)
        if "/accounts/login/" in self.get_url("/"):
            raise RuntimeError(f"could not log in as {username}")

    def get(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}") as response:
            return response.read().decode()

    def get_url(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}") as response:
            return str(response.geturl())

    def median_ms(self, path: str, repeat: int = 30, warmup: int = 3) -> float:
        for _ in range(warmup):
            self.get(path)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            self.get(path)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)


def report(title: str, floor_name: str, floor_ms: float, rows: list[tuple[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  floor  {floor_name:<40} {floor_ms:8.1f} ms   1.00x")
    for name, ms in rows:
        print(f"  page   {name:<40} {ms:8.1f} ms  {ms / floor_ms:5.2f}x")
