"""Law education in the demo county: the current term with sessions at most schools, with real
gaps (a few schools with none, some without a session for parents, kindergartens with or without
their parents' session), some taught by legal vice-principals (their duty records written by the
session service), a few overdue planned sessions, sessions in villages, a dozen published
teaching cases and two proposed ones.

Runs after the schools and legalvp demos (it needs School records; without them it does
nothing) and does nothing if sessions or cases exist. Sessions go through the session service,
so every rule (and the duty-hours link) holds as it does for users.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.education import services
from weibao.education.models import Session, TeachingCase, Term, Topic
from weibao.legalvp.models import Appointment
from weibao.schools.models import School

NO_SESSIONS = 0.08  # share of schools with no session at all
NO_PARENTS = 0.18  # share of schools without a session for parents
LEGAL_VP_SHARE = 0.5  # share of pupil sessions at a school with a legal VP taught by them
OVERDUE = 4
VILLAGE_SESSIONS = 6
GRADES = {
    School.Kind.PRIMARY: ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"),
    School.Kind.JUNIOR: ("七年级", "八年级", "九年级"),
    School.Kind.SENIOR: ("高一", "高二", "高三"),
    School.Kind.NINE_YEAR: ("三年级", "五年级", "七年级", "八年级"),
    School.Kind.VOCATIONAL: ("一年级", "二年级"),
    School.Kind.SPECIAL: ("低段", "高段"),
}
TEACHERS = ("德育主任", "班主任", "心理健康教师", "法治课教师")
VOLUNTEERS = ("法律志愿者", "社工", "“五老”志愿者")
# (title, summary, statute, article, age group, topic names). Written anonymised.
CASES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("“开玩笑”也是欺凌", "某小学五年级学生小A长期被几名同学起绰号、藏文具，班主任发现后及时"
     "干预，学校学生欺凌治理委员会认定为欺凌并对相关学生进行教育惩戒。", "未成年人保护法",
     "第三十九条", "primary", ("预防校园欺凌",)),
    ("被“网友”骗走的压岁钱", "初一学生小B在游戏中结识“网友”，对方以赠送皮肤为名诱导其扫码"
     "付款，先后骗走两千余元。公安机关立案侦查后追回部分款项。", "反电信网络诈骗法", "第八条",
     "junior", ("防范电信网络诈骗", "网络安全")),
    ("野外游泳的代价", "暑假期间，两名初中生结伴到无人看管的河段游泳，一人溺水身亡。监护人"
     "未尽到看护责任，被依法训诫。", "未成年人保护法", "第十六条", "junior", ("防溺水",)),
    ("陌生人的“顺风车”", "某镇小学生小C放学途中被陌生人以“送你回家”为由带离，所幸路人报警"
     "及时解救。", "刑法", "第二百四十条", "primary", ("反拐卖", "自我保护")),
    ("身体的秘密要守护", "某幼儿园开展身体界限教育：泳衣覆盖的地方不让别人碰，遇到让自己"
     "不舒服的接触要大声说“不”并告诉家长。", "未成年人保护法", "第四十条", "kindergarten",
     ("预防性侵害", "自我保护")),
    ("“聪明药”不聪明", "高二学生小D听信同学所说的“提神药”，服用后出现严重不适。经查所谓"
     "“聪明药”为国家管制的精神药品。", "禁毒法", "第二条", "senior", ("禁毒",)),
    ("从逃学到涉罪", "初三学生小E长期逃学、夜不归宿，结交社会闲散人员后参与盗窃，检察机关"
     "对其附条件不起诉并开展帮教。", "预防未成年人犯罪法", "第二十八条", "junior",
     ("预防未成年人犯罪法",)),
    ("网络直播打赏退回了吗", "小学生小F使用家长手机在直播平台打赏近万元，家长起诉后，法院"
     "依法判决平台返还。", "民法典", "第十九条", "primary", ("网络安全", "家庭教育")),
    ("父母外出也要尽责", "某村留守儿童小G由年迈祖父照看，长期无人辅导功课、沉迷手机。村委会"
     "督促其父母履行委托照护义务。", "家庭教育促进法", "第二十条", "all", ("家庭教育",)),
    ("不要替陌生人“跑腿”", "高一学生小H应网友之邀出借银行卡赚取“佣金”，因帮助信息网络犯罪"
     "活动被公安机关训诫。", "刑法", "第二百八十七条之二", "senior",
     ("防范电信网络诈骗", "预防未成年人犯罪法")),
    ("校园里的“保护费”", "初二学生小I多次向低年级同学索要零花钱，学校报告公安机关后，公安"
     "机关对其训诫并责令监护人严加管教。", "预防未成年人犯罪法", "第四十一条", "junior",
     ("预防校园欺凌", "预防未成年人犯罪法")),
    ("发现伤害要报告", "某小学教师发现学生小J身上多处伤痕，依法强制报告，公安机关查明系"
     "监护人虐待，法院发出人身安全保护令。", "未成年人保护法", "第十一条", "all",
     ("自我保护", "家庭教育")),
)  # fmt: skip
PROPOSED: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("深夜网吧里的初中生", "某镇网吧违规接纳初中生小K上网至凌晨，文化市场执法部门依法予以"
     "处罚。", "未成年人保护法", "第五十八条", "junior", ("网络安全",)),
    ("结伴下河捞鱼", "两名小学生放学后到水库边捞鱼，被巡河员劝离。学校随后开展防溺水"
     "专题教育。", "未成年人保护法", "第十八条", "primary", ("防溺水",)),
)  # fmt: skip


def current_term(as_of: date) -> tuple[str, date, date]:
    """The school term around `as_of`: autumn (1 September to 20 January) or spring."""
    if as_of.month >= 9:
        year = as_of.year
    elif as_of.month == 1 and as_of.day <= 20:
        year = as_of.year - 1
    else:
        return (
            f"{as_of.year - 1}-{as_of.year}学年第二学期",
            date(as_of.year, 3, 1),
            date(as_of.year, 7, 10),
        )
    return f"{year}-{year + 1}学年第一学期", date(year, 9, 1), date(year + 1, 1, 20)


def _user(role: str, kind: str, username: str) -> User | None:
    users = User.objects.filter(is_active=True, role=role, organisation__kind=kind)
    return users.filter(username=username).first() or users.first()


def _actors() -> tuple[User | None, User | None]:
    """The bureau's demo clerk (records sessions), the county coordinator (cases)."""
    bureau = _user(Role.CASE_WORKER, Organisation.Kind.EDUCATION, "education") or _user(
        Role.UNIT_ADMIN, Organisation.Kind.EDUCATION, "education"
    )
    coordinator = User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR).first()
    return bureau, coordinator


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    """Add law education to the demo county (idempotent, deterministic)."""
    if Session.objects.exists() or TeachingCase.objects.exists():
        return
    schools = list(
        School.objects.open()
        .select_related("organisation__division")
        .order_by("organisation__name")
    )
    bureau, coordinator = _actors()
    if not schools or bureau is None or coordinator is None:
        progress(_("law education: no schools yet, skipped"))
        return
    rng = random.Random(f"{seed}:education")
    name, start, end = current_term(as_of)
    last_held = min(as_of, timezone.localdate())
    with transaction.atomic():
        term = Term.objects.filter(name=name).first() or services.term_create(
            actor=coordinator, data={"name": name, "start": start, "end": end}
        )
        topics = {t.name: t for t in Topic.objects.all()}
        cases = _cases(coordinator, topics)
        counts = _sessions(rng, bureau, term, schools, topics, cases, last_held)
        record(
            AuditEvent.Action.CREATE,
            username="seed_demo",
            target_repr="education demo",
            term=term.name,
            cases=len(cases),
            sessions=counts["sessions"],
            legal_vp=counts["legal_vp"],
            overdue=counts["overdue"],
            without=counts["without"],
        )
    progress(
        _(
            "law education: %(term)s, sessions: %(sessions)d (by legal vice-principals: "
            "%(legal_vp)d, overdue: %(overdue)d), schools without any: %(without)d, cases: "
            "%(cases)d published"
        )
        % {**counts, "term": term.name, "cases": len(cases)}
    )


