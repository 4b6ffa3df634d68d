"""Volunteers and lecturers: registering a person of the people register in a team, training
records, the criminal-record clearance read from staff checks, the Excel import and export.

The person is found by ID number in the people register or registered through its service
(weibao.people.services.person_create: ID checked, encrypted with its blind index). The
clearance is never typed in: it is read from the person's latest check in weibao.staffchecks
(a check request of the unit the volunteer serves with, or of any close-contact unit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.family.models import Team, Training, Volunteer
from weibao.kit import crypto, spreadsheets
from weibao.kit.fielderrors import Errors, error, labels, merge
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.spreadsheets import Column, Report
from weibao.lib import idnumber
from weibao.lib.masking import mask_name
from weibao.people import services as people_services
from weibao.people.models import Person
from weibao.staffchecks.models import CheckBatch, CheckItem

VOLUNTEER_FIELDS = ("team", "township", "skills", "availability", "status", "joined_on")
MAX_ERRORS_KEPT = 5000
CHUNK = 900


# Clearance ---------------------------------------------------------------------------------


def _reading(item: CheckItem) -> tuple[str, date | None]:
    """A check item as the volunteer's clearance: (value, day of the check)."""
    batch = item.batch
    done = batch.status == CheckBatch.Status.DONE
    if item.result == CheckItem.Result.BARRED:
        value = Volunteer.Clearance.BARRED
    elif item.result == CheckItem.Result.CLEAR or (item.result == CheckItem.Result.QUEUED and done):
        value = Volunteer.Clearance.CLEAR
    else:
        value = Volunteer.Clearance.PENDING
    when = item.confirmed_at or item.checked_at or batch.completed_at or batch.created_at
    return value, timezone.localdate(when) if when else None


def _latest_items(hashes: Sequence[str]) -> dict[str, CheckItem]:
    """The latest check item of each blind index (by the check's date, then the item)."""
    latest: dict[str, CheckItem] = {}
    wanted = [h for h in hashes if h]
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        items = (
            CheckItem.objects.filter(id_hash__in=part)
            .select_related("batch")
            .only(
                "id_hash",
                "result",
                "checked_at",
                "confirmed_at",
                "batch__status",
                "batch__created_at",
                "batch__completed_at",
            )
            .order_by("batch__created_at", "pk")
        )
        for item in items:
            latest[item.id_hash] = item
    return latest


def clearance_refresh(volunteers: Iterable[Volunteer]) -> int:
    """Read each volunteer's clearance from staff checks again; how many changed.

    Not a user's service (it checks no permission): the nightly job, the assignment check and
    the registration call it; it writes only what staff checks already says."""
    rows = list(volunteers)
    hashes = {v.pk: v.person.id_number_hash for v in rows}
    latest = _latest_items(list(hashes.values()))
    changed = []
    for volunteer in rows:
        item = latest.get(hashes[volunteer.pk])
        value, when = _reading(item) if item is not None else (Volunteer.Clearance.NONE, None)
        if (volunteer.clearance, volunteer.clearance_on) != (value, when):
            volunteer.clearance, volunteer.clearance_on = value, when
            changed.append(volunteer)
    Volunteer.objects.bulk_update(changed, ["clearance", "clearance_on"], batch_size=500)
    return len(changed)


