"""The registry of hazardous waters and their custodians: every write, the import and export.

A water's place is checked against the county's box (the setting DROWNING_COUNTY_BBOX as
(min_lng, min_lat, max_lng, max_lat), else the box of the schools' coordinates widened by
BOX_MARGIN degrees, else mainland China); its distance to the nearest school and the school
catchments it lies in are computed when it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.drowning.models import (
    CATCHMENT_METRES,
    EQUIPMENT_FIELDS,
    Catchment,
    Custodian,
    EquipmentState,
    HazardousWater,
)
from weibao.kit import crypto, geo, spreadsheets
from weibao.kit.fielderrors import Errors, error, labels
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.spreadsheets import Column, Report
from weibao.lib import idnumber
from weibao.people.models import Person
from weibao.people.services import normalise_phone
from weibao.schools.models import School

WATER_FIELDS = (
    "name", "kind", "village", "latitude", "longitude", "polygon", "deeper_than_half_metre",
    "risk", "sign_state", "pole_state", "rope_state", "ring_state", "notes",
)  # fmt: skip
CUSTODIAN_FIELDS = ("name", "phone", "township", "after_school", "weekends", "holidays", "summer")
BOX_MARGIN = 0.15  # degrees (about 15 km) around the schools
CHINA = geo.Box(73.0, 3.0, 136.0, 54.0)
PLACES = Decimal("0.000001")
MAX_ERRORS_KEPT = 5000

SchoolPoint = tuple[int, float, float]


# Place -----------------------------------------------------------------------------------------


def county_box() -> geo.Box:
    """The box a water's coordinates must lie in (see the module's docstring)."""
    configured = getattr(settings, "DROWNING_COUNTY_BBOX", None)
    if configured:
        return geo.Box(*(float(v) for v in configured))
    rows = School.objects.filter(latitude__isnull=False, longitude__isnull=False)
    points = [(lat, lng) for lat, lng in rows.values_list("latitude", "longitude") if lat and lng]
    return geo.Box.around(points, BOX_MARGIN) or CHINA


def school_points() -> list[SchoolPoint]:
    """Open schools with coordinates, as (pk, lat, lng): read once for many waters."""
    rows = School.objects.open().filter(latitude__isnull=False, longitude__isnull=False)
    return [
        (pk, float(lat), float(lng))
        for pk, lat, lng in rows.values_list("pk", "latitude", "longitude")
        if lat is not None and lng is not None
    ]


def _distances(water: HazardousWater, schools: Sequence[SchoolPoint]) -> list[tuple[int, int]]:
    return sorted(
        (round(geo.distance_m(water.latitude, water.longitude, lat, lng)), pk)
        for pk, lat, lng in schools
    )


def _place(water: HazardousWater, schools: Sequence[SchoolPoint]) -> list[Catchment]:
    """Set the nearest school and its distance on `water`; the catchment rows to store."""
    found = _distances(water, schools)
    if found:
        water.school_distance_m, water.nearest_school_id = found[0]
    else:
        water.school_distance_m, water.nearest_school_id = None, None
    return [
        Catchment(water_id=water.pk, school_id=pk, distance_m=metres)
        for metres, pk in found
        if metres <= CATCHMENT_METRES
    ]


def _store_catchments(water: HazardousWater, rows: list[Catchment]) -> None:
    Catchment.objects.filter(water=water).delete()
    for row in rows:
        row.water_id = water.pk
    Catchment.objects.bulk_create(rows)


def catchments_recompute() -> int:
    """The scheduler's: nearest school and catchments of every water, after schools moved or
    opened. Returns how many waters changed."""
    schools = school_points()
    changed = 0
    for water in HazardousWater.objects.order_by("pk").iterator(chunk_size=500):
        before = (water.nearest_school_id, water.school_distance_m)
        rows = _place(water, schools)
        stored = set(Catchment.objects.filter(water=water).values_list("school_id", "distance_m"))
        if before != (water.nearest_school_id, water.school_distance_m) or stored != {
            (r.school_id, r.distance_m) for r in rows
        }:
            with transaction.atomic():
                HazardousWater.objects.filter(pk=water.pk).update(
                    nearest_school_id=water.nearest_school_id,
                    school_distance_m=water.school_distance_m,
                )
                _store_catchments(water, rows)
            changed += 1
    return changed


# Waters ----------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value).strip()).quantize(PLACES, rounding=ROUND_HALF_UP)


def _apply(water: HazardousWater, data: Mapping[str, Any], errors: Errors) -> None:
    for name in WATER_FIELDS:
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
        if name in ("polygon", "notes") and value is None:
            value = ""
        setattr(water, name, value)


def _check(water: HazardousWater, box: geo.Box, errors: Errors) -> None:
    """The rules of a water; raises with every problem, by field."""
    water.name = " ".join((water.name or "").split())
    if not water.name:
        error(errors, "name", _("Give the water's name."), "required")
    village = water.village if water.village_id else None
    if village is None:
        error(errors, "village", _("Give the village the water lies in."), "required")
    elif village.level != Division.Level.VILLAGE:
        error(errors, "village", _("Choose a village or community, not a township."), "level")
    elif water.name:
        twins = HazardousWater.objects.filter(village=village, name=water.name)
        if twins.exclude(pk=water.pk).exists():
            message = _("This village already has a water of this name.")
            error(errors, "name", message, "unique")
    lat, lng = water.latitude, water.longitude
    if lat is None:
        error(errors, "latitude", _("Give the latitude."), "required")
    if lng is None:
        error(errors, "longitude", _("Give the longitude."), "required")
    placed = lat is not None and lng is not None and "latitude" not in errors
    if placed and not box.contains(lat, lng):
        message = _(
            "This point is outside the county: give a longitude and latitude within "
            "%(box)s (longitude, then latitude)."
        ) % {"box": box.describe()}
        error(errors, "latitude", message, "outside_county")
    if water.polygon:
        try:
            points = geo.polygon_points(water.polygon)
        except ValueError:
            message = _(
                "The outline must be a GeoJSON Polygon: "
                '{"type": "Polygon", "coordinates": [[[lng, lat], …, the first point again]]}.'
            )
            error(errors, "polygon", message, "invalid_polygon")
        else:
            if not all(box.contains(lat_, lng_) for lng_, lat_ in points):
                message = _("Part of the outline is outside the county.")
                error(errors, "polygon", message, "outside_county")
    try:
        water.full_clean(
            exclude=["nearest_school", "school_distance_m", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)


def _require_reach(actor: User, water: HazardousWater, errors: Errors) -> None:
    """A township keeps the waters of its own township only: say so on the village field."""
    if water.village_id and not actor.has_perm("drowning.change_water", water):
        message = _("This village is outside your area; you cannot keep its waters.")
        error(errors, "village", message, "outside_area")


def _repr(water: HazardousWater) -> str:
    return f"{water.name} ({water.village.name})"


def _write_water(
    *,
    actor: User,
    water: HazardousWater,
    data: Mapping[str, Any],
    box: geo.Box,
    schools: Sequence[SchoolPoint],
) -> dict[str, Any]:
    """Apply, check, save and audit one water (inside the caller's transaction); the changes."""
    creating = water.pk is None
    before = snapshot(water, WATER_FIELDS) if not creating else {}
    errors: Errors = {}
    _apply(water, data, errors)
    _require_reach(actor, water, errors)
    _check(water, box, errors)
    if creating:
        water.created_by = actor
    rows = _place(water, schools)
    water.save()
    _store_catchments(water, rows)
    if creating:
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=water,
            target_repr=_repr(water),
            operation="water_create",
        )
        return {}
    changes = diff(water, before, WATER_FIELDS)
    if "name" in changes:  # the audit masks a "name" as a person's; a water's is public
        changes["water_name"] = changes.pop("name")
    if changes:
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=water,
            target_repr=_repr(water),
            operation="water_update",
            changes=changes,
        )
    return changes


