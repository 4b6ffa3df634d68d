"""The forms that write, posted as a browser does: a rule (then the re-check job's page), a
plan with its pickers, a school's concern and its closing, an import (clean, then with a bad row
and its errors as Excel), the venue picker's first step of an inspection."""

from __future__ import annotations

from django.urls import reverse

from weibao.core.models import Job
from weibao.testing import xlsx_upload
from weibao.venues import services
from weibao.venues.models import Concern, DistanceRule, InspectionPlan, Venue
from weibao.venues.tests.conftest import code, north_of_a


def test_rule_posted_starts_the_job(client_for, coordinator, cafe) -> None:
    response = client_for(coordinator).post(
        reverse("venues:rule_list"),
        {
            "kind": "V07",
            "school_kinds": ["primary", "junior"],
            "metres": "50",
            "basis": "县人民政府通告",
        },
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert DistanceRule.objects.current().filter(kind="V07", metres=50).exists()
    bad = client_for(coordinator).post(
        reverse("venues:rule_list"),
        {"kind": "V01", "school_kinds": ["primary"], "metres": "100", "basis": "x"},
    )
    assert bad.status_code == 400 and b"stricter, not looser" in bad.content


def test_rule_end_posted(client_for, coordinator, culture) -> None:
    rule, _job = services.rule_set(
        actor=coordinator,
        data={"kind": "V07", "school_kinds": ["primary"], "metres": 50, "basis": "x"},
    )
    assert client_for(culture).post(reverse("venues:rule_end", args=[rule.pk])).status_code == 403
    response = client_for(coordinator).post(reverse("venues:rule_end", args=[rule.pk]))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.valid_to is not None


def test_plan_posted(client_for, culture, market, county) -> None:
    response = client_for(culture).post(
        reverse("venues:plan_create"),
        {
            "title": "暑期专项检查",
            "season": "summer",
            "kinds": ["V01", "V02"],
            "townships": [county.township_a.pk],
            "lead": culture.organisation_id,
            "units": [market.organisation_id],
            "starts_on": "2026-09-01",
            "due_on": "2026-09-30",
        },
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert list(plan.townships.all()) == [county.township_a]
    page = client_for(market).get(plan.get_absolute_url())
    assert page.status_code == 200 and "暑期专项检查".encode() in page.content


def test_concern_posted_and_closed(client_for, cafe, liaison_a, culture) -> None:
    url = reverse("venues:concern_create", args=[cafe.pk])
    assert client_for(liaison_a).post(url, {"text": "有"}).status_code == 400
    assert client_for(liaison_a).post(url, {"text": "放学后有学生进入"}).status_code == 302
    concern = Concern.objects.get()
    listing = client_for(culture).get(reverse("venues:concern_list"))
    assert "放学后有学生进入".encode() in listing.content and b'name="reply"' in listing.content
    assert b'name="reply"' not in client_for(liaison_a).get(reverse("venues:concern_list")).content
    close = reverse("venues:concern_close", args=[concern.pk])
    assert client_for(liaison_a).post(close, {"reply": "已处理"}).status_code in (403, 404)
    assert client_for(culture).post(close, {"reply": "已现场检查"}).status_code == 302
    concern.refresh_from_db()
    assert concern.closed_at is not None


def test_import_posted(client_for, culture, school_a) -> None:
    header = [str(c.header) for c in services.COLUMNS]

    def row(**values: str) -> list[str]:
        base = {
            "kind": "V01",
            "name": "网吧",
            "credit_code": code(),
            "township": "鳌溪镇",
            "village": "鳌溪村",
            "longitude": "115.830000",
            "latitude": north_of_a(100),
        }
        base.update(values)
        return [base.get(c.key, "") for c in services.COLUMNS]

    url = reverse("venues:venue_import")
    client = client_for(culture)  # one session: it keeps the errors for the download
    bad = client.post(url, {"file": xlsx_upload(header, [row(), row(kind="V99")])})
    assert bad.status_code == 400 and b"V99" in bad.content
    assert not Venue.objects.exists()
    errors = client.get(reverse("venues:venue_import_errors"))
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd")
    good = client.post(url, {"file": xlsx_upload(header, [row()])})
    assert good.status_code == 200 and Venue.objects.count() == 1


def test_inspection_start_picks_the_venue(client_for, culture, cafe, far_shop) -> None:
    url = reverse("venues:inspection_start")
    response = client_for(culture).get(url, {"venue": cafe.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("venues:inspection_create", args=[cafe.pk])
    # A venue outside the user's reach is not a choice.
    assert client_for(culture).get(url, {"venue": far_shop.pk}).status_code == 200
    # The picker serves the user's venues only.
    found = client_for(culture).get(reverse("core:pick", args=["venue"]), {"q": "店"})
    assert far_shop.name.encode() not in found.content
