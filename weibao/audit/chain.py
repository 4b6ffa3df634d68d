"""The audit chain: keyed, sharded, anchored outside the database.

One design answers two findings: the old chain was an unkeyed SHA-256 (whoever could write the
database could change a row, recompute every later hash and pass `audit_verify`; a restore that
dropped events went unnoticed), and it had one head row whose lock every audited write held
until its transaction committed (all audited writes in the platform ran one after another).

Keyed links
    Each event's `hash` is HMAC-SHA256 (or HMAC-SM3 for GB/T 39786: AUDIT_CHAIN_MAC; each row
    names its scheme) over its scheme, its chain, its position (`seq`), the id
    of the row before it in the chain (`prev_id`), that row's hash (`prev_hash`) and the
    canonical JSON of its content (`AuditEvent.payload`). The key is AUDIT_CHAIN_KEY, from the
    environment in production (a per-checkout file in var/keys/ in development, like the other
    keys): the database never holds it, so a forger with database access cannot compute a link.
    `ChainHead.key_id` and the checkpoints carry a fingerprint of the key (an HMAC of a constant,
    not the key), so that a wrong key is reported as such rather than as tampering.

No single lock
    There are AUDIT_CHAINS independent chains (default 16), each with its own head row
    (`ChainHead`, one per chain). An audited write locks one head only. On PostgreSQL it takes
    the first head that no other transaction holds (`SELECT ... FOR UPDATE SKIP LOCKED`,
    starting from the chain this connection used last), so writers spread over the chains and a
    long transaction that audited early (an import, the annual re-check) holds one chain while
    the others stay free. A transaction keeps the chain it started on for all its events (a
    marker among its on-commit callbacks tells that it is still the same transaction; when it
    cannot tell, after a rollback to a savepoint, it asks first for the chain it used last,
    which SKIP LOCKED gives back to the transaction holding it), so it never waits for a head
    while holding another: no deadlock between chains. When every head is busy it waits for
    the one it used last. On SQLite the database has one writer
    at a time anyway; the chains change nothing there. AUDIT_CHAINS=1 is the old single chain
    (the benchmark measures "before" with it).

Order
    Within a chain, positions run 1, 2, 3 ... without a gap and ids rise with them (a chain's
    rows are inserted under its head's lock). `prev_id` ties each row to the id of the row before
    it, so moving rows between or within chains breaks a link. Across chains the order of events
    is their time (`at`, covered by the key) and their id.

Anchors outside the database
    A scheduled job (`audit_checkpoint`, every AUDIT_CHECKPOINT_MINUTES, registered by core, as
    audit sits below it) and `manage.py backup` write a checkpoint file to AUDIT_CHECKPOINT_DIR:
    every chain's position, hash and row id, the event count, the key's fingerprint and the
    length of the legacy prefix, signed with a second key derived from AUDIT_CHAIN_KEY
    (weibao.audit.checkpoints). Before it signs, the job verifies each chain from the previous
    checkpoint to the head, and it refuses to write a checkpoint behind the previous one. So
    deleting the newest rows and resetting the head row (a truncated tail), or restoring a
    backup older than the newest checkpoint (a restore that dropped events), is reported: the
    chain ends before the position a checkpoint signed. Keep the checkpoint folder with the
    backups but not in the database; `manage.py backup` carries the newest one.

Verification in bounded memory
    `verify()` walks each chain by position in keyset chunks (`kit.querysets.in_key_chunks`:
    `in_chunks` would hold every key, ten million of them for a province), holding one chunk
    and the checkpoints' anchors (AUDIT_CHECKPOINT_KEEP x AUDIT_CHAINS entries) at a time. It
    reports, per chain, the first of: a gap in positions (a deleted row), an id lower than the
    row before it or a `prev_id` naming another row (reordered rows), a `prev_hash` that is not
    the hash before it, a hash that does not match the row (an altered row, or the wrong key),
    a hash that differs from a checkpoint's, a head that does not end where the rows end (a
    truncated tail), a chain that ends before a checkpoint's position (a truncated tail or a
    restore that dropped events), a checkpoint whose signature does not match.

Migration from the unkeyed chain (0002)
    The events written before it are kept as they are, as chain 0's legacy prefix (scheme 1,
    positions numbered in id order), and verified with the old unkeyed formula; chain 0's first
    keyed event links to the legacy tail. Re-chaining them with the key would have blessed any
    tampering done before the migration; kept, they are checked as they were written, and the
    first checkpoint after the migration signs the legacy tail and the length of the prefix (an
    unkeyed event anywhere else is a forgery). Until that first checkpoint the prefix is only as
    strong as the old chain was: run `manage.py audit_checkpoint` right after `migrate`.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from weibao.audit.models import AuditEvent, ChainHead, canonical_payload
from weibao.kit.querysets import in_key_chunks

GENESIS = "0" * 64
LEGACY = AuditEvent.Scheme.LEGACY
KEYED = AuditEvent.Scheme.HMAC_SHA256
SM3 = AuditEvent.Scheme.HMAC_SM3
SCHEMES = {"hmac-sha256": KEYED, "hmac-sm3": SM3}
CHUNK = 2000

# The columns a verification reads, in this order.
COLUMNS = (
    "id",
    "seq",
    "prev_id",
    "prev_hash",
    "hash",
    "scheme",
    "at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "organisation_name",
    "ip",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "detail",
)


@dataclass(frozen=True)
class Keys:
    chain: bytes
    checkpoint: bytes
    key_id: str


@lru_cache(maxsize=4)
def _derive(secret: str) -> Keys:
    chain = hashlib.sha256(b"weibao-audit-chain:" + secret.encode()).digest()
    checkpoint = hashlib.sha256(b"weibao-audit-checkpoint:" + secret.encode()).digest()
    key_id = hmac.new(chain, b"weibao-audit-key-id", hashlib.sha256).hexdigest()[:16]
    return Keys(chain, checkpoint, key_id)


def keys() -> Keys:
    """The keys derived from AUDIT_CHAIN_KEY (one for links, one for checkpoints)."""
    return _derive(settings.AUDIT_CHAIN_KEY)


def current_scheme() -> int:
    """The scheme new links are made with: AUDIT_CHAIN_MAC, HMAC-SHA256 or HMAC-SM3 (GB/T 39786).
    Each row names its own, so a log may change from one to the other and still verify."""
    name = getattr(settings, "AUDIT_CHAIN_MAC", "hmac-sha256")
    if name not in SCHEMES:
        raise ValueError(f"AUDIT_CHAIN_MAC must be one of {sorted(SCHEMES)}, not {name!r}")
    return SCHEMES[name]


def mac(scheme: int, key: bytes, message: bytes) -> str:
    """HMAC-SHA256 or HMAC-SM3 of the message, as 64 hex digits."""
    if scheme == SM3:
        sm3 = crypto_hmac.HMAC(key, hashes.SM3())
        sm3.update(message)
        return sm3.finalize().hex()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def link(scheme: int, *, chain: int, seq: int, prev_id: int, prev_hash: str, payload: str) -> str:
    """The hash an event at this place with this content carries."""
    if scheme == LEGACY:
        return hashlib.sha256((prev_hash + payload).encode()).hexdigest()
    if scheme in (KEYED, SM3):
        message = f"{scheme}|{chain}|{seq}|{prev_id}|{prev_hash}|{payload}".encode()
        return mac(scheme, keys().chain, message)
    raise ValueError(f"unknown audit chain scheme {scheme}")


# Writing --------------------------------------------------------------------------------------


class _Marker:
    """Put among a transaction's on-commit callbacks: while it is there, the transaction that
    chose the chain is still open (a commit runs and clears the list, a rollback clears it)."""

    def __call__(self) -> None:
        return None


def _chains() -> int:
    return max(1, int(settings.AUDIT_CHAINS))


@dataclass
class _State:
    """What a connection remembers: the chain its open transaction holds (with the marker that
    tells the transaction is still open), and the chain it used last (tried first next time)."""

    marker: _Marker | None = None
    index: int = 0  # where the marker sits among the on-commit callbacks
    held: int = 0
    preferred: int | None = None


# Per connection object (each thread has its own), forgotten with it.
_STATES: weakref.WeakKeyDictionary[Any, _State] = weakref.WeakKeyDictionary()


def _state(connection: Any) -> _State:
    state = _STATES.get(connection)
    if state is None:
        state = _STATES[connection] = _State()
    return state


def _held(connection: Any) -> int | None:
    """The chain this connection's open transaction already writes to, if any."""
    state = _state(connection)
    if state.marker is None or not connection.in_atomic_block:
        return None
    # One look, not a scan (an import may queue thousands of callbacks): a rollback to a
    # savepoint rebuilds the list, and then the chain is claimed anew, which is safe.
    callbacks = connection.run_on_commit
    if state.index < len(callbacks) and callbacks[state.index][1] is state.marker:
        return state.held
    return None


