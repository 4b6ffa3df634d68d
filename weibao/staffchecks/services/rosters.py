"""Rosters: the units' staff lists, uploaded as files or added one person at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.kit import bulk, crypto, spreadsheets
from weibao.kit.guards import require_perm
from weibao.kit.spreadsheets import Column, RowError
from weibao.lib import idnumber
from weibao.lib.masking import mask_name
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    RosterUpload,
    StaffMember,
)
from weibao.staffchecks.services._common import (
    _choice_lookup,
    _chunks,
    _clean_name,
    _parse_date,
)

if TYPE_CHECKING:
    from weibao.core.models import Attachment

CHUNK = 2000  # rows checked and written at a time
STORED_ERRORS = 500  # errors kept on the upload for the page; the download has them all

# Columns ------------------------------------------------------------------------------------

ROSTER_COLUMNS = (
    Column("name", pgettext_lazy("person", "Name"), example="张三", width=12, person_name=True),
    Column(
        "id_number", gettext_lazy("ID number"), example="361025198503150016", width=22, code=True
    ),
    Column("role", gettext_lazy("Role"), example=str(StaffMember.StaffRole.TEACHER.label)),
    Column(
        "start_date", pgettext_lazy("employment", "Start date"), example="2024-09-01", date=True
    ),
    Column("end_date", pgettext_lazy("employment", "End date"), required=False, date=True),
)

# The words county offices write in their own sheets, whatever the catalogue's translation.
ROLE_ALIASES = {
    "教师": "teacher", "老师": "teacher", "行政": "administration", "行政人员": "administration",
    "勤杂": "general_service", "勤杂人员": "general_service", "保洁": "general_service",
    "安保": "security", "保安": "security", "司机": "driver", "驾驶员": "driver",
    "食堂": "canteen", "炊事员": "canteen", "厨师": "canteen", "培训师": "trainer",
    "教练": "trainer", "医务": "medical", "校医": "medical", "志愿者": "volunteer", "其他": "other",
}  # fmt: skip


# Rosters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One valid row of a roster file."""

    name: str
    number: str
    id_hash: str
    birth_date: date
    sex: str
    role: str
    start_date: date
    end_date: date | None


def _roster_row_checker(today: date) -> Callable[[dict[str, str]], RosterRow]:
    roles = _choice_lookup(StaffMember.StaffRole.choices, ROLE_ALIASES)

    def check(texts: dict[str, str]) -> RosterRow:
        errors: dict[str, list[str]] = {}
        name = number = role = ""
        parsed = None
        start = end = None
        try:
            name = _clean_name(texts.get("name", ""))
        except ValueError as exc:
            errors["name"] = [str(exc)]
        try:
            parsed = idnumber.parse(texts.get("id_number", ""), today=today)
            number = parsed.number
        except ValueError as exc:
            errors["id_number"] = [str(exc)]
        role = roles.get(texts.get("role", "").strip().lower(), "")
        if not role:
            errors["role"] = [
                _("Unknown role “%(value)s”; use one of: %(roles)s.")
                % {
                    "value": texts.get("role", ""),
                    "roles": "、".join(str(label) for label in StaffMember.StaffRole.labels),
                }
            ]
        try:
            start = _parse_date(texts.get("start_date", ""))
        except ValueError as exc:
            errors["start_date"] = [str(exc)]
        if texts.get("end_date"):
            try:
                end = _parse_date(texts["end_date"])
            except ValueError as exc:
                errors["end_date"] = [str(exc)]
        if start and parsed and start <= parsed.birth_date:
            errors.setdefault("start_date", []).append(
                _("The start date is before the birth date in the ID number.")
            )
        if start and end and end < start:
            errors.setdefault("end_date", []).append(_("The end date is before the start date."))
        if errors:
            raise ValidationError(errors)
        assert parsed is not None and start is not None
        return RosterRow(
            name=name,
            number=number,
            id_hash=crypto.blind_index(number),
            birth_date=parsed.birth_date,
            sex=parsed.sex,
            role=role,
            start_date=start,
            end_date=end,
        )

    return check


@dataclass
class RosterCheck:
    """What a pass over a roster file found: the good rows (only while importing), the count of
    good rows, and every error by row and column."""

    good_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)


