"""Legal vice-principals of the demo county: about sixty appointees from the procuratorate (with
the six leaders whose letters the speech mentions), the police stations, the court and the
justice bureau; most schools covered, a few left without one, some terms ending soon, duty
records through the year with a few appointees short of four hours, and last year's evaluations.

Runs after the schools demo (it needs School records) and does nothing if its records exist.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.kit import crypto
from weibao.legalvp import services
from weibao.legalvp.models import (
    COVERED_SCHOOL_KINDS,
    Appointment,
    DutyRecord,
    Evaluation,
    default_term_end,
)
from weibao.lib import idnumber
from weibao.people.models import Person
from weibao.schools.models import School

APPOINTEES = 60
UNCOVERED = 8
ENDING_SOON = 5
BELOW_MINIMUM = 6
PROCURATORATE = "乐安县人民检察院"
PROCURATORATE_OFFICE = "乐安县人民检察院鳌溪检察室"
COURT = "乐安县人民法院"
JUSTICE = "乐安县司法局"
# The six leaders handed their letters at the meeting: (name, position, unit).
LEADERS = (
    ("刘莹", "鳌溪检察室主任", PROCURATORATE_OFFICE),
    ("陈建国", "检察长", PROCURATORATE),
    ("黄志明", "副检察长", PROCURATORATE),
    ("吴丽华", "副检察长", PROCURATORATE),
    ("曾文斌", "检察委员会专职委员", PROCURATORATE),
    ("罗静", "未成年人检察部主任", PROCURATORATE),
)
POSITIONS = {
    Organisation.Kind.PROCURATORATE: ("检察官", "检察官助理", "未成年人检察部副主任"),
    Organisation.Kind.POLICE_STATION: ("所长", "副所长", "社区民警", "教导员"),
    Organisation.Kind.COURT: ("审判员", "少年家事庭庭长", "法官助理"),
    Organisation.Kind.JUSTICE: ("司法所所长", "普法科科长", "公共法律服务中心主任"),
}
NOTES = {
    DutyRecord.Kind.LAW_EDUCATION: ("法治课：预防校园欺凌", "法治课：宪法进校园", "以案释法专题课"),
    DutyRecord.Kind.STUDENT_RIGHTS: ("参加学生保护委员会会议",),
    DutyRecord.Kind.CRIME_PREVENTION: ("对有不良行为学生开展个别教育",),
    DutyRecord.Kind.SAFETY: ("指导校园安全隐患排查",),
    DutyRecord.Kind.GOVERNANCE: ("审阅校规校纪",),
}
GRADES: list[str] = [
    Evaluation.Grade.EXCELLENT,
    Evaluation.Grade.COMPETENT,
    Evaluation.Grade.BASIC,
    Evaluation.Grade.INCOMPETENT,
]
GRADE_WEIGHTS = [35, 55, 8, 2]


def _name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A grown-up's name (unique among the appointees) and sex."""
    surnames, weights = zip(*names.SURNAMES, strict=True)
    while True:
        sex = rng.choice("MF")
        given = names.GIVEN[("mid", sex)]
        name = rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name, sex


def _id_number(rng: random.Random, sex: str) -> str:
    """A valid, unused ID number of someone born 1966-1992 in the county."""
    while True:
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(27 * 365))
        seq = rng.randrange(100, 999)
        if (seq % 2 == 1) != (sex == "M"):
            seq += 1
        number = idnumber.make(names.ID_PREFIX, birth, seq)
        idnumber.parse(number)
        if not Person.objects.by_id_hash(crypto.blind_index(number)).exists():
            return number


def _term_start(rng: random.Random, as_of: date) -> date:
    """1 September of one of the last three school years (never after as_of)."""
    latest = as_of.year if as_of >= date(as_of.year, 9, 1) else as_of.year - 1
    return date(latest - rng.choice((0, 0, 1, 1, 2)), 9, 1)