def make_heads(using: str = DEFAULT_DB_ALIAS, count: int | None = None) -> int:
    """Make the head rows of chains 0 .. AUDIT_CHAINS-1 that are missing: after `migrate` and
    before each checkpoint, never in a writer's transaction (an uncommitted new head would hold
    up every other writer wanting it). Writers use the heads that exist."""
    count = count or _chains()
    existing = set(ChainHead.objects.using(using).values_list("chain", flat=True))
    missing = [ChainHead(chain=n, last_hash=GENESIS) for n in range(count) if n not in existing]
    if missing:
        ChainHead.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@dataclass(frozen=True)
class _Head:
    pk: int
    chain: int
    seq: int
    last_hash: str
    last_event_id: int


_HEAD_COLUMNS = "id, chain, seq, last_hash, last_event_id"


def _lock(using: str, chain: int) -> _Head:
    """Wait for this chain's head (made if missing: only where `migrate` did not)."""
    connection = connections[using]
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
            cursor.execute(
                f"SELECT {_HEAD_COLUMNS} FROM {table} WHERE chain = %s{lock}",  # noqa: S608
                [chain],
            )
            row = cursor.fetchone()
        if row is not None:
            return _Head(*row)
        ChainHead.objects.using(using).bulk_create(
            [ChainHead(chain=chain, last_hash=GENESIS)], ignore_conflicts=True
        )
    raise RuntimeError(f"audit chain {chain} has no head row")


