"""The minutes as Word (会议纪要): opens with python-docx and holds the title, who came and what
was decided; never the cases discussed; only for those who may see the meeting."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from django.test import Client
from django.urls import reverse
from docx import Document

from weibao.accounts.models import User
from weibao.mechanisms.models import Meeting
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

ClientFor = Callable[[User], Client]


def test_minutes_docx(
    client_for: ClientFor, county: County, lead: User, liaison_a: User, liaison_b: User
) -> None:
    meeting = services.meeting_create(
        actor=lead,
        data={
            "kind": Meeting.Kind.SPECIAL,
            "title": "防溺水专题会议",
            "held_on": date(2026, 6, 1),
            "place": "县应急管理局会议室",
            "units": [county.procuratorate, county.education, county.school_a],
        },
    )
    services.attendance_set(
        actor=lead,
        meeting=meeting,
        rows=[{"unit": county.education, "present": False, "note": "因公请假"}],
    )
    services.minutes_record(actor=lead, meeting=meeting, minutes="会议分析了防溺水形势。")
    services.decision_add(actor=lead, meeting=meeting, text="各乡镇完成危险水域排查。")
    url = reverse("mechanisms:meeting_minutes_docx", args=[meeting.pk])
    page = client_for(liaison_a).get(url)
    assert page.status_code == 200
    document = Document(io.BytesIO(page.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "防溺水专题会议" in text
    assert "会议分析了防溺水形势。" in text
    assert "1. 各乡镇完成危险水域排查。" in text
    assert f"Absent: {county.education.name}（因公请假）." in text
    assert client_for(liaison_b).get(url).status_code == 404
