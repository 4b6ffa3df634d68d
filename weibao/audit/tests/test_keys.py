"""The chain's key is not in the database: production refuses to start without it (and without
the backups' key), development makes one per checkout, like the other keys."""

from __future__ import annotations

from pathlib import Path

from weibao.tests.test_settings import PRODUCTION_ENV, _shell, manage


def test_production_refuses_to_start_without_the_audit_and_backup_keys(tmp_path: Path) -> None:
    for name in ("AUDIT_CHAIN_KEY", "BACKUP_ENCRYPTION_KEY"):
        result = manage("check", env=PRODUCTION_ENV | {name: "short"}, tmp_path=tmp_path)
        assert result.returncode != 0
        assert name in result.stderr


def test_development_keys_are_made_per_checkout(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; print(s.AUDIT_CHAIN_KEY, s.BACKUP_ENCRYPTION_KEY)"
    )
    chain_key, backup_key = _shell(code, {}, tmp_path).split()
    assert len(chain_key) >= 48 and len(backup_key) >= 48 and chain_key != backup_key
    assert (tmp_path / "keys" / "audit_chain_key").read_text() == chain_key
    assert (tmp_path / "keys" / "audit_chain_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "keys" / "backup_key").read_text() == backup_key