def _free(using: str, count: int, preferred: int) -> _Head | None:
    """The first head, from `preferred` on, that no other transaction holds (PostgreSQL): the
    preferred one by its index first (the usual case), else the next free one."""
    connection = connections[using]
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_HEAD_COLUMNS} FROM {table} WHERE chain = %s FOR UPDATE SKIP LOCKED",  # noqa: S608
            [preferred],
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"SELECT {_HEAD_COLUMNS} FROM {table} WHERE chain < %s "  # noqa: S608
                "ORDER BY (chain + %s) %% %s LIMIT 1 FOR UPDATE SKIP LOCKED",
                [count, count - preferred, count],
            )
            row = cursor.fetchone()
    return _Head(*row) if row is not None else None


def _claim(using: str, chain: int | None) -> _Head:
    """Lock the head this write goes to: the transaction's own, else a free one."""
    connection = connections[using]
    if chain is not None:
        return _lock(using, chain)
    held = _held(connection)
    if held is not None:
        return _lock(using, held)
    count = _chains()
    state = _state(connection)
    preferred = state.preferred
    if preferred is None or preferred >= count:
        preferred = random.randrange(count)
    head = None
    if count > 1 and connection.features.has_select_for_update_skip_locked:
        head = _free(using, count, preferred)
    if head is None:
        head = _lock(using, preferred)
    state.marker, state.held, state.preferred = _Marker(), head.chain, head.chain
    state.index = len(connection.run_on_commit)
    transaction.on_commit(state.marker, using=using)
    return head


def _save(event: AuditEvent, head: _Head, using: str) -> None:
    """INSERT the event and move its chain's head on. On PostgreSQL one statement (the INSERT
    in a WITH, the head's UPDATE taking its id), elsewhere the ORM's two."""
    connection = connections[using]
    key_id = keys().key_id
    if connection.vendor != "postgresql":
        event.save(using=using)
        ChainHead.objects.using(using).filter(pk=head.pk).update(
            seq=event.seq, last_hash=event.hash, last_event_id=event.pk, key_id=key_id
        )
        return
    quote = connection.ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH event AS (INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({marks}) RETURNING id) "
            f"UPDATE {quote(ChainHead._meta.db_table)} SET seq = %s, last_hash = %s, "
            "last_event_id = (SELECT id FROM event), key_id = %s WHERE id = %s "
            "RETURNING last_event_id",
            [*values, event.seq, event.hash, key_id, head.pk],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = using


def append(event: AuditEvent, *, using: str | None = None, chain: int | None = None) -> AuditEvent:
    """Link the event to the end of a chain and save it, in the caller's transaction if any.

    `chain` forces the chain (tests and tools); otherwise the transaction's own or a free one.
    """
    using = using or router.db_for_write(AuditEvent) or DEFAULT_DB_ALIAS
    with transaction.atomic(using=using, savepoint=False):
        head = _claim(using, chain)
        event.chain = head.chain
        event.seq = head.seq + 1
        event.prev_id = head.last_event_id
        event.prev_hash = head.last_hash
        event.scheme = current_scheme()
        event.hash = event.compute_hash()
        _save(event, head, using)
    return event


