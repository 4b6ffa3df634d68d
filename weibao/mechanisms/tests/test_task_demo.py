"""The demo's tasks: every state, some supervised, idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from weibao.accounts.models import Role, User
from weibao.mechanisms.demo import seed_tasks
from weibao.mechanisms.models import Decision, Meeting, PlanItem, SupervisionNotice, Task
from weibao.testing import County, make_user

TODAY = date(2026, 9, 15)


def test_seed_tasks_in_every_state(
    county: County, lead: User, edu_clerk: User, police: User, liaison_a: User, plan_item: PlanItem
) -> None:
    make_user("town_clerk", county.township_gov_a, Role.CASE_WORKER)
    meeting = Meeting.objects.create(
        title="联席会议", held_on=TODAY - timedelta(days=100), convener=county.procuratorate
    )
    decisions = [
        Decision.objects.create(meeting=meeting, number=n, text=f"议定事项{n}。") for n in (1, 2, 3)
    ]
    ctx: dict[str, object] = {"decisions": decisions, "plan_items": [plan_item]}
    seed_tasks(ctx, as_of=TODAY)
    tasks = Task.objects.all()
    assert 20 <= tasks.count() <= 30
    assert set(tasks.values_list("state", flat=True)) == set(Task.State.values)
    assert tasks.overdue(TODAY).filter(supervised_on__isnull=True).exists()
    assert tasks.filter(supervised_on__isnull=False).count() >= 3
    assert SupervisionNotice.objects.filter(issued_by__isnull=True).count() >= 3
    assert tasks.done_on_time().exists()
    assert tasks.filter(state=Task.State.DONE).exclude(pk__in=tasks.done_on_time()).exists()
    assert tasks.filter(deadline__gte=TODAY, deadline__lte=TODAY + timedelta(days=3)).exists()
    assert len(ctx["tasks"]) == tasks.count()  # type: ignore[arg-type]
    count = tasks.count()
    seed_tasks({}, as_of=TODAY)
    assert Task.objects.count() == count


def test_seed_tasks_without_decisions(county: County, lead: User, edu_clerk: User) -> None:
    seed_tasks({}, as_of=TODAY)
    assert Task.objects.filter(decision__isnull=True).count() == Task.objects.count() > 0
