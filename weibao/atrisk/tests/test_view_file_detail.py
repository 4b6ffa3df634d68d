"""The minor's page: 404 outside the scope, audited, sealed and police records kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile
from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent
from weibao.testing import make_user


@pytest.fixture
def file_a(liaison_a, police, pupil_a):
    report(liaison_a, [pupil_a], "BL01", "BL02", description="旷课吸烟")
    report(police, [pupil_a], "SB04", description="盗窃电动车")
    file = AtRiskFile.objects.get(person=pupil_a)
    services.measure_record(
        actor=police,
        file=file,
        data={"kind": "PM03", "decided_on": timezone.localdate(), "notes": "具结悔过书"},
    )
    return file


def test_page_shows_grade_reason_score_parts_plan(client_for, coordinator, file_a):
    page = client_for(coordinator).get(file_a.get_absolute_url()).content.decode()
    # The grade and why, in words with the law's codes; never the rule's internal code.
    assert "T2 serious misconduct" in page and "Serious misconduct (Art. 38): SB04" in page
    assert "T2:SB04" not in page
    assert "BL01" in page and "PM03" in page
    assert "Risk score and its parts" in page
    assert "14 days" in page
    assert AuditEvent.objects.filter(
        action="view", target_type="atrisk.atriskfile", target_id=str(file_a.pk)
    ).exists()


def test_school_sees_no_police_event_or_measure(client_for, liaison_a, file_a):
    page = client_for(liaison_a).get(file_a.get_absolute_url()).content.decode()
    assert "旷课吸烟" in page
    assert "盗窃电动车" not in page and "具结悔过书" not in page and "PM03" not in page


@pytest.mark.parametrize("who", ["liaison_b", "outsider", "sysadmin", "auditor"])
def test_not_allowed(request, client_for, file_a, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(file_a.get_absolute_url()).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="view", actor=user).exists()


def test_liaison_b_gets_404_by_url(client_for, liaison_b, file_a):
    assert client_for(liaison_b).get(file_a.get_absolute_url()).status_code == 404


def test_sealed_event_invisible_to_coordinator_until_approved(
    client_for, coordinator, police, pupil_a, county
):
    report(police, [pupil_a], "SB04", description="封存的事件", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    client = client_for(coordinator)
    assert "封存的事件" not in client.get(file.get_absolute_url()).content.decode()
    application = services.sealed_query_apply(
        actor=coordinator, file=file, legal_basis="刑事诉讼法第286条", purpose="办案需要"
    )
    other = make_user("coordinator2", county.procuratorate, Role.COUNTY_COORDINATOR)
    services.sealed_query_decide(
        actor=other,
        application=application,
        approve=True,
        expires_on=timezone.localdate() + timedelta(days=3),
    )
    assert "封存的事件" in client.get(file.get_absolute_url()).content.decode()
    assert "封存的事件" not in client_for(other).get(file.get_absolute_url()).content.decode()


def test_reveal_goes_through_the_people_register_audit(client_for, liaison_a, file_a, pupil_a):
    client = client_for(liaison_a)
    url = f"{file_a.get_absolute_url()}reveal/"
    bad = client.post(url, {"field": "id_number", "reason": ""})
    assert bad.status_code == 400
    ok = client.post(url, {"field": "id_number", "reason": "核对学籍信息"})
    assert pupil_a.id_number in ok.content.decode()
    event = AuditEvent.objects.get(action="reveal", target_id=str(pupil_a.pk))
    assert event.detail["via"] == f"atrisk.atriskfile:{file_a.pk}"


def test_detail_query_count_does_not_grow(
    client_for, coordinator, liaison_a, police, pupil_a, django_assert_max_num_queries
):
    report(liaison_a, [pupil_a], "BL02")
    file = AtRiskFile.objects.get(person=pupil_a)
    client = client_for(coordinator)
    client.get(file.get_absolute_url())
    with django_assert_max_num_queries(60) as few:
        client.get(file.get_absolute_url())
    for i in range(8):
        report(police, [pupil_a], "SB04", days_ago=i + 1)
        services.measure_record(
            actor=police, file=file, data={"kind": "PM01", "decided_on": timezone.localdate()}
        )
        services.contact_record(actor=liaison_a, file=file, data={"kind": "talk"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(file.get_absolute_url())
