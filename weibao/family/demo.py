"""The family protection network in the demo county: the studio's four volunteer teams and the
family-education lecturer team, a children's home (儿童之家) in most villages (about 85 %),
guidance stations and parent schools in some townships and the county's women's and children's
centre; 3,000 volunteers and lecturers (at scale 1) registered in the people register, most of
them cleared by a criminal-record check of the civil-affairs bureau (staff checks); and two years
of activities (2,000 at scale 1) at the sites and the schools with their helpers (only cleared
ones where children take part) and some training records.

Written with bulk inserts (the services' checks hold by construction: adults' ID numbers,
villages, dates before `as_of`); the clearance is then read from staff checks by the service
that the nightly job runs; one audit event. Deterministic from `seed`; does nothing once the
network has records, or before the base county exists. Runs after the schools demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.demo.geo import coordinates_for
from weibao.family.models import (
    Activity,
    Helper,
    Method,
    Site,
    Team,
    Topic,
    Training,
    Volunteer,
)
from weibao.family.services import clearance_refresh_all
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.schools.models import School
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import CheckBatch, CheckItem

VOLUNTEERS = 3_000  # at scale 1
MIN_VOLUNTEERS = 60
ACTIVITIES = 2_000  # over the two years before `as_of`, at scale 1
MIN_ACTIVITIES = 80
SITE_SHARE = 0.85  # of the villages with a children's home
RECHECKED = 0.9  # of the volunteers in this year's check
BATCH = 1000
AUDIT_USERNAME = "seed_demo"
K = Organisation.Kind
T = Team.Kind
A = Activity.Kind

# (kind, name, the demo user who leads it, share of the volunteers)
TEAMS: tuple[tuple[str, str, str | None, int], ...] = (
    (T.LAW_EDUCATION, "法治宣教志愿者队", "coordinator", 35),
    (T.CASE_HANDLING, "案件办理志愿者队", None, 10),
    (T.MEDIA, "媒体宣传志愿者队", None, 10),
    (T.SOCIAL_WORK, "社会化工作志愿者队", "civil_affairs", 35),
    (T.LECTURERS, "家庭教育讲师团", "womens_fed", 10),
)
SKILLS: dict[str, tuple[str, ...]] = {
    T.LAW_EDUCATION: ("法治讲座", "防欺凌宣讲", "防性侵教育", "模拟法庭"),
    T.CASE_HANDLING: ("心理疏导", "社会调查", "帮教谈话", "司法救助"),
    T.MEDIA: ("摄影", "短视频制作", "新闻写作", "公众号运营"),
    T.SOCIAL_WORK: ("入户走访", "课业辅导", "心理陪伴", "手工活动", "急救培训"),
    T.LECTURERS: ("家庭教育指导", "亲子沟通", "儿童心理", "家校共育"),
}
# Activity kind: (weight, organising teams, topics, methods, children, parents)
KINDS: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                       tuple[int, int], tuple[int, int]]] = {
    A.TALK: (30, (T.LECTURERS, T.LAW_EDUCATION, T.MEDIA),
             (Topic.VIRTUE, Topic.LEARNING, Topic.HEALTH, Topic.SAFETY, Topic.PATRIOTISM),
             (Method.PRESENCE, Method.BOTH_PARENTS, Method.EXAMPLE, Method.FIRM_KIND,
              Method.EQUALS), (0, 0), (20, 120)),
    A.PARENT_CLASS: (20, (T.LECTURERS,),
                     (Topic.LEARNING, Topic.HEALTH, Topic.LABOUR, Topic.SAFETY, Topic.VIRTUE),
                     (Method.EVERYDAY, Method.DIFFERENCES, Method.EQUALS, Method.GROWING),
                     (0, 20), (15, 60)),
    A.SELF_PROTECTION: (25, (T.LAW_EDUCATION,),
                        (Topic.ANTI_BULLYING, Topic.ANTI_DROWNING, Topic.ANTI_FRAUD,
                         Topic.ANTI_TRAFFICKING, Topic.ANTI_SEXUAL_ABUSE, Topic.SAFETY),
                        (Method.EVERYDAY, Method.EXAMPLE), (20, 150), (0, 15)),
    A.CARE_VISIT: (15, (T.SOCIAL_WORK, T.CASE_HANDLING),
                   (Topic.HEALTH, Topic.SAFETY, Topic.LEARNING),
                   (Method.PRESENCE, Method.FIRM_KIND, Method.OTHER), (1, 4), (1, 3)),
    A.HOLIDAY: (10, (T.SOCIAL_WORK, T.LAW_EDUCATION),
                (Topic.ANTI_DROWNING, Topic.LABOUR, Topic.HEALTH, Topic.PATRIOTISM),
                (Method.GROWING, Method.EVERYDAY, Method.OTHER), (15, 45), (0, 10)),
}  # fmt: skip
TITLES: dict[str, tuple[str, ...]] = {
    A.TALK: ("“{topic}”家庭教育讲座", "家长学堂：{topic}", "{place}家庭教育公益讲座"),
    A.PARENT_CLASS: ("家长课堂：{topic}", "{place}家长学校第{n}课"),
    A.SELF_PROTECTION: ("自护课：{topic}", "“{topic}”自护教育进{place}", "自护操教学与演练"),
    A.CARE_VISIT: ("留守儿童关爱走访", "困境儿童入户探访", "“一对一”结对帮扶走访"),
    A.HOLIDAY: ("暑期安全托管班", "寒假前最后一堂课", "假期“七彩课堂”", "暑期防溺水夏令营"),
}
TOPIC_WORDS: dict[str, str] = {
    Topic.PATRIOTISM: "爱国爱家", Topic.VIRTUE: "家风家教与法治", Topic.LEARNING: "好习惯养成",
    Topic.HEALTH: "健康生活", Topic.SAFETY: "心理健康与安全", Topic.ANTI_BULLYING: "防欺凌",
    Topic.ANTI_DROWNING: "防溺水", Topic.ANTI_FRAUD: "防诈骗", Topic.ANTI_TRAFFICKING: "防拐卖",
    Topic.ANTI_SEXUAL_ABUSE: "防性侵", Topic.LABOUR: "劳动与自立",
}  # fmt: skip
FACILITIES = ("图书角", "活动室", "心理咨询室", "亲子阅读区", "多媒体教室", "室外活动场地")
TRAININGS = (
    ("志愿者岗前培训", Decimal("4")),
    ("未成年人保护法专题培训", Decimal("3")),
    ("儿童心理与沟通技巧", Decimal("2.5")),
    ("防溺水与急救技能培训", Decimal("3")),
)
LECTURER_TRAINING = ("家庭教育指导师培训", Decimal("8"))

Progress = Callable[[str], None]


@dataclass
class _Place:
    site: Site | None
    school: School | None
    village: Division
    township_id: int | None
    name: str


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """Teams, sites, volunteers and activities (idempotent, deterministic)."""
    if Team.objects.exists() or Site.objects.exists() or Volunteer.objects.exists():
        return
    villages = list(
        Division.objects.filter(level=Division.Level.VILLAGE, code__startswith=names.ID_PREFIX)
        .select_related("parent")
        .order_by("code")
    )
    registrar = Organisation.objects.filter(kind=K.CIVIL_AFFAIRS).order_by("pk").first()
    if not villages or registrar is None:
        return
    rng = random.Random(f"{seed}:family")
    with transaction.atomic():
        teams = _teams()
        sites = _sites(rng, villages, as_of, seed)
        progress(
            _("family-education sites: %(n)d in %(villages)d of %(total)d villages; teams: %(t)d")
            % {
                "n": len(sites),
                "villages": len({s.village_id for s in sites}),
                "total": len(villages),
                "t": len(teams),
            }
        )
        volunteers = _volunteers(rng, teams, villages, registrar, max(
            MIN_VOLUNTEERS, round(VOLUNTEERS * scale)), as_of)  # fmt: skip
        _checks(rng, volunteers, registrar, as_of)
        clearance_refresh_all()
        cleared = Volunteer.objects.cleared(as_of).count()
        trainings = _trainings(rng, volunteers, as_of)
        progress(
            _("volunteers and lecturers: %(n)d (cleared: %(cleared)d), trainings: %(t)d")
            % {"n": len(volunteers), "cleared": cleared, "t": trainings}
        )
        activities, helpers = _activities(
            rng, teams, sites, max(MIN_ACTIVITIES, round(ACTIVITIES * scale)), as_of
        )
        progress(
            _("family activities: %(n)d, lecturers and volunteers at them: %(h)d")
            % {"n": activities, "h": helpers}
        )
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo records of the family protection network"),
            seed=seed,
            sites=len(sites),
            volunteers=len(volunteers),
            cleared=cleared,
            activities=activities,
            helpers=helpers,
        )


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _teams() -> dict[str, Team]:
    leads = {
        u.username: u
        for u in User.objects.filter(
            username__in=[lead for _k, _n, lead, _w in TEAMS if lead], is_active=True
        )
    }
    teams = Team.objects.bulk_create(
        [Team(kind=kind, name=name, lead=leads.get(lead or "")) for kind, name, lead, _w in TEAMS]
    )
    return {team.kind: team for team in teams}


def _name(rng: random.Random) -> tuple[str, str]:
    surnames, weights = zip(*names.SURNAMES, strict=True)
    sex = rng.choice("MFF")  # most of the county's volunteers are women
    given = names.GIVEN[("mid", sex)]
    return rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2)))), sex


def _phone(rng: random.Random) -> str:
    return f"{rng.choice(names.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def _sites(rng: random.Random, villages: list[Division], as_of: date, seed: int) -> list[Site]:
    committees = {
        unit.division_id: unit
        for unit in Organisation.objects.filter(kind=K.VILLAGE_COMMITTEE).order_by("pk")
    }
    governments = {unit.division_id: unit for unit in Organisation.objects.filter(kind=K.TOWNSHIP)}
    womens = Organisation.objects.filter(kind=K.WOMENS_FEDERATION).order_by("pk").first()
    rows: list[Site] = []

    def add(
        kind: str, name: str, village: Division, unit: Organisation | None, **extra: str
    ) -> None:
        lat, lng = coordinates_for(name, village.code, seed=seed)
        township = village.parent.name if village.parent else ""
        status = (
            extra.pop("status", "")
            or rng.choices(
                [Site.Status.OPEN, Site.Status.SUSPENDED, Site.Status.CLOSED], [94, 4, 2]
            )[0]
        )
        contact, _sex = _name(rng)
        rows.append(
            Site(
                kind=kind,
                name=name,
                village=village,
                address=extra.pop("address", f"{township}{village.name}"),
                latitude=lat,
                longitude=lng,
                operating_unit=unit,
                opening_hours=extra.pop("opening_hours", "周末及寒暑假 9:00-17:00"),
                contact_name=contact,
                contact_phone=_phone(rng),
                facilities="、".join(rng.sample(FACILITIES, 3)),
                status=status,
                created_at=_aware(as_of - timedelta(days=rng.randint(60, 5 * 365))),
            )
        )

    by_township: dict[int, list[Division]] = {}
    for village in villages:
        by_township.setdefault(village.parent_id or 0, []).append(village)
        if rng.random() < SITE_SHARE:
            committee = committees.get(village.pk)
            add(
                Site.Kind.CHILDRENS_HOME,
                f"{village.name}儿童之家",
                village,
                committee,
                address=f"{committee.name}一楼" if committee else "",
            )
    townships = {v.parent_id: v.parent for v in villages if v.parent is not None}
    for number, (township_id, inside) in enumerate(sorted(by_township.items())):
        township = townships.get(township_id)
        if township is None:
            continue
        short = names.township_short(township.name)
        centre = inside[0]  # the first community: the township's seat
        if number == 0:
            add(
                Site.Kind.WOMEN_CHILDREN_CENTRE,
                f"{names.COUNTY_NAME}妇女儿童活动中心",
                centre,
                womens,
                status=Site.Status.OPEN,
                opening_hours="周二至周日 8:30-17:30",
            )
        if township.name.endswith("镇") and rng.random() < 0.7:
            add(Site.Kind.PARENT_SCHOOL, f"{short}镇社区家长学校", centre,
                governments.get(township_id))  # fmt: skip
        if rng.random() < 0.5:
            add(Site.Kind.GUIDANCE_STATION, f"{short}社区家庭教育指导站", centre, womens)
    return Site.objects.bulk_create(rows, batch_size=BATCH)


@lru_cache(maxsize=8192)
def _pinyin(name: str) -> tuple[str, str]:
    return name_pinyin(name)


def _volunteers(
    rng: random.Random,
    teams: dict[str, Team],
    villages: list[Division],
    registrar: Organisation,
    count: int,
    as_of: date,
) -> list[Volunteer]:
    """New adults in the people register (ID numbers no one has), each in a team."""
    kinds = [kind for kind, _n, _l, _w in TEAMS]
    weights = [w for _k, _n, _l, w in TEAMS]
    planned: list[tuple[str, str, date, str, Division]] = []
    seen: set[str] = set()
    while len(planned) < count:
        name, sex = _name(rng)
        birth = as_of - timedelta(days=rng.randrange(23 * 365, 62 * 365))
        seq = rng.randrange(400, 599)
        if (seq % 2 == 1) != (sex == "M"):
            seq += 1
        prefix = names.ID_PREFIX if rng.random() < 0.85 else rng.choice(names.OTHER_ID_PREFIXES)
        number = idnumber.parse(idnumber.make(prefix, birth, seq)).number
        if number in seen:
            continue
        seen.add(number)
        planned.append((name, sex, birth, number, rng.choice(villages)))
    hashes = {number: crypto.blind_index(number) for _n, _s, _b, number, _v in planned}
    taken: set[str] = set()
    values = list(hashes.values())
    for start in range(0, len(values), 900):
        taken |= set(Person.objects.pks_by_id_hash(values[start : start + 900]))
    people: list[Person] = []
    for name, sex, birth, number, village in planned:
        if hashes[number] in taken:
            continue
        full, initials = _pinyin(name)
        people.append(
            Person(
                name=name,
                name_pinyin=full,
                name_initials=initials,
                sex=sex,
                birth_date=birth,
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=hashes[number],
                phone=_phone(rng),
                address=f"{village.parent.name if village.parent else ''}{village.name}",
                division=village,
                hukou_division=village,
                registered_by=registrar,
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH)
    earliest = as_of - timedelta(days=5 * 365)
    rows = []
    for person in people:
        kind = rng.choices(kinds, weights)[0]
        skills = rng.sample(SKILLS[kind], 2)
        joined = earliest + timedelta(days=rng.randrange((as_of - earliest).days - 7))
        rows.append(
            Volunteer(
                person=person,
                team=teams[kind],
                township=person.division.parent,  # type: ignore[union-attr]
                skills="、".join(skills),
                availability=rng.choice(Volunteer.Availability.values),
                status=rng.choices(
                    [Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED, Volunteer.Status.LEFT],
                    [90, 6, 4],
                )[0],
                joined_on=joined,
                created_at=_aware(joined),
            )
        )
    volunteers = Volunteer.objects.bulk_create(rows, batch_size=BATCH)
    for volunteer, person in zip(volunteers, people, strict=True):
        volunteer.person = person
    return volunteers


def _batch(
    registrar: Organisation, day: date, done: bool, items: Sequence[tuple[Person, str]]
) -> None:
    when = _aware(day, 9)
    batch = CheckBatch.objects.create(
        unit=registrar,
        kind=CheckBatch.Kind.APPLICANTS,
        year=day.year,
        status=CheckBatch.Status.DONE if done else CheckBatch.Status.RUNNING,
        consent_confirmed=True,
        consent_note="志愿者本人书面授权书由县民政局留存",
        total=len(items),
        clear_count=sum(1 for _p, result in items if result == CheckItem.Result.CLEAR),
        pending_count=sum(1 for _p, result in items if result != CheckItem.Result.CLEAR),
        created_at=when,
        submitted_at=when,
        completed_at=when if done else None,
    )
    CheckItem.objects.bulk_create(
        [
            CheckItem(
                batch=batch,
                id_hash=person.id_number_hash,
                name_key=normalise_name(person.name),
                birth_date=person.birth_date,
                name_encrypted=crypto.encrypt(person.name),
                id_number_encrypted=person.id_number_encrypted,
                result=result,
                checked_at=when if result == CheckItem.Result.CLEAR else None,
            )
            for person, result in items
        ],
        batch_size=BATCH,
    )


def _checks(
    rng: random.Random, volunteers: list[Volunteer], registrar: Organisation, as_of: date
) -> None:
    """The civil-affairs bureau's checks of its volunteers (staff checks' applicants files):
    last year's, which has lapsed for those not checked since; this year's, of about nine in
    ten; and one still running for some of the newest."""
    last, this = as_of - timedelta(days=400), as_of - timedelta(days=40)
    old = [v.person for v in volunteers if v.joined_on <= last]
    recent = [v for v in volunteers if v.joined_on <= this and rng.random() < RECHECKED]
    newest = [v.person for v in volunteers if v.joined_on > this and rng.random() < 0.5]
    _batch(registrar, last, True, [(p, CheckItem.Result.CLEAR) for p in old])
    _batch(registrar, this, True, [(v.person, CheckItem.Result.CLEAR) for v in recent])
    if newest:
        _batch(registrar, as_of - timedelta(days=3), False,
               [(p, CheckItem.Result.QUEUED) for p in newest])  # fmt: skip


def _trainings(rng: random.Random, volunteers: list[Volunteer], as_of: date) -> int:
    rows = []
    for volunteer in volunteers:
        span = (as_of - volunteer.joined_on).days
        if rng.random() < 0.75:
            topic, hours = TRAININGS[0]
            day = volunteer.joined_on + timedelta(days=min(span - 1, rng.randint(3, 30)))
            rows.append(Training(volunteer=volunteer, held_on=day, topic=topic, hours=hours))
        for topic, hours in rng.sample(TRAININGS[1:], rng.choice((0, 0, 1, 2))):
            day = volunteer.joined_on + timedelta(days=rng.randrange(max(span, 1)))
            rows.append(Training(volunteer=volunteer, held_on=day, topic=topic, hours=hours))
        if volunteer.team.kind == T.LECTURERS:
            topic, hours = LECTURER_TRAINING
            day = volunteer.joined_on + timedelta(days=rng.randrange(max(span, 1)))
            rows.append(Training(volunteer=volunteer, held_on=day, topic=topic, hours=hours))
    Training.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _places(rng: random.Random, sites: list[Site]) -> tuple[list[_Place], list[_Place]]:
    """Where activities happen: the open sites, and the open schools."""
    at_sites = [
        _Place(site, None, site.village, site.village.parent_id, site.name)
        for site in sites
        if site.status != Site.Status.CLOSED
    ]
    at_schools = []
    for school in School.objects.open().select_related("organisation__division").order_by("pk"):
        division = school.organisation.division
        township_id = division.parent_id if division.level == Division.Level.VILLAGE else (
            division.pk)  # fmt: skip
        at_schools.append(_Place(None, school, division, township_id, school.organisation.name))
    return at_sites, at_schools


def _day(rng: random.Random, kind: str, as_of: date) -> date:
    """A day in the two years before `as_of`; holiday programmes in the holidays."""
    for _attempt in range(50):
        day = as_of - timedelta(days=rng.randint(1, 730))
        if kind != A.HOLIDAY or day.month in (1, 2, 7, 8):
            return day
    return day


@dataclass
class _Picker:
    """Picks helpers for one activity: of the team, from its township first, who had joined
    by the day; only cleared ones where children take part."""

    rng: random.Random
    by_team: dict[tuple[str, int | None, bool], list[Volunteer]]
    township_id: int | None
    with_children: bool
    day: date

    def __call__(self, team_kind: str, n: int) -> list[Volunteer]:
        found: list[Volunteer] = []
        for township in (self.township_id, None):
            candidates = self.by_team.get((team_kind, township, self.with_children), [])
            for volunteer in self.rng.sample(candidates, min(len(candidates), n * 3)):
                if len(found) < n and volunteer.joined_on <= self.day and volunteer not in found:
                    found.append(volunteer)
        return found


def _activities(
    rng: random.Random, teams: dict[str, Team], sites: list[Site], count: int, as_of: date
) -> tuple[int, int]:
    at_sites, at_schools = _places(rng, sites)
    if not at_sites and not at_schools:
        return 0, 0
    # Who may help: active volunteers by team, and by team and township; the cleared apart.
    pool = list(Volunteer.objects.active().select_related("person", "team").order_by("pk"))
    cleared_ids = set(Volunteer.objects.cleared(as_of).values_list("pk", flat=True))
    by_team: dict[tuple[str, int | None, bool], list[Volunteer]] = {}
    for volunteer in pool:
        for township in (volunteer.township_id, None):
            key = (volunteer.team.kind, township, False)
            by_team.setdefault(key, []).append(volunteer)
            if volunteer.pk in cleared_ids:
                by_team.setdefault((volunteer.team.kind, township, True), []).append(volunteer)
    recorders = list(
        User.objects.filter(
            username__in=("civil_affairs", "womens_fed", "coordinator"), is_active=True
        ).order_by("username")
    )
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    activities: list[Activity] = []
    helpers: list[list[tuple[Volunteer, str]]] = []
    for number in range(count):
        kind = kinds[number % len(kinds)] if number < len(kinds) else rng.choices(kinds, weights)[0]
        _w, team_kinds, topics, methods, children, parents = KINDS[kind]
        places = at_schools if at_schools and (not at_sites or rng.random() < 0.25) else at_sites
        place = rng.choice(places)
        day = _day(rng, kind, as_of)
        team = teams[rng.choice(team_kinds)]
        topic = rng.choice(topics)
        if kind == A.HOLIDAY and day.month in (7, 8) and rng.random() < 0.6:
            topic = Topic.ANTI_DROWNING
        activity = Activity(
            kind=kind,
            title=rng.choice(TITLES[kind]).format(
                topic=TOPIC_WORDS[topic], place=place.name, n=rng.randint(1, 12)
            ),
            held_on=day,
            site=place.site,
            school=place.school,
            village=place.village,
            team=team,
            topic=topic,
            method=rng.choice(methods),
            audience_children=rng.randint(*children),
            audience_parents=rng.randint(*parents),
            hours=rng.choice((Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3")))
            if kind != A.HOLIDAY else Decimal(rng.choice((4, 6))),
            recorded_by=rng.choice(recorders) if recorders else None,
            created_at=_aware(min(day + timedelta(days=rng.randint(0, 3)), as_of)),
        )  # fmt: skip
        pick = _Picker(rng, by_team, place.township_id, activity.with_children, day)
        chosen: list[tuple[Volunteer, str]] = []
        if kind in (A.TALK, A.PARENT_CLASS):
            chosen += [(v, Helper.Role.LECTURER) for v in pick(T.LECTURERS, 1)]
        team_helpers = 0 if team.kind == T.LECTURERS else rng.randint(1, 3)
        taken = {v.pk for v, _role in chosen}
        chosen += [
            (v, Helper.Role.VOLUNTEER) for v in pick(team.kind, team_helpers) if v.pk not in taken
        ]
        activities.append(activity)
        helpers.append(chosen)
    activities = Activity.objects.bulk_create(activities, batch_size=BATCH)
    rows = [
        Helper(activity=activity, volunteer=volunteer, role=role)
        for activity, chosen in zip(activities, helpers, strict=True)
        for volunteer, role in chosen
    ]
    Helper.objects.bulk_create(rows, batch_size=BATCH)
    return len(activities), len(rows)
