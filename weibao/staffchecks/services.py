"""Every write in staff checks goes through here: rosters, the register, checks and results.

Pages, the API, jobs and scheduled tasks call these functions. Results leave this module only as
"clear", "pending" or "not to be employed / to be removed from work with children": the register's
categories stay with the police and the procuratorate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.kit import bulk, crypto, documents, spreadsheets
from weibao.kit.spreadsheets import Column, RowError
from weibao.lib import idnumber
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.staffchecks import matching
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    CLOSE_CONTACT_KINDS,
    CheckBatch,
    CheckItem,
    CheckItemQuerySet,
    MatchDecision,
    OffenderRecord,
    RegisterImport,
    RosterUpload,
    StaffMember,
    sees_register,
)

if TYPE_CHECKING:
    from weibao.core.models import Attachment, Job

RUN_JOB_KIND = "staffchecks_run"
CHUNK = 2000
STORED_ERRORS = 500  # errors kept on the upload for the page; the download has them all
MIN_PURPOSE_LENGTH = 4
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def action_due_days() -> int:
    """Days a unit has to record what it did about a barring result (a setting)."""
    return int(getattr(settings, "STAFFCHECKS_ACTION_DUE_DAYS", 15))


# Columns ------------------------------------------------------------------------------------

ROSTER_COLUMNS = (
    Column("name", gettext_lazy("Name"), example="张三", width=12),
    Column(
        "id_number", gettext_lazy("ID number"), example="361025198503150012", width=22, code=True
    ),
    Column("role", gettext_lazy("Role"), example=str(StaffMember.StaffRole.TEACHER.label)),
    Column("start_date", gettext_lazy("Start date"), example="2024-09-01"),
    Column("end_date", gettext_lazy("End date"), required=False),
)
REGISTER_COLUMNS = (
    Column("name", gettext_lazy("Name"), example="李四", width=12),
    Column("id_number", gettext_lazy("ID number"), required=False, width=22, code=True),
    Column("birth_date", gettext_lazy("Birth date"), required=False),
    Column("categories", gettext_lazy("Categories"), example="sexual", width=30),
)
APPLICANT_COLUMNS = (
    Column("name", gettext_lazy("Name"), example="王五", width=12),
    Column("id_number", gettext_lazy("ID number"), width=22, code=True),
)
NATIONAL_COLUMNS = (
    Column("id_number", gettext_lazy("ID number"), width=22, code=True),
    Column("result", gettext_lazy("Result"), example="clear"),
)


# The words county offices write in their own sheets, whatever the catalogue's translation.
ROLE_ALIASES = {
    "教师": "teacher", "老师": "teacher", "行政": "administration", "行政人员": "administration",
    "勤杂": "general_service", "勤杂人员": "general_service", "保洁": "general_service",
    "安保": "security", "保安": "security", "司机": "driver", "驾驶员": "driver",
    "食堂": "canteen", "炊事员": "canteen", "厨师": "canteen", "培训师": "trainer",
    "教练": "trainer", "医务": "medical", "校医": "medical", "志愿者": "volunteer", "其他": "other",
}  # fmt: skip
CATEGORY_ALIASES = {
    "性侵害": "sexual", "性侵": "sexual", "猥亵": "sexual", "强奸": "sexual", "虐待": "abuse",
    "拐卖": "trafficking", "暴力伤害": "violence", "暴力": "violence",
}  # fmt: skip


def _choice_lookup(
    choices: Iterable[tuple[str, Any]], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Code, English label, Chinese label (lower case) and the usual words -> code."""
    pairs = list(choices)
    lookup: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup.update({str(label).strip().lower(): code for code, label in pairs})
    lookup.update({str(code).lower(): code for code, _label in pairs})
    lookup.update(aliases or {})
    lookup.pop("", None)
    return lookup


def _parse_date(text: str) -> date:
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE_RE.match(text.split(" ")[0] if " " in text and ":" in text else text)
    if not match:
        raise ValueError(_("Write the date as YYYY-MM-DD, such as 2024-09-01."))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(_("%(date)s is not a real date.") % {"date": text}) from None


def _clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise ValueError(_("The name is required."))
    if len(name) > 50:
        raise ValueError(_("The name is longer than 50 characters."))
    return name


