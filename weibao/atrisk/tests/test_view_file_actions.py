"""The forms on a file: measure, factor, contact, plan, review, assign, refer, close."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from weibao.atrisk.models import AtRiskFile, Contact, FileReferral, Measure, Review, RiskFactor
from weibao.atrisk.tests.conftest import report


@pytest.fixture(autouse=True)
def _frozen():
    """A fixed day: the contact dates below are built from it."""
    with time_machine.travel(
        datetime(2026, 5, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture
def file_a(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    return AtRiskFile.objects.get(person=pupil_a)


def url(file, name):
    return f"{file.get_absolute_url()}{name}/"


def test_measure_by_the_school(client_for, liaison_a, file_a):
    r = client_for(liaison_a).post(
        url(file_a, "measures"), {"kind": "SM01", "decided_on": timezone.localdate().isoformat()}
    )
    assert r.status_code == 302 and Measure.objects.filter(file=file_a, kind="SM01").exists()


def test_measure_school_cannot_pick_police_kind(client_for, liaison_a, file_a):
    r = client_for(liaison_a).post(
        url(file_a, "measures"), {"kind": "PM01", "decided_on": timezone.localdate().isoformat()}
    )
    assert r.status_code == 400 and not Measure.objects.exists()


def test_factor_contact_plan_review(client_for, liaison_a, file_a):
    client = client_for(liaison_a)
    assert client.post(url(file_a, "factors"), {"kind": "hardship"}).status_code == 302
    assert RiskFactor.objects.filter(file=file_a, kind="hardship").exists()
    assert (
        client.post(
            url(file_a, "contacts"),
            {"kind": "talk", "done_on": timezone.localdate().isoformat(), "notes": "谈心"},
        ).status_code
        == 302
    )
    assert Contact.objects.filter(file=file_a, kind="talk").exists()
    assert (
        client.post(url(file_a, "plan"), {"goals": "按时到校", "helpers": "班主任"}).status_code
        == 302
    )
    assert file_a.plan.goals == "按时到校"
    assert client.post(url(file_a, "reviews"), {"summary": "本学期明显好转"}).status_code == 302
    assert Review.objects.filter(file=file_a).exists()


def test_bad_contact_shows_the_field_error(client_for, liaison_a, file_a):
    r = client_for(liaison_a).post(url(file_a, "contacts"), {"kind": ""})
    assert r.status_code == 400 and "kind" in r.context["form"].errors
    assert not Contact.objects.filter(done_at__isnull=False).exists()


def test_a_contact_records_the_day_it_took_place(client_for, liaison_a, file_a):
    """A visit entered on a later day keeps its own date; the future and the days before the
    file was opened are refused, and nothing is written."""
    client = client_for(liaison_a)
    today = timezone.localdate()
    r = client.post(url(file_a, "contacts"), {"kind": "talk", "done_on": str(today + timedelta(1))})
    assert r.status_code == 400
    r = client.post(url(file_a, "contacts"), {"kind": "talk", "done_on": "2001-01-01"})
    assert r.status_code == 400
    assert not Contact.objects.filter(done_at__isnull=False).exists()
    file_a.opened_at = today - timedelta(days=10)
    file_a.save()
    r = client.post(url(file_a, "contacts"), {"kind": "talk", "done_on": str(today - timedelta(3))})
    assert r.status_code == 302
    done = Contact.objects.get(done_at__isnull=False)
    assert timezone.localdate(done.done_at) == today - timedelta(3)


def test_refer_and_close(client_for, liaison_a, file_a, county):
    client = client_for(liaison_a)
    assert client.post(url(file_a, "refer"), {"unit": county.police_a.pk}).status_code == 302
    assert FileReferral.objects.filter(file=file_a, unit=county.police_a).exists()
    assert client.post(url(file_a, "close"), {"reason": "improved"}).status_code == 302
    file_a.refresh_from_db()
    assert file_a.closed_reason == "improved"


@pytest.mark.parametrize(
    "name",
    [
        "measures",
        "factors",
        "contacts",
        "plan",
        "reviews",
        "assign",
        "refer",
        "close",
        "sealed",
        "reveal",
    ],
)
def test_other_school_gets_404(client_for, liaison_b, file_a, name):
    assert client_for(liaison_b).post(url(file_a, name), {}).status_code == 404


def test_read_only_cannot_change(client_for, county, file_a):
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    viewer = make_user("viewer_a", county.school_a, Role.READ_ONLY)
    assert client_for(viewer).get(file_a.get_absolute_url()).status_code == 200
    assert client_for(viewer).post(url(file_a, "close"), {"reason": "improved"}).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["measures", "factors", "contacts", "plan", "reviews", "assign", "refer", "close", "sealed"],
)
def test_form_pages(client_for, liaison_a, liaison_b, outsider, file_a, name):
    path = f"{file_a.get_absolute_url()}{name}/form/"
    page = client_for(liaison_a).get(path)
    assert page.status_code == 200
    assert f'action="{file_a.get_absolute_url()}{name}/"' in page.content.decode()
    assert client_for(liaison_b).get(path).status_code == 404
    assert client_for(outsider).get(path).status_code == 403


def test_unknown_form_is_404(client_for, liaison_a, file_a):
    assert client_for(liaison_a).get(f"{file_a.get_absolute_url()}nothing/form/").status_code == 404