# Verifying ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    event_id: int | None
    reason: str
    chain: int | None = None


@dataclass(frozen=True)
class Position:
    """Where a chain stands: its last position, hash and row id (0, GENESIS, 0 when empty)."""

    seq: int = 0
    hash: str = GENESIS
    id: int = 0


START = Position()


@dataclass
class Walk:
    """The end of a walk along one chain: how far it got, and the first break if any."""

    end: Position
    events: int = 0
    broken: Break | None = None
    keyed_seen: bool = False


def _rows(chain: int, *, using: str, after: int, upto: int | None) -> Iterator[tuple]:
    queryset = AuditEvent.objects.using(using).filter(chain=chain)
    if upto is not None:
        queryset = queryset.filter(seq__lte=upto)
    rows = queryset.values_list(*COLUMNS)
    return in_key_chunks(rows, key="seq", after=after, size=CHUNK, value_of=itemgetter(1))


def walk(
    chain: int,
    *,
    using: str = DEFAULT_DB_ALIAS,
    start: Position = START,
    upto: int | None = None,
    anchors: dict[tuple[int, int], tuple[str, str]] | None = None,
    legacy_limit: int | None = None,
) -> Walk:
    """Check one chain's rows after `start` (up to position `upto`), in position order."""
    anchors = anchors or {}
    result = Walk(end=start, keyed_seen=start.seq > (legacy_limit or 0))
    pos = start
    for row in _rows(chain, using=using, after=start.seq, upto=upto):
        event_id, seq, hash_, scheme = row[0], row[1], row[4], row[5]
        broken = _check(chain, pos, row, result.keyed_seen, legacy_limit)
        if broken is None and (chain, seq) in anchors and anchors[chain, seq][0] != hash_:
            broken = Break(
                event_id,
                f"differs from checkpoint {anchors[chain, seq][1]}: the row was rewritten",
                chain,
            )
        if broken is not None:
            result.broken = broken
            break
        result.keyed_seen = result.keyed_seen or scheme != LEGACY
        pos = Position(seq, hash_, event_id)
        result.events += 1
    result.end = pos
    return result


def _check(
    chain: int, pos: Position, row: tuple, keyed_seen: bool, legacy_limit: int | None
) -> Break | None:
    (event_id, seq, prev_id, prev_hash, hash_, scheme, *content) = row
    if seq != pos.seq + 1:
        return Break(
            event_id,
            f"position {pos.seq + 1} of chain {chain} is missing before it: a row was removed",
            chain,
        )
    if event_id <= pos.id:
        return Break(
            event_id,
            f"out of order: its id is lower than the row before it in chain {chain}: "
            "rows were reordered",
            chain,
        )
    if prev_hash != pos.hash:
        return Break(
            event_id, "previous hash does not match: a row before it was removed or altered", chain
        )
    if scheme == LEGACY:
        in_prefix = chain == 0 and not keyed_seen
        if not in_prefix or (legacy_limit is not None and seq > legacy_limit):
            return Break(
                event_id,
                "an unkeyed event where only keyed events may be: the row was forged",
                chain,
            )
    elif scheme in (KEYED, SM3):
        if prev_id != pos.id:
            return Break(
                event_id,
                f"its link names row {prev_id} as the one before it, not row {pos.id}: "
                "rows were reordered or removed",
                chain,
            )
    else:
        return Break(event_id, f"unknown link scheme {scheme}: the row was altered", chain)
    payload = canonical_payload(**dict(zip(COLUMNS[6:], content, strict=True)))
    expected = link(
        scheme, chain=chain, seq=seq, prev_id=prev_id, prev_hash=prev_hash, payload=payload
    )
    if not hmac.compare_digest(expected, hash_):
        return Break(
            event_id,
            "content does not match its hash: the row was altered "
            "(or AUDIT_CHAIN_KEY is not the key it was written with)",
            chain,
        )
    return None


def chain_numbers(using: str = DEFAULT_DB_ALIAS) -> Iterator[int]:
    """The chains that hold events, one indexed query each (never a scan of every row)."""
    events = AuditEvent.objects.using(using).order_by("chain", "seq")
    current = events.values_list("chain", flat=True).first()
    while current is not None:
        yield current
        current = events.filter(chain__gt=current).values_list("chain", flat=True).first()