def _clean_purpose(text: str) -> str:
    purpose = " ".join((text or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {"purpose": [_("State the purpose in at least %(n)d characters.") % {"n": 4}]}
        )
    return purpose


def _chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    """Add checked rows to a unit's roster (a new hire, the demo county); no audit of its own."""
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
    download the bad ones. Never half a file by accident.
    """
    from weibao.core.services import attachment_store

    today = timezone.localdate()
    result = RosterCheck()
    written = 0
    with transaction.atomic():
        with transaction.atomic():
            for chunk in _roster_chunks(unit, upload, result):
                if not result.bad_rows:  # after the first bad row, only check
                    written += _write_roster_chunk(unit, chunk, today)
            if result.bad_rows:
                transaction.set_rollback(True)
                written = 0
        upload.seek(0)
        roster = RosterUpload.objects.create(
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
        attachment_store(actor=actor, upload=upload, owner=roster)
        if written:
            _mark_imported(actor=actor, roster=roster, written=written)
    return roster


def _mark_imported(*, actor: User, roster: RosterUpload, written: int) -> None:
    roster.status = RosterUpload.Status.IMPORTED
    roster.imported_rows = written
    roster.imported_at = timezone.now()
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
    if roster.status != RosterUpload.Status.VALIDATED:
        raise ValidationError(_("This file has been imported already."))
    if not roster.good_rows:
        raise ValidationError(_("The file has no good rows to import."))
    today = timezone.localdate()
    result = RosterCheck()
    written = 0
    with _upload_file(roster).file.open("rb") as handle, transaction.atomic():
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
    """Add one person (a new hire) to the roster, through the same checks as a file row."""
    today = timezone.localdate()
    texts = {key: str(value or "") for key, value in data.items()}
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), date):
            texts[key] = data[key].isoformat()
    row = _roster_row_checker(today)(texts)
    if StaffMember.objects.active().filter(unit=unit, person__id_number_hash=row.id_hash).exists():
        raise ValidationError({"id_number": [_("This person is already on the unit's roster.")]})
    with transaction.atomic():
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
    end = end_date or timezone.localdate()
    if end < staff.start_date:
        raise ValidationError({"end_date": [_("The end date is before the start date.")]})
    before = {"status": staff.status, "end_date": staff.end_date}
    staff.status, staff.end_date = StaffMember.Status.LEFT, end
    with transaction.atomic():
        staff.save(update_fields=["status", "end_date"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=staff,
            target_repr=staff.person.masked_name,
            changes=diff(staff, before, ("status", "end_date")),
        )


# The register -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    name: str
    number: str
    birth_date: date
    categories: str


def _register_row_checker(today: date) -> Callable[[dict[str, str]], RegisterRow]:
    categories = _choice_lookup(OffenderRecord.Category.choices, CATEGORY_ALIASES)

    def check(texts: dict[str, str]) -> RegisterRow:
        errors: dict[str, list[str]] = {}
        name = number = ""
        birth: date | None = None
        try:
            name = _clean_name(texts.get("name", ""))
        except ValueError as exc:
            errors["name"] = [str(exc)]
        if texts.get("id_number"):
            try:
                parsed = idnumber.parse(texts["id_number"], today=today)
                number, birth = parsed.number, parsed.birth_date
            except ValueError as exc:
                errors["id_number"] = [str(exc)]
        if texts.get("birth_date"):
            try:
                given = _parse_date(texts["birth_date"])
            except ValueError as exc:
                errors["birth_date"] = [str(exc)]
            else:
                if birth is not None and given != birth:
                    errors["birth_date"] = [
                        _("This does not match the ID number, which gives %(value)s.")
                        % {"value": birth}
                    ]
                birth = birth or given
        if birth is None and "id_number" not in errors and "birth_date" not in errors:
            errors["birth_date"] = [_("Give the ID number or the birth date.")]
        codes: list[str] = []
        for token in re.split(r"[,，、;；/\s]+", texts.get("categories", "")):
            if not token:
                continue
            code = categories.get(token.strip().lower())
            if code is None:
                errors.setdefault("categories", []).append(
                    _("Unknown category “%(value)s”.") % {"value": token}
                )
            elif code not in codes:
                codes.append(code)
        if not codes and "categories" not in errors:
            errors["categories"] = [_("Give at least one category.")]
        if errors:
            raise ValidationError(errors)
        assert birth is not None
        return RegisterRow(name, number, birth, ",".join(codes))

    return check


def register_import(*, actor: User, upload: Any) -> RegisterImport:
    """Import register records from Excel: every row is checked first, and a file with any bad
    row writes nothing (the error lists each row and column). Audited with the row count."""
    if not sees_register(actor):
        raise ValidationError(_("Only the police and the procuratorate may import the register."))
    report = spreadsheets.validate_rows(
        upload, REGISTER_COLUMNS, _register_row_checker(timezone.localdate())
    )
    if report.errors:
        raise RegisterFileError(report.errors)
    now = timezone.now()
    with transaction.atomic():
        batch = RegisterImport.objects.create(
            organisation=actor.organisation,
            imported_by=actor,
            file_name=str(getattr(upload, "name", "") or "")[:200],
            rows=len(report.good),
            imported_at=now,
        )
        OffenderRecord.objects.bulk_create(
            (
                OffenderRecord(
                    id_hash=crypto.blind_index(row.number) if row.number else "",
                    name_key=normalise_name(row.name),
                    birth_date=row.birth_date,
                    categories=row.categories,
                    name_encrypted=crypto.encrypt(row.name),
                    id_number_encrypted=crypto.encrypt(row.number),
                    source=batch,
                    imported_at=now,
                )
                for _number, row in report.good
            ),
            batch_size=1000,
        )
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=batch,
            target_repr=batch.file_name,
            section="register",
            rows=batch.rows,
        )
    return batch


class RegisterFileError(ValidationError):
    """A register (or applicants) file with bad rows; `errors` has each row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            {"file": [_("The file has %(n)d problems; nothing was imported.") % {"n": len(errors)}]}
        )
        self.row_errors = errors