@dataclass
class RosterChunk:
    """Good rows of a file, as (row number, row), and the people of theirs already on file."""

    rows: list[tuple[int, RosterRow]]
    people: dict[str, int]  # ID hash -> person pk


def _roster_chunks(
    unit: Organisation, handle: IO[bytes], result: RosterCheck
) -> Iterator[RosterChunk]:
    """Stream the file in chunks of good rows; errors (also duplicates within the file and
    against the unit's active roster) are added to `result` as they are found."""
    today = timezone.localdate()
    check = _roster_row_checker(today)
    header = {column.key: str(column.header) for column in ROSTER_COLUMNS}
    # ID number -> first row, for duplicates within the file. The number as an integer (the
    # check character X as 10): the one thing kept per row, so it is kept small.
    seen: dict[int, int] = {}
    chunk: list[tuple[int, RosterRow]] = []

    def flush() -> RosterChunk:
        people = Person.objects.pks_by_id_hash([row.id_hash for _number, row in chunk])
        registered = _registered_names(people.values())
        on_roster = set(
            StaffMember.objects.filter(
                unit=unit, status=StaffMember.Status.ACTIVE, person_id__in=people.values()
            )
            .order_by()
            .values_list("person_id", flat=True)
        )
        good = []
        for number, row in chunk:
            if people.get(row.id_hash) in on_roster:
                result.errors.append(
                    RowError(
                        number,
                        header["id_number"],
                        _("This person is already on the unit's roster."),
                    )
                )
                result.bad_rows.add(number)
            elif (problem := _name_problem(row, people, registered)) is not None:
                result.errors.append(RowError(number, header["name"], problem))
                result.bad_rows.add(number)
            else:
                good.append((number, row))
        result.good_count += len(good)
        return RosterChunk(good, people)

    for number, texts in spreadsheets.read_rows(handle, ROSTER_COLUMNS):
        try:
            row = spreadsheets.check_row(check, texts)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                result.errors.extend(RowError(number, header.get(key, ""), m) for m in messages)
            result.bad_rows.add(number)
            continue
        id_key = int(row.number[:17]) * 11 + (10 if row.number[17] == "X" else int(row.number[17]))
        first = seen.get(id_key)
        if first is not None:
            result.errors.append(
                RowError(
                    number,
                    header["id_number"],
                    _("The same ID number is already in row %(row)d.") % {"row": first},
                )
            )
            result.bad_rows.add(number)
            continue
        seen[id_key] = number
        chunk.append((number, row))
        if len(chunk) >= CHUNK:
            yield flush()
            chunk = []
    if chunk:
        yield flush()


def _registered_names(pks: Iterable[int]) -> dict[int, str]:
    """The names the people register holds for these people, by pk."""
    pks = list(pks)
    if not pks:
        return {}
    return dict(Person.objects.filter(pk__in=pks).order_by().values_list("pk", "name"))


def _name_problem(row: RosterRow, people: dict[str, int], registered: dict[int, str]) -> str | None:
    """Why the row's name cannot stand, when its ID number is already in the people register
    under another name: the roster links the register's person, so a different typed name would
    be silently replaced. The register's name is shown masked (the unit typed the number)."""
    pk = people.get(row.id_hash)
    if pk is None or pk not in registered:
        return None
    name = registered[pk]
    if normalise_name(name) == normalise_name(row.name):
        return None
    return _("Does not match the name in the people register (registered as %(name)s).") % {
        "name": mask_name(name)
    }


