"""The letter of appointment: a .docx that python-docx opens, with the Chinese text."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from weibao.audit.models import AuditEvent
from weibao.legalvp import services


def test_letter_has_name_schools_term_and_serial(make_appointment, school_a, school_b) -> None:
    appointment = make_appointment(
        [school_a, school_b], term_start=date(2026, 9, 1), issued_on=date(2026, 8, 28)
    )
    document = Document(io.BytesIO(services.letter_docx(appointment)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "法治副校长聘书" in text
    assert "兹聘请王正义同志（乐安县人民检察院副检察长）" in text
    assert "鳌溪镇中心小学、公溪镇中学法治副校长" in text
    assert "聘期自2026年9月1日至2029年8月31日。" in text
    assert "乐教法聘〔2026〕第1号" in text
    assert "乐安县教育局" in text
    assert "2026年8月28日" in text


def test_download_is_audited(bureau, appointment) -> None:
    services.letter_download(actor=bureau, appointment=appointment)
    event = AuditEvent.objects.get(action="download")
    assert event.target_id == str(appointment.pk)
    assert "王正义" not in str(event.detail) + event.target_repr
