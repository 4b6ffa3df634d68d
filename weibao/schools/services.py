"""Every write to school records and liaison appointments goes through here.

A school is one unit everywhere in the platform: its name, division and credit code live on the
Organisation, the rest on the School record. The unit services in `weibao.accounts.services` are
for system administrators only, while the education bureau keeps the school list, so the
services here write the school's Organisation themselves, with an audit event of its own.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.services import notify
from weibao.kit import spreadsheets
from weibao.kit.guards import require_perm
from weibao.kit.messages import Message
from weibao.kit.spreadsheets import Column, Report
from weibao.lib import creditcode
from weibao.people.services import normalise_phone
from weibao.schools.models import LiaisonAppointment, School, SchoolQuerySet

# Fields kept on the unit, and on the school record.
UNIT_FIELDS = ("name", "division", "credit_code")
SCHOOL_FIELDS = (
    "kind", "ownership", "address", "latitude", "longitude", "pupil_count", "staff_count",
    "principal_name", "principal_phone",
)  # fmt: skip
ALL_FIELDS = (*UNIT_FIELDS, *SCHOOL_FIELDS)
# What a school's own unit admin may change on its record.
CONTACT_FIELDS = ("address", "pupil_count", "staff_count", "principal_name", "principal_phone")
# Mainland China, roughly: coordinates outside it are a typing mistake (swapped, or a sign).
LATITUDE_RANGE = (Decimal("3"), Decimal("54"))
LONGITUDE_RANGE = (Decimal("73"), Decimal("136"))
COORDINATE_PLACES = Decimal("0.000001")
DIVISION_LEVELS = (Division.Level.TOWNSHIP, Division.Level.VILLAGE)
MAX_ERRORS_KEPT = 5000

Errors = dict[str, list[ValidationError]]


# Helpers -----------------------------------------------------------------------------------


def _error(errors: Errors, name: str, message: str, code: str) -> None:
    errors.setdefault(name, []).append(ValidationError(message, code=code))


def education_bureau() -> Organisation | None:
    """The county education bureau: the parent unit of every school."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.EDUCATION, parent__isnull=True)
        .order_by("pk")
        .first()
        or Organisation.objects.filter(kind=Organisation.Kind.EDUCATION).order_by("pk").first()
    )


def _same(current: Any, value: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(value, models.Model):
        return getattr(current, "pk", current) == getattr(value, "pk", value)
    if isinstance(current, Decimal) or isinstance(value, Decimal):
        try:
            return _decimal(current) == _decimal(value)
        except (InvalidOperation, ValueError, TypeError):
            return False
    return str(current if current is not None else "") == str(value if value is not None else "")


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value).strip()).quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)