# Check requests ------------------------------------------------------------------------------


def _item_for_staff(batch: CheckBatch, staff: StaffMember) -> CheckItem:
    person = staff.person
    return CheckItem(
        batch=batch,
        staff=staff,
        id_hash=person.id_number_hash,
        name_key=normalise_name(person.name),
        birth_date=person.birth_date,
        name_encrypted=crypto.encrypt(person.name),
        id_number_encrypted=person.id_number_encrypted,
    )


def _check_consent(consent_confirmed: bool, consent_note: str) -> None:
    if not consent_confirmed:
        raise ValidationError(
            {
                "consent_confirmed": [
                    _("Confirm that the people checked have authorised the check in writing.")
                ]
            }
        )


def batch_create(
    *,
    actor: User,
    unit: Organisation,
    kind: str,
    consent_confirmed: bool,
    consent_note: str = "",
    staff: Iterable[StaffMember] = (),
    applicants: Any = None,
) -> CheckBatch:
    """Open a check request for a unit: chosen staff (new hires), the whole active roster
    (annual), or a file of applicants (name, ID number)."""
    _check_consent(consent_confirmed, consent_note)
    if kind not in (CheckBatch.Kind.NEW_HIRE, CheckBatch.Kind.ANNUAL, CheckBatch.Kind.APPLICANTS):
        raise ValidationError({"kind": [_("Choose the kind of check.")]})
    rows: list[tuple[int, tuple[str, str]]] = []
    if kind == CheckBatch.Kind.APPLICANTS:
        if applicants is None:
            raise ValidationError({"file": [_("Upload the file of applicants.")]})
        report = spreadsheets.validate_rows(applicants, APPLICANT_COLUMNS, _applicant_row)
        if report.errors:
            raise RegisterFileError(report.errors)
        rows = report.good
    chosen = list(staff)
    if kind == CheckBatch.Kind.NEW_HIRE:
        chosen = [s for s in chosen if s.unit_id == unit.pk and s.status == s.Status.ACTIVE]
        if not chosen:
            raise ValidationError({"staff": [_("Choose at least one person on the roster.")]})
    today = timezone.localdate()
    with transaction.atomic():
        if kind == CheckBatch.Kind.ANNUAL:
            batch = annual_batch_open(unit=unit, year=today.year, actor=actor)
            batch.consent_confirmed, batch.consent_note = True, consent_note
            batch.save(update_fields=["consent_confirmed", "consent_note"])
            return batch
        batch = CheckBatch.objects.create(
            unit=unit,
            kind=kind,
            year=today.year,
            consent_confirmed=True,
            consent_note=consent_note[:300],
            requested_by=actor,
        )
        items = [_item_for_staff(batch, s) for s in chosen]
        for _number, (name, number) in rows:
            items.append(
                CheckItem(
                    batch=batch,
                    id_hash=crypto.blind_index(number),
                    name_key=normalise_name(name),
                    birth_date=idnumber.parse(number).birth_date,
                    name_encrypted=crypto.encrypt(name),
                    id_number_encrypted=crypto.encrypt(number),
                )
            )
        CheckItem.objects.bulk_create(items, batch_size=1000)
        batch.total = len(items)
        batch.save(update_fields=["total"])
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            kind=kind,
            people=len(items),
        )
    return batch


