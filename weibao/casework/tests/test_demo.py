"""The demo: reports (some urgent, some overdue), an escalated referral, a suggestion, an order."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from weibao.casework import demo
from weibao.casework.models import Case, GuardianOrder, Referral, Suggestion


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_shows_the_walkthrough() -> None:
    from weibao.demo.county import demo_county_seed

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=date(2026, 11, 1), progress=lambda s: None)
        demo.seed(seed=2026, scale=0.01, as_of=date(2026, 11, 1), progress=lambda s: None)
    count = Case.objects.count()
    assert count >= demo.REPORTS_MIN
    assert Case.objects.filter(urgent=True).count() >= 2
    assert Case.objects.feedback_overdue().exists()
    assert Referral.objects.exclude(escalated_at=None).filter(action="relief").exists()
    assert Suggestion.objects.filter(assessment="adopted").exists()
    assert GuardianOrder.objects.filter(followups__done_on__isnull=False).exists()
    demo.seed(seed=2026, scale=0.01, as_of=date(2026, 11, 1), progress=lambda s: None)
    assert Case.objects.count() == count
