"""At-risk pages at scale: the list and a minor's page against a trivial logged-in page, and the
time to recompute every score.

    .venv/bin/python bench/atrisk_pages.py [--base-scale 1] [--atrisk-scale 10]

The issue asks for "10x the demo county". The base county at --scale 10 is 500,000 pupils, slow to
seed on a laptop, and the at-risk pages only read at-risk rows; so by default the base county is
seeded at scale 1 (50,000 pupils) and the at-risk data at 10x (about 10,000 files and 30,000
events). Pass --base-scale 10 for the full county if there is time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Session, demo_server, manage, report

SEED_ATRISK = """
import time
from django.apps import apps
from django.utils import timezone
from weibao.atrisk import demo
from weibao.atrisk.models import AtRiskFile, MisconductEvent
from weibao.demo.extensions import REFERENCE_DATA
# seed_demo built the at-risk part at the base scale: empty it (and casework, which refers to
# its files) so that it is built again at the benchmark's scale.
for label in ("casework", "atrisk"):
    for model in reversed(list(apps.get_app_config(label).get_models())):
        if model._meta.label_lower not in REFERENCE_DATA:
            model._base_manager.all().delete()
started = time.perf_counter()
demo.seed(seed=2026, scale={scale}, as_of=timezone.localdate(), progress=print)
print(f"at-risk files {{AtRiskFile.objects.count()}}, events {{MisconductEvent.objects.count()}}, "
      f"seeded in {{time.perf_counter() - started:.1f}} s")
"""

RECOMPUTE = """
import time
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile
started = time.perf_counter()
services.scores_recompute_all()
unchanged = time.perf_counter() - started
AtRiskFile.objects.update(score=0, grade_rule="")
started = time.perf_counter()
changed = services.scores_recompute_all()
print(f"recompute all scores: {AtRiskFile.objects.open().count()} open files; "
      f"nothing changed {unchanged:.1f} s; all rewritten ({changed}) "
      f"{time.perf_counter() - started:.1f} s")
"""


@contextlib.contextmanager
def serve(var_dir: str) -> Iterator[str]:
    """gunicorn on an already seeded database (as harness.demo_server, without seeding)."""
    env = {**os.environ, "WEIBAO_VAR_DIR": var_dir, "DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "weibao.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-scale", type=float, default=1.0)
    parser.add_argument("--atrisk-scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--var-dir", help="keep the database in this folder (reused if seeded) to profile later"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        tmp = args.var_dir or stack.enter_context(
            tempfile.TemporaryDirectory(prefix="weibao-bench-atrisk-")
        )
        env = {**os.environ, "WEIBAO_VAR_DIR": tmp, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        reuse = args.var_dir and (Path(tmp) / "weibao.sqlite3").exists()
        if not reuse:
            manage("migrate", "--noinput", "-v0", env=env)
            manage("seed_demo", "--scale", str(args.base_scale), env=env)
            manage("shell", "-c", SEED_ATRISK.format(scale=args.atrisk_scale), env=env)
        manage("shell", "-c", RECOMPUTE, env=env)
        server = serve(tmp) if reuse else demo_server(args.base_scale, var_dir=tmp)
        with server as base:
            for username in ("coordinator", "liaison_a"):
                session = Session(base, username)
                listing = session.get("/at-risk/")
                found = re.search(r'href="/at-risk/(\d+)/"', listing)
                floor = session.median_ms("/inbox/", args.repeat)
                rows = [
                    ("/at-risk/ (first page)", session.median_ms("/at-risk/", args.repeat)),
                    ("/at-risk/?page=40", session.median_ms("/at-risk/?page=40", args.repeat)),
                    ("/at-risk/?grade=T2", session.median_ms("/at-risk/?grade=T2", args.repeat)),
                    ("/at-risk/?q=zh (search)", session.median_ms("/at-risk/?q=zh", args.repeat)),
                    (
                        "/api/v1/atrisk/files/",
                        session.median_ms("/api/v1/atrisk/files/", args.repeat),
                    ),
                    ("/at-risk/overview/", session.median_ms("/at-risk/overview/", 10)),
                ]
                if found:
                    path = f"/at-risk/{found.group(1)}/"
                    rows.append((f"{path} (minor's page)", session.median_ms(path, args.repeat)))
                title = (
                    f"base scale {args.base_scale}, at-risk scale {args.atrisk_scale}, "
                    f"as {username}"
                )
                report(title, "/inbox/", floor, rows)


if __name__ == "__main__":
    main()
