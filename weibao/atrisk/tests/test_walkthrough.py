"""The issue's "Done when", end to end with the shared users.

School A reports truancy and smoking (T1); the police add a theft (T2, warning, fortnightly plan
for the assigned worker); a contact goes overdue and shows on the home page; school B's liaison
cannot find the pupil by list, search, URL or API; a sealed record stays invisible to a county
coordinator until an application is approved.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Contact, InterventionPlan, RiskWarning
from weibao.atrisk.tests.conftest import report
from weibao.core.models import Notification
from weibao.testing import make_user


def test_walkthrough(client_for, liaison_a, liaison_b, police, coordinator, pupil_a, county):
    # 1. The school reports truancy and smoking: 不良行为.
    report(liaison_a, [pupil_a], "BL02", "BL01", days_ago=20)
    file = AtRiskFile.objects.get(person=pupil_a)
    assert file.grade == "T1" and file.worker == liaison_a

    # 2. The police add a theft: 严重不良行为, a warning, a fortnightly plan for the worker.
    report(police, [pupil_a], "SB04", days_ago=2, description="盗窃")
    file.refresh_from_db()
    assert (file.grade, file.grade_rule) == ("T2", "T2:SB04")
    assert RiskWarning.objects.filter(file=file, kind="grade_up", resolved_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=liaison_a, kind="atrisk_warning").exists()
    plan = InterventionPlan.objects.get(file=file)
    assert plan.contact_days == 14 and plan.worker == liaison_a
    contact = Contact.objects.get(file=file, done_at__isnull=True)
    assert contact.worker == liaison_a

    # 3. The contact goes overdue; the nightly job warns; the home page shows it.
    Contact.objects.filter(pk=contact.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    call_command("run_job", "atrisk_nightly")
    assert RiskWarning.objects.filter(file=file, kind="overdue").exists()
    home = client_for(liaison_a).get(reverse("core:home")).content.decode()
    assert "Overdue at-risk contacts" in home and "At-risk warnings" in home

    # 4. School B's liaison cannot find the pupil: list, search, URL, API.
    client_b = client_for(liaison_b)
    assert "王*明" not in client_b.get(reverse("atrisk:list")).content.decode()
    for q in ("王小明", "wxm", pupil_a.id_number):
        assert "王*明" not in client_b.get(reverse("atrisk:list"), {"q": q}).content.decode()
    assert client_b.get(file.get_absolute_url()).status_code == 404
    assert client_b.get(f"/api/v1/atrisk/files/{file.pk}/").status_code == 404
    assert client_b.get("/api/v1/atrisk/files/", {"q": "wxm"}).json()["results"] == []

    # 5. A sealed record stays invisible to the coordinator until an application is approved.
    report(police, [pupil_a], "SB03", days_ago=1, description="封存记录", sealed=True)
    client_c = client_for(coordinator)
    assert "封存记录" not in client_c.get(file.get_absolute_url()).content.decode()
    application = services.sealed_query_apply(
        actor=coordinator, file=file, legal_basis="刑事诉讼法第286条", purpose="办案需要"
    )
    assert "封存记录" not in client_c.get(file.get_absolute_url()).content.decode()
    approver = make_user("coordinator2", county.procuratorate, Role.COUNTY_COORDINATOR)
    services.sealed_query_decide(
        actor=approver,
        application=application,
        approve=True,
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    assert "封存记录" in client_c.get(file.get_absolute_url()).content.decode()
