from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.core import jobs
from weibao.core.models import Job
from weibao.people.services import EXPORT_JOB_KIND, person_export, person_export_start

PURPOSE = "学期初留守儿童走访名单"


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _all_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_export_writes_masked_rows_with_a_header_in_the_users_language(
    coordinator, pupil_a, pupil_b
) -> None:
    content, count = person_export(actor=coordinator, filters={}, purpose=PURPOSE, language="en")
    rows = _rows(content)
    assert count == 2
    assert rows[0][:3] == ("Record number", "Name", "Sex")
    names = {row[1] for row in rows[1:]}
    assert names == {"张*", "李*梅"}
    text = _all_text(content)
    for person in (pupil_a, pupil_b):
        assert person.id_number not in text
        assert person.phone not in text
        assert person.masked_id_number in text
    assert "张三" not in text and "李小梅" not in text


def test_export_is_audited_with_purpose_and_row_count(coordinator, pupil_a, pupil_b) -> None:
    person_export(
        actor=coordinator, filters={"q": pupil_a.id_number}, purpose=PURPOSE, language="en"
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail["purpose"] == PURPOSE
    assert event.detail["rows"] == 1
    assert event.detail["filters"]["q"] == pupil_a.masked_id_number


def test_export_keeps_to_the_users_scope_whatever_the_filters(liaison_a, pupil_a, pupil_b):
    content, count = person_export(actor=liaison_a, filters={}, purpose=PURPOSE, language="en")
    assert [row[0] for row in _rows(content)[1:]] == [pupil_a.pk]
    # Asking for school B's pupils is not a valid filter for school A: nothing, not everything.
    content, count = person_export(
        actor=liaison_a,
        filters={"school": str(pupil_b.school_id)},
        purpose=PURPOSE,
        language="en",
    )
    assert count == 0
    assert len(_rows(content)) == 1


@pytest.mark.parametrize("purpose", ["", "  ", "看看"])
def test_export_needs_a_purpose(coordinator, pupil_a, purpose) -> None:
    with pytest.raises(ValidationError) as caught:
        person_export_start(actor=coordinator, filters={}, purpose=purpose)
    assert "purpose" in caught.value.message_dict
    with pytest.raises(ValidationError):
        person_export(actor=coordinator, filters={}, purpose=purpose)
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_job_runs_for_the_user_who_started_it(
    liaison_a, pupil_a, pupil_b, file_root, django_capture_on_commit_callbacks
) -> None:
    job = person_export_start(
        actor=liaison_a, filters={"minors": "on"}, purpose=PURPOSE, language="en"
    )
    assert job.kind == EXPORT_JOB_KIND
    assert job.params["filters"] == {"minors": "on"}
    # Tampered parameters cannot widen the export: the scope comes from the starter.
    Job.objects.filter(pk=job.pk).update(
        params={**job.params, "filters": {}, "actor": "coordinator"}
    )
    assert jobs.execute(str(job.pk)) == Job.Status.DONE
    job.refresh_from_db()
    assert job.result is not None
    assert job.result.name.endswith(".xlsx")
    with job.result.file.open("rb") as handle:
        rows = _rows(handle.read())
    assert [row[0] for row in rows[1:]] == [pupil_a.pk]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=liaison_a).exists()
