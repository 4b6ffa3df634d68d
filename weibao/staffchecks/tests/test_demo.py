"""The demo: rosters, a register with planted staff, and an annual re-check that finds exactly
the planted people."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from weibao.accounts.models import User
from weibao.staffchecks import demo, services
from weibao.staffchecks.models import CheckBatch, CheckItem, OffenderRecord, StaffMember


@time_machine.travel("2026-11-15 09:00 +0800")
@pytest.mark.django_db
def test_demo_seed_and_annual_recheck_finds_the_planted() -> None:
    from weibao.demo.county import demo_county_seed

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=date(2026, 11, 1), progress=lambda s: None)
    demo.seed(seed=2026, scale=0.05, as_of=date(2026, 11, 1), progress=lambda s: None)
    staff = StaffMember.objects.count()
    assert staff >= 100 and OffenderRecord.objects.count() >= 50
    demo.seed(seed=2026, scale=0.05, as_of=date(2026, 11, 1), progress=lambda s: None)
    assert StaffMember.objects.count() == staff  # idempotent
    assert CheckBatch.objects.filter(status=CheckBatch.Status.DONE).exists()
    education = User.objects.get(username="education")
    year = date.today().year
    services.annual_open_all(year=year, actor=education, notify_units=False)
    batches = CheckBatch.objects.filter(kind=CheckBatch.Kind.ANNUAL, year=year)
    services.batches_run(actor=education, batch_ids=list(batches.values_list("pk", flat=True)))
    planted_exact = {r.id_hash for r in OffenderRecord.objects.exclude(id_hash="")}
    barred = CheckItem.objects.filter(result=CheckItem.Result.BARRED)
    possible = CheckItem.objects.filter(result=CheckItem.Result.POSSIBLE)
    assert barred.count() == demo.PLANTED_EXACT
    assert all(item.id_hash in planted_exact for item in barred)
    assert possible.count() == demo.PLANTED_POSSIBLE
