"""Backups that restore (issue 12 item 8): back up, change the data, restore, and compare every
table's row count and checksum with the backup, then verify the audit chains. On SQLite (the
online backup API) and on PostgreSQL (pg_dump / pg_restore) alike: the suite runs on both."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from weibao.accounts.models import User
from weibao.audit import checkpoints
from weibao.audit.models import AuditEvent
from weibao.audit.services import record, verify
from weibao.core.backup import BackupError, backup, database_sums, restore
from weibao.core.models import Attachment
from weibao.core.services import attachment_store_bytes
from weibao.people.models import Person
from weibao.testing import County

pytestmark = pytest.mark.django_db(transaction=True)


def _person(county: County, name: str) -> Person:
    return Person.objects.create(
        name=name,
        sex="F",
        birth_date=date(2014, 5, 6),
        school=county.school_a,
        registered_by=county.school_a,
    )


@pytest.fixture
def data(county: County, liaison_a: User) -> dict[str, Any]:
    person = _person(county, "李小红")
    sheet = attachment_store_bytes(
        actor=liaison_a,
        name="签到表.csv",
        content=b"name\n" + "李小红".encode(),
        content_type="text/csv",
    )
    record(AuditEvent.Action.VIEW, actor=liaison_a, target=person, target_repr="李*红")
    return {"person": person, "sheet": sheet}


def _change(county: County, liaison_a: User, data: dict[str, Any]) -> None:
    """Everything a day's work does after the backup: new rows, changed rows, new and removed
    files, new audit events."""
    _person(county, "王小刚")
    Person.objects.filter(pk=data["person"].pk).update(name="李小兰")
    attachment_store_bytes(
        actor=liaison_a, name="新文件.csv", content=b"new", content_type="text/csv"
    )
    data["sheet"].file.storage.delete(data["sheet"].file.name)
    record(AuditEvent.Action.EXPORT, actor=liaison_a, rows=2)


def test_drill_back_up_change_restore_compare_verify(
    county: County, liaison_a: User, data: dict[str, Any], file_root: Path
) -> None:
    out = StringIO()
    call_command("backup", stdout=out, stderr=StringIO())
    path = Path(out.getvalue().split()[1])
    before = database_sums()
    _change(county, liaison_a, data)
    assert database_sums() != before

    out = StringIO()
    call_command("restore", str(path), "--yes", stdout=out, stderr=StringIO())
    report = out.getvalue()
    print(report)  # The drill's comparison, table by table (-s shows it).
    assert "DIFFERS" not in report
    assert f"{len(before)} of {len(before)} tables match the backup" in report
    assert "audit chain intact" in report
    assert database_sums() == before
    assert list(Person.objects.values_list("name", flat=True)) == ["李小红"]
    sheet = Attachment.objects.get()
    with sheet.file.open("rb") as handle:
        assert handle.read() == b"name\n" + "李小红".encode()
    assert sorted(p.name for p in file_root.rglob("*") if p.is_file()) == [
        Path(str(sheet.file.name)).name
    ]
    call_command("audit_verify", stdout=StringIO(), stderr=StringIO())


def test_backup_is_encrypted_at_rest(data: dict[str, Any], settings: Any) -> None:
    path, manifest = backup()
    raw = path.read_bytes()
    assert raw.startswith(b"WBSEAL1\n")
    for plain in (b"SQLite format 3", b"PGDMP", "李小红".encode(), b"manifest", b"name\n"):
        assert plain not in raw
    assert path.parent == Path(settings.BACKUP_DIR)
    assert path.stat().st_mode & 0o777 == 0o600
    assert manifest["audit_checkpoint"] == checkpoints.latest().name  # type: ignore[union-attr]
    assert manifest["tables"]["people_person"]["rows"] == 1
    assert len(manifest["files"]) == 1


def test_wrong_key_or_cut_file_changes_nothing(
    county: County, liaison_a: User, data: dict[str, Any], settings: Any
) -> None:
    path, _ = backup()
    _change(county, liaison_a, data)
    changed = database_sums()
    key = settings.BACKUP_ENCRYPTION_KEY
    settings.BACKUP_ENCRYPTION_KEY = "another-key-altogether-0123456789abcdef"
    with pytest.raises(BackupError, match="another key"):
        restore(path)
    settings.BACKUP_ENCRYPTION_KEY = key
    cut = path.with_name("cut.wbk")
    cut.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", str(cut), "--yes", stdout=StringIO(), stderr=StringIO())
    assert database_sums() == changed


def test_restore_asks_first(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = backup()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="not restored"):
        call_command("restore", str(path), stdout=StringIO(), stderr=StringIO())


def test_restore_of_an_older_backup_is_caught_by_the_audit_check(
    county: County, liaison_a: User, data: dict[str, Any]
) -> None:
    """Events written after the backup and signed by a later checkpoint are lost by the restore:
    `audit_verify` says so, until the loss is put on the record."""
    path, _ = backup()
    _change(county, liaison_a, data)
    checkpoints.write()  # The scheduled checkpoint after the day's work.
    with pytest.raises(CommandError, match="does not verify"):
        call_command("restore", str(path), "--yes", stdout=StringIO(), stderr=StringIO())
    broken = verify()
    assert broken is not None and "a restore that dropped them" in broken.reason
    call_command("audit_checkpoint", "--after-restore", "恢复演练", stdout=StringIO())
    assert verify() is None


def test_a_restore_into_a_fresh_place_installs_the_backups_checkpoint(
    data: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    path, manifest = backup()
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "drill-checkpoints"
    result = restore(path)
    assert result.tables_match and result.audit is not None and result.audit.intact
    assert result.checkpoint == manifest["audit_checkpoint"]
    assert [p.name for p in checkpoints.files()] == [manifest["audit_checkpoint"]]
