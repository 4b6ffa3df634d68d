"""The registry of venues: every write, the supervising unit by kind, the import and export.

A venue's place is checked against the county's box (shared with drowning prevention:
weibao.drowning.services.county_box); its credit code against GB 32100 and the registry (one
venue per code). Saving a venue checks it against every school at once (checks.recheck).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.drowning.services import county_box
from weibao.kit import geo, spreadsheets
from weibao.kit.fielderrors import Errors, error, labels, merge
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.spreadsheets import Column, Report
from weibao.lib import creditcode
from weibao.venues.kinds import SUPERVISOR_KIND, VenueKind
from weibao.venues.models import Venue
from weibao.venues.services import checks

VENUE_FIELDS = (
    "kind", "name", "credit_code", "licence_number", "licence_expires", "operator", "phone",
    "address", "village", "latitude", "longitude", "opening_hours", "status", "notes",
)  # fmt: skip
# Changes that call for a new check against the schools.
PLACE_FIELDS = ("kind", "latitude", "longitude", "status")
PLACES = Decimal("0.000001")
MAX_ERRORS_KEPT = 5000
K = Organisation.Kind


class Supervisors:
    """The unit that supervises a venue of a kind in a village: the county's unit of the kind
    (the first active one), or, for hotels, the police station of the venue's township (else
    the public-security bureau). Reads the units once, for many venues."""

    def __init__(self) -> None:
        self.by_kind: dict[str, Organisation] = {}
        self.stations: list[Organisation] = []
        wanted = {*SUPERVISOR_KIND.values(), K.PUBLIC_SECURITY}
        units = (
            Organisation.objects.active()
            .filter(kind__in=wanted)
            .select_related("division")
            .order_by("pk")
        )
        for unit in units:
            if unit.kind == K.POLICE_STATION:
                self.stations.append(unit)
            else:
                self.by_kind.setdefault(unit.kind, unit)

    def for_venue(self, kind: str, village: Division | None) -> Organisation | None:
        unit_kind = SUPERVISOR_KIND.get(kind)
        if unit_kind is None:
            return None
        if unit_kind == K.POLICE_STATION:
            code = village.code if village is not None else ""
            for station in self.stations:
                if code.startswith(station.division.prefix):
                    return station
            return self.by_kind.get(K.PUBLIC_SECURITY)
        return self.by_kind.get(unit_kind)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value).strip()).quantize(PLACES, rounding=ROUND_HALF_UP)


def _apply(venue: Venue, data: Mapping[str, Any], errors: Errors) -> None:
    for name in VENUE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name in ("latitude", "longitude"):
            try:
                value = _decimal(value)
            except (InvalidOperation, ValueError, TypeError):
                error(errors, name, _("Enter a number of degrees, such as 27.43."))
                continue
        elif name == "licence_expires" and isinstance(value, str):
            parsed = parse_date(value) if value else None
            if value and parsed is None:
                error(errors, name, _("Enter a date such as 2027-06-30."))
                continue
            value = parsed
        elif value is None and name not in ("licence_expires", "village"):
            value = ""
        setattr(venue, name, value)


def _check(venue: Venue, box: geo.Box, errors: Errors) -> None:
    """The rules of a venue; raises with every problem, by field."""
    venue.name = " ".join((venue.name or "").split())
    if not venue.name:
        error(errors, "name", _("Give the venue's name."), "required")
    if venue.kind not in VenueKind.values:
        error(errors, "kind", _("Choose the kind of venue."), "required")
    village = venue.village if venue.village_id else None
    if village is None:
        error(errors, "village", _("Give the village or community the venue is in."), "required")
    elif village.level != Division.Level.VILLAGE:
        error(errors, "village", _("Choose a village or community, not a township."), "level")
    if "credit_code" not in errors:
        try:
            venue.credit_code = creditcode.validate(venue.credit_code or "")
        except ValueError as exc:
            error(errors, "credit_code", str(exc), "invalid_credit_code")
        else:
            twin = Venue.objects.filter(credit_code=venue.credit_code).exclude(pk=venue.pk).first()
            if twin is not None:
                message = _(
                    "Another venue is registered with this credit code: %(name)s (no. %(pk)d)."
                ) % {"name": twin.name, "pk": twin.pk}
                error(errors, "credit_code", message, "duplicate")
    lat, lng = venue.latitude, venue.longitude
    if lat is None and "latitude" not in errors:
        error(errors, "latitude", _("Give the latitude."), "required")
    if lng is None and "longitude" not in errors:
        error(errors, "longitude", _("Give the longitude."), "required")
    placed = lat is not None and lng is not None and "latitude" not in errors
    if placed and not box.contains(lat, lng):
        message = _(
            "This point is outside the county: give a longitude and latitude within "
            "%(box)s (longitude, then latitude)."
        ) % {"box": box.describe()}
        error(errors, "latitude", message, "outside_county")
    try:
        venue.full_clean(
            exclude=["supervising_unit", "created_by", "flagged_on", "licence_notified_on"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        merge(errors, exc)
    raise_if(errors)


def _require_reach(actor: User, venue: Venue, errors: Errors) -> None:
    """A unit keeps only the venues of its kinds and area: say so on the field."""
    if venue.village_id and venue.kind and not actor.has_perm("venues.change_venue", venue):
        message = _("You cannot keep a venue of this kind in this place.")
        error(errors, "kind", message, "outside_area")


def _write(
    *, actor: User, venue: Venue, data: Mapping[str, Any], box: geo.Box, supervisors: Supervisors
) -> tuple[bool, dict[str, Any]]:
    """Apply, check, save and audit one venue inside the caller's transaction: whether it
    was created, and the changes."""
    creating = venue.pk is None
    before = snapshot(venue, VENUE_FIELDS) if not creating else {}
    old_expiry = venue.licence_expires
    errors: Errors = {}
    _apply(venue, data, errors)
    _require_reach(actor, venue, errors)
    _check(venue, box, errors)
    venue.supervising_unit = supervisors.for_venue(venue.kind, venue.village)
    if creating:
        venue.created_by = actor
    if venue.licence_expires != old_expiry:
        venue.licence_notified_on = None  # a new licence: its expiry is told afresh
    venue.save()
    if creating:
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=venue,
            target_repr=str(venue),
            operation="venue_create",
        )
        return True, {}
    changes = diff(venue, before, VENUE_FIELDS)
    if "name" in changes:  # the audit masks a "name" as a person's; a venue's is public
        changes["venue_name"] = changes.pop("name")
    if changes:
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=venue,
            target_repr=str(venue),
            operation="venue_update",
            changes=changes,
        )
    return False, changes


def venue_create(*, actor: User, data: Mapping[str, Any]) -> Venue:
    """Register a venue and check it against every school."""
    require_perm(actor, "venues.manage_venues")
    venue = Venue()
    with transaction.atomic(durable=True):
        _write(actor=actor, venue=venue, data=data, box=county_box(), supervisors=Supervisors())
        checks.recheck(venue_ids=[venue.pk])
    return venue


def venue_update(*, actor: User, venue: Venue, data: Mapping[str, Any]) -> Venue:
    """Change a venue's record (a new licence, a move, a reopening); checked again against the
    schools when its kind, place or status changed."""
    require_perm(actor, "venues.change_venue", venue)
    with transaction.atomic(durable=True):
        _created, changes = _write(
            actor=actor, venue=venue, data=data, box=county_box(), supervisors=Supervisors()
        )
        if any(name in changes for name in PLACE_FIELDS):
            checks.recheck(venue_ids=[venue.pk])
    return venue


# Excel import and export -------------------------------------------------------------------------

COLUMNS = (
    Column("kind", gettext_lazy("Kind of venue"), example="V01", width=14),
    Column("name", pgettext_lazy("venue", "Venue name"), example="网鱼网咖", width=22),
    Column("credit_code", gettext_lazy("Unified social credit code"), code=True,
           example="91361025MA35XXXX0X", width=22),
    Column("licence_number", gettext_lazy("Licence number"), required=False, code=True, width=18),
    Column("licence_expires", gettext_lazy("Licence expires on"), required=False, date=True,
           example="2027-06-30", width=14),
    Column("operator", gettext_lazy("Operator"), required=False, example="张三", width=10,
           person_name=True),
    Column("phone", gettext_lazy("Phone"), required=False, code=True, width=14),
    Column("township", gettext_lazy("Township"), example="鳌溪镇", width=14),
    Column("village", gettext_lazy("Village or community"), example="鳌溪村", width=16),
    Column("address", pgettext_lazy("place", "Address"), required=False, width=28),
    Column("longitude", gettext_lazy("Longitude"), example="115.830000", width=12),
    Column("latitude", gettext_lazy("Latitude"), example="27.430000", width=12),
    Column("opening_hours", gettext_lazy("Opening hours"), required=False, example="08:00-24:00",
           width=14),
    Column("status", gettext_lazy("Status"), required=False, example="open", width=10),
    Column("notes", gettext_lazy("Notes"), required=False, width=30),
)  # fmt: skip


@dataclass
class ImportReport(Report):
    created: int = 0
    updated: int = 0
    violations: int = 0


@dataclass
class _Row:
    data: dict[str, Any]
    venue_pk: int | None


class _Importer:
    """Checks rows against the database, the actor's reach and the rows above them."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.box = county_box()
        self.kinds = labels(VenueKind)
        self.statuses = labels(Venue.Status)
        self.townships: dict[str, Division] = {}
        self.villages: dict[tuple[str, str], Division] = {}
        for division in Division.objects.filter(
            level__in=(Division.Level.TOWNSHIP, Division.Level.VILLAGE)
        ):
            if division.level == Division.Level.TOWNSHIP:
                self.townships[division.name] = self.townships[division.code] = division
            else:
                key = division.code[:9] + "000"
                self.villages[(key, division.name)] = self.villages[(key, division.code)] = division
        self.existing = dict(Venue.objects.exclude(credit_code="").values_list("credit_code", "pk"))
        self.seen: dict[str, int] = {}
        self.row_number = 0

    def check(self, texts: dict[str, str]) -> _Row:
        errors: Errors = {}
        data: dict[str, Any] = {
            name: texts.get(name, "")
            for name in ("name", "licence_number", "operator", "phone", "address", "latitude",
                         "longitude", "opening_hours", "notes")
        }  # fmt: skip
        kind = texts.get("kind", "").strip()
        value = self.kinds.get(kind.lower())
        if value is None:
            message = _("Unknown kind of venue “%(value)s”; use a code V01–V12 or its name.")
            error(errors, "kind", message % {"value": kind})
        else:
            data["kind"] = value
        status = texts.get("status", "").strip()
        data["status"] = Venue.Status.OPEN
        if status:
            if status.lower() not in self.statuses:
                error(errors, "status", _("Unknown status “%(value)s”.") % {"value": status})
            else:
                data["status"] = self.statuses[status.lower()]
        expires = texts.get("licence_expires", "").strip()
        data["licence_expires"] = None
        if expires:
            parsed = parse_date(expires[:10])
            if parsed is None:
                error(errors, "licence_expires", _("Enter a date such as 2027-06-30."))
            else:
                data["licence_expires"] = parsed
        data["village"] = self._village(texts, errors)
        venue_pk = None
        code = creditcode.normalise(texts.get("credit_code", ""))
        data["credit_code"] = code
        if code:
            venue_pk = self.existing.get(code)
            if code in self.seen:
                message = _("The same credit code as row %(row)d above.") % {"row": self.seen[code]}
                error(errors, "credit_code", message, "duplicate")
            else:
                self.seen[code] = self.row_number
        target = Venue(pk=venue_pk) if venue_pk else Venue()
        service_errors: Errors = {}
        _apply(target, data, service_errors)
        _require_reach(self.actor, target, service_errors)
        try:
            _check(target, self.box, service_errors)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = "township" if name == "village" and "township" in errors else name
                if column not in errors and column in {c.key for c in COLUMNS}:
                    errors.setdefault(column, []).extend(ValidationError(m) for m in messages)
        raise_if(errors)
        return _Row(data=data, venue_pk=venue_pk)

    def _village(self, texts: Mapping[str, str], errors: Errors) -> Division | None:
        township = self.townships.get(texts.get("township", "").strip())
        if township is None:
            message = _(
                "Unknown township “%(value)s”: give its name or code as in the platform."
            ) % {"value": texts.get("township", "")}
            error(errors, "township", message, "unknown")
            return None
        text = texts.get("village", "").strip()
        village = self.villages.get((township.code, text))
        if village is None:
            message = _("There is no village or community “%(value)s” in %(township)s.") % {
                "value": text,
                "township": township.name,
            }
            error(errors, "village", message, "unknown")
        return village


