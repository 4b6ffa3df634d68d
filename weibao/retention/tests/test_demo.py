from __future__ import annotations

from datetime import date

import pytest

from weibao.retention.demo import seed
from weibao.retention.models import ImpactAssessment

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent() -> None:
    seed(seed=1, scale=1.0, as_of=date(2026, 12, 1), progress=lambda text: None)
    assert ImpactAssessment.objects.count() == 3
    for assessment in ImpactAssessment.objects.all():
        assessment.full_clean()
    seed(seed=1, scale=1.0, as_of=date(2026, 12, 1), progress=lambda text: None)
    assert ImpactAssessment.objects.count() == 3
