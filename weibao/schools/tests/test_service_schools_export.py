from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook

from weibao.audit.models import AuditEvent
from weibao.schools.services import schools_export
from weibao.schools.tests.conftest import headers


def test_export_has_the_template_columns(education, record_a, record_b) -> None:
    content = schools_export(actor=education, purpose="yearly check")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == headers()
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"鳌溪镇中心小学", "公溪镇中学"}
    a = by_name["鳌溪镇中心小学"]
    assert a[2:6] == ["primary school", "public", "鳌溪镇", "鳌溪村"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail["rows"] == 2
    assert event.detail["purpose"] == "yearly check"


def test_closed_schools_are_not_exported(education, record_a, record_b) -> None:
    record_b.closed_on = record_b.updated_at.date()
    record_b.save()
    content = schools_export(actor=education)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == ["鳌溪镇中心小学"]


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, record_a, name) -> None:
    with pytest.raises(PermissionDenied):
        schools_export(actor=request.getfixturevalue(name))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
