"""Backups that restore: the database, the stored files and the audit checkpoint, in one file
encrypted at rest (`manage.py backup`, `manage.py restore`; the schedule is in docs/deploy.md).

A backup is a tar stream sealed with BACKUP_ENCRYPTION_KEY (weibao.kit.sealed: AES-256-GCM in
chunks), written to BACKUP_DIR as `weibao-backup-<UTC time>.wbk`. It holds

    database.sqlite3   SQLite's online backup of the database (a consistent copy), or
    database.dump      pg_dump's custom format, taken in the snapshot the checksums were read in
    files/...          every file in the default storage (attachments, generated files)
    audit/<name>.json  the audit checkpoint written just before the database was copied
    manifest.json      every table's row count and checksum, each file's size and SHA-256

Before the copy a fresh audit checkpoint is written (weibao.audit.checkpoints), so the copy
holds at least every event the checkpoint signed: a restored database verifies against it, and
a restore of an older backup over a newer log is reported by `audit_verify` (events dropped).

`restore` opens and checks the whole archive into a staging folder first (a file cut short or
altered fails before anything is changed), then replaces the database and the stored files,
installs the checkpoint (never removing newer ones), and compares every table's row count and
checksum with the manifest, then verifies the audit chains. Run it with the web server, worker
and scheduler stopped. Staging folders are made 0700 in BACKUP_DIR and removed afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from weibao.audit import checkpoints
from weibao.audit.chain import Report, keys, verify_all
from weibao.kit.sealed import SealedReader, SealedWriter

FORMAT = "weibao-backup/1"
SUFFIX = ".wbk"
FETCH = 2000


class BackupError(Exception):
    """The backup or restore cannot go on (the message says why)."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass
class Comparison:
    """One table: its rows and checksum in the backup and in the restored database."""

    table: str
    rows_backup: int | None
    rows_restored: int | None
    match: bool


@dataclass
class RestoreResult:
    comparisons: list[Comparison] = field(default_factory=list)
    files: int = 0
    checkpoint: str = ""
    audit: Report | None = None

    @property
    def tables_match(self) -> bool:
        return all(item.match for item in self.comparisons)


# Checksums ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"{type(value).__name__}:{value}"


def _digest(rows: Iterator[tuple]) -> TableSum:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update("\x1f".join(_text(value) for value in row).encode() + b"\x1e")
        count += 1
    return TableSum(count, digest.hexdigest())


def _fetch(cursor: Any) -> Iterator[tuple]:
    while rows := cursor.fetchmany(FETCH):
        yield from rows


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_sums(database: str) -> dict[str, TableSum]:
    """Every table of a SQLite database (a path or a `file:` URI), rows in key order, through a
    plain connection (no type conversion), in one read transaction."""
    plain = sqlite3.connect(database, uri=database.startswith("file:"))
    try:
        plain.execute("BEGIN")
        names = [
            row[0]
            for row in plain.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        sums = {}
        for name in names:
            columns = plain.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
            keys_ = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
            order = ", ".join(_quote(k) for k in keys_) or ", ".join(
                str(n) for n in range(1, len(columns) + 1)
            )
            cursor = plain.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
            sums[name] = _digest(_fetch(cursor))
        plain.execute("COMMIT")
        return sums
    finally:
        plain.close()


def postgres_sums(connection: Any) -> dict[str, TableSum]:
    """Every table of the connection's schema, rows in key order, read with a server-side
    cursor (bounded memory); call it inside a transaction (the snapshot the sums describe)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        orders = {}
        for name in names:
            keys_ = connection.introspection.get_primary_key_columns(cursor, name) or []
            cursor.execute(f"SELECT * FROM {_quote(name)} LIMIT 0")  # noqa: S608
            width = len(cursor.description or [])
            orders[name] = ", ".join(_quote(k) for k in keys_) or ", ".join(
                str(n) for n in range(1, width + 1)
            )
    sums = {}
    raw = connection.connection
    for name in names:
        with raw.cursor(name=f"weibao_sum_{abs(hash(name))}") as server_side:
            server_side.itersize = FETCH
            server_side.execute(f"SELECT * FROM {_quote(name)} ORDER BY {orders[name]}")  # noqa: S608
            sums[name] = _digest(_fetch(server_side))
    return sums


def database_sums(using: str = DEFAULT_DB_ALIAS) -> dict[str, TableSum]:
    """The sums of the live database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return sqlite_sums(str(connection.settings_dict["NAME"]))
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            return postgres_sums(connection)
    raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


# Stored files ---------------------------------------------------------------------------------


def _storage() -> Storage:
    return storages["default"]


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked in name order."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := handle.read(1024 * 1024):
        digest.update(block)
    return digest.hexdigest()


# The database ---------------------------------------------------------------------------------


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools are needed)")
    return found


