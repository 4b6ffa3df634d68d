"""The matching rules, in one place: how names are compared, and how a check finds matches.

- exact: the keyed hash of the normalised 18-character ID number is equal (a 15-digit number, a
  lower-case x or full-width digits normalise to the same number before hashing);
- possible: the normalised name and the birth date agree but the ID number does not: a typing
  mistake, or someone using another number. It goes to the police for confirmation.

A remembered police decision (MatchDecision) on a (person, register record) pair stands: "the same
person" bars at once at the next check; "not the same person" is not raised again for that record.

Matching is set-based and does the least writing it can: one join per rule finds the few
matches and they are written by primary key. Everyone else is not written at all: once the
request is done, an item without a finding reads as clear (`CheckItem.outcome`). Writing "clear"
into every row would cost more than both joins together on PostgreSQL.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.staffchecks.models import CheckItem, MatchDecision, OffenderRecord

# Characters typed in place of each other in names: 〇 (ideographic zero), the white circle and
# 零 are all "zero" in a name written by hand or by an old system.
_NAME_MAP = str.maketrans({"〇": "零", "○": "零", "◯": "零"})
# Separators in minority and foreign names (阿卜杜·热合曼), and spaces of every width.
_SEPARATORS = frozenset(".·•・‧∙⋅-‐‑–—_'’ ")
WRITE_CHUNK = 500


def normalise_name(name: str) -> str:
    """A name as a comparison key: NFKC (full-width to half-width, compatibility ideographs to
    their unified forms), 〇 as 零, spaces and middle dots removed, Latin letters lower case."""
    text = unicodedata.normalize("NFKC", name or "").translate(_NAME_MAP)
    return "".join(ch for ch in text if ch not in _SEPARATORS and not ch.isspace()).casefold()


def id_hash(text: str) -> str:
    """The register's key for an ID number as written: parsed to 18 characters, then hashed.

    Raises ValueError (with a message for the user) when the number is not valid.
    """
    return crypto.blind_index(idnumber.parse(text).number)


@dataclass
class MatchCounts:
    """A check's findings: exact matches (barred at once) and possible ones (to confirm)."""

    exact: int = 0
    possible: int = 0

    def add(self, other: MatchCounts) -> None:
        self.exact += other.exact
        self.possible += other.possible


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "items": quote(CheckItem._meta.db_table),
        "register": quote(OffenderRecord._meta.db_table),
        "decisions": quote(MatchDecision._meta.db_table),
    }


# The rules as plain joins of a batch's unchecked items with the register: each database plans
# them as it plans the floor join (SQLite walks the items and probes the register's index;
# PostgreSQL hashes the items and scans the register in parallel). A correlated EXISTS would
# make PostgreSQL hash the whole register instead.
SAME_ID = """
    SELECT i.id, r.id FROM {items} i JOIN {register} r ON r.id_hash = i.id_hash
    WHERE i.batch_id = %(batch)s AND i.result = %(queued)s
"""
# Same normalised name and birth date, another ID number; less the pairs the police have
# already decided are two people.
SAME_NAME = """
    SELECT i.id, r.id FROM {items} i
    JOIN {register} r
        ON r.name_key = i.name_key AND r.birth_date = i.birth_date AND r.id_hash <> i.id_hash
    LEFT JOIN {decisions} d
        ON d.id_hash = i.id_hash AND d.record_id = r.id AND d.same_person = %(false)s
    WHERE i.batch_id = %(batch)s AND i.result = %(queued)s AND d.id IS NULL
"""
# The person with this ID number was confirmed to be the person of a register record (still on
# the register: the decision goes with the record).
DECIDED_SAME = """
    SELECT i.id, d.record_id, d.id FROM {items} i
    JOIN {decisions} d ON d.id_hash = i.id_hash AND d.same_person = %(true)s
    WHERE i.batch_id = %(batch)s AND i.result = %(queued)s
"""


def _matches(sql: str, batch_id: int) -> dict[int, tuple[Any, ...]]:
    """Item pk -> the rest of its row, the first register record (lowest pk) where several
    match."""
    params: dict[str, int | str | bool] = {
        "batch": batch_id,
        "queued": str(CheckItem.Result.QUEUED),
        "true": True,
        "false": False,
    }
    found: dict[int, tuple[Any, ...]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), params)
        for pk, *rest in cursor.fetchall():
            if pk not in found or rest[0] < found[pk][0]:
                found[pk] = tuple(rest)
    return found


def _write(matches: dict[int, tuple[Any, ...]], **fields: Any) -> int:
    """Set `fields` and the matched record on the matched items, a chunk of items per UPDATE."""
    pairs, written = [(pk, rest[0]) for pk, rest in matches.items()], 0
    for start in range(0, len(pairs), WRITE_CHUNK):
        chunk = pairs[start : start + WRITE_CHUNK]
        written += CheckItem.objects.filter(pk__in=[pk for pk, _record in chunk]).update(
            matched_record_id=Case(
                *(When(pk=pk, then=Value(record)) for pk, record in chunk),
                output_field=IntegerField(),
            ),
            **fields,
        )
    return written


def _match_rules(batch_id: int, now: datetime) -> MatchCounts:
    """Find and write the batch's matches, rule by rule (each rule sees the items the rules
    before it left unchecked): ID number, a remembered "same person", then name and birth date.
    """
    Result, Kind = CheckItem.Result, CheckItem.MatchKind
    counts = MatchCounts()
    exact = _matches(SAME_ID, batch_id)
    counts.exact = _write(exact, result=Result.BARRED, match_kind=Kind.EXACT, checked_at=now)
    # Confirmed earlier: barred again, the earlier confirmation (who, when) carried over. Such
    # decisions are rare; while there are none the pass over the items is skipped.
    if MatchDecision.objects.filter(same_person=True).exists():
        known = _matches(DECIDED_SAME, batch_id)
        decisions = MatchDecision.objects.in_bulk([decision for _r, decision in known.values()])
        for pk, (record, decision) in known.items():
            counts.exact += CheckItem.objects.filter(pk=pk).update(
                result=Result.BARRED,
                match_kind=Kind.POSSIBLE,
                matched_record_id=record,
                confirmed_by_id=decisions[decision].decided_by_id,
                confirmed_at=decisions[decision].decided_at,
                checked_at=now,
            )
    possible = _matches(SAME_NAME, batch_id)
    counts.possible = _write(
        possible, result=Result.POSSIBLE, match_kind=Kind.POSSIBLE, checked_at=now
    )
    return counts


def match_batch(batch_id: int) -> MatchCounts:
    """Match every unchecked item of a batch and write the findings; the items left without
    one are not written (they read as clear once the request is done)."""
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Compiling these plans (JIT) takes longer than running them.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return _match_rules(batch_id, now)