def _applicant_row(texts: dict[str, str]) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = number = ""
    try:
        name = _clean_name(texts.get("name", ""))
    except ValueError as exc:
        errors["name"] = [str(exc)]
    try:
        number = idnumber.parse(texts.get("id_number", "")).number
    except ValueError as exc:
        errors["id_number"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return name, number


def annual_batch_open(*, unit: Organisation, year: int, actor: User | None = None) -> CheckBatch:
    """The unit's annual re-check for the year, opened if it is not open yet (idempotent)."""
    batch, created = CheckBatch.objects.get_or_create(
        unit=unit,
        year=year,
        kind=CheckBatch.Kind.ANNUAL,
        defaults={"requested_by": actor},
    )
    if created:
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            kind=CheckBatch.Kind.ANNUAL,
            year=year,
        )
    return batch


def annual_open_all(*, year: int, actor: User | None = None, notify_units: bool = True) -> int:
    """Open the year's annual re-check for every close-contact unit that has none; tell them.
    Returns how many were opened. Safe to run again: a unit gets one annual re-check a year."""
    from weibao.core.services import notify

    units = Organisation.objects.active().filter(kind__in=CLOSE_CONTACT_KINDS)
    have = set(
        CheckBatch.objects.filter(kind=CheckBatch.Kind.ANNUAL, year=year).values_list(
            "unit_id", flat=True
        )
    )
    opened = []
    with transaction.atomic():
        for unit in units.exclude(pk__in=have):
            opened.append(annual_batch_open(unit=unit, year=year, actor=actor))
        if notify_units and opened:
            recipients = User.objects.filter(
                organisation_id__in=[b.unit_id for b in opened],
                role__in=(Role.UNIT_ADMIN, Role.CAMPUS_LIAISON, Role.CASE_WORKER),
                is_active=True,
            )
            notify(
                recipients=recipients,
                title=_("The %(year)d annual staff record check is open") % {"year": year},
                body=_(
                    "Every member of staff who works with children is to be checked again this "
                    "year. Bring the roster up to date, then run the check."
                ),
                link=reverse("staffchecks:batch_list"),
                kind="staffchecks",
                webhook_units=[b.unit for b in opened],
            )
    return len(opened)


def batches_run_start(*, actor: User, batches: Sequence[CheckBatch]) -> Job:
    """Start the check of open requests as one background job with a progress bar."""
    from weibao.core.services import job_start

    open_ids = [b.pk for b in batches if b.status == CheckBatch.Status.OPEN]
    if not open_ids:
        raise ValidationError(_("There is no open check request to run."))
    missing = [b for b in batches if b.pk in open_ids and not b.consent_confirmed]
    if missing and not all(b.kind == CheckBatch.Kind.ANNUAL for b in missing):
        raise ValidationError({"consent_confirmed": [_("The consent record is missing.")]})
    title = (
        _("Staff record check: %(unit)s") % {"unit": batches[0].unit}
        if len(open_ids) == 1
        else _("Staff record check: %(n)d units") % {"n": len(open_ids)}
    )
    return job_start(actor=actor, kind=RUN_JOB_KIND, title=title, params={"batch_ids": open_ids})


def _snapshot_roster(batch: CheckBatch) -> int:
    """Put the unit's active staff into its annual request (at run time: the roster may have
    changed since the request was opened)."""
    staff = StaffMember.objects.active().filter(unit_id=batch.unit_id).select_related("person")
    items = [_item_for_staff(batch, s) for s in staff.iterator(chunk_size=2000)]
    CheckItem.objects.bulk_create(items, batch_size=1000)
    return len(items)