def _actor() -> User | None:
    """The bureau's demo clerk, or any education-bureau user who may write."""
    users = User.objects.filter(is_active=True, organisation__kind=Organisation.Kind.EDUCATION)
    return (
        users.filter(username="education").first()
        or users.filter(role__in=(Role.CASE_WORKER, Role.UNIT_ADMIN)).first()
    )


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    """Add the legal vice-principals to the demo county (idempotent, deterministic)."""
    if Appointment.objects.exists():
        return
    schools = list(
        School.objects.open()
        .filter(kind__in=COVERED_SCHOOL_KINDS)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    actor = _actor()
    if not schools or actor is None:
        progress(_("legal vice-principals: no schools yet, skipped"))
        return
    rng = random.Random(f"{seed}:legalvp")
    units = {u.name: u for u in Organisation.objects.filter(kind__in=list(POSITIONS))}
    stations = sorted(
        (u for u in units.values() if u.kind == Organisation.Kind.POLICE_STATION),
        key=lambda u: u.name,
    )
    others = [units.get(COURT)] * 10 + [units.get(JUSTICE)] * 8 + [units.get(PROCURATORATE)] * 10
    senders = [u for u in others if u is not None]
    senders += [stations[i % len(stations)] for i in range(APPOINTEES)] if stations else []
    senders = senders[: APPOINTEES - len(LEADERS)]
    rng.shuffle(senders)

    rng.shuffle(schools)
    uncovered = min(UNCOVERED, len(schools) // 4)
    to_cover = schools[uncovered:]
    used_names = {leader[0] for leader in LEADERS}
    plans: list[tuple[str, str, str, Organisation]] = [
        (name, rng.choice("MF") if name != "刘莹" else "F", position, units[unit])
        for name, position, unit in LEADERS
        if unit in units
    ]
    for unit in senders:
        name, sex = _name(rng, used_names)
        plans.append((name, sex, rng.choice(POSITIONS[Organisation.Kind(unit.kind)]), unit))

    with transaction.atomic():
        appointments: list[Appointment] = []
        covered = 0
        for index, (name, sex, position, unit) in enumerate(plans):
            if covered < len(to_cover):
                take = 2 if rng.random() < 0.35 else 1
                chosen = to_cover[covered : covered + take]
                covered += len(chosen)
            else:  # every school has one: the rest go to large schools, which may have several
                chosen = [rng.choice(to_cover)] if to_cover else []
            if not chosen:
                break
            start = _term_start(rng, as_of)
            if index % max(1, len(plans) // ENDING_SOON) == 3:  # terms ending within 60 days
                end = as_of + timedelta(days=rng.randrange(5, 56))
                after = end + timedelta(days=1)
                start = date(after.year - 3, after.month, min(after.day, 28))
            else:
                end = default_term_end(start)
            appointment = services.appointment_create(
                actor=actor,
                data={
                    "name": name,
                    "id_number": _id_number(rng, sex),
                    "phone": f"{rng.choice(names.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}",
                    "sending_unit": unit,
                    "position": position,
                    "appointing_unit": actor.organisation,
                    "schools": chosen,
                    "term_start": start,
                    "term_end": end,
                    "issued_on": start - timedelta(days=rng.randrange(1, 10)),
                },
            )
            appointments.append(appointment)
        duties, evaluations = _duties_and_evaluations(rng, appointments, as_of, actor)
        record(
            AuditEvent.Action.CREATE,
            username="seed_demo",
            target_repr="legalvp demo",
            appointments=len(appointments),
            duties=duties,
            evaluations=evaluations,
        )
    progress(
        _(
            "legal vice-principals: %(appointments)d, schools left uncovered: %(uncovered)d, "
            "duty records: %(duties)d"
        )
        % {"appointments": len(appointments), "uncovered": uncovered, "duties": duties}
    )


def _duties_and_evaluations(
    rng: random.Random, appointments: list[Appointment], as_of: date, actor: User
) -> tuple[int, int]:
    """Duty records of this year and last, and last year's evaluations, in bulk."""
    duties: list[DutyRecord] = []
    evaluations: list[Evaluation] = []
    short = set(rng.sample(range(len(appointments)), min(BELOW_MINIMUM, len(appointments))))
    last_year = as_of.year - 1
    for index, appointment in enumerate(appointments):
        schools = list(appointment.schools.all())
        for year in (last_year, as_of.year):
            first = max(appointment.term_start, date(year, 1, 1))
            last = min(appointment.term_end, as_of, date(year, 12, 31))
            if first > last:
                continue
            span = (last - first).days
            if index in short and year == as_of.year:
                law_hours = rng.choice((0, 1, 2, 3))
            else:
                law_hours = rng.choice((4, 4, 6, 8))
            while law_hours > 0:
                hours = min(law_hours, rng.choice((1, 2)))
                law_hours -= hours
                duties.append(_duty(rng, appointment, schools, first, span, "FD1", hours, actor))
            for _n in range(rng.randrange(0, 4)):
                kind = rng.choice(("FD2", "FD3", "FD4", "FD6"))
                duties.append(_duty(rng, appointment, schools, first, span, kind, 1, actor))
            if year == last_year:
                evaluations += [
                    Evaluation(
                        appointment=appointment,
                        school=school,
                        year=year,
                        grade=rng.choices(GRADES, GRADE_WEIGHTS)[0],
                        comments="",
                        evaluated_by=actor,
                    )
                    for school in schools
                ]
    DutyRecord.objects.bulk_create(duties, batch_size=1000)
    Evaluation.objects.bulk_create(evaluations, batch_size=1000)
    return len(duties), len(evaluations)


def _duty(
    rng: random.Random,
    appointment: Appointment,
    schools: list[School],
    first: date,
    span: int,
    kind: str,
    hours: int,
    actor: User,
) -> DutyRecord:
    return DutyRecord(
        appointment=appointment,
        school=rng.choice(schools),
        kind=kind,
        date=first + timedelta(days=rng.randrange(span + 1)),
        hours=Decimal(hours),
        notes=rng.choice(NOTES.get(DutyRecord.Kind(kind), ("",))),
        recorded_by=actor,
    )