def water_create(*, actor: User, data: Mapping[str, Any]) -> HazardousWater:
    """Register a hazardous water in the actor's area."""
    require_perm(actor, "drowning.manage_waters")
    water = HazardousWater()
    with transaction.atomic(durable=True):
        _write_water(actor=actor, water=water, data=data, box=county_box(), schools=school_points())
    return water


def water_update(*, actor: User, water: HazardousWater, data: Mapping[str, Any]) -> HazardousWater:
    """Change a water's record (the equipment too, as found outside a patrol)."""
    require_perm(actor, "drowning.change_water", water)
    with transaction.atomic(durable=True):
        _write_water(actor=actor, water=water, data=data, box=county_box(), schools=school_points())
    return water


# Custodians ------------------------------------------------------------------------------------


def _person_by_id(text: str, errors: Errors) -> Person | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = idnumber.parse(text)
    except ValueError as exc:
        error(errors, "id_number", str(exc))
        return None
    person = Person.objects.by_id_hash(crypto.blind_index(parsed.number)).first()
    if person is None:
        message = _("Nobody with this ID number is in the register; leave it empty.")
        error(errors, "id_number", message, "unknown")
    return person


def _write_custodian(
    actor: User, custodian: Custodian, data: Mapping[str, Any]
) -> tuple[list[HazardousWater], Errors]:
    errors: Errors = {}
    for name in CUSTODIAN_FIELDS:
        if name in data:
            value = data[name]
            setattr(custodian, name, value.strip() if isinstance(value, str) else value)
    custodian.name = " ".join((custodian.name or "").split())
    if not custodian.name:
        error(errors, "name", _("Give the custodian's name."), "required")
    try:
        custodian.phone = normalise_phone(custodian.phone)
    except ValueError as exc:
        error(errors, "phone", str(exc), "invalid_phone")
    if not custodian.phone and "phone" not in errors:
        error(errors, "phone", _("Give the custodian's phone number."), "required")
    if "id_number" in data:
        custodian.person = _person_by_id(str(data.get("id_number") or ""), errors)
    township = custodian.township if custodian.township_id else None
    if township is None or township.level != Division.Level.TOWNSHIP:
        error(errors, "township", _("Choose the custodian's township."), "required")
    elif not actor.has_perm("drowning.change_custodian", custodian):
        message = _("This township is outside your area.")
        error(errors, "township", message, "outside_area")
    waters = list(data["waters"]) if "waters" in data else custodian_waters(custodian)
    if township is not None:
        outside = [w for w in waters if not w.village.code.startswith(township.prefix)]
        if outside:
            message = _("%(water)s is not in this township.") % {"water": outside[0].name}
            error(errors, "waters", message, "outside_township")
    if not any(getattr(custodian, n) for n in ("after_school", "weekends", "holidays", "summer")):
        error(errors, "after_school", _("Choose at least one duty period."), "required")
    try:
        custodian.full_clean(exclude=["person", "waters"], validate_unique=False)
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(field_errors)
    return waters, errors