def _cases(coordinator: User, topics: dict[str, Topic]) -> list[TeachingCase]:
    """A dozen published cases, two proposed (by the procuratorate's coordinator's unit and a
    school's liaison, where that account exists)."""
    published = []
    for title, summary, statute, article, age, names in CASES:
        case = services.case_propose(
            actor=coordinator,
            data={
                "title": title,
                "summary": summary,
                "statute": statute,
                "article": article,
                "age_group": age,
                "topics": [topics[n] for n in names if n in topics],
            },
            confirmed=True,  # written anonymised; a register name could match by chance
        )
        published.append(services.case_decide(actor=coordinator, case=case, publish=True))
    proposer = User.objects.filter(username="liaison_a", is_active=True).first() or coordinator
    for title, summary, statute, article, age, names in PROPOSED:
        services.case_propose(
            actor=proposer,
            data={
                "title": title,
                "summary": summary,
                "statute": statute,
                "article": article,
                "age_group": age,
                "topics": [topics[n] for n in names if n in topics],
            },
            confirmed=True,
        )
    return published


class _Speakers:
    """Who teaches where: police of the school's township, the procuratorate, volunteers."""

    def __init__(self) -> None:
        units = list(Organisation.objects.select_related("division"))
        self.stations = {
            u.division.code[:9]: u for u in units if u.kind == Organisation.Kind.POLICE_STATION
        }
        self.procuratorate = next(
            (u for u in units if u.kind == Organisation.Kind.PROCURATORATE and u.parent_id is None),
            None,
        )
        self.volunteers = [u for u in units if u.kind == Organisation.Kind.SOCIAL_WORK]
        self.vps: dict[int, list[Appointment]] = {}
        for appointment in Appointment.objects.active().prefetch_related("school_links"):
            for link in appointment.school_links.all():
                self.vps.setdefault(link.school_id, []).append(appointment)

    def pick(self, rng: random.Random, school: School | None, division: Division) -> dict:
        roll = rng.random()
        station = self.stations.get(division.code[:9])
        if roll < 0.4 and station is not None:
            return {
                "speaker_kind": Session.SpeakerKind.POLICE,
                "speaker_unit": station,
                "speaker_name": rng.choice(("社区民警", "派出所所长", "民警")),
            }
        if roll < 0.6 and self.procuratorate is not None:
            return {
                "speaker_kind": Session.SpeakerKind.PROCURATORATE,
                "speaker_unit": self.procuratorate,
                "speaker_name": "未检检察官",
            }
        if roll < 0.8 or school is None:
            return {
                "speaker_kind": Session.SpeakerKind.VOLUNTEER,
                "speaker_unit": rng.choice(self.volunteers) if self.volunteers else None,
                "speaker_name": rng.choice(VOLUNTEERS),
            }
        return {
            "speaker_kind": Session.SpeakerKind.TEACHER,
            "speaker_unit": school.organisation,
            "speaker_name": rng.choice(TEACHERS),
        }


