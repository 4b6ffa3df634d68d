from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.core import jobs
from weibao.core.models import Job

URL = reverse("people:export")
PURPOSE = "期初留守儿童走访"


def test_asks_the_purpose_and_counts_the_rows(client_for, liaison_a, pupil_a, pupil_b) -> None:
    response = client_for(liaison_a).get(URL)
    assert response.status_code == 200
    assert response.context["count"] == 1
    assert "purpose" in response.context["form"].fields


@pytest.mark.parametrize("purpose", ["", "abc"])
def test_purpose_is_required(client_for, liaison_a, pupil_a, purpose) -> None:
    response = client_for(liaison_a).post(URL, {"purpose": purpose})
    assert response.status_code == 400
    assert response.context["form"].errors["purpose"]
    assert not Job.objects.exists()


def test_starts_a_job_that_exports_only_the_users_people(
    client_for, liaison_a, pupil_a, pupil_b, file_root, django_capture_on_commit_callbacks
) -> None:
    response = client_for(liaison_a).post(f"{URL}?q=zs&minors=on", {"purpose": PURPOSE})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.params["filters"] == {"q": "zs", "minors": "on"}
    assert job.params["purpose"] == PURPOSE
    assert jobs.execute(str(job.pk)) == Job.Status.DONE
    job.refresh_from_db()
    assert job.result is not None
    with job.result.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [pupil_a.pk]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.detail["purpose"], event.detail["rows"]) == (liaison_a, PURPOSE, 1)


def test_school_b_rows_are_not_exported_for_school_a(
    client_for, liaison_a, pupil_a, pupil_b, file_root, django_capture_on_commit_callbacks
) -> None:
    client_for(liaison_a).post(f"{URL}?q=lxm", {"purpose": PURPOSE})
    job = Job.objects.get()
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.result is not None
    with job.result.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).worksheets[0]
        assert len(list(sheet.iter_rows(values_only=True))) == 1  # the header only
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).detail["rows"] == 0


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_cannot_export(request, client_for, pupil_a, user) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"purpose": PURPOSE}).status_code == 403
    assert not Job.objects.exists()


def test_a_protected_export_shows_its_password_once_and_holds_no_formula(
    client_for, liaison_a, county, file_root, django_capture_on_commit_callbacks
) -> None:
    import msoffcrypto

    from weibao.people.tests.conftest import make_person

    make_person('=HYPERLINK("http://evil.example","点我")', county.school_a, school=county.school_a)
    client = client_for(liaison_a)
    client.post(URL, {"purpose": PURPOSE, "protect": "on"})
    job = Job.objects.get()
    assert job.params["protect"] is True
    assert jobs.execute(str(job.pk)) == Job.Status.DONE
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.result is not None and job.secret == ""
    password = page.split("<code>")[1].split("</code>")[0]
    assert password not in client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    with job.result.file.open("rb") as handle:
        office = msoffcrypto.OfficeFile(io.BytesIO(handle.read()))
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    cells = [c for row in load_workbook(plain).worksheets[0].iter_rows() for c in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=") for cell in cells)