def _import_rows(actor: User, upload: IO[bytes]) -> ImportReport:
    importer = _Importer(actor)

    def check(number: int, texts: dict[str, str]) -> _Row:
        importer.row_number = number
        return importer.check(texts)

    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS), check, COLUMNS, keep=MAX_ERRORS_KEPT
    )
    return ImportReport(good=read.good, errors=read.errors)


def venues_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import venues from Excel: every row checked, and written only if every row passes.

    A row whose credit code is registered updates that venue; other rows add venues. The
    venues written are checked against every school in one pass. Raises ValidationError when
    the file cannot be read at all."""
    require_perm(actor, "venues.manage_venues")
    report = _import_rows(actor, upload)
    if not report.clean:
        return report
    box, supervisors = county_box(), Supervisors()
    written: list[int] = []
    with transaction.atomic(durable=True):
        for _number, row in report.good:
            if row.venue_pk:
                venue = Venue.objects.select_for_update().get(pk=row.venue_pk)
                require_perm(actor, "venues.change_venue", venue)
                _created, changes = _write(
                    actor=actor, venue=venue, data=row.data, box=box, supervisors=supervisors
                )
                report.updated += bool(changes)
            else:
                venue = Venue()
                _write(actor=actor, venue=venue, data=row.data, box=box, supervisors=supervisors)
                report.created += 1
            written.append(venue.pk)
        outcome = checks.recheck(venue_ids=written)
        report.violations = outcome.opened
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("Venues import"),
            operation="venues_import",
            rows=len(report.good),
            created=report.created,
            updated=report.updated,
        )
    return report


def venues_template() -> bytes:
    return spreadsheets.template_bytes(_("Venues"), COLUMNS)


def _export_row(venue: Venue) -> list[Any]:
    village = venue.village
    expires: date | None = venue.licence_expires
    return [
        venue.kind,
        venue.name,
        venue.credit_code,
        venue.licence_number,
        expires.isoformat() if expires else "",
        venue.operator,
        venue.phone,
        village.parent.name if village.parent else "",
        village.name,
        venue.address,
        f"{venue.longitude:.6f}",
        f"{venue.latitude:.6f}",
        venue.opening_hours,
        venue.get_status_display(),
        venue.notes,
    ]


def venues_export(*, actor: User, among: QuerySet[Venue] | None = None) -> bytes:
    """The venues the actor reads (of `among`, a filtered list, if given), in the import's
    columns, so an export imports back; audited."""
    require_perm(actor, "venues.view_venues")
    venues = Venue.objects.for_user(actor).select_related("village__parent")
    if among is not None:
        venues = venues.filter(pk__in=among.values("pk"))
    rows = [_export_row(v) for v in venues]
    content = spreadsheets.workbook_bytes(
        _("Venues"),
        [str(column.header) for column in COLUMNS],
        rows,
        [column.width for column in COLUMNS],
        text_rows=len(rows),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Venues"),
        operation="venues_export",
        rows=len(rows),
    )
    return content