def clearance_refresh_all() -> dict[str, int]:
    """Every volunteer not left, in chunks (the scheduled job)."""
    volunteers = Volunteer.objects.exclude(status=Volunteer.Status.LEFT).select_related("person")
    ids = list(volunteers.values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        part = volunteers.filter(pk__in=ids[start : start + CHUNK]).only(
            "pk", "clearance", "clearance_on", "person__id_number_hash"
        )
        changed += clearance_refresh(part)
    return {"volunteers": len(ids), "changed": changed}


def require_cleared(volunteers: Sequence[Volunteer], field: str = "volunteers") -> None:
    """Refuse, naming them, volunteers without a clear check within its validity (read from
    staff checks now, not from the last nightly reading)."""
    clearance_refresh(volunteers)
    refused = [v for v in volunteers if not v.is_cleared]
    if not refused:
        return
    names = "、".join(v.person.masked_name for v in refused)
    message = _(
        "These volunteers have no clear criminal-record check within the last year and may not "
        "work with children: %(names)s. Ask their unit to have them checked (staff checks)."
    ) % {"names": names}
    raise ValidationError({field: [ValidationError(message, code="not_cleared")]})


# Registering -------------------------------------------------------------------------------


def _person_for(
    actor: User, data: Mapping[str, Any], errors: Errors, *, create: bool = True
) -> Person | None:
    """The given person, the registered person with this ID number, or a new one."""
    person: Person | None = data.get("person")
    if person is not None:
        return person
    name = " ".join(str(data.get("name") or "").split())
    id_text = str(data.get("id_number") or "").strip()
    if not name:
        error(errors, "name", _("Give the volunteer's name."), "required")
    if not id_text:
        error(errors, "id_number", _("Give the volunteer's ID number."), "required")
        return None
    try:
        parsed = idnumber.parse(id_text, today=timezone.localdate())
    except ValueError as exc:
        error(errors, "id_number", str(exc))
        return None
    if idnumber.age_on(parsed.birth_date, timezone.localdate()) < idnumber.ADULT_AGE:
        error(errors, "id_number", _("A volunteer must be an adult; this ID number is a minor's."))
        return None
    existing = Person.objects.by_id_hash(crypto.blind_index(parsed.number)).first()
    if existing is not None:
        if name and " ".join(existing.name.split()) != name:
            error(
                errors,
                "name",
                _("Does not match the name in the people register (registered as %(name)s).")
                % {"name": mask_name(existing.name)},
                "name_mismatch",
            )
        return existing
    if errors or not create:
        return None
    return people_services.person_create(
        actor=actor,
        data={"name": name, "id_number": parsed.number, "phone": data.get("phone") or ""},
    )


def _apply(volunteer: Volunteer, data: Mapping[str, Any], errors: Errors) -> None:
    for name in VOLUNTEER_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if value is None and name in ("skills",):
            value = ""
        if value is None and name in ("availability", "status"):
            continue
        setattr(volunteer, name, value)


def _check(volunteer: Volunteer, errors: Errors) -> None:
    if not volunteer.team_id:
        error(errors, "team", _("Choose the volunteer's team."), "required")
    elif not volunteer.team.is_active:
        error(errors, "team", _("This team is no longer active."), "inactive")
    township = volunteer.township if volunteer.township_id else None
    if township is None:
        error(errors, "township", _("Give the township the volunteer serves in."), "required")
    elif township.level != Division.Level.TOWNSHIP:
        error(errors, "township", _("Choose a township."), "level")
    joined = volunteer.joined_on
    if isinstance(joined, date) and joined > timezone.localdate():
        error(errors, "joined_on", _("The day they joined cannot be in the future."), "future")
    try:
        volunteer.full_clean(
            exclude=["person", "created_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        merge(errors, exc)


def _duplicate(person: Person | None, volunteer: Volunteer, errors: Errors) -> None:
    if person is None or person.pk is None:
        return
    twin = Volunteer.objects.filter(person=person).exclude(pk=volunteer.pk).first()
    if twin is not None:
        error(
            errors,
            "id_number",
            _("This person is already a volunteer (team: %(team)s).") % {"team": twin.team},
            "duplicate",
        )


def volunteer_create(*, actor: User, data: Mapping[str, Any]) -> Volunteer:
    """Register a volunteer: the person (found or registered), team, township and the rest;
    the clearance is read from staff checks at once."""
    require_perm(actor, "family.manage_volunteers")
    volunteer = Volunteer(created_by=actor)
    errors: Errors = {}
    _apply(volunteer, data, errors)
    _check(volunteer, errors)
    existing = _person_for(actor, data, errors, create=False)
    _duplicate(existing, volunteer, errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        person = existing or _person_for(actor, data, errors)
        raise_if(errors)
        assert person is not None
        volunteer.person = person
        volunteer.save()
        clearance_refresh([volunteer])
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=volunteer,
            target_repr=person.masked_name,
            operation="family_volunteer_create",
            team=str(volunteer.team),
        )
    return volunteer


def volunteer_update(*, actor: User, volunteer: Volunteer, data: Mapping[str, Any]) -> Volunteer:
    """Change a volunteer's team, township, skills, availability or status."""
    require_perm(actor, "family.change_volunteer", volunteer)
    before = snapshot(volunteer, VOLUNTEER_FIELDS)
    errors: Errors = {}
    _apply(volunteer, data, errors)
    _check(volunteer, errors)
    if errors:
        volunteer.refresh_from_db()
        raise_if(errors)
    with transaction.atomic(durable=True):
        volunteer.save()
        changes = diff(volunteer, before, VOLUNTEER_FIELDS)
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=volunteer,
                target_repr=volunteer.person.masked_name,
                operation="family_volunteer_update",
                changes=changes,
            )
    return volunteer


def volunteer_view(*, actor: User, volunteer: Volunteer) -> None:
    """Record that the actor opened a volunteer's record (their personal data)."""
    require_perm(actor, "family.view_volunteer", volunteer)
    record(
        AuditEvent.Action.VIEW,
        actor=actor,
        target=volunteer,
        target_repr=volunteer.person.masked_name,
    )


def training_record(*, actor: User, volunteer: Volunteer, data: Mapping[str, Any]) -> Training:
    """Add a training record (date, topic, hours) to a volunteer."""
    require_perm(actor, "family.record_training", volunteer)
    errors: Errors = {}
    held_on = data.get("held_on")
    if isinstance(held_on, str):
        held_on = parse_date(held_on)
    if not isinstance(held_on, date):
        error(errors, "held_on", _("Give the day of the training."), "required")
    elif held_on > timezone.localdate():
        error(errors, "held_on", _("The training cannot be in the future."), "future")
    topic = " ".join(str(data.get("topic") or "").split())
    if not topic:
        error(errors, "topic", _("Give the training's topic."), "required")
    try:
        hours = Decimal(str(data.get("hours") or "0"))
    except InvalidOperation:
        hours = Decimal("0")
    if not Decimal("0") < hours <= Decimal("100"):
        error(errors, "hours", _("Give the hours, more than 0 and at most 100."), "invalid")
    raise_if(errors)
    assert isinstance(held_on, date)
    training = Training(
        volunteer=volunteer, held_on=held_on, topic=topic, hours=hours, recorded_by=actor
    )
    training.full_clean(exclude=["recorded_by"])
    with transaction.atomic(durable=True):
        training.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=training,
            target_repr=str(training),
            operation="family_training_record",
        )
    return training


# Excel import and export -------------------------------------------------------------------

COLUMNS = (
    Column("name", pgettext_lazy("person", "Name"), example="李华", width=10, person_name=True),
    Column("id_number", gettext_lazy("ID number"), code=True, example="361025199001010018",
           width=22),
    Column("phone", gettext_lazy("Phone"), required=False, code=True, width=14),
    Column("team", gettext_lazy("Team"), example="法治宣教志愿者队", width=20),
    Column("township", gettext_lazy("Township"), example="鳌溪镇", width=12),
    Column("skills", gettext_lazy("Skills"), required=False, width=20),
    Column("availability", gettext_lazy("Availability"), required=False, example="weekends",
           width=12),
    Column("status", gettext_lazy("Status"), required=False, example="active", width=10),
    Column("joined_on", gettext_lazy("Joined on"), required=False, date=True,
           example="2024-03-01", width=12),
)  # fmt: skip


@dataclass
class ImportReport(Report):
    created: int = 0
    updated: int = 0


class _Importer:
    """Checks rows against the register, the teams and the rows above them."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.teams: dict[str, Team] = {}
        for team in Team.objects.filter(is_active=True):
            self.teams[team.name] = team
            self.teams[str(team.pk)] = team
        self.townships: dict[str, Division] = {}
        for township in Division.objects.filter(level=Division.Level.TOWNSHIP):
            self.townships[township.name] = self.townships[township.code] = township
        self.statuses = labels(Volunteer.Status)
        self.availabilities = labels(Volunteer.Availability)
        self.seen: dict[str, int] = {}
        self.row_number = 0

    def check(self, texts: dict[str, str]) -> dict[str, Any]:
        errors: Errors = {}
        data: dict[str, Any] = {
            "name": texts.get("name", ""),
            "id_number": texts.get("id_number", ""),
            "phone": texts.get("phone", ""),
            "skills": texts.get("skills", ""),
        }
        team = self.teams.get(texts.get("team", "").strip())
        if team is None:
            error(errors, "team", _("Unknown team “%(value)s”.") % {"value": texts.get("team")})
        data["team"] = team
        township = self.townships.get(texts.get("township", "").strip())
        if township is None:
            error(
                errors,
                "township",
                _("Unknown township “%(value)s”: give its name or code as in the platform.")
                % {"value": texts.get("township", "")},
            )
        data["township"] = township
        for key, table, default in (
            ("status", self.statuses, Volunteer.Status.ACTIVE),
            ("availability", self.availabilities, Volunteer.Availability.ANY),
        ):
            text = texts.get(key, "").strip()
            data[key] = default
            if text:
                if text.lower() not in table:
                    error(errors, key, _("Unknown value “%(value)s”.") % {"value": text})
                else:
                    data[key] = table[text.lower()]
        joined = texts.get("joined_on", "").strip()
        data["joined_on"] = timezone.localdate()
        if joined:
            parsed = parse_date(joined[:10])
            if parsed is None:
                error(errors, "joined_on", _("Enter a date such as 2024-03-01."))
            else:
                data["joined_on"] = parsed
        number = str(data["id_number"] or "").strip().upper()
        if number in self.seen:
            error(
                errors,
                "id_number",
                _("The same ID number is already in row %(row)d.") % {"row": self.seen[number]},
                "duplicate",
            )
        elif number:
            self.seen[number] = self.row_number
        person = _person_for(self.actor, data, errors, create=False)
        volunteer = Volunteer.objects.filter(person=person).first() if person else None
        target = volunteer or Volunteer()
        model_errors: Errors = {}
        _apply(target, {k: v for k, v in data.items() if v is not None}, model_errors)
        if team is not None and township is not None:
            _check(target, model_errors)
        for name, messages in model_errors.items():
            errors.setdefault(name, messages)
        raise_if(errors)
        data["volunteer_pk"] = volunteer.pk if volunteer else None
        return data


def _import_rows(actor: User, upload: IO[bytes]) -> ImportReport:
    importer = _Importer(actor)

    def check(number: int, texts: dict[str, str]) -> dict[str, Any]:
        importer.row_number = number
        return importer.check(texts)

    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS), check, COLUMNS, keep=MAX_ERRORS_KEPT
    )
    return ImportReport(good=read.good, errors=read.errors)


def volunteers_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import volunteers from Excel: every row checked, written only if every row passes.

    A row whose person is already a volunteer updates them; other rows register the person
    (when not yet in the people register) and add the volunteer."""
    require_perm(actor, "family.manage_volunteers")
    report = _import_rows(actor, upload)
    if not report.clean:
        return report
    written: list[Volunteer] = []
    with transaction.atomic(durable=True):
        for _number, data in report.good:
            if data["volunteer_pk"]:
                volunteer = Volunteer.objects.select_related("person").get(pk=data["volunteer_pk"])
                before = snapshot(volunteer, VOLUNTEER_FIELDS)
                _apply(volunteer, data, {})
                volunteer.save()
                report.updated += bool(diff(volunteer, before, VOLUNTEER_FIELDS))
            else:
                errors: Errors = {}
                person = _person_for(actor, data, errors)
                raise_if(errors)
                volunteer = Volunteer(person=person, created_by=actor)
                _apply(volunteer, data, {})
                volunteer.save()
                report.created += 1
            written.append(volunteer)
        for start in range(0, len(written), CHUNK):
            clearance_refresh(written[start : start + CHUNK])
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("Volunteers import"),
            operation="family_volunteers_import",
            rows=len(report.good),
            created=report.created,
            updated=report.updated,
        )
    return report


