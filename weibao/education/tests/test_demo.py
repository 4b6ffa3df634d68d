"""The demo: a term of sessions with realistic gaps, legal VPs' duty hours, cases; idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from weibao.demo.county import demo_county_seed
from weibao.education import demo
from weibao.education.coverage import coverage_report
from weibao.education.models import Session, TeachingCase, Term
from weibao.legalvp.models import DutyRecord

AS_OF = date(2026, 11, 1)


@pytest.fixture
def demo_county(db: None) -> None:
    from weibao.legalvp.demo import seed as legalvp_seed
    from weibao.schools.demo import seed as schools_seed

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
        schools_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
        legalvp_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


def test_no_schools_nothing(db: None) -> None:
    lines: list[str] = []
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lines.append)
    assert not Session.objects.exists() and not TeachingCase.objects.exists()


def test_seed(demo_county: None) -> None:
    lines: list[str] = []
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lines.append)
    assert lines and lines[0].startswith("law education: 2026-2027学年第一学期")
    term = Term.objects.get()
    assert (term.start, term.end) == (date(2026, 9, 1), date(2027, 1, 20))
    report = coverage_report(term)
    total = report.total
    assert 0 < total.met < total.required  # most covered, with gaps
    assert total.share >= 50
    assert total.missing_parents > 0
    assert any(row.sessions == 0 for row in report.schools)  # some with none at all
    assert report.figures.reached.get("parents", 0) > 0
    vp_sessions = Session.objects.filter(duty_record__isnull=False)
    assert vp_sessions.exists()
    assert DutyRecord.objects.filter(law_session__isnull=False).count() == vp_sessions.count()
    assert Session.objects.overdue().exists()
    assert Session.objects.filter(school__isnull=True).exists()
    assert (
        TeachingCase.objects.published().count() == 12
        and TeachingCase.objects.proposed().count() == 2
    )
    count = Session.objects.count()
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lines.append)  # idempotent
    assert Session.objects.count() == count and len(lines) == 1
