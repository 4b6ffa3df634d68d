"""The registry of sites: create, change, the villages without an open site, the export."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.family.models import Site
from weibao.kit import spreadsheets
from weibao.kit.fielderrors import Errors, error, merge
from weibao.kit.guards import raise_if, require_perm

SITE_FIELDS = (
    "kind", "name", "village", "address", "latitude", "longitude", "operating_unit",
    "opening_hours", "contact_name", "contact_phone", "facilities", "status",
)  # fmt: skip
PLACES = Decimal("0.000001")
# The county's box, roughly (a coordinate outside it is a typing mistake).
LATITUDE_RANGE = (Decimal("18"), Decimal("54"))
LONGITUDE_RANGE = (Decimal("73"), Decimal("136"))


def _apply(site: Site, data: Mapping[str, Any], errors: Errors) -> None:
    for name in SITE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name in ("latitude", "longitude"):
            try:
                value = (
                    None
                    if value in (None, "")
                    else Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)
                )
            except (InvalidOperation, ValueError, TypeError):
                error(errors, name, _("Enter a number of degrees, such as 27.43."))
                continue
        elif value is None and name not in ("village", "operating_unit"):
            value = ""
        setattr(site, name, value)


def _check(site: Site, errors: Errors) -> None:
    site.name = " ".join((site.name or "").split())
    if not site.name:
        error(errors, "name", _("Give the site's name."), "required")
    village = site.village if site.village_id else None
    if village is None:
        error(errors, "village", _("Give the village or community the site is in."), "required")
    elif village.level != Division.Level.VILLAGE:
        error(errors, "village", _("Choose a village or community, not a township."), "level")
    lat, lng = site.latitude, site.longitude
    if (lat is None) != (lng is None) and "latitude" not in errors:
        error(errors, "latitude", _("Give both the latitude and the longitude, or neither."))
    if lat is not None and not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
        error(errors, "latitude", _("This latitude is outside China; check the number."))
    if lng is not None and not LONGITUDE_RANGE[0] <= lng <= LONGITUDE_RANGE[1]:
        error(errors, "longitude", _("This longitude is outside China; check the number."))
    if site.village_id and site.name and site.kind:
        twin = (
            Site.objects.filter(village_id=site.village_id, kind=site.kind, name=site.name)
            .exclude(pk=site.pk)
            .first()
        )
        if twin is not None:
            error(
                errors,
                "name",
                _("This village already has a site of this kind with this name (no. %(pk)d).")
                % {"pk": twin.pk},
                "duplicate",
            )
    try:
        site.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        merge(errors, exc)
    raise_if(errors)


def site_create(*, actor: User, data: Mapping[str, Any]) -> Site:
    """Register a site."""
    require_perm(actor, "family.manage_sites")
    site = Site(created_by=actor)
    errors: Errors = {}
    _apply(site, data, errors)
    _check(site, errors)
    with transaction.atomic(durable=True):
        site.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=site,
            target_repr=str(site),
            operation="family_site_create",
        )
    return site


def site_update(*, actor: User, site: Site, data: Mapping[str, Any]) -> Site:
    """Change a site's record (hours, contact, status...)."""
    require_perm(actor, "family.change_site", site)
    before = snapshot(site, SITE_FIELDS)
    errors: Errors = {}
    try:
        _apply(site, data, errors)
        _check(site, errors)
    except ValidationError:
        site.refresh_from_db()
        raise
    with transaction.atomic(durable=True):
        site.save()
        changes = diff(site, before, SITE_FIELDS)
        if "name" in changes:  # the audit masks a "name" as a person's; a site's is public
            changes["site_name"] = changes.pop("name")
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=site,
                target_repr=str(site),
                operation="family_site_update",
                changes=changes,
            )
    return site


def villages_without_site(township: Division | None = None) -> QuerySet[Division]:
    """The villages and communities with no open site (of a township, or of the county)."""
    villages = Division.objects.filter(level=Division.Level.VILLAGE)
    if township is not None:
        villages = villages.filter(code__startswith=township.prefix)
    has_site = Site.objects.open().filter(village=OuterRef("pk"))
    return villages.filter(~Exists(has_site)).select_related("parent").order_by("code")


def townships_coverage() -> list[dict[str, Any]]:
    """Per township: villages, villages with an open site, without one."""
    villages = Division.objects.filter(level=Division.Level.VILLAGE)
    has_site = Site.objects.open().filter(village=OuterRef("pk"))
    counted = {
        row["parent"]: row
        for row in villages.annotate(covered=Exists(has_site))
        .values("parent")
        .annotate(total=Count("pk"), with_site=Count("pk", filter=Q(covered=True)))
        .order_by()
    }
    rows = []
    for township in Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"):
        found = counted.get(township.pk, {"total": 0, "with_site": 0})
        rows.append(
            {
                "township": township,
                "total": found["total"],
                "with_site": found["with_site"],
                "without": found["total"] - found["with_site"],
            }
        )
    return rows


def _headers() -> list[str]:
    return [
        _("Kind of site"), _("Site name"), _("Township"), _("Village or community"),
        pgettext("place", "Address"), _("Longitude"), _("Latitude"), _("Operating unit"),
        _("Opening hours"), _("Contact person"), _("Contact phone"), _("Facilities"), _("Status"),
    ]  # fmt: skip


def sites_export(*, actor: User, among: QuerySet[Site] | None = None) -> bytes:
    """The sites the actor reads (of `among`, a filtered list), as Excel; audited. A site's
    contact is a public point of contact, not a child's data."""
    require_perm(actor, "family.view_sites")
    sites = Site.objects.for_user(actor).select_related("village__parent", "operating_unit")
    if among is not None:
        sites = sites.filter(pk__in=among.values("pk"))
    book = spreadsheets.ExportBook()
    sheet = book.sheet(_("Sites"))
    sheet.append(_headers())
    rows = 0
    for site in sites.order_by("village__code", "kind", "name", "pk").iterator(chunk_size=2000):
        village = site.village
        sheet.append(
            [
                site.get_kind_display(),
                site.name,
                village.parent.name if village.parent else "",
                village.name,
                site.address,
                f"{site.longitude:.6f}" if site.longitude is not None else "",
                f"{site.latitude:.6f}" if site.latitude is not None else "",
                site.operating_unit.name if site.operating_unit else "",
                site.opening_hours,
                site.contact_name,
                site.contact_phone,
                site.facilities,
                site.get_status_display(),
            ]
        )
        rows += 1
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Family-education sites"),
        operation="family_sites_export",
        rows=rows,
    )
    return book.bytes()