def _grades(rng: random.Random, school: School) -> str:
    choices = GRADES.get(School.Kind(school.kind), ("全校",))
    return "、".join(rng.sample(choices, min(2, len(choices))))


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _sessions(
    rng: random.Random,
    actor: User,
    term: Term,
    schools: list[School],
    topics: dict[str, Topic],
    cases: list[TeachingCase],
    last_held: date,
) -> dict[str, int]:
    speakers = _Speakers()
    topic_list = list(topics.values())
    order = schools[:]
    rng.shuffle(order)
    without = max(1, round(len(order) * NO_SESSIONS))
    no_parents = set(s.pk for s in order[without : without + round(len(order) * NO_PARENTS)])
    counts = {"sessions": 0, "legal_vp": 0, "overdue": 0, "without": without}
    held_until = max(term.start, min(last_held, term.end))

    def add(school: School | None, division: Division | None, **data: object) -> Session | None:
        values = {
            "school": school,
            "division": division,
            "status": Session.Status.HELD,
            "date": _day(rng, term.start, held_until),
            "topics": rng.sample(topic_list, rng.choice((1, 2))),
            "hours": Decimal(rng.choice(("1", "1", "1.5", "2"))),
            "cases": rng.sample(cases, 1) if cases and rng.random() < 0.4 else [],
            **data,
        }
        if values["status"] != Session.Status.HELD:
            values["attendance"] = 0
        try:
            session = services.session_create(actor=actor, data=values)
        except ValidationError:
            return None
        counts["sessions"] += 1
        return session

    for school in order[without:]:
        division = school.organisation.division
        kindergarten = school.kind == School.Kind.KINDERGARTEN
        if not kindergarten:
            for _n in range(rng.choice((1, 1, 2))):
                vps = speakers.vps.get(school.pk, [])
                if vps and rng.random() < LEGAL_VP_SHARE:
                    made = add(
                        school,
                        None,
                        audience=Session.Audience.PUPILS,
                        attendance=rng.randrange(40, 400),
                        speaker_kind="legal_vp",
                        appointment=rng.choice(vps),
                        grades=_grades(rng, school),
                    )
                    if made is not None:
                        counts["legal_vp"] += 1
                        continue
                add(
                    school,
                    None,
                    audience=Session.Audience.PUPILS,
                    pupils_attending=rng.randrange(40, 400),
                    # Class teachers often sit in, and a family open day brings parents too.
                    teachers_attending=rng.choice((0, 0, 2, 4, 6)),
                    parents_attending=rng.choice((0,) * 9 + (rng.randrange(20, 80),)),
                    grades=_grades(rng, school),
                    **speakers.pick(rng, school, division),
                )
            if rng.random() < 0.3:
                add(
                    school,
                    None,
                    audience=Session.Audience.TEACHERS,
                    attendance=rng.randrange(10, 60),
                    **speakers.pick(rng, school, division),
                )
        if school.pk not in no_parents:
            sent = rng.random() < 0.8
            attending = rng.randrange(30, 300)
            add(
                school,
                None,
                audience=Session.Audience.PARENTS,
                attendance=attending,
                notice_sent=sent,
                receipts_returned=int(attending * rng.uniform(0.6, 1.0)) if sent else None,
                **speakers.pick(rng, school, division),
            )
        # The rest of the term's plan.
        if term.end > last_held and rng.random() < 0.3:
            add(
                school,
                None,
                status=Session.Status.PLANNED,
                audience=Session.Audience.PARENTS,
                date=_day(rng, last_held + timedelta(days=1), term.end),
                **speakers.pick(rng, school, division),
            )
    for school in order[without : without + OVERDUE]:
        late = add(
            school,
            None,
            status=Session.Status.PLANNED,
            audience=Session.Audience.PUPILS,
            date=_day(rng, term.start, max(term.start, held_until - timedelta(days=3))),
            **speakers.pick(rng, school, school.organisation.division),
        )
        counts["overdue"] += late is not None
    villages = list(Division.objects.filter(level=Division.Level.VILLAGE).order_by("code")[:200])
    for village in rng.sample(villages, min(VILLAGE_SESSIONS, len(villages))):
        add(
            None,
            village,
            audience=Session.Audience.PARENTS,
            attendance=rng.randrange(20, 120),
            **speakers.pick(rng, None, village),
        )
    return counts
