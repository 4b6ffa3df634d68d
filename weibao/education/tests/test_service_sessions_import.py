"""The Excel import of a school's term sessions: every bad row reported, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.audit.models import AuditEvent
from weibao.education import services
from weibao.education.models import Session
from weibao.education.tests.conftest import import_row, xlsx
from weibao.legalvp.models import DutyRecord


def test_good_file(liaison_a, term, school_a, topics) -> None:
    rows = [
        import_row(),
        import_row(
            audience="parents", grades="", notice_sent="是", receipts_returned="300",
            speaker_kind="teacher", speaker_name="李老师", speaker_unit="",
        ),
        import_row(status="planned", pupils_attending="", date=term.end.isoformat()),
    ]  # fmt: skip
    report = services.sessions_import(
        actor=liaison_a, upload=xlsx(rows), term=term, school=school_a
    )
    assert report.clean and report.created == 3
    parents = Session.objects.get(audience="parents")
    assert parents.notice_sent and parents.receipts_returned == 300
    assert parents.organiser == liaison_a.organisation
    assert {t.name for t in Session.objects.get(audience="pupils", status="held").topics.all()} == {
        "预防校园欺凌", "防溺水",
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="upload", detail__created=3).exists()


def test_bad_rows_are_reported_and_nothing_is_written(liaison_a, term, school_a) -> None:
    rows = [
        import_row(),
        import_row(date="2026-13-01"),
        import_row(topics="不存在的主题"),
        import_row(audience="everyone", pupils_attending="many"),
        import_row(date=(term.start - timedelta(days=1)).isoformat()),
        import_row(speaker_kind="legal vice-principal", speaker_name="无此人"),
        import_row(pupils_attending="0"),  # the service refuses it: a held session had someone
    ]
    report = services.sessions_import(
        actor=liaison_a, upload=xlsx(rows), term=term, school=school_a
    )
    assert not report.clean and report.created == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Date"), (4, "Topics"), (5, "Audience"), (5, "Pupils attending"), (6, "Date"),
        (7, "Speaker's name"), (8, "Pupils attending"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(4, "Topics")] == "Unknown topic “不存在的主题”: use the county's topic names."
    assert messages[(8, "Pupils attending")] == "A session that was held had someone attending."
    assert not Session.objects.exists()
    assert not AuditEvent.objects.filter(target_type="education.session").exists()


def test_legal_vp_rows_write_duty_records(bureau, term, school_a, appointment) -> None:
    rows = [import_row(speaker_kind="legal vice-principal", speaker_name="王正义", speaker_unit="")]
    report = services.sessions_import(actor=bureau, upload=xlsx(rows), term=term, school=school_a)
    assert report.clean
    session = Session.objects.get()
    assert session.appointment == appointment and session.duty_record is not None
    assert DutyRecord.objects.count() == 1


def test_chinese_headers_and_labels(liaison_a, term, school_a, settings) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        header = [str(column.header) for column in services.COLUMNS]
    row = import_row(status="held", audience="parents", speaker_kind="teacher")
    report = services.sessions_import(
        actor=liaison_a, upload=xlsx([row], header=header), term=term, school=school_a
    )
    assert report.clean and report.created == 1


def test_not_allowed(liaison_b, outsider, term, school_a) -> None:
    for user in (liaison_b, outsider):
        with pytest.raises(PermissionDenied):
            services.sessions_import(actor=user, upload=xlsx([import_row()]), term=term,
                                     school=school_a)  # fmt: skip


def test_not_a_workbook(liaison_a, term, school_a) -> None:
    import io

    with pytest.raises(ValidationError):
        services.sessions_import(
            actor=liaison_a, upload=io.BytesIO(b"not excel"), term=term, school=school_a
        )


def test_template_has_the_columns() -> None:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(services.sessions_template())).active
    assert [c.value for c in sheet[1]] == [str(c.header) for c in services.COLUMNS]