def custodian_waters(custodian: Custodian) -> list[HazardousWater]:
    if custodian.pk is None:
        return []
    return list(custodian.waters.select_related("village"))


def custodian_create(*, actor: User, data: Mapping[str, Any]) -> Custodian:
    require_perm(actor, "drowning.manage_waters")
    custodian = Custodian()
    waters, errors = _write_custodian(actor, custodian, data)
    raise_if(errors)
    with transaction.atomic(durable=True):
        custodian.save()
        custodian.waters.set(waters)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=custodian,
            target_repr=custodian.name,
            operation="custodian_create",
            waters=len(waters),
        )
    return custodian


def custodian_update(*, actor: User, custodian: Custodian, data: Mapping[str, Any]) -> Custodian:
    require_perm(actor, "drowning.change_custodian", custodian)
    before = snapshot(custodian, (*CUSTODIAN_FIELDS, "person_id"))
    before_waters = sorted(w.pk for w in custodian_waters(custodian))
    waters, errors = _write_custodian(actor, custodian, data)
    raise_if(errors)
    with transaction.atomic(durable=True):
        custodian.save()
        custodian.waters.set(waters)
        changes = diff(custodian, before, (*CUSTODIAN_FIELDS, "person_id"))
        after_waters = sorted(w.pk for w in waters)
        if after_waters != before_waters:
            changes["waters"] = [str(before_waters), str(after_waters)]
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=custodian,
                target_repr=custodian.name,
                operation="custodian_update",
                changes=changes,
            )
    return custodian


