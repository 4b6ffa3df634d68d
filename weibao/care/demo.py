"""The care of left-behind and vulnerable children in the demo county: a children's supervisor
for every township (the demo's `township` account for 鳌溪镇) and a director for every village
(the `director` account for 城南社区), some of them successors of an appointment ended a year or
so ago; children in difficulty (about a quarter as many as the left-behind children, some of them
left behind too); eight weeks of the parents' weekly contacts (about 8 % overdue, a few never),
the register's last contact kept equal to the latest; home visits by the director (or civil
affairs where the director has no account), some with a cleared volunteer, about 10 % of the
children not visited for over 30 days, a handful of carers found unfit with their open warnings,
and a few warnings closed.

Written with bulk inserts (the services' checks hold by construction: minors of the register,
dates before `as_of`, a concern only on an unfit visit, volunteers cleared on the day); one audit
event. Deterministic from `seed`; does nothing once care records exist, or before the base
county exists. Runs after the family demo (it reads the cleared volunteers).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.care.models import (
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Visit,
    concern_reason,
)
from weibao.demo import names
from weibao.demo.plan import years_before
from weibao.family.models import CLEARANCE_VALID_DAYS, Volunteer
from weibao.people.models import LeftBehindStatus, Person

BATCH = 1000
CHUNK = 900  # keys per IN (...)
AUDIT_USERNAME = "seed_demo"
HISTORY_SHARE = 0.1  # of the divisions whose current holder succeeded an earlier one
DIFFICULTY_RATIO = 0.25  # children in difficulty per left-behind child
DIFFICULTY_LEFT_BEHIND = 0.4  # of the children in difficulty who are left behind too
CONTACT_WEEKS = 8
OVERDUE_SHARE = 0.08  # left-behind children whose parents' last contact is over 7 days ago
NEVER_SHARE = 0.015  # ... and with no contact at all
STALE_SHARE = 0.1  # cared children not visited for over 30 days
UNFIT_SHARE = 0.005  # cared children whose carer was found unfit at the last visit
CLOSED_SHARE = 0.004  # cared children with a warning raised and closed since
VOLUNTEER_SHARE = 0.25  # of the visits with a volunteer
NORMAL_DUE, RISK_DUE = 30, 14  # days to the next visit
K = Organisation.Kind
R = CareAppointment.Role
C = Difficulty.Category
Progress = Callable[[str], None]

NOTES: dict[str, tuple[str, ...]] = {
    C.LACKING_CARE: (
        "父母长期外出务工，祖辈年老体弱",
        "父亲服刑，母亲离家后下落不明",
        "父母离异后均未履行抚养义务",
    ),
    C.ILLNESS_DISABILITY: (
        "患先天性心脏病，需长期治疗",
        "肢体残疾，持残疾人证",
        "患白血病，正在化疗",
        "听力残疾，佩戴助听器",
    ),
    C.HARDSHIP: (
        "家庭享受最低生活保障",
        "因病致贫，父亲长期卧床",
        "防返贫监测户，家庭收入不稳定",
    ),
}
BY_WHOM = ("母亲", "父亲", "母亲", "父亲", "父母")
CONTACT_NOTES = ("", "", "", "询问学习情况", "叮嘱注意安全", "视频辅导作业", "春节前回家探望")
SCHOOL = ("按时上学，成绩中等", "学习认真，成绩良好", "偶有迟到，已与班主任沟通", "作业完成较好")
HEALTH = ("身体健康", "近期感冒，已就医", "身体健康，按时接种疫苗", "视力下降，建议复查")
SAFETY = ("家中无安全隐患", "已讲解防溺水知识", "电线老化，已提醒更换", "已讲解交通安全知识")
NEEDS = ("", "", "需要课业辅导", "需要心理陪伴", "希望增加与父母视频联系", "需要冬衣")
CLOSE_REASONS = (
    "祖母病愈出院，已恢复照护",
    "父亲返乡照护孩子",
    "已变更委托照护人为孩子的姑姑",
    "村委会协调亲属轮流照护，复访情况良好",
)


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """Appointments, difficulties, contacts, visits and warnings (idempotent, deterministic)."""
    models = (CareAppointment, Difficulty, Contact, Visit, CareWarning)
    if any(model.objects.exists() for model in models):
        return
    townships = _divisions(Division.Level.TOWNSHIP)
    villages = _divisions(Division.Level.VILLAGE)
    active = User.objects.filter(organisation__kind=K.CIVIL_AFFAIRS, is_active=True)
    clerk = active.filter(username="civil_affairs").first() or active.order_by("pk").first()
    if not townships or not villages or clerk is None:
        return
    rng = random.Random(f"{seed}:care")
    with transaction.atomic():
        directors, appointments, ended = _appointments(rng, townships, villages, clerk, as_of)
        progress(
            _("care appointments: %(n)d (supervisors: %(s)d, directors: %(d)d, ended: %(e)d)")
            % {"n": appointments, "s": len(townships), "d": len(villages), "e": ended}
        )
        cared = _children(as_of)
        in_difficulty = _difficulties(rng, cared, clerk, as_of)
        progress(
            _("children in difficulty: %(n)d (of them left behind: %(lb)d)")
            % {
                "n": len(in_difficulty),
                "lb": sum(1 for pk in in_difficulty if cared[pk].status is not None),
            }
        )
        seat = townships[0].pk
        contacts, overdue, never = _contacts(rng, cared, directors, clerk, seat, as_of)
        progress(
            _("parent-child contacts: %(n)d (overdue: %(overdue)d, never: %(never)d)")
            % {"n": contacts, "overdue": overdue, "never": never}
        )
        visits, stale, opened, closed = _visits(
            rng, cared, in_difficulty, directors, clerk, seat, as_of
        )
        progress(
            _(
                "home visits: %(n)d (children not visited for over 30 days: %(stale)d); "
                "care warnings: %(open)d open, %(closed)d closed"
            )
            % {"n": visits, "stale": stale, "open": opened, "closed": closed}
        )
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo records of the care of left-behind children"),
            seed=seed,
            appointments=appointments,
            difficulties=len(in_difficulty),
            contacts=contacts,
            visits=visits,
            warnings=opened + closed,
        )


def _divisions(level: int) -> list[Division]:
    return list(
        Division.objects.filter(level=level, code__startswith=names.ID_PREFIX).order_by("code")
    )


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _name(rng: random.Random) -> str:
    surnames, weights = zip(*names.SURNAMES, strict=True)
    given = names.GIVEN[("mid", rng.choice("MF"))]
    return rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(names.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def _chunks(items: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# Appointments ------------------------------------------------------------------------------


def _holders() -> dict[int, User]:
    """The demo accounts that hold a post: the `township` account for its township, the
    `director` account for its village (each by its unit's division)."""
    wanted = {"township": Division.Level.TOWNSHIP, "director": Division.Level.VILLAGE}
    found: dict[int, User] = {}
    for user in User.objects.filter(username__in=wanted, is_active=True).select_related(
        "organisation__division"
    ):
        division = user.organisation.division if user.organisation else None
        if division is not None and division.level == wanted[user.username]:
            found[division.pk] = user
    return found


def _appointments(
    rng: random.Random,
    townships: list[Division],
    villages: list[Division],
    clerk: User,
    as_of: date,
) -> tuple[dict[int, User], int, int]:
    """One current appointment per township and village (some with an ended predecessor);
    returns the villages' directors that have an account, and how many were written and
    ended."""
    holders = _holders()
    rows: list[CareAppointment] = []
    ended = 0

    def add(
        role: str, division: Division, user: User | None, starts: date, ends: date | None
    ) -> None:
        rows.append(
            CareAppointment(
                role=role,
                division=division,
                user=user,
                person_name="" if user is not None else _name(rng),
                phone=_phone(rng),
                starts_on=starts,
                ends_on=ends,
                appointed_by=clerk,
                created_at=_aware(starts, 9),
            )
        )

    for role, divisions in ((R.SUPERVISOR, townships), (R.DIRECTOR, villages)):
        for division in divisions:
            if rng.random() < HISTORY_SHARE:
                handover = as_of - timedelta(days=rng.randint(300, 450))
                first = handover - timedelta(days=rng.randint(2 * 365, 6 * 365))
                add(role, division, None, first, handover)
                ended += 1
                starts = handover
            else:
                starts = as_of - timedelta(days=rng.randint(60, 6 * 365))
            add(role, division, holders.get(division.pk), starts, None)
    CareAppointment.objects.bulk_create(rows, batch_size=BATCH)
    directors = {
        row.division_id: row.user
        for row in rows
        if row.role == R.DIRECTOR and row.ends_on is None and row.user is not None
    }
    return directors, len(rows), ended


# Children ----------------------------------------------------------------------------------


@dataclass
class _Child:
    pk: int
    division_id: int | None
    township_id: int | None
    birth_date: date
    in_village: bool = True
    status: LeftBehindStatus | None = None
    categories: list[str] = field(default_factory=list)
    since: date | None = None  # in difficulty since (the earliest current category)


def _children(as_of: date) -> dict[int, _Child]:
    """The county's minors living in a village, and the left-behind minors wherever they live,
    by key (the left-behind ones with their active status)."""
    adult_born = years_before(as_of, 18)
    village = Division.Level.VILLAGE
    found: dict[int, _Child] = {}
    rows = (
        Person.objects.filter(birth_date__gt=adult_born, birth_date__lte=as_of)
        .filter(
            Q(division__level=village, division__code__startswith=names.ID_PREFIX)
            | Q(left_behind__is_active=True)
        )
        .order_by("pk")
        .values_list("pk", "division_id", "division__level", "division__parent_id", "birth_date")
    )
    for pk, division_id, level, parent_id, born in rows:
        township_id = parent_id if level == village else division_id
        found[pk] = _Child(pk, division_id, township_id, born, in_village=level == village)
    statuses = LeftBehindStatus.objects.filter(is_active=True).order_by("pk")
    for status in statuses.only("pk", "child_id", "parents_away", "carer_disqualified"):
        child = found.get(status.child_id)
        if child is not None:
            child.status = status
    return found


def _difficulties(
    rng: random.Random, children: dict[int, _Child], clerk: User, as_of: date
) -> set[int]:
    """Children in difficulty, in the three categories; returns their keys. A few in two
    categories, and a few with an earlier difficulty that has ended."""
    left_behind = [c for c in children.values() if c.status is not None and c.in_village]
    others = [c for c in children.values() if c.status is None and c.in_village]
    wanted = max(3, round(len(left_behind) * DIFFICULTY_RATIO))
    from_left = min(len(left_behind), round(wanted * DIFFICULTY_LEFT_BEHIND))
    chosen = rng.sample(left_behind, from_left) + rng.sample(
        others, min(len(others), wanted - from_left)
    )
    categories = list(C.values)
    rows: list[Difficulty] = []

    def add(child: _Child, category: str, since: date, ended: date | None = None) -> None:
        rows.append(
            Difficulty(
                child_id=child.pk,
                category=category,
                since=since,
                ended_on=ended,
                notes=rng.choice(NOTES[category]),
                recorded_by=clerk,
                created_at=_aware(since, 15),
            )
        )

    def day_since(child: _Child) -> date:
        return max(child.birth_date, as_of - timedelta(days=rng.randint(30, 4 * 365)))

    for number, child in enumerate(chosen):
        if number < len(categories):
            category = categories[number]
        elif child.status is not None:
            category = rng.choices(categories, [60, 15, 25])[0]
        else:
            category = rng.choices(categories, [15, 35, 50])[0]
        child.categories.append(category)
        if rng.random() < 0.08:
            child.categories.append(rng.choice([c for c in categories if c != category]))
        for name in child.categories:
            since = day_since(child)
            child.since = since if child.since is None else min(child.since, since)
            add(child, name, since)
        if rng.random() < 0.05:
            start = max(child.birth_date, as_of - timedelta(days=rng.randint(5 * 365, 8 * 365)))
            ended = start + timedelta(days=rng.randint(90, 700))
            if ended < as_of:
                gone = [c for c in categories if c not in child.categories]
                add(child, rng.choice(gone or categories), start, ended)
    Difficulty.objects.bulk_create(rows, batch_size=BATCH)
    return {c.pk for c in chosen}


def _with_one_in(
    rng: random.Random, pool: list[_Child], share: float, township_id: int, least: int = 1
) -> set[int]:
    """About `share` of the pool (at least `least`), one of them in the township if it has
    any of the pool."""
    if not pool:
        return set()
    count = min(len(pool), max(least, round(len(pool) * share)))
    chosen = rng.sample(pool, count)
    if not any(c.township_id == township_id for c in chosen):
        there = [c for c in pool if c.township_id == township_id]
        if there:
            chosen[0] = rng.choice(there)
    return {c.pk for c in chosen}


# Contacts ----------------------------------------------------------------------------------


def _contacts(
    rng: random.Random,
    children: dict[int, _Child],
    directors: dict[int, User],
    clerk: User,
    seat: int,
    as_of: date,
) -> tuple[int, int, int]:
    """Weekly-ish contacts over eight weeks for every active left-behind child; some overdue
    (a township's list is never empty where it has left-behind children), a few never. The
    register's last contact is set to the latest; returns contacts, overdue, never."""
    left_behind = [c for c in children.values() if c.status is not None]
    never = _with_one_in(rng, left_behind, NEVER_SHARE, seat, least=1 if left_behind else 0)
    rest = [c for c in left_behind if c.pk not in never]
    overdue = _with_one_in(rng, rest, OVERDUE_SHARE, seat)
    now = timezone.now()
    rows: list[Contact] = []
    latest: dict[date | None, list[int]] = {}
    earliest = as_of - timedelta(weeks=CONTACT_WEEKS)
    for child in left_behind:
        status = child.status
        assert status is not None
        if child.pk in never:
            latest.setdefault(None, []).append(status.pk)
            continue
        gap = rng.randint(8, 40) if child.pk in overdue else rng.randint(0, 6)
        day = as_of - timedelta(days=gap)
        latest.setdefault(day, []).append(status.pk)
        by_whom = rng.choice(BY_WHOM)
        recorder = directors.get(child.division_id or 0, clerk)
        while day >= earliest and day >= child.birth_date:
            means = rng.choices(Contact.Means.values, [55, 40, 5])[0]
            rows.append(
                Contact(
                    child_id=child.pk,
                    contacted_on=day,
                    by_whom=by_whom if rng.random() < 0.8 else rng.choice(BY_WHOM),
                    means=means,
                    notes=rng.choice(CONTACT_NOTES),
                    recorded_by=recorder,
                    created_at=min(_aware(day, 20), now),
                )
            )
            day -= timedelta(days=rng.randint(5, 9))
    Contact.objects.bulk_create(rows, batch_size=BATCH)
    for last, pks in latest.items():
        for chunk in _chunks(pks):
            LeftBehindStatus.objects.filter(pk__in=chunk).update(
                last_contact_date=last, updated_at=now
            )
    return len(rows), len(overdue) + len(never), len(never)


# Visits and warnings -----------------------------------------------------------------------


def _handful(pool: list[_Child], share: float) -> int:
    return max(2, round(len(pool) * share))


@dataclass
class _Volunteers:
    """The active volunteers with a clear check, by township; one is picked only if they had
    joined and were cleared by the day of the visit (and still within the check's validity)."""

    rng: random.Random
    by_township: dict[int | None, list[Volunteer]]
    valid_days: int

    def pick(self, township_id: int | None, day: date) -> Volunteer | None:
        for key in (township_id, None):
            fit = [
                v
                for v in self.by_township.get(key, [])
                if v.joined_on <= day
                and v.clearance_on is not None
                and v.clearance_on <= day
                and (day - v.clearance_on).days <= self.valid_days
            ]
            if fit:
                return self.rng.choice(fit)
        return None


def _volunteers(rng: random.Random, as_of: date) -> _Volunteers:
    by_township: dict[int | None, list[Volunteer]] = {}
    for volunteer in Volunteer.objects.active().cleared(as_of).order_by("pk"):
        by_township.setdefault(volunteer.township_id, []).append(volunteer)
        by_township.setdefault(None, []).append(volunteer)
    return _Volunteers(rng, by_township, CLEARANCE_VALID_DAYS)


def _visits(
    rng: random.Random,
    children: dict[int, _Child],
    in_difficulty: set[int],
    directors: dict[int, User],
    clerk: User,
    seat: int,
    as_of: date,
) -> tuple[int, int, int, int]:
    """Home visits to the cared children (left behind, or in difficulty), monthly-ish over the
    last three months; returns visits, children not visited for over 30 days, open and closed
    warnings."""
    cared = [c for c in children.values() if c.status is not None or c.pk in in_difficulty]
    # The first cared child of a village whose director has an account is visited lately
    # (the account shows a visit of its own), whatever the draw.
    shown: dict[int, int] = {}
    for child in cared:
        if child.division_id in directors:
            shown.setdefault(child.division_id, child.pk)
    drawn = [c for c in cared if c.pk not in shown.values()]
    stale = _with_one_in(rng, drawn, STALE_SHARE, seat)
    fresh = [c for c in cared if c.pk not in stale]
    unfit = {c.pk for c in rng.sample(fresh, min(len(fresh), _handful(cared, UNFIT_SHARE)))}
    others = [c for c in fresh if c.pk not in unfit]
    recovered = {c.pk for c in rng.sample(others, min(len(others), _handful(cared, CLOSED_SHARE)))}
    volunteers = _volunteers(rng, as_of)
    visits: list[Visit] = []
    warnings: list[tuple[int, CareWarning]] = []  # (index of the visit, its warning)
    earliest = as_of - timedelta(days=90)

    def visit(child: _Child, day: date, concern: str = "") -> int:
        visitor = directors.get(child.division_id or 0, clerk)
        volunteer = None
        if rng.random() < VOLUNTEER_SHARE:
            volunteer = volunteers.pick(child.township_id, day)
        risky = bool(concern) or (child.since is not None and child.since <= day)
        visits.append(
            Visit(
                child_id=child.pk,
                visited_on=day,
                visitor=visitor,
                volunteer=volunteer,
                carer_fit=not concern,
                concern=concern,
                school_findings=rng.choice(SCHOOL),
                health_findings=rng.choice(HEALTH),
                safety_findings=rng.choice(SAFETY),
                needs=rng.choice(NEEDS),
                next_due=day + timedelta(days=RISK_DUE if risky else NORMAL_DUE),
                created_at=_aware(day, 17),
            )
        )
        return len(visits) - 1

    def concern_for(child: _Child) -> str:
        if child.status is not None and child.status.carer_disqualified:
            return Visit.Concern.CARER_DISQUALIFIED
        return rng.choice(
            [Visit.Concern.CARER_UNFIT, Visit.Concern.CARER_ABSENT, Visit.Concern.CHILD_ALONE]
        )

    def warn(index: int, child: _Child, concern: str, closed_on: date | None) -> None:
        raised = _aware(visits[index].visited_on, 18)
        visitor = visits[index].visitor
        warning = CareWarning(
            child_id=child.pk,
            reason=concern_reason(concern),
            raised_at=raised,
            raised_by=visitor,
        )
        if closed_on is not None:
            warning.closed_at = _aware(closed_on, 16)
            warning.closed_by = visitor
            warning.close_reason = rng.choice(CLOSE_REASONS)
        warnings.append((index, warning))

    never_visited = 0
    for child in cared:
        if child.pk in stale:
            if rng.random() < 0.3:
                never_visited += 1
                continue
            day = as_of - timedelta(days=rng.randint(31, 75))
        else:
            day = as_of - timedelta(days=rng.randint(1, 28))
        if child.pk in unfit:
            concern = concern_for(child)
            warn(visit(child, day, concern), child, concern, None)
        elif child.pk in recovered:
            visit(child, day)
            before = day - timedelta(days=rng.randint(20, 40))
            concern = concern_for(child)
            warn(visit(child, before, concern), child, concern, before + timedelta(days=3))
            day = before
        else:
            visit(child, day)
        day -= timedelta(days=rng.randint(25, 35))
        while day >= earliest and day >= child.birth_date and rng.random() < 0.8:
            visit(child, day)
            day -= timedelta(days=rng.randint(25, 35))
    saved = Visit.objects.bulk_create(visits, batch_size=BATCH)
    rows = []
    for index, warning in warnings:
        warning.visit = saved[index]
        rows.append(warning)
    CareWarning.objects.bulk_create(rows, batch_size=BATCH)
    opened = sum(1 for w in rows if w.closed_at is None)
    return len(saved), len(stale), opened, len(rows) - opened