def batches_run(*, actor: User | None, batch_ids: Sequence[int], progress: Any = None) -> dict:
    """Check the open requests against the register; returns counts. Safe to run twice: only
    open requests and unchecked items are touched."""
    claimed = list(
        CheckBatch.objects.filter(pk__in=batch_ids, status=CheckBatch.Status.OPEN).values_list(
            "pk", flat=True
        )
    )
    CheckBatch.objects.filter(pk__in=claimed).update(
        status=CheckBatch.Status.RUNNING, submitted_at=timezone.now()
    )
    batches = list(CheckBatch.objects.filter(pk__in=claimed).select_related("unit").order_by("pk"))
    for batch in batches:
        if batch.kind == CheckBatch.Kind.ANNUAL and not batch.items.exists():
            _snapshot_roster(batch)
    queued = dict(
        CheckItem.objects.filter(batch_id__in=claimed, result=CheckItem.Result.QUEUED)
        .values_list("batch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total, done = sum(queued.values()), 0
    counts = matching.MatchCounts()
    if progress is not None:
        progress(0, total)
    finished: list[int] = []
    try:
        for batch in batches:
            counts.add(matching.match_batch(batch.pk))
            _finish_batch(batch, actor)
            finished.append(batch.pk)
            done += queued.get(batch.pk, 0)
            if progress is not None:
                progress(done, total)
    except Exception:
        # The requests not finished go back to open, to be run again (their findings so far
        # stand: matching again only looks at the items still without one).
        CheckBatch.objects.filter(pk__in=claimed, status=CheckBatch.Status.RUNNING).exclude(
            pk__in=finished
        ).update(status=CheckBatch.Status.OPEN)
        raise
    clear = total - counts.exact - counts.possible
    return {"exact": counts.exact, "possible": counts.possible, "clear": clear}


def _refresh_counts(batch: CheckBatch) -> None:
    by_result = dict(
        batch.items.values_list("result").annotate(n=Count("pk")).values_list("result", "n")
    )
    R = CheckItem.Result
    # Items without a finding are clear once the request is done, and pending until then.
    unfound = by_result.get(R.QUEUED, 0)
    done = batch.status == CheckBatch.Status.DONE
    batch.total = sum(by_result.values())
    batch.clear_count = by_result.get(R.CLEAR, 0) + (unfound if done else 0)
    batch.barred_count = by_result.get(R.BARRED, 0)
    batch.pending_count = by_result.get(R.POSSIBLE, 0) + (0 if done else unfound)
    batch.save(update_fields=["total", "clear_count", "barred_count", "pending_count"])


def _update_staff_dates(items: CheckItemQuerySet, today: date) -> None:
    """Keep the roster's "last checked" and "first clear" dates for the compliance counts."""
    clear = items.cleared()
    final = clear | items.filter(result=CheckItem.Result.BARRED)
    StaffMember.objects.filter(pk__in=final.values("staff_id")).update(last_checked_on=today)
    StaffMember.objects.filter(
        pk__in=clear.values("staff_id"), first_cleared_on__isnull=True
    ).update(first_cleared_on=today)


def _finish_batch(batch: CheckBatch, actor: User | None) -> None:
    from weibao.core.services import notify

    today = timezone.localdate()
    with transaction.atomic():
        # Done first: from now on the items without a finding read as clear.
        batch.status = CheckBatch.Status.DONE
        batch.completed_at = timezone.now()
        batch.save(update_fields=["status", "completed_at"])
        batch.items.filter(result=CheckItem.Result.BARRED, action_due__isnull=True).update(
            action_due=today + timedelta(days=action_due_days())
        )
        _update_staff_dates(batch.items.all(), today)
        _refresh_counts(batch)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            section="check_run",
            people=batch.total,
            clear=batch.clear_count,
            barred=batch.barred_count,
            pending=batch.pending_count,
        )
        notify(
            recipients=_unit_users(batch.unit_id),
            title=_("Staff record check results are ready"),
            body=_("Open the check request to see the results and record any action needed."),
            link=batch.get_absolute_url(),
            kind="staffchecks",
        )
        possible = batch.items.filter(result=CheckItem.Result.POSSIBLE).count()
        if possible:
            notify(
                recipients=register_users(),
                title=_("%(n)d possible matches wait for confirmation") % {"n": possible},
                link=reverse("staffchecks:matches"),
                kind="staffchecks",
            )


def _unit_users(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=unit_id,
        is_active=True,
        role__in=(Role.UNIT_ADMIN, Role.CAMPUS_LIAISON, Role.CASE_WORKER),
    )


def register_users() -> QuerySet[User]:
    from weibao.staffchecks.models import REGISTER_KINDS, REGISTER_ROLES

    return User.objects.filter(
        is_active=True,
        organisation__kind__in=REGISTER_KINDS,
        role__in=[r for r in REGISTER_ROLES if r != Role.COUNTY_COORDINATOR],
    )


def batches_run_job(job: Job, progress: Any) -> Attachment | None:
    """The job handler: runs the check for the user who started it."""
    params = job.params or {}
    counts = batches_run(
        actor=job.started_by, batch_ids=list(params.get("batch_ids") or []), progress=progress
    )
    total = counts["exact"] + counts["possible"] + counts["clear"]
    job.message = _("%(total)d people checked.") % {"total": total}
    job.save(update_fields=["message"])
    return None


def batch_view(*, actor: User, batch: CheckBatch, via: str = "page") -> None:
    """Record a look at a request's results (the law asks who looked)."""
    record(AuditEvent.Action.VIEW, actor=actor, target=batch, target_repr=str(batch), via=via)


def national_results_enter(*, actor: User, batch: CheckBatch, upload: Any) -> int:
    """Enter results from the national query platform's file (ID number, result) for a batch's
    people: "clear" or a hit. Every row must match a person of the batch; all or nothing."""
    results = _choice_lookup([("clear", _("clear")), ("barred", _("hit"))])
    results.update({"无": "clear", "未查询到": "clear", "有": "barred", "查询到": "barred"})
    by_hash = dict(batch.items.values_list("id_hash", "pk"))

    def check(texts: dict[str, str]) -> tuple[int, str]:
        errors: dict[str, list[str]] = {}
        pk = None
        try:
            pk = by_hash.get(matching.id_hash(texts.get("id_number", "")))
            if pk is None:
                errors["id_number"] = [_("This person is not in the check request.")]
        except ValueError as exc:
            errors["id_number"] = [str(exc)]
        result = results.get(texts.get("result", "").strip().lower())
        if result is None:
            errors["result"] = [_("Write “clear” or “hit”.")]
        if errors:
            raise ValidationError(errors)
        assert pk is not None and result is not None
        return pk, result

    report = spreadsheets.validate_rows(upload, NATIONAL_COLUMNS, check)
    if report.errors:
        raise RegisterFileError(report.errors)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        for _number, (pk, result) in report.good:
            CheckItem.objects.filter(pk=pk).update(
                result=result,
                match_kind=CheckItem.MatchKind.NATIONAL,
                checked_at=now,
                action_due=today + timedelta(days=action_due_days())
                if result == "barred"
                else None,
            )
        _update_staff_dates(batch.items.all(), today)
        _refresh_counts(batch)
        if batch.pending_count == 0:
            batch.status = CheckBatch.Status.DONE
            batch.completed_at = now
            batch.save(update_fields=["status", "completed_at"])
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            section="national_results",
            rows=len(report.good),
        )
    return len(report.good)


