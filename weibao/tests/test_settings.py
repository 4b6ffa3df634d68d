"""Settings: production refuses weak keys and passes `check --deploy`; SQLite runs in WAL mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "WEIBAO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-test-only-0123456789",
    "FIELD_ENCRYPTION_KEY": "production-field-key-for-the-test",
    "AUDIT_CHAIN_KEY": "production-audit-chain-key-for-the-test-only",
    "BACKUP_ENCRYPTION_KEY": "production-backup-key-for-the-test-only-0123",
    "ALLOWED_HOSTS": "weibao.county.gov.cn",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    dropped = {*PRODUCTION_ENV, "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | {"WEIBAO_VAR_DIR": str(tmp_path)} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_check_deploy(tmp_path: Path) -> None:
    args = ("check", "--deploy", "--fail-level", "WARNING")
    result = manage(*args, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = PRODUCTION_ENV | {"SECRET_KEY": ""}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    env = PRODUCTION_ENV | {"FIELD_ENCRYPTION_KEY": ""}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_development_defaults() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    options = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        options = settings.DATABASES["default"]["OPTIONS"]
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "wal.sqlite3"),
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        }
    )
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    finally:
        wrapper.close()


def _shell(code: str, env: dict[str, str], tmp_path: Path) -> str:
    """Print from the settings as a fresh process sees them (no DEBUG or keys inherited)."""
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_development_keys_are_made_per_checkout_and_kept(tmp_path: Path) -> None:
    """No key is published with the code: a new checkout makes its own, readable by its owner
    only, and keeps it (a demo database stays readable across restarts)."""
    env: dict[str, str] = {}
    code = "from django.conf import settings as s; print(s.SECRET_KEY, s.FIELD_ENCRYPTION_KEY)"
    first = _shell(code, env, tmp_path)
    assert _shell(code, env, tmp_path) == first
    secret, field_key = first.split()
    assert len(secret) >= 50
    assert (tmp_path / "keys" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "keys" / "field_key").read_text() == field_key
    other = tmp_path / "other"
    assert _shell(code, env, other) != first
    assert "dev-only" not in (ROOT / "weibao" / "settings.py").read_text()


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.DEBUG)"
    assert _shell(code, {}, tmp_path) == "False"
    assert _shell(code, {"DEBUG": "1"}, tmp_path) == "True"


def test_production_security_settings(tmp_path: Path) -> None:
    """What the assessment checks: HSTS, secure cookies, no framing, CSP scripts by nonce only."""
    code = (
        "from django.conf import settings as s; import json; d = s.CONTENT_SECURITY_POLICY; "
        "print(json.dumps([s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, "
        "s.SECURE_REFERRER_POLICY, d['DIRECTIVES']['script-src'], "
        "d['DIRECTIVES']['frame-ancestors']], default=str))"
    )
    out = json.loads(_shell(code, PRODUCTION_ENV, tmp_path))
    debug, hsts, session_secure, http_only, csrf_secure, frames, referrer, scripts, ancestors = out
    assert debug is False
    assert hsts >= 31536000
    assert session_secure and http_only and csrf_secure
    assert frames == "DENY"
    assert referrer in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert ancestors == ["'none'"]