def _write_roster_chunk(unit: Organisation, chunk: RosterChunk, today: date) -> int:
    """Create the people not yet on file (in bulk) and add everyone to the roster."""
    people = chunk.people
    new: dict[str, RosterRow] = {}
    for _number, row in chunk.rows:
        if row.id_hash not in people:
            new.setdefault(row.id_hash, row)
    bulk.insert_rows(
        Person,
        (
            "name",
            "name_pinyin",
            "name_initials",
            "sex",
            "birth_date",
            "id_number_encrypted",
            "id_number_hash",
            "registered_by",
        ),
        (
            (
                row.name,
                *name_pinyin(row.name),
                row.sex,
                row.birth_date,
                crypto.encrypt(row.number),
                row.id_hash,
                unit.pk,
            )
            for row in new.values()
        ),
    )
    if new:
        people.update(Person.objects.pks_by_id_hash(list(new)))
    left, active = StaffMember.Status.LEFT, StaffMember.Status.ACTIVE
    return bulk.insert_rows(
        StaffMember,
        ("unit", "person", "role", "start_date", "end_date", "status"),
        (
            (
                unit.pk,
                people[row.id_hash],
                row.role,
                row.start_date,
                row.end_date,
                left if row.end_date and row.end_date <= today else active,
            )
            for _number, row in chunk.rows
        ),
    )


def roster_rows_write(unit: Organisation, rows: Sequence[RosterRow], today: date) -> int:
    """Add checked rows to a unit's roster (a new hire, the demo county); no audit of its own.

    Not a user's service: it checks no permission (its callers do: `staff_add`, or the demo
    seed) and runs inside the caller's transaction. The rows were validated by the row checker,
    field by field as `full_clean` would, before they come here (they are written in bulk)."""
    written = 0
    for part in _chunks(rows, CHUNK):
        people = Person.objects.pks_by_id_hash([row.id_hash for row in part])
        written += _write_roster_chunk(unit, RosterChunk([(0, row) for row in part], people), today)
    return written


def roster_upload(*, actor: User, unit: Organisation, upload: Any) -> RosterUpload:
    """Store an uploaded roster file, check every row and, when every row is good, import it.

    One pass over the file: the rows are written as they are checked, inside a savepoint. If a
    row is bad, nothing of the file is kept (the savepoint is rolled back) and the unit decides:
    fix the file and upload it again, or import the good rows (`roster_upload_import`) and
    download the bad ones. Never half a file by accident. The rows are validated by the row
    checker (then written in bulk); the upload record by `full_clean`.
    """
    from weibao.core.services import attachment_store

    require_perm(actor, "staffchecks.manage_roster", unit)
    today = timezone.localdate()
    result = RosterCheck()
    written = 0
    with transaction.atomic(durable=True):
        with transaction.atomic():
            for chunk in _roster_chunks(unit, upload, result):
                if not result.bad_rows:  # after the first bad row, only check
                    written += _write_roster_chunk(unit, chunk, today)
            if result.bad_rows:
                transaction.set_rollback(True)
                written = 0
        upload.seek(0)
        roster = RosterUpload(
            unit=unit,
            uploaded_by=actor,
            file_name=str(upload.name or "")[:200],
            good_rows=result.good_count,
            bad_rows=len(result.bad_rows),
            errors=[
                {"row": e.row, "column": e.column, "message": e.message}
                for e in result.errors[:STORED_ERRORS]
            ],
        )
        roster.full_clean()
        roster.save()
        attachment_store(actor=actor, upload=upload, owner=roster)
        if written:
            _mark_imported(actor=actor, roster=roster, written=written)
    return roster


def _mark_imported(*, actor: User, roster: RosterUpload, written: int) -> None:
    roster.status = RosterUpload.Status.IMPORTED
    roster.imported_rows = written
    roster.imported_at = timezone.now()
    roster.full_clean()
    roster.save(update_fields=["status", "imported_rows", "imported_at"])
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=roster,
        target_repr=roster.file_name,
        section="roster",
        unit=roster.unit.name,
        rows=written,
        bad_rows=roster.bad_rows,
    )


def _upload_file(roster: RosterUpload) -> Attachment:
    from weibao.core.models import Attachment

    attachment = Attachment.objects.for_owner(roster).order_by("-pk").first()
    if attachment is None:
        raise ValidationError(_("The uploaded file is no longer stored; upload it again."))
    return attachment


