"""Moving every protected field to the current cipher, key and blind index (`manage.py rekey`).

What is protected is what the apps declare (`AppContract.protected`). A pass reads each model in
batches by primary key, decrypts each token with whichever key or cipher made it, encrypts it
again with the current ones, and recomputes each blind index from the value it indexes; a batch
is one transaction, and the last primary key done is written to a checkpoint file, so a pass
that stops (or is stopped) goes on from there when run again. The checkpoint names the target
(crypto.fingerprint): a new target starts over.

`verify` reads everything again and reports each row whose token is not current, does not
decrypt, or whose index is not the index of its value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import models, transaction

from weibao.core.contract import Protected, contracts
from weibao.kit import crypto

BATCH = 500


def protected() -> list[Protected]:
    return [entry for app in contracts() for entry in app.contract.protected]


@dataclass
class Tally:
    """What a pass did, or would do, to one model."""

    model: str
    rows: int = 0
    changed: int = 0
    problems: list[str] = field(default_factory=list)


def _related_value(row: models.Model, path: str) -> str | None:
    """The decrypted value at "relation.field" of a row (None when the relation is empty)."""
    target: Any = row
    *relations, name = path.split(".")
    for relation in relations:
        target = getattr(target, relation, None)
        if target is None:
            return None
    return crypto.decrypt(getattr(target, name) or "")


def _new_values(entry: Protected, row: models.Model) -> tuple[dict[str, str], list[str]]:
    """The fields of a row that change, with their new values; and what could not be done."""
    changes: dict[str, str] = {}
    problems: list[str] = []
    plain: dict[str, str] = {}
    for name in entry.encrypted:
        token = getattr(row, name) or ""
        try:
            plain[name] = crypto.decrypt(token)
        except InvalidToken:
            problems.append(f"{entry.model}:{row.pk} {name} does not decrypt with any key")
            continue
        if not crypto.is_current(token):
            changes[name] = crypto.encrypt(plain[name])
    for index, source in entry.indexes.items():
        if source not in plain:
            continue
        value = crypto.blind_index(plain[source])
        if getattr(row, index) != value:
            changes[index] = value
    for index, paths in entry.indexes_from.items():
        stored = getattr(row, index) or ""
        for path in paths:
            try:
                related = _related_value(row, path)
            except InvalidToken:
                continue
            if related is not None and stored in crypto.blind_index_candidates(related):
                if crypto.blind_index(related) != stored:
                    changes[index] = crypto.blind_index(related)
                break
        else:
            problems.append(f"{entry.model}:{row.pk} {index}: no related value it indexes")
    return changes, problems


def _rows(entry: Protected, after: int | str | None) -> Iterator[list[models.Model]]:
    model = apps.get_model(entry.model)
    related = sorted({path.rsplit(".", 1)[0] for p in entry.indexes_from.values() for path in p})
    queryset = model._default_manager.order_by("pk")
    if related:
        queryset = queryset.select_related(*(r.replace(".", "__") for r in related))
    while True:
        batch = list((queryset.filter(pk__gt=after) if after is not None else queryset)[:BATCH])
        if not batch:
            return
        yield batch
        after = batch[-1].pk


class Checkpoint:
    """The last primary key done per model, for one target, in a JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.target = crypto.fingerprint()
        self.done: dict[str, Any] = {}
        if path is not None and path.exists():
            saved = json.loads(path.read_text())
            if saved.get("target") == self.target:
                self.done = saved.get("done", {})

    def save(self, model: str, pk: Any) -> None:
        self.done[model] = pk
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"target": self.target, "done": self.done}))

    def clear(self) -> None:
        if self.path is not None and self.path.exists():
            self.path.unlink()


def rekey(
    *,
    dry_run: bool = False,
    checkpoint: Path | None = None,
    progress: Callable[[Tally], None] | None = None,
) -> list[Tally]:
    """One pass over every protected model; with dry_run, only counts what would change."""
    state = Checkpoint(None if dry_run else checkpoint)
    tallies = []
    for entry in protected():
        tally = Tally(entry.model)
        model = apps.get_model(entry.model)
        for batch in _rows(entry, state.done.get(entry.model)):
            with transaction.atomic():
                for row in batch:
                    changes, problems = _new_values(entry, row)
                    tally.rows += 1
                    tally.problems.extend(problems)
                    if changes:
                        tally.changed += 1
                        if not dry_run:
                            model._default_manager.filter(pk=row.pk).update(**changes)
            if not dry_run:
                state.save(entry.model, str(batch[-1].pk))
            if progress is not None:
                progress(tally)
        tallies.append(tally)
    if not dry_run and not any(t.problems for t in tallies):
        state.clear()
    return tallies


def verify() -> list[Tally]:
    """Read every protected row again: each token current and readable, each index right."""
    tallies = []
    for entry in protected():
        tally = Tally(entry.model)
        for batch in _rows(entry, None):
            for row in batch:
                changes, problems = _new_values(entry, row)
                tally.rows += 1
                tally.problems.extend(problems)
                tally.problems.extend(
                    f"{entry.model}:{row.pk} {name} is not current" for name in changes
                )
        tallies.append(tally)
    return tallies