# Confirmation and actions -------------------------------------------------------------------


def item_confirm(*, actor: User, item: CheckItem, barred: bool, note: str = "") -> CheckItem:
    """The police or procuratorate decide a possible match: the same person (barred) or not."""
    if not sees_register(actor):
        raise ValidationError(_("Only the police and the procuratorate may confirm matches."))
    if item.result != CheckItem.Result.POSSIBLE:
        raise ValidationError(_("This match has been decided already."))
    today = timezone.localdate()
    before = {"result": item.result}
    item.result = CheckItem.Result.BARRED if barred else CheckItem.Result.CLEAR
    item.confirmed_by, item.confirmed_at = actor, timezone.now()
    if barred:
        item.action_due = today + timedelta(days=action_due_days())
    with transaction.atomic():
        item.save(update_fields=["result", "confirmed_by", "confirmed_at", "action_due"])
        _update_staff_dates(CheckItem.objects.filter(pk=item.pk), today)
        _refresh_counts(item.batch)
        _remember_decision(item, same_person=barred, actor=actor)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=item,
            target_repr=item.masked_name,
            section="confirm_match",
            changes=diff(item, before, ("result",)),
            note=note[:300],
        )
        from weibao.core.services import notify

        notify(
            recipients=_unit_users(item.batch.unit_id),
            title=_("A pending staff record check result has been decided"),
            link=item.batch.get_absolute_url(),
            kind="staffchecks",
        )
    return item