# Excel import and export -------------------------------------------------------------------------

COLUMNS = (
    Column("name", gettext_lazy("Water name"), example="鳌溪村后山塘", width=24),
    Column("kind", gettext_lazy("Kind of water"), example="pond", width=12),
    Column("township", gettext_lazy("Township"), example="鳌溪镇", width=14),
    Column("village", gettext_lazy("Village or community"), example="鳌溪村", width=16),
    Column("longitude", gettext_lazy("Longitude"), example="115.830000", width=12),
    Column("latitude", gettext_lazy("Latitude"), example="27.430000", width=12),
    Column("deeper", gettext_lazy("Deeper than 0.5 m"), required=False, example="yes", width=10),
    Column("risk", gettext_lazy("Risk level"), required=False, example="high", width=10),
    Column("sign_state", gettext_lazy("Warning sign"), required=False, example="in place",
           width=10),
    Column("pole_state", gettext_lazy("Rescue pole"), required=False, example="missing",
           width=10),
    Column("rope_state", gettext_lazy("Rescue rope"), required=False, example="damaged",
           width=10),
    Column("ring_state", gettext_lazy("Life ring"), required=False, example="in place",
           width=10),
    Column("notes", gettext_lazy("Notes"), required=False, width=30),
)  # fmt: skip
YES = {"yes", "y", "1", "true", "是", "√", "深"}
NO = {"no", "n", "0", "false", "否", "×", "浅"}


@dataclass
class ImportReport(Report):
    created: int = 0
    updated: int = 0


@dataclass
class _Row:
    data: dict[str, Any]
    water_pk: int | None


