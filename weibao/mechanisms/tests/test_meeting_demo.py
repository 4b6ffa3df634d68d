"""The meetings' demo part: a year of meetings through the services, idempotent."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.casework import services as casework_services
from weibao.casework.tests.conftest import report_data
from weibao.mechanisms.demo import seed_meetings
from weibao.mechanisms.models import LeadingGroup, Meeting
from weibao.mechanisms.tests.conftest import TODAY
from weibao.testing import County


def test_seed_meetings(county: County, group: LeadingGroup, lead: User, liaison_a: User) -> None:
    casework_services.report_file(actor=liaison_a, data=report_data(county))
    ctx: dict[str, Any] = {"group": group, "members": list(group.members.all())}
    seed_meetings(ctx, as_of=TODAY)
    meetings = ctx["meetings"]
    kinds = [m.kind for m in meetings]
    assert kinds.count(Meeting.Kind.JOINT) == 4
    assert kinds.count(Meeting.Kind.SPECIAL) == 2
    assert kinds.count(Meeting.Kind.CONSULTATION) == 2
    assert all(m.held_on <= TODAY and (TODAY - m.held_on).days < 366 for m in meetings)
    assert all(2 <= m.decisions.count() <= 4 for m in meetings)
    assert all(m.minutes for m in meetings)
    assert any(not a.present for m in meetings for a in m.attendances.all())
    assert all(m.cases.count() == 1 for m in meetings if m.kind == Meeting.Kind.CONSULTATION)
    assert len(ctx["decisions"]) == sum(m.decisions.count() for m in meetings)
    again: dict[str, Any] = {"group": group, "members": ctx["members"]}
    seed_meetings(again, as_of=TODAY)
    assert Meeting.objects.count() == 8
    assert [m.pk for m in again["meetings"]] == sorted(
        (m.pk for m in meetings), key=lambda pk: Meeting.objects.get(pk=pk).held_on
    )
