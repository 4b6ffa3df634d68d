"""Bounded queries (issue 12 item 2): on PostgreSQL a web request's statements are cancelled after
DB_STATEMENT_TIMEOUT_SECONDS [30]; the worker's long jobs are not cut off unless asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def _options(tmp_path: Path, code: str = SHOW, **env: str) -> dict:
    variables = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "WEIBAO_", "DATABASE_URL"))
    }
    variables |= {"DJANGO_SETTINGS_MODULE": "weibao.settings", "WEIBAO_VAR_DIR": str(tmp_path)}
    variables |= env
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", code], cwd=ROOT, env=variables, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


PG = "postgres://weibao:secret@localhost:5432/weibao"


def test_a_web_process_on_postgresql_has_a_thirty_second_statement_timeout(tmp_path) -> None:
    options = _options(tmp_path, DATABASE_URL=PG, WEIBAO_PROCESS="web")
    assert options["options"] == "-c statement_timeout=30000"


def test_the_timeout_is_a_setting(tmp_path) -> None:
    options = _options(
        tmp_path, DATABASE_URL=PG, WEIBAO_PROCESS="web", DB_STATEMENT_TIMEOUT_SECONDS="5"
    )
    assert options["options"] == "-c statement_timeout=5000"


def test_the_worker_and_commands_are_not_cut_off_by_default(tmp_path) -> None:
    assert "options" not in _options(tmp_path, DATABASE_URL=PG)
    limited = _options(tmp_path, DATABASE_URL=PG, DB_JOB_STATEMENT_TIMEOUT_SECONDS="600")
    assert limited["options"] == "-c statement_timeout=600000"


def test_gunicorn_loads_the_web_settings(tmp_path) -> None:
    code = "import weibao.wsgi, os; print('\"' + os.environ['WEIBAO_PROCESS'] + '\"')"
    assert _options(tmp_path, code, DATABASE_URL=PG) == "web"


def test_sqlite_has_no_such_option(tmp_path) -> None:
    assert "options" not in _options(tmp_path, WEIBAO_PROCESS="web")
