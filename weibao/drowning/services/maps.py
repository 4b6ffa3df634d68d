"""The county's township map: the GeoJSON file of township boundaries the water-resources
bureau uploads, checked whole before it replaces the one stored (nothing changes on an error),
and the points the map draws.

A valid file is a FeatureCollection of at most MAX_FEATURES Features, each a Polygon or a
MultiPolygon in longitude/latitude with a `name` property (the township's name, unique in the
file), at most MAX_MAP_BYTES in size.
"""

from __future__ import annotations

import json
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.drowning.models import TownshipMap
from weibao.kit.guards import require_perm

MAX_MAP_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 500
EMPTY = {"type": "FeatureCollection", "features": []}


def _fail(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


def _is_position(value: Any) -> bool:
    if not isinstance(value, list | tuple) or len(value) < 2:
        return False
    lng, lat = value[0], value[1]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lng, lat))
    return numbers and -180 <= lng <= 180 and -90 <= lat <= 90


def _polygon_ok(rings: Any) -> bool:
    if not isinstance(rings, list) or not rings:
        return False
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return False
        if not all(_is_position(p) for p in ring) or list(ring[0][:2]) != list(ring[-1][:2]):
            return False
    return True


def _geometry_ok(geometry: Any) -> bool:
    if not isinstance(geometry, dict):
        return False
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_ok(coordinates)
    if kind == "MultiPolygon":
        return (
            isinstance(coordinates, list)
            and bool(coordinates)
            and all(_polygon_ok(p) for p in coordinates)
        )
    return False


def parse_township_map(content: bytes) -> dict[str, Any]:
    """The FeatureCollection in `content`, checked; raises ValidationError keyed "file" with
    the first problem, naming the feature (its number and name)."""
    if len(content) > MAX_MAP_BYTES:
        message = _("The file is too large: %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(len(content)),
            "limit": filesizeformat(MAX_MAP_BYTES),
        }
        raise _fail(message, "too_large")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        message = _("The file is not GeoJSON: it cannot be read as JSON text.")
        raise _fail(message, "not_json") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _fail(_("The file must hold one GeoJSON FeatureCollection."), "not_collection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _fail(_("The FeatureCollection holds no features."), "no_features")
    if len(features) > MAX_FEATURES:
        message = _("The file holds %(n)d features; the limit is %(max)d.") % {
            "n": len(features),
            "max": MAX_FEATURES,
        }
        raise _fail(message, "too_many")
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _fail(_("Feature %(n)d is not a GeoJSON Feature.") % {"n": number}, "feature")
        properties = feature.get("properties")
        name = properties.get("name") if isinstance(properties, dict) else None
        if not isinstance(name, str) or not name.strip():
            message = _("Feature %(n)d has no name: give each township a “name” property.")
            raise _fail(message % {"n": number}, "no_name")
        name = name.strip()
        if name in seen:
            message = _("Feature %(n)d (%(name)s): another feature has the same name.")
            raise _fail(message % {"n": number, "name": name}, "duplicate_name")
        seen.add(name)
        if not _geometry_ok(feature.get("geometry")):
            message = _(
                "Feature %(n)d (%(name)s) is not a Polygon or MultiPolygon of closed rings of "
                "[longitude, latitude] points."
            )
            raise _fail(message % {"n": number, "name": name}, "geometry")
        kept.append(
            {
                "type": "Feature",
                "properties": {**properties, "name": name},  # type: ignore[dict-item]
                "geometry": feature["geometry"],
            }
        )
    return {"type": "FeatureCollection", "features": kept}


def township_map_upload(*, actor: User, upload: IO[bytes], name: str = "") -> TownshipMap:
    """Check the uploaded boundaries and store them in place of the old ones."""
    require_perm(actor, "drowning.upload_map")
    content = upload.read(MAX_MAP_BYTES + 1)
    collection = parse_township_map(content)
    features = collection["features"]
    with transaction.atomic(durable=True):
        replaced = TownshipMap.objects.count()
        TownshipMap.objects.all().delete()
        stored = TownshipMap.objects.create(
            geojson=json.dumps(collection, ensure_ascii=False, separators=(",", ":")),
            file_name=name[:200],
            townships=len(features),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        record(
            AuditEvent.Action.UPDATE if replaced else AuditEvent.Action.CREATE,
            actor=actor,
            target=stored,
            target_repr=str(stored),
            operation="township_map_upload",
            townships=len(features),
            replaced=replaced,
        )
    return stored


def township_map() -> str:
    """The stored boundaries as GeoJSON text (an empty FeatureCollection without any)."""
    stored = TownshipMap.objects.order_by("-uploaded_at", "-pk").only("geojson").first()
    return stored.geojson if stored else json.dumps(EMPTY)


def unknown_townships(stored: TownshipMap) -> list[str]:
    """The names in the stored map that are no township of the division tree."""
    names = [f["properties"]["name"] for f in json.loads(stored.geojson)["features"]]
    known = set(Division.objects.townships().filter(name__in=names).values_list("name", flat=True))
    return [n for n in names if n not in known]