def volunteers_template() -> bytes:
    return spreadsheets.template_bytes(_("Volunteers"), COLUMNS)


def volunteers_export(*, actor: User, among: QuerySet[Volunteer] | None = None) -> bytes:
    """The volunteers the actor reads (of `among`, a filtered list), in the import's columns
    plus the clearance; audited. Personal data: the caller stores it protected."""
    require_perm(actor, "family.view_volunteers")
    volunteers = Volunteer.objects.for_user(actor).select_related("person", "team", "township")
    if among is not None:
        volunteers = volunteers.filter(pk__in=among.values("pk"))
    book = spreadsheets.ExportBook()
    sheet = book.sheet(_("Volunteers"))
    sheet.append(
        [str(column.header) for column in COLUMNS] + [_("Criminal-record check"), _("Checked on")]
    )
    rows = 0
    for v in volunteers.order_by("pk").iterator(chunk_size=2000):
        sheet.append(
            [
                v.person.name,
                v.person.id_number,
                v.person.phone,
                v.team.name,
                v.township.name,
                v.skills,
                v.get_availability_display(),
                v.get_status_display(),
                v.joined_on.isoformat(),
                v.get_clearance_display(),
                v.clearance_on.isoformat() if v.clearance_on else "",
            ]
        )
        rows += 1
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Volunteers"),
        operation="family_volunteers_export",
        rows=rows,
    )
    return book.bytes()
