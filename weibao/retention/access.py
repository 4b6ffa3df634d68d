"""One access helper per retention resource (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.retention.models import ImpactAssessment, RetentionRule, RetentionRun


def access_rule(user: User, pk: Any, *, for_update: bool = False) -> RetentionRule:
    return fetch(RetentionRule.objects.for_user(user), pk, user=user, for_update=for_update)


def access_run(user: User, pk: Any, *, for_update: bool = False) -> RetentionRun:
    return fetch(RetentionRun.objects.for_user(user), pk, user=user, for_update=for_update)


def access_assessment(user: User, pk: Any, *, for_update: bool = False) -> ImpactAssessment:
    assessments = ImpactAssessment.objects.for_user(user)
    return fetch(assessments, pk, user=user, for_update=for_update)