def _unit_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The audit masks any "name" as a person's; a unit's name is public, so rename the key."""
    renamed = ("name", "kind")
    return {f"unit_{key}" if key in renamed else key: pair for key, pair in changes.items()}


def _apply(
    school: School, unit: Organisation, data: Mapping[str, Any], *, full: bool, errors: Errors
) -> None:
    """Copy `data` onto the record and its unit, normalised; note what may not change."""
    for name in ALL_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        target: models.Model = unit if name in UNIT_FIELDS else school
        if not full and name not in CONTACT_FIELDS:
            if not _same(getattr(target, name, None), value):
                message = _("Only the education bureau may change this.")
                _error(errors, name, message, "not_allowed")
            continue
        if name in ("latitude", "longitude"):
            try:
                value = _decimal(value)
            except (InvalidOperation, ValueError, TypeError):
                _error(errors, name, _("Enter a number of degrees, such as 27.43."), "invalid")
                continue
        if name in ("pupil_count", "staff_count") and value in (None, ""):
            value = 0
        if value is None and name in ("name", "credit_code"):
            value = ""
        setattr(target, name, value)


def _check(school: School, unit: Organisation, errors: Errors) -> None:
    """The rules of a school record and its unit; raises with every problem, by field."""
    unit.name = " ".join((unit.name or "").split())
    if not unit.name:
        _error(errors, "name", _("Give the school's name."), "required")
    elif Organisation.objects.filter(name=unit.name).exclude(pk=unit.pk).exists():
        _error(errors, "name", _("Another unit already has this name."), "unique")
    if unit.credit_code:
        try:
            unit.credit_code = creditcode.validate(unit.credit_code)
        except ValueError as exc:
            _error(errors, "credit_code", str(exc), "invalid_credit_code")
        else:
            others = Organisation.objects.filter(credit_code=unit.credit_code).exclude(pk=unit.pk)
            if others.exists():
                message = _("Another unit already has this credit code.")
                _error(errors, "credit_code", message, "unique")
    division = unit.division if unit.division_id else None
    if division is None:
        _error(errors, "division", _("Give the township, village or community."), "required")
    elif division.level not in DIVISION_LEVELS:
        message = _("Choose a township, village or community, not a whole county.")
        _error(errors, "division", message, "level")
    if school.kind in School.UNIT_KIND:
        unit.kind = School.UNIT_KIND[School.Kind(school.kind)]
    if school.principal_phone:
        try:
            school.principal_phone = normalise_phone(school.principal_phone)
        except ValueError as exc:
            _error(errors, "principal_phone", str(exc), "invalid_phone")
    school.principal_name = " ".join((school.principal_name or "").split())
    for name, (low, high) in (("latitude", LATITUDE_RANGE), ("longitude", LONGITUDE_RANGE)):
        value = getattr(school, name)
        if value is not None and not low <= value <= high:
            message = _("This is not within China: give a value from %(low)s to %(high)s.")
            _error(errors, name, message % {"low": low, "high": high}, "range")
    if (school.latitude is None) != (school.longitude is None):
        missing = "latitude" if school.latitude is None else "longitude"
        message = _("Give both the latitude and the longitude, or neither.")
        _error(errors, missing, message, "pair")
    for instance, exclude in ((school, ["organisation"]), (unit, ["name", "credit_code"])):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, field_errors in exc.error_dict.items():
                if name not in errors:  # one message per field is enough
                    errors.setdefault(name, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def _new_school(unit: Organisation | None) -> tuple[School, Organisation]:
    if unit is None:
        unit = Organisation(parent=education_bureau())
    return School(organisation=unit), unit


# Schools -----------------------------------------------------------------------------------


@transaction.atomic
def school_create(
    *, actor: User, data: Mapping[str, Any], unit: Organisation | None = None
) -> School:
    """Create a school record, and its unit (or file the record for an existing school unit)."""
    require_perm(actor, "schools.add_school")
    if unit is not None and (not unit.is_school or hasattr(unit, "school_record")):
        raise ValidationError({"name": _("This unit is not a school without a record.")})
    school, unit = _new_school(unit)
    unit_before = snapshot(unit, (*UNIT_FIELDS, "kind")) if unit.pk else {}
    errors: Errors = {}
    _apply(school, unit, data, full=True, errors=errors)
    _check(school, unit, errors)
    unit.save()
    unit_changes = diff(unit, unit_before, (*UNIT_FIELDS, "kind"))
    if unit_changes or not unit_before:
        record(
            AuditEvent.Action.UPDATE if unit_before else AuditEvent.Action.CREATE,
            actor=actor,
            target=unit,
            target_repr=unit.name,
            changes=_unit_changes(unit_changes),
        )
    school.organisation = unit
    school.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=school,
        target_repr=unit.name,
        changes=diff(school, {}, SCHOOL_FIELDS),
    )
    return school


@transaction.atomic
def school_update(*, actor: User, school: School, data: Mapping[str, Any]) -> School:
    """Change a school record; a school's own admin may change only its contact fields."""
    require_perm(actor, "schools.change_school", school)
    full = actor.has_perm("schools.change_school_record", school)
    unit = school.organisation
    unit_before = snapshot(unit, (*UNIT_FIELDS, "kind"))
    school_before = snapshot(school, SCHOOL_FIELDS)
    errors: Errors = {}
    _apply(school, unit, data, full=full, errors=errors)
    try:
        _check(school, unit, errors)
    except ValidationError:
        # Leave the caller's instances as they were: nothing was saved.
        for name, value in unit_before.items():
            setattr(unit, name, value)
        for name, value in school_before.items():
            setattr(school, name, value)
        raise
    unit_changes = diff(unit, unit_before, (*UNIT_FIELDS, "kind"))
    if unit_changes:
        unit.save(update_fields=list(unit_changes))
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=unit,
            target_repr=unit.name,
            changes=_unit_changes(unit_changes),
        )
    changes = diff(school, school_before, SCHOOL_FIELDS)
    if changes:
        school.save(update_fields=[*changes, "updated_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=school,
            target_repr=unit.name,
            changes=changes,
        )
    return school


@transaction.atomic
def school_close(*, actor: User, school: School, closed_on: date | None = None) -> School:
    """Mark a school closed (merged, shut); its liaisons' terms end the same day."""
    require_perm(actor, "schools.close_school", school)
    if school.closed_on is not None:
        raise ValidationError({"closed_on": _("This school is already closed.")})
    school.closed_on = closed_on or timezone.localdate()
    school.save(update_fields=["closed_on", "updated_at"])
    ended = list(school.liaisons.active())
    for appointment in ended:
        appointment.ended_on = school.closed_on
        appointment.save(update_fields=["ended_on"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=school,
        target_repr=school.name,
        changes={"closed_on": [None, str(school.closed_on)]},
        operation="close",
        liaison_terms_ended=[a.pk for a in ended],
    )
    return school


# Liaisons ----------------------------------------------------------------------------------


def liaison_candidates(school: School) -> models.QuerySet[User]:
    """The users who may be appointed: active campus liaisons of the school's own unit."""
    return User.objects.filter(
        organisation_id=school.organisation_id, role=Role.CAMPUS_LIAISON, is_active=True
    ).order_by("full_name", "username")


@transaction.atomic
def liaison_appoint(
    *,
    actor: User,
    school: School,
    user: User,
    position: str = LiaisonAppointment.Position.MAIN,
) -> LiaisonAppointment:
    """Appoint a campus liaison (or deputy): ends the current term of that position, if any."""
    require_perm(actor, "schools.appoint_liaison", school)
    # Serialise appointments to one school (PostgreSQL; SQLite writes one at a time anyway).
    school = School.objects.select_for_update().select_related("organisation").get(pk=school.pk)
    errors: Errors = {}
    if school.closed_on is not None:
        _error(errors, "school", _("This school is closed."), "closed")
    if position not in LiaisonAppointment.Position.values:
        _error(errors, "position", _("Choose liaison or deputy liaison."), "invalid")
    if not user.is_active or user.organisation_id != school.organisation_id:
        message = _("The liaison must be an active user of %(school)s.") % {"school": school}
        _error(errors, "user", message, "other_unit")
    elif user.role != Role.CAMPUS_LIAISON:
        message = _("The liaison must have the role “campus liaison”; ask the unit admin.")
        _error(errors, "user", message, "role")
    active = {a.position: a for a in school.liaisons.active().select_related("user")}
    current = active.get(position)
    if "user" not in errors and "position" not in errors:
        if current is not None and current.user_id == user.pk:
            message = _("%(user)s already holds this position.") % {"user": user}
            _error(errors, "user", message, "same")
        other = next((a for p, a in active.items() if p != position and a.user_id == user.pk), None)
        if other is not None:
            message = _("%(user)s is already the school's %(position)s; end that term first.")
            params = {"user": user, "position": other.get_position_display()}
            _error(errors, "user", message % params, "both")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if current is not None:
        _end(actor, current, today, reason="replaced")
    appointment = LiaisonAppointment(
        school=school, user=user, position=position, started_on=today, appointed_by=actor
    )
    appointment.full_clean(exclude=["appointed_by"])
    appointment.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=appointment,
        target_repr=str(appointment),
        school=school.pk,
        liaison=user.username,
        position=position,
        replaces=current.pk if current is not None else None,
    )
    notify(
        recipients=[user],
        title=Message(
            gettext_noop("You were appointed %(position)s of %(school)s"),
            {"position": LiaisonAppointment.Position(appointment.position).label, "school": school},
        ),
        link=school.get_absolute_url(),
        kind="schools.liaison_appointed",
    )
    return appointment


def _end(actor: User, appointment: LiaisonAppointment, on: date, *, reason: str) -> None:
    appointment.ended_on = max(on, appointment.started_on)
    appointment.save(update_fields=["ended_on"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=appointment,
        target_repr=str(appointment),
        changes={"ended_on": [None, str(appointment.ended_on)]},
        operation="end",
        reason=reason,
    )
    notify(
        recipients=[appointment.user],
        title=Message(
            gettext_noop("Your term as %(position)s of %(school)s has ended"),
            {
                "position": LiaisonAppointment.Position(appointment.position).label,
                "school": appointment.school,
            },
        ),
        link=appointment.school.get_absolute_url(),
        kind="schools.liaison_ended",
    )


@transaction.atomic
def liaison_end(
    *, actor: User, appointment: LiaisonAppointment, ended_on: date | None = None
) -> LiaisonAppointment:
    """End a liaison's term without appointing a successor (the school shows as uncovered)."""
    require_perm(actor, "schools.appoint_liaison", appointment)
    if appointment.ended_on is not None:
        raise ValidationError({"ended_on": _("This term has already ended.")})
    on = ended_on or timezone.localdate()
    if on < appointment.started_on:
        message = _("A term cannot end before it started (%(date)s).")
        raise ValidationError({"ended_on": message % {"date": appointment.started_on}})
    _end(actor, appointment, on, reason="ended")
    return appointment


# Reading: lists and coverage -----------------------------------------------------------------


def _active_main() -> Exists:
    return Exists(
        LiaisonAppointment.objects.active().filter(
            school=OuterRef("pk"), position=LiaisonAppointment.Position.MAIN
        )
    )


def with_liaisons(schools: SchoolQuerySet) -> SchoolQuerySet:
    """Schools with `has_liaison` and their active appointments (`active_liaisons`, users
    loaded) in a fixed number of queries."""
    active = LiaisonAppointment.objects.active().select_related("user").order_by("position")
    return (
        schools.select_related("organisation__division")
        .annotate(has_liaison=_active_main())
        .prefetch_related(Prefetch("liaisons", queryset=active, to_attr="active_liaisons"))
    )


def uncovered_schools() -> SchoolQuerySet:
    """Open schools without an active main liaison."""
    return School.objects.open().annotate(has_liaison=_active_main()).filter(has_liaison=False)


def township_of(division: Division) -> str:
    """The 12-digit code of the township a division belongs to."""
    return division.code[:9] + "000"


@dataclass
class TownshipCoverage:
    township: Division | None
    total: int = 0
    covered: int = 0
    uncovered: list[School] = field(default_factory=list)

    @property
    def share(self) -> int:
        """Per cent of schools covered, rounded down (100 when there are none)."""
        return 100 if not self.total else self.covered * 100 // self.total


def coverage_by_township() -> tuple[list[TownshipCoverage], TownshipCoverage]:
    """Per township (in code order), how many open schools have a liaison, and which do not;
    and the county total. Two queries however many schools."""
    townships = {d.code: d for d in Division.objects.townships()}
    rows: dict[str, TownshipCoverage] = {}
    total = TownshipCoverage(None)
    schools = (
        School.objects.open()
        .select_related("organisation__division")
        .annotate(has_liaison=_active_main())
    )
    for school in schools:
        code = township_of(school.organisation.division)
        row = rows.setdefault(code, TownshipCoverage(townships.get(code)))
        for tally in (row, total):
            tally.total += 1
            if school.has_liaison:
                tally.covered += 1
            else:
                tally.uncovered.append(school)
    return [rows[code] for code in sorted(rows)], total


# Excel import and export ---------------------------------------------------------------------

COLUMNS = (
    Column("name", gettext_lazy("School name"), example="鳌溪镇中心小学", width=28),
    Column("credit_code", gettext_lazy("Credit code"), required=False,
           example="12361025MB12345676", width=22, code=True),
    Column("kind", gettext_lazy("School kind"), example="primary school", width=16),
    Column("ownership", gettext_lazy("Ownership"), required=False, example="public", width=10),
    Column("township", gettext_lazy("Township"), example="鳌溪镇", width=14),
    Column("village", gettext_lazy("Village or community"), required=False, example="鳌溪村",
           width=16),
    Column("address", pgettext_lazy("postal", "Address"), required=False, width=30),
    Column("latitude", gettext_lazy("Latitude"), required=False, example="27.430000", width=12),
    Column("longitude", gettext_lazy("Longitude"), required=False, example="115.830000",
           width=12),
    Column("pupil_count", gettext_lazy("Pupils"), required=False, example="900", width=8),
    Column("staff_count", gettext_lazy("Staff"), required=False, example="60", width=8),
    Column("principal_name", gettext_lazy("Principal"), required=False, width=12,
           person_name=True),
    Column("principal_phone", gettext_lazy("Principal's phone"), required=False, width=16,
           code=True),
)  # fmt: skip


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {value.lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found


@dataclass
class ImportReport(Report):
    """An import's report, with what was written when the file was clean."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    data: dict[str, Any]
    unit: Organisation | None  # the existing unit the row is for
    school: School | None  # its existing record


class _Importer:
    """Checks rows against the database and against the rows above them."""

    def __init__(self) -> None:
        self.kinds = _labels(School.Kind)
        self.ownerships = _labels(School.Ownership)
        self.units_by_name: dict[str, Organisation] = {}
        self.units_by_code: dict[str, Organisation] = {}
        for unit in Organisation.objects.select_related("division", "school_record"):
            self.units_by_name[unit.name] = unit
            if unit.credit_code:
                self.units_by_code[unit.credit_code] = unit
        self.townships: dict[str, Division] = {}
        self.villages: dict[tuple[str, str], Division] = {}
        for division in Division.objects.filter(level__in=DIVISION_LEVELS):
            if division.level == Division.Level.TOWNSHIP:
                self.townships[division.name] = self.townships[division.code] = division
            else:
                key = township_of(division)
                self.villages[(key, division.name)] = self.villages[(key, division.code)] = division
        self.seen_names: dict[str, int] = {}
        self.seen_codes: dict[str, int] = {}
        self.seen_units: dict[int, int] = {}
        self.row_number = 0  # the Excel row being checked, set by the caller

    def check(self, texts: dict[str, str]) -> _Row:
        errors: Errors = {}
        data: dict[str, Any] = {
            key: texts.get(key, "")
            for key in ("name", "address", "principal_name", "principal_phone")
        }
        data["name"] = " ".join(data["name"].split())
        code = creditcode.normalise(texts.get("credit_code", ""))
        data["credit_code"] = code
        kind = texts.get("kind", "").strip().lower()
        if kind not in self.kinds:
            message = _("Unknown school kind “%(value)s”; use one of: %(kinds)s.")
            params = {
                "value": texts.get("kind", ""),
                "kinds": ", ".join(str(label) for label in School.Kind.labels),
            }
            _error(errors, "kind", message % params, "invalid")
        else:
            data["kind"] = self.kinds[kind]
        ownership = texts.get("ownership", "").strip().lower()
        if ownership and ownership not in self.ownerships:
            message = _("Unknown ownership “%(value)s”; use public or private.")
            _error(errors, "ownership", message % {"value": texts["ownership"]}, "invalid")
        else:
            data["ownership"] = self.ownerships.get(ownership, School.Ownership.PUBLIC)
        data["division"] = self._division(texts, errors)
        for key in ("latitude", "longitude"):
            data[key] = texts.get(key, "")
        for key in ("pupil_count", "staff_count"):
            text = texts.get(key, "").replace(",", "")
            try:
                data[key] = int(text) if text else 0
            except ValueError:
                _error(errors, key, _("Enter a whole number."), "invalid")
        return self._match(data, errors)

    def _division(self, texts: dict[str, str], errors: Errors) -> Division | None:
        township = self.townships.get(texts.get("township", "").strip())
        if township is None:
            message = _("Unknown township “%(value)s”: give its name or code as in the platform.")
            _error(errors, "township", message % {"value": texts.get("township", "")}, "unknown")
            return None
        village_text = texts.get("village", "").strip()
        if not village_text:
            return township
        village = self.villages.get((township.code, village_text))
        if village is None:
            message = _("There is no village or community “%(value)s” in %(township)s.")
            params = {"value": village_text, "township": township.name}
            _error(errors, "village", message % params, "unknown")
        return village

    def _match(self, data: dict[str, Any], errors: Errors) -> _Row:
        """Find the existing school the row is for; check duplicates in the file."""
        name, code, number = data["name"], data["credit_code"], self.row_number
        valid_code = ""
        if code:
            with contextlib.suppress(ValueError):  # the service's check reports it
                valid_code = creditcode.validate(code)
        unit = (self.units_by_code.get(valid_code) if valid_code else None) or (
            self.units_by_name.get(name) if name else None
        )
        if unit is not None and not unit.is_school:
            message = _("This is %(unit)s, a unit that is not a school.") % {"unit": unit.name}
            by_code = bool(valid_code) and unit.credit_code == valid_code
            _error(errors, "credit_code" if by_code else "name", message, "not_school")
            unit = None
        for seen, key, value in (
            (self.seen_names, "name", name),
            (self.seen_codes, "credit_code", valid_code),
        ):
            if value and value in seen:
                message = _("The same as row %(row)d above.") % {"row": seen[value]}
                _error(errors, key, message, "duplicate")
            elif value:
                seen[value] = number
        if unit is not None:
            first = self.seen_units.setdefault(unit.pk, number)
            if first != number and "name" not in errors and "credit_code" not in errors:
                message = _("Row %(row)d above is for the same school.") % {"row": first}
                _error(errors, "name", message, "duplicate")
        school: School | None = getattr(unit, "school_record", None) if unit else None
        # Check the record as the service will, on copies: nothing is written here.
        if school is not None:
            target_school, target_unit = copy.copy(school), copy.copy(school.organisation)
            target_school.organisation = target_unit
        else:
            target_school, target_unit = _new_school(copy.copy(unit) if unit else None)
        service_errors: Errors = {}
        _apply(target_school, target_unit, data, full=True, errors=service_errors)
        try:
            _check(target_school, target_unit, service_errors)
        except ValidationError as exc:
            for key, messages in exc.error_dict.items():
                column = key
                if key == "division":
                    if "township" in errors or "village" in errors:
                        continue  # already said which place is unknown
                    column = (
                        "village"
                        if data["division"].level == Division.Level.VILLAGE
                        else "township"
                    )
                if key not in errors and column not in errors:
                    errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return _Row(data=data, unit=unit, school=school)


def _import_rows(upload: IO[bytes]) -> tuple[ImportReport, _Importer]:
    importer = _Importer()

    def check(number: int, texts: dict[str, str]) -> _Row:
        importer.row_number = number
        return importer.check(texts)

    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS), check, COLUMNS, keep=MAX_ERRORS_KEPT
    )
    return ImportReport(good=read.good, errors=read.errors), importer


def schools_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import the county's school list from Excel: every row checked, written only if all pass.

    A row is matched to an existing school by credit code, else by exact name, and updates it;
    other rows create schools. Raises ValidationError when the file cannot be read at all.
    """
    require_perm(actor, "schools.import_schools")
    report, _importer = _import_rows(upload)
    if not report.clean:
        return report
    with transaction.atomic():
        for _number, row in report.good:
            if row.school is not None:
                school = School.objects.select_related("organisation__division").get(
                    pk=row.school.pk
                )
                before = (
                    snapshot(school, SCHOOL_FIELDS),
                    snapshot(school.organisation, UNIT_FIELDS),
                )
                school_update(actor=actor, school=school, data=row.data)
                after = (
                    snapshot(school, SCHOOL_FIELDS),
                    snapshot(school.organisation, UNIT_FIELDS),
                )
                if before == after:
                    report.unchanged += 1
                else:
                    report.updated += 1
            else:
                unit = Organisation.objects.get(pk=row.unit.pk) if row.unit else None
                school_create(actor=actor, data=row.data, unit=unit)
                report.created += 1
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("School list import"),
            operation="schools_import",
            rows=len(report.good),
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return report


def _export_row(school: School) -> list[Any]:
    unit = school.organisation
    division = unit.division
    if division.level == Division.Level.TOWNSHIP or division.parent is None:
        township, village = division.name, ""
    else:
        township, village = division.parent.name, division.name
    return [
        unit.name,
        unit.credit_code,
        school.get_kind_display(),
        school.get_ownership_display(),
        township,
        village,
        school.address,
        "" if school.latitude is None else f"{school.latitude:.6f}",
        "" if school.longitude is None else f"{school.longitude:.6f}",
        school.pupil_count,
        school.staff_count,
        school.principal_name,
        school.principal_phone,
    ]


def schools_template() -> bytes:
    """The import template: the export's columns, in the user's language, one example row."""
    return spreadsheets.template_bytes(_("Schools"), COLUMNS)


def schools_export(*, actor: User, purpose: str = "") -> bytes:
    """The open schools as .xlsx, in the import's columns (so an export imports back); audited."""
    require_perm(actor, "schools.export_schools")
    schools = School.objects.for_user(actor).open().select_related("organisation__division__parent")
    rows = [_export_row(school) for school in schools]
    content = spreadsheets.workbook_bytes(
        _("Schools"),
        [str(column.header) for column in COLUMNS],
        rows,
        [column.width for column in COLUMNS],
        text_rows=len(rows),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("School list"),
        operation="schools_export",
        rows=len(rows),
        purpose=purpose,
    )
    return content