def _remember_decision(item: CheckItem, *, same_person: bool, actor: User) -> None:
    """Keep the decision on this (person, register record) pair for later checks, so that the
    police are not asked again next year (see matching)."""
    if item.matched_record_id is None:  # the record has left the register meanwhile
        return
    MatchDecision.objects.update_or_create(
        id_hash=item.id_hash,
        record_id=item.matched_record_id,
        defaults={
            "same_person": same_person,
            "item": item,
            "decided_by": actor,
            "decided_at": item.confirmed_at or timezone.now(),
        },
    )


def item_record_action(*, actor: User, item: CheckItem, action: str) -> CheckItem:
    """The unit records what it did about a barring result; dismissal or not hiring also marks
    the person as having left the roster."""
    if item.result != CheckItem.Result.BARRED:
        raise ValidationError({"action": [_("Only a barring result needs an action.")]})
    if action not in (a for a in CheckItem.Action.values if a):
        raise ValidationError({"action": [_("Choose the action taken.")]})
    before = {"action": item.action}
    item.action, item.action_recorded_at = action, timezone.now()
    with transaction.atomic():
        item.save(update_fields=["action", "action_recorded_at"])
        staff = item.staff
        if (
            staff is not None
            and action in (CheckItem.Action.DISMISSED, CheckItem.Action.NOT_HIRED)
            and staff.status == StaffMember.Status.ACTIVE
        ):
            end = max(timezone.localdate(), staff.start_date)
            StaffMember.objects.filter(pk=staff.pk).update(
                status=StaffMember.Status.LEFT, end_date=end
            )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=item,
            target_repr=item.masked_name,
            section="action",
            changes=diff(item, before, ("action",)),
        )
    return item


# Result letter -------------------------------------------------------------------------------


def letter_document(
    batch: CheckBatch, items: Sequence[CheckItem] | None = None
) -> documents.OfficialDocument:
    """The result letter to the unit: counts, and the people not to be employed, by name and
    masked ID number. No offence, category or register detail, ever."""
    chosen = list(items) if items is not None else list(batch.items.order_by("pk"))
    barred = [i for i in chosen if i.outcome == CheckItem.Result.BARRED]
    clear = [i for i in chosen if i.outcome == CheckItem.Result.CLEAR]
    pending = [i for i in chosen if i.unit_result == "pending"]
    body = [
        _(
            "At your request of %(date)s, the people below were checked against the register of "
            "people barred from work with children (未成年人保护法 Art. 62)."
        )
        % {"date": documents.chinese_date(timezone.localtime(batch.created_at).date())},
        "一、"
        + _("People checked: %(n)d; clear: %(clear)d; pending: %(pending)d.")
        % {"n": len(chosen), "clear": len(clear), "pending": len(pending)},
    ]
    if barred:
        body.append(
            "二、"
            + _(
                "The following people are not to be employed, or are to be removed from work "
                "with children at once. Record the action taken in Weibao within %(days)d days."
            )
            % {"days": action_due_days()}
        )
        body.extend(f"{i.name}（{i.masked_id_number}）" for i in barred)
    else:
        body.append("二、" + _("No one checked is barred from work with children."))
    body.append(
        "三、"
        + _(
            "The result reflects the register on the day of the check. Keep this letter "
            "confidential and use it only for staffing decisions."
        )
    )
    return documents.OfficialDocument(
        title=_("Staff record check result letter"),
        recipient=batch.unit.name,
        body=body,
        issuer=_("Weibao staff record check"),
        issued_on=timezone.localdate(),
        number=f"未保查〔{batch.year}〕{batch.pk}号",
    )


def batch_letter(*, actor: User, batch: CheckBatch, item: CheckItem | None = None) -> bytes:
    """The letter as .docx (for the batch, or one person of it); audited as a download."""
    doc = letter_document(batch, [item] if item is not None else None)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=item or batch,
        target_repr=str(batch),
        section="result_letter",
    )
    return documents.render(doc)


# Compliance ---------------------------------------------------------------------------------


@dataclass
class UnitCompliance:
    unit: Organisation
    township: str
    staff: int
    not_checked: int
    hires_before_clear: int
    barred_no_action: int
    has_roster: bool

    @property
    def has_gaps(self) -> bool:
        return (
            bool(self.not_checked or self.hires_before_clear or self.barred_no_action)
            or not self.has_roster
        )


