"""Sites: registering and changing one, each refusal (and an update refused leaves the row as it
was), the audit, the villages without an open site, the coverage by township, the export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from weibao.accounts.models import Division
from weibao.audit.models import AuditEvent
from weibao.family import services
from weibao.family.models import Site
from weibao.family.tests.conftest import site_data


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {name: [str(e.code) for e in errors] for name, errors in exc.value.error_dict.items()}


def test_create_registers_the_site_and_audits(county, civil) -> None:
    site = services.site_create(actor=civil, data=site_data(county, name="  鳌溪村  儿童之家 "))
    site.refresh_from_db()
    assert site.name == "鳌溪村 儿童之家"
    assert site.village == county.village_a
    assert site.latitude == Decimal("27.430000") and site.longitude == Decimal("115.830000")
    assert site.created_by == civil and site.status == Site.Status.OPEN
    event = AuditEvent.objects.get(detail__operation="family_site_create")
    assert event.action == AuditEvent.Action.CREATE
    assert event.target_id == str(site.pk) and event.actor == civil


def test_the_womens_federation_registers_sites_too(county, womens) -> None:
    site = services.site_create(
        actor=womens, data=site_data(county, kind=Site.Kind.WOMEN_CHILDREN_CENTRE, name="妇儿家园")
    )
    assert Site.objects.get() == site


def test_coordinates_are_optional_but_go_together(county, civil) -> None:
    site = services.site_create(
        actor=civil, data=site_data(county, latitude="", longitude=None, name="无坐标之家")
    )
    assert site.latitude is None and site.longitude is None


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"name": "   "}, "name", "Give the site's name."),
        ({"village": None}, "village", "Give the village or community the site is in."),
        ({"latitude": "27.43", "longitude": ""}, "latitude", "Give both the latitude"),
        ({"latitude": "", "longitude": "115.83"}, "latitude", "Give both the latitude"),
        ({"latitude": "60.0"}, "latitude", "This latitude is outside China"),
        ({"longitude": "150.0"}, "longitude", "This longitude is outside China"),
        ({"latitude": "north"}, "latitude", "Enter a number of degrees"),
        ({"kind": "castle"}, "kind", ""),
        ({"status": "demolished"}, "status", ""),
    ],
)
def test_create_refuses(county, civil, extra, field, message) -> None:
    with pytest.raises(ValidationError) as exc:
        services.site_create(actor=civil, data=site_data(county, **extra))
    assert field in exc.value.message_dict
    assert any(message in m for m in exc.value.message_dict[field])
    assert not Site.objects.exists()
    assert not AuditEvent.objects.filter(detail__operation="family_site_create").exists()


def test_a_township_is_not_a_village(county, civil) -> None:
    with pytest.raises(ValidationError) as exc:
        services.site_create(actor=civil, data=site_data(county, village=county.township_a))
    assert codes(exc)["village"] == ["level"]
    assert not Site.objects.exists()


def test_the_same_name_twice_in_a_village_is_refused(county, civil, site) -> None:
    with pytest.raises(ValidationError) as exc:
        services.site_create(actor=civil, data=site_data(county))
    assert codes(exc)["name"] == ["duplicate"]
    assert f"no. {site.pk}" in exc.value.message_dict["name"][0]
    # Another village, or another kind, may have the same name.
    services.site_create(actor=civil, data=site_data(county, village=county.village_b))
    services.site_create(actor=civil, data=site_data(county, kind=Site.Kind.PARENT_SCHOOL))
    assert Site.objects.count() == 3


def test_update_changes_and_audits_the_difference(county, civil, site) -> None:
    services.site_update(
        actor=civil,
        site=site,
        data={"opening_hours": "每天 8:00-18:00", "status": Site.Status.SUSPENDED, "name": "新名"},
    )
    site.refresh_from_db()
    assert site.opening_hours == "每天 8:00-18:00" and site.status == Site.Status.SUSPENDED
    event = AuditEvent.objects.get(detail__operation="family_site_update")
    changes = event.detail["changes"]
    assert set(changes) == {"opening_hours", "status", "site_name"}
    assert changes["site_name"][1] == "新名"  # a site's name is public, not masked


def test_update_without_a_change_records_nothing(county, civil, site) -> None:
    services.site_update(actor=civil, site=site, data={"opening_hours": site.opening_hours})
    assert not AuditEvent.objects.filter(detail__operation="family_site_update").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "opening_hours": "全天"},
        {"latitude": "80", "contact_name": "王五"},
        {"longitude": "", "contact_name": "王五"},
        {"village": "township", "contact_name": "王五"},
        {"name": "鳌溪村家长学校", "kind": Site.Kind.PARENT_SCHOOL, "contact_name": "王五"},
    ],
)
def test_a_refused_update_leaves_the_site_as_it_was(county, civil, site, data) -> None:
    services.site_create(
        actor=civil, data=site_data(county, name="鳌溪村家长学校", kind=Site.Kind.PARENT_SCHOOL)
    )
    if data.get("village") == "township":
        data = {**data, "village": county.township_a}
    before = Site.objects.filter(pk=site.pk).values().get()
    with pytest.raises(ValidationError):
        services.site_update(actor=civil, site=site, data=data)
    assert Site.objects.filter(pk=site.pk).values().get() == before
    # The caller's object is put back too (a form showing it again shows the saved values).
    assert site.contact_name == "李主任" and site.name == "鳌溪村儿童之家"
    assert not AuditEvent.objects.filter(detail__operation="family_site_update").exists()


def _villages(county, n: int, township: Division) -> list[Division]:
    return [
        Division.objects.create(
            code=f"{township.code[:9]}{300 + i:03d}",
            name=f"新村{township.name}{i}",
            level=Division.Level.VILLAGE,
            parent=township,
        )
        for i in range(n)
    ]


def test_villages_without_site_and_townships_coverage(county, civil, site) -> None:
    extra_a = _villages(county, 2, county.township_a)
    # A closed site does not count; a suspended one neither (only open sites).
    services.site_create(
        actor=civil,
        data=site_data(county, village=extra_a[0], name="已关闭", status=Site.Status.CLOSED),
    )
    services.site_create(
        actor=civil,
        data=site_data(county, village=county.village_b, name="暂停", status=Site.Status.SUSPENDED),
    )
    without = list(services.villages_without_site())
    assert county.village_a not in without
    assert set(without) == {*extra_a, county.village_b}
    assert list(services.villages_without_site(county.township_a)) == extra_a
    assert list(services.villages_without_site(county.township_b)) == [county.village_b]

    rows = {row["township"]: row for row in services.townships_coverage()}
    assert set(rows) == {county.township_a, county.township_b}
    assert (rows[county.township_a]["total"], rows[county.township_a]["with_site"]) == (3, 1)
    assert rows[county.township_a]["without"] == 2
    assert (rows[county.township_b]["total"], rows[county.township_b]["with_site"]) == (1, 0)
    assert rows[county.township_b]["without"] == 1


def test_export_opens_and_holds_the_readers_sites(county, civil, site, team_lead, team) -> None:
    services.site_create(
        actor=civil,
        data=site_data(
            county, village=county.village_b, name="公溪村儿童之家", latitude="", longitude=""
        ),
    )
    sheet = load_workbook(io.BytesIO(services.sites_export(actor=civil))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:2] == ["Kind of site", "Site name"]
    assert [r[1] for r in rows[1:]] == ["鳌溪村儿童之家", "公溪村儿童之家"]
    assert rows[1][2:4] == ["鳌溪镇", "鳌溪村"]
    assert rows[1][5:7] == ["115.830000", "27.430000"]
    event = AuditEvent.objects.get(detail__operation="family_sites_export")
    assert event.action == AuditEvent.Action.EXPORT and event.detail["rows"] == 2
    # `among` narrows to the filtered list; a team lead reads the sites too.
    among = Site.objects.filter(village=county.village_b)
    sheet = load_workbook(io.BytesIO(services.sites_export(actor=team_lead, among=among))).active
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == ["公溪村儿童之家"]


def test_export_of_a_reader_without_the_network_is_refused(county, site, liaison_a) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.sites_export(actor=liaison_a)