@dataclass
class Report:
    """What `verify_all` found: events and chains walked, the anchoring checkpoint, breaks."""

    events: int = 0
    chains: int = 0
    checkpoint: str = ""
    breaks: list[Break] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify_all(
    *, using: str = DEFAULT_DB_ALIAS, checkpoint_dir: Any = None, max_rounds: int = 5
) -> Report:
    """Walk every chain against its head and the checkpoints; the first break of each chain."""
    from weibao.audit import checkpoints

    report = Report()
    found = checkpoints.load_all(checkpoint_dir)
    report.breaks.extend(found.breaks)
    current = keys().key_id
    if found.latest is not None:
        report.checkpoint = found.latest.name
    elif not found.breaks:
        report.warnings.append(
            "no checkpoint yet: the newest events and the legacy prefix are not anchored "
            "outside the database (run manage.py audit_checkpoint)"
        )
    heads = {head.chain: head for head in ChainHead.objects.using(using).all()}
    numbers = sorted(set(chain_numbers(using)) | set(heads) | set(found.highest))
    for number in numbers:
        walked = walk(number, using=using, anchors=found.anchors, legacy_limit=found.legacy_limit)
        rounds = 0
        while walked.broken is None:
            head = ChainHead.objects.using(using).filter(chain=number).first()
            broken = _tail(number, walked.end, head, rounds >= max_rounds)
            if broken is not _MORE:
                walked.broken = broken
                break
            rounds += 1  # Written while we walked: walk on from where we were.
            more = walk(
                number,
                using=using,
                start=walked.end,
                anchors=found.anchors,
                legacy_limit=found.legacy_limit,
            )
            more.events += walked.events
            more.keyed_seen = more.keyed_seen or walked.keyed_seen
            walked = more
        if walked.broken is None and number in found.highest:
            seq, name = found.highest[number]
            if seq > walked.end.seq:
                walked.broken = Break(
                    walked.end.id or None,
                    f"chain {number} ends at position {walked.end.seq} but checkpoint {name} "
                    f"signed position {seq}: {seq - walked.end.seq} events were removed since "
                    "(a truncated tail, or a restore that dropped them)",
                    number,
                )
        if heads.get(number) is not None and walked.broken is not None:
            head_key = heads[number].key_id
            if (
                head_key
                and head_key != current
                and "content does not match" in walked.broken.reason
            ):
                walked.broken = Break(
                    walked.broken.event_id,
                    f"AUDIT_CHAIN_KEY is not the key the log was written with (the chain was "
                    f"written with key {head_key}, this process has key {current})",
                    number,
                )
        report.events += walked.events
        report.chains += 1 if walked.end.seq or walked.broken else 0
        if walked.broken is not None:
            report.breaks.append(walked.broken)
    return report


# Not a break: rows were added while the chain was walked (walk on).
_MORE = Break(None, "rows were added while it was walked")


def _tail(number: int, end: Position, head: ChainHead | None, last_round: bool) -> Break | None:
    """Whether the chain's head row ends where its rows end (_MORE: rows were added since)."""
    if head is None:
        if end.seq:
            return Break(end.id, f"chain {number} has no head row: the head was removed", number)
        return None
    if head.seq == end.seq and head.last_hash == end.hash:
        return None
    if head.seq > end.seq and not last_round:
        return _MORE
    if head.seq > end.seq:
        return Break(
            end.id or None,
            f"the chain ends early: chain {number}'s head is at position {head.seq}, its rows end "
            f"at {end.seq}: the newest rows were removed",
            number,
        )
    return Break(
        end.id or None,
        f"chain {number}'s head does not match its last row: the head row was altered",
        number,
    )


def verify(*, using: str = DEFAULT_DB_ALIAS, checkpoint_dir: Any = None) -> Break | None:
    """The first broken link, or None if the whole log is intact."""
    report = verify_all(using=using, checkpoint_dir=checkpoint_dir)
    return report.breaks[0] if report.breaks else None


def positions(using: str = DEFAULT_DB_ALIAS) -> dict[int, Position]:
    """Every chain's head, as one read (one statement: one snapshot on PostgreSQL)."""
    return {
        head.chain: Position(head.seq, head.last_hash, head.last_event_id)
        for head in ChainHead.objects.using(using).order_by("chain")
    }


def legacy_count(using: str = DEFAULT_DB_ALIAS) -> int:
    return AuditEvent.objects.using(using).filter(chain=0, scheme=LEGACY).count()
