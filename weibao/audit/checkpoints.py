"""Signed checkpoints of every audit chain's head, written outside the database.

Why and when: weibao.audit.chain. A checkpoint is one JSON file in AUDIT_CHECKPOINT_DIR, named
`checkpoint-<UTC time>-<n>.json` so that names sort in the order they were written:

    {"format": "weibao-audit-checkpoint/1", "alg": "hmac-sha256", "written_at": "...",
     "key_id": "...",
     "legacy": 120, "events": 53170,
     "chains": [{"chain": 0, "seq": 3400, "hash": "...", "id": 53161}, ...],
     "mac": "<HMAC (alg) of the rest, with the checkpoint key derived from AUDIT_CHAIN_KEY>"}

`legacy` is the length of chain 0's unkeyed prefix, counted once (the first checkpoint after the
migration) and copied forward from then on, never read from the database again.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from weibao.audit.chain import (
    SCHEMES,
    START,
    Break,
    Position,
    current_scheme,
    keys,
    legacy_count,
    mac,
    make_heads,
    positions,
    walk,
)
from weibao.audit.models import AuditEvent

FORMAT = "weibao-audit-checkpoint/1"
PATTERN = "checkpoint-*.json"


class CheckpointRefused(Exception):
    """The chains are not in a state a checkpoint may sign (the reason says why)."""


@dataclass(frozen=True)
class Checkpoint:
    name: str
    path: Path
    written_at: str
    key_id: str
    legacy: int
    events: int
    chains: dict[int, Position]


@dataclass
class Loaded:
    """The valid checkpoints, boiled down to what a verification needs (bounded by their
    number: AUDIT_CHECKPOINT_KEEP x AUDIT_CHAINS anchors)."""

    latest: Checkpoint | None = None
    anchors: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    highest: dict[int, tuple[int, str]] = field(default_factory=dict)
    legacy_limit: int | None = None
    count: int = 0
    breaks: list[Break] = field(default_factory=list)


def directory(path: Path | str | None = None) -> Path:
    return Path(path) if path is not None else Path(settings.AUDIT_CHECKPOINT_DIR)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: dict[str, Any]) -> str:
    """The signature: HMAC-SHA256, or HMAC-SM3 when the body says `"alg": "hmac-sm3"`."""
    algorithm = SCHEMES.get(str(body.get("alg", "hmac-sha256")))
    if algorithm is None:
        raise ValueError(f"unknown signature algorithm {body.get('alg')!r}")
    return mac(algorithm, keys().checkpoint, _canonical(body))


def parse(path: Path) -> tuple[Checkpoint | None, Break | None]:
    """Read one checkpoint file: the checkpoint, or why it cannot be trusted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        signature = str(data.pop("mac"))
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        chains = {
            int(item["chain"]): Position(int(item["seq"]), str(item["hash"]), int(item["id"]))
            for item in data["chains"]
        }
        checkpoint = Checkpoint(
            name=path.name,
            path=path,
            written_at=str(data["written_at"]),
            key_id=str(data["key_id"]),
            legacy=int(data["legacy"]),
            events=int(data["events"]),
            chains=chains,
        )
        expected = sign(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, Break(None, f"checkpoint {path.name} cannot be read ({error}): it was altered")
    current = keys().key_id
    if checkpoint.key_id != current:
        return checkpoint, Break(
            None,
            f"AUDIT_CHAIN_KEY is not the key the log was written with: checkpoint {path.name} "
            f"was signed with key {checkpoint.key_id}, this process has key {current}",
        )
    if not hmac.compare_digest(signature, expected):
        return checkpoint, Break(
            None, f"checkpoint {path.name}: the signature does not match: the file was altered"
        )
    return checkpoint, None


def files(path: Path | str | None = None) -> list[Path]:
    """The checkpoint files, oldest first."""
    folder = directory(path)
    return sorted(folder.glob(PATTERN)) if folder.is_dir() else []


def load_all(path: Path | str | None = None) -> Loaded:
    loaded = Loaded()
    wrong_key = False
    for file in files(path):
        checkpoint, broken = parse(file)
        if broken is not None:
            if "not the key" in broken.reason:
                if wrong_key:
                    continue  # One report of a wrong key, not one per file.
                wrong_key = True
            loaded.breaks.append(broken)
            continue
        assert checkpoint is not None
        loaded.count += 1
        loaded.latest = checkpoint
        if loaded.legacy_limit is None or checkpoint.legacy < loaded.legacy_limit:
            loaded.legacy_limit = checkpoint.legacy
        for number, position in checkpoint.chains.items():
            if position.seq:
                loaded.anchors[number, position.seq] = (position.hash, checkpoint.name)
            if position.seq >= loaded.highest.get(number, (0, ""))[0]:
                loaded.highest[number] = (position.seq, checkpoint.name)
    return loaded


def latest(path: Path | str | None = None) -> Checkpoint | None:
    """The newest valid checkpoint."""
    return load_all(path).latest


def write(*, using: str = DEFAULT_DB_ALIAS, path: Path | str | None = None) -> Checkpoint:
    """Verify each chain from the previous checkpoint to its head, then sign the heads.

    Refuses (CheckpointRefused) when a chain is broken since the previous checkpoint or stands
    behind it: a checkpoint never signs a truncated tail.
    """
    folder = directory(path)
    make_heads(using)  # AUDIT_CHAINS raised since `migrate`: the new chains start now.
    found = load_all(folder)
    if found.breaks:
        raise CheckpointRefused(found.breaks[0].reason)
    previous = found.latest
    heads = positions(using)
    legacy = previous.legacy if previous is not None else legacy_count(using)
    if previous is not None:
        for number, position in previous.chains.items():
            if heads.get(number, START).seq < position.seq:
                raise CheckpointRefused(
                    f"chain {number} stands at position {heads.get(number, START).seq}, behind "
                    f"position {position.seq} signed by checkpoint {previous.name}: events were "
                    "removed (after a restore: manage.py audit_checkpoint --after-restore)"
                )
    for number, head in heads.items():
        start = previous.chains.get(number, START) if previous is not None else START
        walked = walk(number, using=using, start=start, upto=head.seq, legacy_limit=legacy)
        if walked.broken is not None:
            raise CheckpointRefused(
                f"event {walked.broken.event_id}: {walked.broken.reason}"
                if walked.broken.event_id
                else walked.broken.reason
            )
        if walked.end != head:
            raise CheckpointRefused(
                f"chain {number}'s head (position {head.seq}) does not match its rows (they end "
                f"at position {walked.end.seq}): the head row or the newest rows were altered"
            )
    now = timezone.now()
    body = {
        "format": FORMAT,
        "alg": next(name for name, number in SCHEMES.items() if number == current_scheme()),
        "written_at": now.isoformat(),
        "key_id": keys().key_id,
        "legacy": legacy,
        "events": sum(head.seq for head in heads.values()),
        "chains": [
            {"chain": number, "seq": head.seq, "hash": head.hash, "id": head.id}
            for number, head in sorted(heads.items())
        ],
    }
    text = json.dumps({**body, "mac": sign(body)}, ensure_ascii=False, indent=1, sort_keys=True)
    target = _save(folder, f"checkpoint-{now:%Y%m%dT%H%M%S%f}Z", text)
    prune(folder)
    checkpoint, broken = parse(target)
    assert checkpoint is not None and broken is None
    return checkpoint


def _save(folder: Path, stem: str, text: str) -> Path:
    """Write the file whole or not at all (a temporary file renamed), never over another."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    for n in range(10000):
        target = folder / f"{stem}-{n:04d}.json"
        if target.exists():
            continue
        temporary = folder / f".{target.name}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():  # Another writer took the name meanwhile.
            temporary.unlink()
            continue
        os.replace(temporary, target)
        return target
    raise CheckpointRefused(f"no free checkpoint name for {stem}")


def prune(path: Path | str | None = None) -> int:
    """Keep the newest AUDIT_CHECKPOINT_KEEP checkpoints; returns how many were removed."""
    keep = max(1, int(settings.AUDIT_CHECKPOINT_KEEP))
    old = files(path)[:-keep]
    for file in old:
        file.unlink(missing_ok=True)
    return len(old)


def install(source: Path, path: Path | str | None = None) -> Path:
    """Put a checkpoint (from a backup) into the folder unless a file of that name is there."""
    folder = directory(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    if not target.exists():
        shutil.copyfile(source, target)
        target.chmod(0o600)
    return target


def consistent(checkpoint: Checkpoint, *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database holds, at each position the checkpoint signed, the row it signed."""
    heads = positions(using)
    for number, position in checkpoint.chains.items():
        if not position.seq:
            continue
        if heads.get(number, START).seq < position.seq:
            return False
        row = AuditEvent.objects.using(using).filter(chain=number, seq=position.seq).first()
        if row is None or row.hash != position.hash:
            return False
    return True


def supersede(
    *, using: str = DEFAULT_DB_ALIAS, path: Path | str | None = None
) -> tuple[list[str], dict[int, int]]:
    """After a restore that dropped events: move aside the checkpoints the database no longer
    matches (newest first, to the first that it matches) into superseded/<time>/; returns their
    names and, per chain, how many signed events the restore lost."""
    folder = directory(path)
    moved: list[str] = []
    lost: dict[int, int] = {}
    heads = positions(using)
    aside = folder / "superseded" / f"{timezone.now():%Y%m%dT%H%M%S%f}Z"
    for file in reversed(files(folder)):
        checkpoint, broken = parse(file)
        if checkpoint is not None and broken is None and consistent(checkpoint, using=using):
            break
        if checkpoint is not None:
            for number, position in checkpoint.chains.items():
                gone = position.seq - heads.get(number, START).seq
                if gone > lost.get(number, 0):
                    lost[number] = gone
        aside.mkdir(parents=True, exist_ok=True)
        shutil.move(str(file), aside / file.name)
        moved.append(file.name)
    return moved, lost