class _Importer:
    """Checks rows against the database, the actor's area and the rows above them."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.box = county_box()
        self.kinds = labels(HazardousWater.Kind)
        self.risks = labels(HazardousWater.Risk)
        self.states = labels(EquipmentState)
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
        self.existing = {
            (village_id, name): pk
            for pk, village_id, name in HazardousWater.objects.values_list(
                "pk", "village_id", "name"
            )
        }
        self.seen: dict[tuple[int, str], int] = {}
        self.row_number = 0

    def _choice(
        self, texts: Mapping[str, str], key: str, known: dict[str, str], default: str,
        errors: Errors,
    ) -> str:  # fmt: skip
        text = texts.get(key, "").strip()
        if not text:
            return default
        value = known.get(text.lower())
        if value is None:
            message = _("Unknown value “%(value)s”.") % {"value": text}
            error(errors, key, message)
            return default
        return value

    def check(self, texts: dict[str, str]) -> _Row:
        errors: Errors = {}
        data: dict[str, Any] = {
            "name": " ".join(texts.get("name", "").split()),
            "notes": texts.get("notes", ""),
            "latitude": texts.get("latitude", ""),
            "longitude": texts.get("longitude", ""),
        }
        kind = texts.get("kind", "").strip().lower()
        if kind not in self.kinds:
            message = _("Unknown kind of water “%(value)s”; use one of: %(kinds)s.") % {
                "value": texts.get("kind", ""),
                "kinds": ", ".join(str(label) for label in HazardousWater.Kind.labels),
            }
            error(errors, "kind", message)
        else:
            data["kind"] = self.kinds[kind]
        data["risk"] = self._choice(texts, "risk", self.risks, HazardousWater.Risk.MEDIUM, errors)
        for name in EQUIPMENT_FIELDS.values():
            data[name] = self._choice(texts, name, self.states, EquipmentState.MISSING, errors)
        deeper = texts.get("deeper", "").strip().lower()
        if deeper and deeper not in YES | NO:
            error(errors, "deeper", _("Write yes or no."))
        data["deeper_than_half_metre"] = deeper not in NO
        village = self._village(texts, errors)
        data["village"] = village
        water_pk = None
        if village is not None and data["name"]:
            key = (village.pk, data["name"])
            water_pk = self.existing.get(key)
            if key in self.seen:
                message = _("The same as row %(row)d above.") % {"row": self.seen[key]}
                error(errors, "name", message, "duplicate")
            else:
                self.seen[key] = self.row_number
        # Check the row as the service will, on a copy: nothing is written here.
        target = HazardousWater(pk=water_pk) if water_pk else HazardousWater()
        service_errors: Errors = {}
        _apply(target, data, service_errors)
        _require_reach(self.actor, target, service_errors)
        try:
            _check(target, self.box, service_errors)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                column = "township" if field == "village" and "township" in errors else field
                if field == "deeper_than_half_metre":
                    column = "deeper"
                if field in ("nearest_school", "school_distance_m", "polygon"):
                    continue
                if column not in errors:
                    errors.setdefault(column, []).extend(ValidationError(m) for m in messages)
        raise_if(errors)
        return _Row(data=data, water_pk=water_pk)

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


def waters_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import waters from Excel: every row checked, and written only if every row passes.

    A row for a village and name already registered updates that water; other rows add waters.
    Raises ValidationError when the file cannot be read at all.
    """
    require_perm(actor, "drowning.manage_waters")
    report = _import_rows(actor, upload)
    if not report.clean:
        return report
    box, schools = county_box(), school_points()
    with transaction.atomic(durable=True):
        for _number, row in report.good:
            if row.water_pk:
                water = HazardousWater.objects.select_for_update().get(pk=row.water_pk)
                require_perm(actor, "drowning.change_water", water)
                if _write_water(actor=actor, water=water, data=row.data, box=box, schools=schools):
                    report.updated += 1
            else:
                water = HazardousWater()
                _write_water(actor=actor, water=water, data=row.data, box=box, schools=schools)
                report.created += 1
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("Hazardous waters import"),
            operation="waters_import",
            rows=len(report.good),
            created=report.created,
            updated=report.updated,
        )
    return report


def waters_template() -> bytes:
    return spreadsheets.template_bytes(_("Hazardous waters"), COLUMNS)


def _export_row(water: HazardousWater) -> list[Any]:
    village = water.village
    township = village.parent.name if village.parent else ""
    return [
        water.name,
        water.get_kind_display(),
        township,
        village.name,
        f"{water.longitude:.6f}",
        f"{water.latitude:.6f}",
        _("yes") if water.deeper_than_half_metre else _("no"),
        water.get_risk_display(),
        water.get_sign_state_display(),
        water.get_pole_state_display(),
        water.get_rope_state_display(),
        water.get_ring_state_display(),
        water.notes,
    ]


def waters_export(*, actor: User, among: QuerySet[HazardousWater] | None = None) -> bytes:
    """The waters the actor reads (of `among`, a filtered list, if given), in the import's
    columns, so an export imports back; audited."""
    require_perm(actor, "drowning.view_waters")
    waters = HazardousWater.objects.for_user(actor).select_related("village__parent")
    if among is not None:
        waters = waters.filter(pk__in=among.values("pk"))
    rows = [_export_row(w) for w in waters]
    content = spreadsheets.workbook_bytes(
        _("Hazardous waters"),
        [str(column.header) for column in COLUMNS],
        rows,
        [column.width for column in COLUMNS],
        text_rows=len(rows),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Hazardous waters"),
        operation="waters_export",
        rows=len(rows),
    )
    return content