def _dump_database(using: str, staging: Path) -> tuple[str, dict[str, TableSum]]:
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = staging / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # SQLite's online backup API: a consistent copy
        finally:
            copy.close()
        return target.name, sqlite_sums(str(target))
    if connection.vendor == "postgresql":
        target = staging / "database.dump"
        args, env = _pg_env(connection.settings_dict)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads the very snapshot the sums are read in.
            subprocess.run(  # noqa: S603
                [
                    _tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    str(connection.settings_dict["NAME"]),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            sums = postgres_sums(connection)
        return target.name, sums
    raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


def _restore_database(using: str, staging: Path, name: str) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite" and name == "database.sqlite3":
        if connection.in_atomic_block:
            raise BackupError("restore cannot run inside a transaction")
        connection.ensure_connection()
        source = sqlite3.connect(staging / name)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if connection.vendor == "postgresql" and name == "database.dump":
        args, env = _pg_env(connection.settings_dict)
        connections.close_all()
        result = subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(staging / name),
            ],
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")
        return
    raise BackupError(f"this backup ({name}) is not for a {connection.vendor} database")


# Backup ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _staging() -> Iterator[Path]:
    root = Path(settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        root.chmod(0o700)
    folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _migrations(using: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(
    *,
    using: str = DEFAULT_DB_ALIAS,
    output: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[Path, dict[str, Any]]:
    """Write one encrypted backup; returns its path and its manifest."""
    checkpoint: checkpoints.Checkpoint | None
    try:
        checkpoint = checkpoints.write(using=using)
        refused = ""
    except checkpoints.CheckpointRefused as error:
        # A backup of a log that does not verify is still a backup: the newest good checkpoint
        # goes with it, and the refusal is in the manifest (and printed).
        checkpoint, refused = checkpoints.latest(), str(error)
        progress(f"warning: no new audit checkpoint: {error}")
    started = timezone.now()
    target = output or Path(settings.BACKUP_DIR) / f"weibao-backup-{started:%Y%m%dT%H%M%S}Z{SUFFIX}"
    storage = _storage()
    with _staging() as staging:
        progress("copying the database")
        database, sums = _dump_database(using, staging)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "engine": connections[using].vendor,
            "database": database,
            "migrations": _migrations(using),
            "audit_key_id": keys().key_id,
            "audit_checkpoint": checkpoint.name if checkpoint is not None else "",
            "audit_checkpoint_refused": refused,
            "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()},
            "files": {},
        }
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            sealed = SealedWriter(out, settings.BACKUP_ENCRYPTION_KEY)
            with tarfile.open(fileobj=sealed, mode="w|") as archive:  # type: ignore[call-overload]
                archive.add(staging / database, arcname=database)
                if checkpoint is not None:
                    archive.add(checkpoint.path, arcname=f"audit/{checkpoint.name}")
                progress("copying the stored files")
                for name in stored_files(storage):
                    with storage.open(name, "rb") as handle:
                        digest = _sha256_of(handle)
                        size = handle.tell()
                        handle.seek(0)
                        info = tarfile.TarInfo(f"files/{name}")
                        info.size = size
                        archive.addfile(info, handle)
                    manifest["files"][name] = {"size": size, "sha256": digest}
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                archive.addfile(info, _BytesReader(data))
            sealed.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    return target, manifest


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


# Restore --------------------------------------------------------------------------------------


def open_backup(path: Path, staging: Path) -> dict[str, Any]:
    """Decrypt and unpack a backup into `staging`, checking it whole; returns its manifest."""
    with open(path, "rb") as handle:
        try:
            reader = SealedReader(handle, settings.BACKUP_ENCRYPTION_KEY)
            with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
                archive.extractall(staging, filter="data")
        except Exception as error:
            raise BackupError(f"{path.name} cannot be opened: {error}") from error
    manifest_path = staging / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{path.name} has no manifest: it is incomplete")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a Weibao backup ({manifest.get('format')!r})")
    for name, meta in manifest["files"].items():
        stored = staging / "files" / name
        with open(stored, "rb") as handle:
            if _sha256_of(handle) != meta["sha256"]:
                raise BackupError(f"{path.name}: the stored file {name} does not match")
    return dict(manifest)


def restore(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] = lambda message: None,
) -> RestoreResult:
    """Replace the database and the stored files with the backup's, then check them."""
    result = RestoreResult()
    storage = _storage()
    with _staging() as staging:
        progress(f"opening {path.name}")
        manifest = open_backup(path, staging)
        vendor = connections[using].vendor
        if manifest["engine"] != vendor:
            raise BackupError(f"this backup is of a {manifest['engine']} database, not {vendor}")
        progress("restoring the database")
        _restore_database(using, staging, manifest["database"])
        progress("restoring the stored files")
        wanted = set(manifest["files"])
        for name in list(stored_files(storage)):
            if name not in wanted:
                storage.delete(name)  # Not in the backup: its record is gone with the restore.
        for name in sorted(wanted):
            if storage.exists(name):
                storage.delete(name)
            with open(staging / "files" / name, "rb") as handle:
                saved = storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"the stored file {name} was saved as {saved}")
            result.files += 1
        for item in sorted((staging / "audit").glob("*.json")):
            checkpoints.install(item)
            result.checkpoint = item.name
        progress("comparing every table with the backup")
        now = database_sums(using)
        before = manifest["tables"]
        for table in sorted(set(before) | set(now)):
            old, new = before.get(table), now.get(table)
            result.comparisons.append(
                Comparison(
                    table,
                    old["rows"] if old else None,
                    new.rows if new else None,
                    bool(old and new and old["rows"] == new.rows and old["sha256"] == new.sha256),
                )
            )
        progress("verifying the audit chains")
        result.audit = verify_all(using=using)
    return result
