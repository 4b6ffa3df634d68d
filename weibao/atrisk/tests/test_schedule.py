"""The nightly job: closes files at 18 (not in the criminal process), warns, recomputes.

Running it twice does what running it once does."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Contact, RiskWarning
from weibao.atrisk.tests.conftest import make_person, report, years_ago
from weibao.audit.models import AuditEvent


def test_turning_18_closes_the_file_with_a_record(liaison_a, county):
    almost = make_person(
        "将满",
        county.school_a,
        birth_date=years_ago(18, -3),
        seq=61,
        school=county.school_a,
        division=county.village_a,
    )
    report(liaison_a, [almost], "BL02", days_ago=1)
    file = AtRiskFile.objects.get(person=almost)
    assert services.files_close_adults(on=timezone.localdate() + timedelta(days=2)) == 0
    assert services.files_close_adults(on=timezone.localdate() + timedelta(days=4)) == 1
    file.refresh_from_db()
    assert file.closed_reason == "turned_18"
    assert AuditEvent.objects.filter(
        target_id=str(file.pk), actor_username="atrisk_nightly"
    ).exists()


def test_criminal_process_keeps_the_file_open_at_18(police, coordinator, county):
    almost = make_person(
        "将满",
        county.school_a,
        birth_date=years_ago(18, -3),
        seq=62,
        school=county.school_a,
        division=county.village_a,
    )
    report(police, [almost], "SB04", days_ago=1)
    file = AtRiskFile.objects.get(person=almost)
    services.measure_record(
        actor=coordinator,
        file=file,
        data={"kind": "conditional_non_prosecution", "decided_on": timezone.localdate()},
    )
    assert services.files_close_adults(on=timezone.localdate() + timedelta(days=10)) == 0


def test_nightly_job_is_idempotent(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    Contact.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    AtRiskFile.objects.update(score=0)
    call_command("run_job", "atrisk_nightly")
    assert RiskWarning.objects.filter(kind="overdue").count() == 1
    assert AtRiskFile.objects.get().score > 0
    call_command("run_job", "atrisk_nightly")
    assert RiskWarning.objects.filter(kind="overdue").count() == 1
