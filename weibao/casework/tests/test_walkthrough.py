"""The issue's "Done when", as one test."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from docx import Document

from weibao.casework import services
from weibao.casework.models import Case, Referral, Suggestion
from weibao.core.models import Notification

REPORTS = "/api/v1/casework/reports/"


def test_done_when(
    county,
    nurse,
    police,
    prosecutor,
    coordinator,
    relief_worker,
    civil_affairs,
    liaison_a,
    file_report,
    client_for,
):
    # Another unit's report, whose reporter the hospital must never see.
    other = file_report(liaison_a, reporter_name="王老师")
    # A hospital files an MR02 report.
    filed = client_for(nurse).post(
        REPORTS,
        {
            "situations": ["MR02"],
            "child_description": "13岁女孩，怀孕",
            "seen": "门诊发现怀孕",
            "place": "鳌溪村",
            "division": county.village_a.code,
            "reporter_name": "张医生",
        },
        content_type="application/json",
        headers={"Idempotency-Key": "his-1"},
    )
    assert filed.status_code == 201
    case = Case.objects.get(pk=filed.json()["id"])
    # The right police station and the procuratorate see it, marked urgent, at once.
    assert case.police_unit == county.police_a and case.urgent
    for user in (police, prosecutor):
        assert Notification.objects.filter(recipient=user, title__startswith="URGENT").exists()
        page = client_for(user).get(reverse("casework:case_list") + "?urgent=1").content.decode()
        assert case.reference in page
    # The police accept and open a case.
    client = client_for(police)
    client.post(reverse("casework:case_accept", args=[case.pk]))
    client.post(reverse("casework:case_decide", args=[case.pk]), {"decision": "criminal"})
    client.post(reverse("casework:case_feedback", args=[case.pk]), {"feedback": "已刑事立案侦查"})
    # The hospital sees the feedback, but not the reporter of another unit's report.
    hospital = client_for(nurse)
    assert "已刑事立案侦查" in hospital.get(case.get_absolute_url()).content.decode()
    assert hospital.get(other.get_absolute_url()).status_code == 404
    assert "王老师" not in hospital.get(reverse("casework:case_list")).content.decode()
    # A referral to civil affairs for relief goes overdue and reaches the county coordinator.
    referral, _ = services.referral_create(
        actor=police,
        data={"case": case, "to_unit": civil_affairs, "action": "relief", "request": "临时救助"},
    )
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    services.reminders_send()
    assert Notification.objects.filter(recipient=coordinator, kind="casework.escalated").exists()
    # A procuratorial suggestion to a school is issued as Word, replied to and assessed.
    proc = client_for(prosecutor)
    proc.post(
        reverse("casework:suggestion_create"),
        {
            "unit": county.school_a.pk,
            "problem": "未及时报告",
            "suggestion": "建立机制",
            "legal_basis": "《未成年人保护法》第十一条",
        },
    )
    s = Suggestion.objects.get()
    word = proc.get(reverse("casework:suggestion_docx", args=[s.pk]))
    assert "检察建议书" in "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    client_for(liaison_a).post(
        reverse("casework:suggestion_reply", args=[s.pk]),
        {"reply": "已整改", "measures": "建立台账"},
    )
    proc.post(reverse("casework:suggestion_assess", args=[s.pk]), {"assessment": "adopted"})
    s.refresh_from_db()
    assert s.assessment == "adopted"
