"""Home-page items: overdue planned sessions for their school, cases awaiting a coordinator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from weibao.core.services import waiting_for
from weibao.education.waiting import waiting

pytestmark = pytest.mark.usefixtures("midyear")


def _counts(user) -> dict[str, int]:
    return {str(item.label): item.count for item in waiting(user)}


def test_overdue_sessions_per_school(make_session, school_b, liaison_a, liaison_b, bureau):
    late = timezone.localdate() - timedelta(days=2)
    make_session(status="planned", attendance=0, date=late)
    make_session(status="planned", attendance=0, date=late, school=school_b, speaker_kind="teacher")
    assert _counts(liaison_a)["Planned law-education sessions overdue"] == 1
    assert _counts(liaison_b)["Planned law-education sessions overdue"] == 1
    assert _counts(bureau)["Planned law-education sessions overdue"] == 2


def test_cases_awaiting_approval(make_case, liaison_a, coordinator, outsider, sysadmin) -> None:
    make_case(publish=False, actor=liaison_a)
    assert _counts(coordinator)["Teaching cases awaiting approval"] == 1
    assert "Teaching cases awaiting approval" not in _counts(liaison_a)
    assert _counts(outsider) == {} and _counts(sysadmin) == {}
    assert any(item.count == 1 for item in waiting_for(coordinator))
