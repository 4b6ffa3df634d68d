"""The demo part: a supervisor for every township and a director for every village (the demo's
`township` and `director` accounts among them) with some history; children in difficulty;
eight weeks of the parents' contacts with the register's last contact kept equal to the latest;
home visits by the directors with cleared volunteers, the unfit carers' open warnings and a few
closed ones; the township's lists not empty; idempotent and deterministic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import Max

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.care import demo, services
from weibao.care.models import (
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Visit,
    concern_reason,
    posts_of,
)
from weibao.demo.county import demo_county_seed
from weibao.family.demo import seed as family_seed
from weibao.family.models import CLEARANCE_VALID_DAYS, Volunteer
from weibao.people.models import LeftBehindStatus
from weibao.schools.demo import seed as schools_seed

AS_OF = date(2026, 9, 15)
SCALE = 0.01
R = CareAppointment.Role


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # the demo runs on AS_OF (overrides the app's)
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture
def _county(db: None) -> None:
    """The base county, the schools and the family network (the care demo runs after it)."""
    for part in (demo_county_seed, schools_seed, family_seed):
        part(seed=2026, scale=SCALE, as_of=AS_OF, progress=lambda s: None)


def _seed(lines: list[str] | None = None, seed: int = 2026) -> None:
    sink: list[str] = [] if lines is None else lines
    demo.seed(seed=seed, scale=SCALE, as_of=AS_OF, progress=sink.append)


def _counts() -> tuple[int, ...]:
    models = (CareAppointment, Difficulty, Contact, Visit, CareWarning, AuditEvent)
    return tuple(m.objects.count() for m in models)


def _seat() -> Division:
    return Division.objects.get(name="鳌溪镇")


def _left_behind() -> list[LeftBehindStatus]:
    return list(LeftBehindStatus.objects.filter(is_active=True).select_related("child"))


def test_no_county_no_records(db: None) -> None:
    _seed()
    assert _counts() == (0, 0, 0, 0, 0, 0)


def test_appointments_one_current_per_post_with_history(_county: None, english: None) -> None:
    lines: list[str] = []
    _seed(lines)
    assert [line.split(":")[0] for line in lines] == [
        "care appointments",
        "children in difficulty",
        "parent-child contacts",
        "home visits",
    ]
    townships = Division.objects.filter(level=Division.Level.TOWNSHIP)
    villages = Division.objects.filter(level=Division.Level.VILLAGE)
    current = list(CareAppointment.objects.current().select_related("division", "user"))
    pairs = Counter((a.role, a.division_id) for a in current)
    assert max(pairs.values()) == 1  # one current appointment per role and division
    assert {d for r, d in pairs if r == R.SUPERVISOR} == set(townships.values_list("pk", flat=True))
    assert {d for r, d in pairs if r == R.DIRECTOR} == set(villages.values_list("pk", flat=True))
    for appointment in current:
        level = Division.Level.TOWNSHIP if appointment.role == R.SUPERVISOR else (
            Division.Level.VILLAGE)  # fmt: skip
        assert appointment.division.level == level
        assert appointment.starts_on < AS_OF
        assert appointment.holder_name and appointment.phone
        assert (appointment.user is None) == bool(appointment.person_name)

    # The demo accounts hold the seat's posts: `township` supervises 鳌溪镇, `director` directs
    # 城南社区 (the village of their residents' committee).
    township, director = (
        User.objects.get(username="township"),
        User.objects.get(username="director"),
    )
    village = Division.objects.get(name="城南社区", parent=_seat())
    assert director.organisation.division == village
    assert posts_of(township) == [(R.SUPERVISOR, _seat().prefix)]
    assert posts_of(director) == [(R.DIRECTOR, village.prefix)]
    assert CareAppointment.objects.filter(user__isnull=False).count() == 2

    # About one division in ten had an earlier holder, ended a year or so ago; the successor
    # started on the day it ended.
    ended = list(CareAppointment.objects.filter(ends_on__isnull=False))
    assert 1 <= len(ended) <= 0.2 * len(current)
    for old in ended:
        assert 300 <= (AS_OF - old.ends_on).days <= 450  # type: ignore[operator]
        assert old.starts_on < old.ends_on  # type: ignore[operator]
        successor = CareAppointment.objects.current().get(role=old.role, division=old.division)
        assert successor.starts_on == old.ends_on


def test_children_in_difficulty(_county: None) -> None:
    _seed()
    statuses = _left_behind()
    left_behind = {s.child_id for s in statuses}
    current = list(Difficulty.objects.current().select_related("child"))
    children = {d.child_id for d in current}
    assert abs(len(children) - len(statuses) / 4) <= 2
    assert {d.category for d in current} == set(Difficulty.Category.values)
    assert children & left_behind and children - left_behind  # some left behind, some not
    for difficulty in Difficulty.objects.select_related("child"):
        assert difficulty.child.is_minor
        assert difficulty.child.birth_date <= difficulty.since <= AS_OF
        if difficulty.ended_on is not None:
            assert difficulty.since <= difficulty.ended_on < AS_OF


def test_contacts_and_the_registers_last_contact(_county: None) -> None:
    _seed()
    statuses = _left_behind()
    latest = dict(Contact.objects.values_list("child").annotate(last=Max("contacted_on")))
    assert set(latest) <= {s.child_id for s in statuses}  # only active left-behind children
    never = overdue = 0
    for status in statuses:
        assert status.last_contact_date == latest.get(status.child_id)
        if status.last_contact_date is None:
            never += 1
        elif (AS_OF - status.last_contact_date).days > services.CONTACT_DAYS:
            overdue += 1
    assert never >= 1
    assert 1 <= overdue <= 0.2 * len(statuses)
    days = Contact.objects.values_list("contacted_on", flat=True)
    assert all(AS_OF - timedelta(weeks=8) <= day <= AS_OF for day in days)
    # Weekly-ish: about eight contacts for a child contacted all along.
    per_child = Counter(Contact.objects.values_list("child", flat=True))
    assert 6 <= sum(per_child.values()) / len(per_child) <= 11
    assert Contact.objects.exclude(by_whom="").count() == Contact.objects.count()
    # The seat's list of overdue contacts is not empty (the `township` account sees it).
    listed = services.overdue_contacts(_seat(), on=AS_OF)
    assert listed.exists()
    for status in listed:
        assert status.last_contact_date is None or (
            (AS_OF - status.last_contact_date).days > services.CONTACT_DAYS
        )


def test_visits_by_directors_with_cleared_volunteers(_county: None) -> None:
    _seed()
    cared = set(services.cared_children().values_list("pk", flat=True))
    visits = list(Visit.objects.select_related("child__division", "visitor", "volunteer"))
    assert {v.child_id for v in visits} <= cared
    recent = {v.child_id for v in visits if (AS_OF - v.visited_on).days <= 30}
    assert 0.8 * len(cared) <= len(recent) <= 0.95 * len(cared)  # ~10 % not visited
    assert services.not_visited(_seat(), on=AS_OF).exists()

    director = User.objects.get(username="director")
    clerk = User.objects.get(username="civil_affairs")
    village = director.organisation.division
    in_difficulty = set(Difficulty.objects.current().values_list("child", flat=True))
    assert any(v.child.division == village for v in visits)
    for visit in visits:
        assert visit.visitor == (director if visit.child.division == village else clerk)
        assert visit.visited_on < AS_OF and visit.created_at.date() <= AS_OF
        assert visit.carer_fit == (visit.concern == "")
        assert visit.next_due is not None
        gap = (visit.next_due - visit.visited_on).days
        risky = not visit.carer_fit or visit.child_id in in_difficulty
        if risky:
            assert gap == 14, visit
        else:
            assert gap == 30, visit
    with_volunteer = [v for v in visits if v.volunteer is not None]
    assert with_volunteer
    cleared = set(Volunteer.objects.active().cleared(AS_OF).values_list("pk", flat=True))
    for visit in with_volunteer:
        volunteer = visit.volunteer
        assert volunteer is not None and volunteer.pk in cleared
        assert volunteer.joined_on <= visit.visited_on
        assert volunteer.clearance_on is not None
        assert 0 <= (visit.visited_on - volunteer.clearance_on).days <= CLEARANCE_VALID_DAYS


def test_warnings_of_unfit_carers(_county: None) -> None:
    _seed()
    warnings = list(CareWarning.objects.select_related("visit", "raised_by", "closed_by"))
    open_ = [w for w in warnings if w.is_open]
    closed = [w for w in warnings if not w.is_open]
    assert open_ and closed
    assert len(open_) <= max(3, 0.02 * services.cared_children().count())
    for warning in warnings:
        visit = warning.visit
        assert visit is not None and not visit.carer_fit and visit.concern
        assert visit.child_id == warning.child_id
        assert warning.reason == concern_reason(visit.concern)
        assert warning.raised_by == visit.visitor
        assert warning.raised_at.date() == visit.visited_on
    for warning in open_:  # raised at the child's latest visit, which is due again in 14 days
        assert warning.visit == Visit.objects.filter(child=warning.child).first()
        assert warning.visit is not None and warning.visit.next_due is not None
        assert (warning.visit.next_due - warning.visit.visited_on).days == 14
    for warning in closed:  # closed with a reason, and the child visited since, carer fit
        assert warning.closed_at is not None and warning.closed_at > warning.raised_at
        assert len(warning.close_reason) >= services.MIN_REASON_LENGTH
        assert warning.closed_by == warning.raised_by
        latest = Visit.objects.filter(child=warning.child).first()
        assert latest is not None and latest.carer_fit
        assert latest.visited_on > warning.closed_at.date()
    unfit = Visit.objects.filter(carer_fit=False)
    assert unfit.count() == len(warnings)


def test_records_pass_the_services_checks(_county: None) -> None:
    """The seeded posts work: the director records a contact and a visit (with a cleared
    volunteer of the demo) for a child of the village; civil affairs closes an open warning."""
    _seed()
    director = User.objects.get(username="director")
    village = director.organisation.division
    status = LeftBehindStatus.objects.filter(is_active=True, child__division=village).first()
    assert status is not None
    child = status.child
    services.contact_record(
        actor=director,
        child=child,
        data={"contacted_on": AS_OF, "by_whom": "母亲", "means": Contact.Means.VIDEO},
    )
    status.refresh_from_db()
    assert status.last_contact_date == AS_OF
    volunteer = Visit.objects.filter(volunteer__isnull=False).first()
    assert volunteer is not None
    services.visit_record(
        actor=director,
        child=child,
        data={"visited_on": AS_OF, "volunteer": volunteer.volunteer, "carer_fit": True},
    )
    clerk = User.objects.get(username="civil_affairs")
    warning = CareWarning.objects.open().first()
    assert warning is not None
    services.warning_close(actor=clerk, warning=warning, reason="照护人已更换，情况良好")
    assert not CareWarning.objects.get(pk=warning.pk).is_open


def test_idempotent_one_audit_event_and_deterministic(_county: None, english: None) -> None:
    def snapshot() -> tuple[list[tuple[object, ...]], ...]:
        return (
            list(
                CareAppointment.objects.order_by("division__code", "role", "starts_on").values_list(
                    "division__code", "role", "person_name", "starts_on", "ends_on"
                )
            ),
            list(Difficulty.objects.order_by("child", "category").values_list("child", "since")),
            list(
                Contact.objects.order_by("child", "contacted_on").values_list(
                    "child", "contacted_on", "means"
                )
            ),
            list(
                Visit.objects.order_by("child", "visited_on").values_list(
                    "child", "visited_on", "volunteer", "concern", "next_due"
                )
            ),
            list(CareWarning.objects.order_by("child").values_list("child", "reason", "closed_at")),
            list(LeftBehindStatus.objects.order_by("pk").values_list("pk", "last_contact_date")),
        )

    _seed()
    events = AuditEvent.objects.filter(
        actor_username="seed_demo",
        target_repr="Demo records of the care of left-behind children",
    )
    assert events.count() == 1
    before, first = _counts(), snapshot()
    _seed()
    assert _counts() == before and snapshot() == first  # a second run changes nothing

    for model in (CareWarning, Visit, Contact, Difficulty, CareAppointment):
        model.objects.all().delete()
    _seed()
    assert snapshot() == first
