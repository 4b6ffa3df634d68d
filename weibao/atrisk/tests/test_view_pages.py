"""Caseload, warnings, overview, rules and export pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.atrisk.models import GradingRuleSet
from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent


@pytest.fixture
def data(liaison_a, liaison_b, police, pupil_a, pupil_b):
    report(liaison_a, [pupil_a], "BL01", "BL02")
    report(police, [pupil_a], "SB04")
    report(liaison_b, [pupil_b], "BL04")


def test_caseload_shows_my_files_and_warnings(client_for, liaison_a, data):
    page = client_for(liaison_a).get(reverse("atrisk:caseload")).content.decode()
    assert "王*明" in page and "moved up a grade" in page


def test_warnings_by_township_and_school_for_coordinator(client_for, coordinator, data, county):
    page = client_for(coordinator).get(reverse("atrisk:warnings")).content.decode()
    assert county.township_a.name in page and county.school_a.name in page


def test_overview_counts_in_scope(client_for, coordinator, liaison_b, data):
    r = client_for(coordinator).get(reverse("atrisk:overview"))
    assert r.context["data"]["total"] == 2
    assert dict(r.context["data"]["ages"]) == {"12-13": 1, "14-15": 1}
    r = client_for(liaison_b).get(reverse("atrisk:overview"))
    assert r.context["data"]["total"] == 1


def test_rules_only_coordinators_change(client_for, coordinator, liaison_a):
    url = reverse("atrisk:rules")
    assert client_for(liaison_a).get(url).status_code == 200
    assert client_for(liaison_a).post(url, {"note": "x"}).status_code == 403
    current = GradingRuleSet.objects.active()
    data = {name: getattr(current, name) for name in GradingRuleSet.PARAMETERS}
    data.update(contact_days_t2=10, note="县里决定加密")
    assert client_for(coordinator).post(url, data).status_code == 302
    assert GradingRuleSet.objects.active().contact_days_t2 == 10


def test_export_needs_a_purpose_and_is_audited(client_for, liaison_b, data):
    url = reverse("atrisk:export")
    client = client_for(liaison_b)
    assert client.post(url, {"purpose": ""}).status_code == 400
    r = client.post(url, {"purpose": "学期末帮教总结"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    audit = AuditEvent.objects.get(action="export")
    assert audit.detail["rows"] == 1 and audit.detail["purpose"] == "学期末帮教总结"


@pytest.mark.parametrize(
    "name", ["caseload", "warnings", "overview", "rules", "export", "sealed_list"]
)
def test_not_allowed(client_for, outsider, sysadmin, name):
    for user in (outsider, sysadmin):
        assert client_for(user).get(reverse(f"atrisk:{name}")).status_code == 403