@dataclass
class Compliance:
    units: list[UnitCompliance]
    by_township: list[dict[str, Any]]
    by_kind: list[dict[str, Any]]
    totals: dict[str, int]


def compliance_units(user: User) -> QuerySet[Organisation]:
    """The close-contact units whose compliance the user oversees."""
    units = Organisation.objects.active().filter(kind__in=CLOSE_CONTACT_KINDS)
    if user.role == Role.COUNTY_COORDINATOR:
        return units
    from weibao.staffchecks.models import EDUCATION_KINDS

    if user.organisation.kind == Organisation.Kind.EDUCATION:
        return units.filter(Q(kind__in=EDUCATION_KINDS) | Q(pk__in=user.scope.org_ids))
    return units.none()


def compliance(*, user: User, as_of: date | None = None) -> Compliance:
    """Per unit: staff not checked in 12 months, new hires who started before a clear result,
    barring results without a recorded action, and whether a roster was ever uploaded."""
    today = as_of or timezone.localdate()
    year_ago = today - timedelta(days=365)
    active = Q(staff__status=StaffMember.Status.ACTIVE)
    barred = (
        CheckItem.objects.barred_without_action()
        .filter(batch__unit=OuterRef("pk"))
        .order_by()
        .values("batch__unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = (
        compliance_units(user)
        .select_related("division")
        .annotate(
            n_staff=Count("staff", filter=active),
            n_all=Count("staff"),
            n_not_checked=Count(
                "staff",
                filter=active
                & (Q(staff__last_checked_on__isnull=True) | Q(staff__last_checked_on__lt=year_ago)),
            ),
            n_hires=Count(
                "staff",
                filter=active
                & Q(staff__start_date__gt=year_ago, staff__start_date__lte=today)
                & (
                    Q(staff__first_cleared_on__isnull=True)
                    | Q(staff__first_cleared_on__gt=F("staff__start_date"))
                ),
            ),
            n_barred=Coalesce(Subquery(barred), 0),
        )
        .order_by("division__code", "name")
    )
    townships = {d.code: d.name for d in Division.objects.filter(level=Division.Level.TOWNSHIP)}
    rows = [
        UnitCompliance(
            unit=u,
            township=townships.get(u.division.code[:9] + "000", u.division.name),
            staff=u.n_staff,
            not_checked=u.n_not_checked,
            hires_before_clear=u.n_hires,
            barred_no_action=u.n_barred,
            has_roster=bool(u.n_all),
        )
        for u in units
    ]
    return Compliance(
        units=rows,
        by_township=_group(rows, lambda r: r.township),
        by_kind=_group(rows, lambda r: str(r.unit.get_kind_display())),
        totals=_sum(rows),
    )


def _sum(rows: Sequence[UnitCompliance]) -> dict[str, int]:
    return {
        "units": len(rows),
        "staff": sum(r.staff for r in rows),
        "not_checked": sum(r.not_checked for r in rows),
        "hires_before_clear": sum(r.hires_before_clear for r in rows),
        "barred_no_action": sum(r.barred_no_action for r in rows),
        "no_roster": sum(1 for r in rows if not r.has_roster),
    }


def _group(
    rows: Sequence[UnitCompliance], key: Callable[[UnitCompliance], str]
) -> list[dict[str, Any]]:
    groups: dict[str, list[UnitCompliance]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return [{"name": name, **_sum(members)} for name, members in groups.items()]


def compliance_export(*, actor: User, purpose: str) -> bytes:
    """The compliance table as .xlsx; the purpose is required and audited."""
    purpose = _clean_purpose(purpose)
    data = compliance(user=actor)
    content = spreadsheets.workbook_bytes(
        _("Staff checks compliance"),
        [
            _("Unit"),
            _("Kind"),
            _("Township"),
            _("Active staff"),
            _("Not checked in 12 months"),
            _("New hires without a prior clear result"),
            _("Barring results without action"),
            _("Roster uploaded"),
        ],
        (
            [
                r.unit.name,
                str(r.unit.get_kind_display()),
                r.township,
                r.staff,
                r.not_checked,
                r.hires_before_clear,
                r.barred_no_action,
                _("yes") if r.has_roster else _("no"),
            ]
            for r in data.units
        ),
        (30, 16, 14, 10, 14, 18, 16, 10),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("staff checks compliance"),
        purpose=purpose,
        rows=len(data.units),
    )
    return content
