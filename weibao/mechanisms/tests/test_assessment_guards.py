"""Each assessment service refuses a wrong actor called directly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import User
from weibao.mechanisms.models import LeadingGroup, Result, Scheme, Score
from weibao.mechanisms.services import assessment as services
from weibao.mechanisms.tests.test_assessment_rules import make_scheme
from weibao.testing import County


@pytest.fixture
def scheme(group: LeadingGroup) -> Scheme:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    return scheme


def test_scheme_and_items_refuse_a_unit(liaison_a: User, outsider: User, sysadmin: User) -> None:
    for actor in (liaison_a, outsider, sysadmin):
        with pytest.raises(PermissionDenied):
            services.scheme_create(actor=actor, data={"year": 2026, "title": "x"})


def test_every_service_refuses_the_wrong_actor(
    county: County,
    scheme: Scheme,
    lead: User,
    liaison_a: User,
    outsider: User,
    sysadmin: User,
) -> None:
    item = scheme.items.get(number=3)
    police_score = Score.objects.get(item=item, unit=county.police_a)
    school_result = Result.objects.get(scheme=scheme, unit=county.school_a)
    for actor in (outsider, sysadmin, liaison_a):
        with pytest.raises(PermissionDenied):
            services.scheme_update(actor=actor, scheme=scheme, data={"title": "x"})
        with pytest.raises(PermissionDenied):
            services.item_add(actor=actor, scheme=scheme, data={})
        with pytest.raises(PermissionDenied):
            services.item_update(actor=actor, item=item, data={})
        with pytest.raises(PermissionDenied):
            services.item_remove(actor=actor, item=item)
        with pytest.raises(PermissionDenied):
            services.score_review(actor=actor, score=police_score, points=1, reason="x")
        with pytest.raises(PermissionDenied):
            services.scheme_publish(actor=actor, scheme=scheme)
        with pytest.raises(PermissionDenied):
            services.score_change(actor=actor, score=police_score, points=1, reason="x")
        with pytest.raises(PermissionDenied):  # another unit's score
            services.score_self_assess(actor=actor, score=police_score, points=1, note="x")
        with pytest.raises(PermissionDenied):
            services.report_docx(actor=actor, scheme=scheme)
        with pytest.raises(PermissionDenied):
            services.report_xlsx(actor=actor, scheme=scheme)
    for actor in (lead, outsider, sysadmin):  # the lead agency does not self-assess school A
        with pytest.raises(PermissionDenied):
            services.self_submit(actor=actor, result=school_result)
    with pytest.raises(PermissionDenied):  # the lead agency does not publish or change
        services.scheme_publish(actor=lead, scheme=scheme)
    with pytest.raises(PermissionDenied):
        services.score_change(actor=lead, score=police_score, points=Decimal(1), reason="x")