def roster_upload_import(*, actor: User, roster: RosterUpload) -> int:
    """Import the good rows of an upload that had bad rows, in one transaction; returns how
    many.

    The file is checked again as it is written; if the good rows are not those the unit saw
    (the roster changed since), nothing is written and the unit reviews the file again.
    """
    require_perm(actor, "staffchecks.manage_roster", roster.unit)
    if roster.status != RosterUpload.Status.VALIDATED:
        raise ValidationError(_("This file has been imported already."))
    if not roster.good_rows:
        raise ValidationError(_("The file has no good rows to import."))
    today = timezone.localdate()
    result = RosterCheck()
    written = 0
    with _upload_file(roster).file.open("rb") as handle, transaction.atomic(durable=True):
        for chunk in _roster_chunks(roster.unit, handle, result):
            written += _write_roster_chunk(roster.unit, chunk, today)
        if written != roster.good_rows:
            transaction.set_rollback(True)
            raise ValidationError(
                _(
                    "The file now has %(now)d good rows, not the %(before)d you reviewed: the "
                    "roster changed meanwhile. Upload the file again to review it."
                )
                % {"now": written, "before": roster.good_rows}
            )
        _mark_imported(actor=actor, roster=roster, written=written)
    return written


def roster_upload_errors_bytes(*, actor: User, roster: RosterUpload) -> bytes:
    """The bad rows as a sheet to fix: the row, the problems, then the row's own columns."""
    require_perm(actor, "staffchecks.manage_roster", roster.unit)
    result = RosterCheck()
    bad: dict[int, dict[str, str]] = {}
    with _upload_file(roster).file.open("rb") as handle:
        for _chunk in _roster_chunks(roster.unit, handle, result):
            pass
    with _upload_file(roster).file.open("rb") as handle:
        for number, texts in spreadsheets.read_rows(handle, ROSTER_COLUMNS):
            if number in result.bad_rows:
                bad[number] = texts
    problems: dict[int, list[str]] = {}
    for error in result.errors:
        problems.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=roster,
        target_repr=roster.file_name,
        purpose="roster errors to fix",
        rows=len(bad),
    )
    return spreadsheets.workbook_bytes(
        _("Rows to fix"),
        [_("Row"), _("Problem"), *(str(column.header) for column in ROSTER_COLUMNS)],
        (
            [
                number,
                "；".join(problems.get(number, [])),
                *(texts.get(c.key, "") for c in ROSTER_COLUMNS),
            ]
            for number, texts in sorted(bad.items())
        ),
        (8, 50, 12, 22, 12, 12, 12),
    )


def staff_add(*, actor: User, unit: Organisation, data: dict[str, Any]) -> StaffMember:
    """Add one person (a new hire) to the roster, through the same checks as a file row (the
    row checker validates every field, as `full_clean` would)."""
    require_perm(actor, "staffchecks.manage_roster", unit)
    today = timezone.localdate()
    texts = {key: str(value or "") for key, value in data.items()}
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), date):
            texts[key] = data[key].isoformat()
    row = _roster_row_checker(today)(texts)
    if StaffMember.objects.active().filter(unit=unit, person__id_number_hash=row.id_hash).exists():
        raise ValidationError({"id_number": [_("This person is already on the unit's roster.")]})
    people = Person.objects.pks_by_id_hash([row.id_hash])
    problem = _name_problem(row, people, _registered_names(people.values()))
    if problem is not None:
        raise ValidationError({"name": [problem]})
    with transaction.atomic(durable=True):
        roster_rows_write(unit, [row], today)
        staff = StaffMember.objects.filter(unit=unit, person__id_number_hash=row.id_hash).latest(
            "pk"
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=staff,
            target_repr=staff.person.masked_name,
            section="roster",
            unit=unit.name,
            id_number=row.number,
        )
    return staff


def staff_mark_left(*, actor: User, staff: StaffMember, end_date: date | None = None) -> None:
    """Mark a staff member as having left (the record stays)."""
    require_perm(actor, "staffchecks.manage_roster", staff.unit)
    end = end_date or timezone.localdate()
    if end < staff.start_date:
        raise ValidationError({"end_date": [_("The end date is before the start date.")]})
    before = {"status": staff.status, "end_date": staff.end_date}
    staff.status, staff.end_date = StaffMember.Status.LEFT, end
    staff.full_clean()
    with transaction.atomic(durable=True):
        staff.save(update_fields=["status", "end_date"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=staff,
            target_repr=staff.person.masked_name,
            changes=diff(staff, before, ("status", "end_date")),
        )
