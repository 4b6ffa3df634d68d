"""Venues near schools in the demo county: a few hundred venues around the schools (a handful
of internet cafés inside the national 200 m, the rest of them well outside it), the county's own
tobacco rule (50 m, as in 吉安县), a start-of-term campaign with its plan and inspections, the
findings and the rectification orders they opened in every state (open, overdue and escalated,
rectified on time, rectified late, not rectified), two repeat offenders and a school's concern.

Written with the models directly (the services' checks hold by construction: every point lies
in the county's box, every date before `as_of`), then the distance check runs once over the
whole county; one audit event. Deterministic from `seed`; does nothing once venues exist. Runs
after the schools demo (it places venues around school records).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.kit import geo
from weibao.lib import creditcode
from weibao.schools.models import School
from weibao.venues.kinds import PRIMARY_AND_SECONDARY, Outcome, VenueKind, checklist
from weibao.venues.models import (
    RECTIFICATION_DAYS,
    Concern,
    DistanceRule,
    Finding,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
)
from weibao.venues.services import Supervisors, recheck

VENUES = 300  # at scale 1
MIN_VENUES = 60
CAFES_INSIDE = 5  # internet cafés planted inside 200 m of a school
AUDIT_USERNAME = "seed_demo"
PLACES = Decimal("0.000001")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
V = VenueKind
# Kind: (weight, name stems).
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    V.INTERNET_CAFE: (5, ("网咖", "网吧", "电竞网咖")),
    V.SONG_DANCE: (3, ("KTV", "歌城", "量贩式KTV")),
    V.ARCADE: (2, ("电玩城", "游艺厅")),
    V.BAR: (2, ("酒吧", "清吧")),
    V.ESPORTS_HOTEL: (1, ("电竞酒店",)),
    V.HOTEL: (6, ("宾馆", "快捷酒店", "旅社")),
    V.TOBACCO: (12, ("烟酒店", "便利店", "烟酒商行")),
    V.ALCOHOL: (5, ("酒行", "副食店")),
    V.LOTTERY: (4, ("体育彩票站", "福利彩票站")),
    V.SHOP: (16, ("文具店", "小卖部", "精品店")),
    V.FOOD: (14, ("零食店", "早餐店", "小吃店")),
    V.SCRIPT_GAME: (2, ("剧本杀馆", "推理馆")),
}
HEADS = ("鑫", "顺", "华", "兴", "乐", "阳光", "金", "星", "佳", "百姓", "红", "绿洲", "新", "旺")
SURNAMES = ("张", "王", "李", "刘", "陈", "杨", "黄", "吴", "周", "徐", "邓", "曾", "罗", "邱")
GIVEN = ("伟", "芳", "军", "敏", "强", "丽", "涛", "静", "斌", "燕", "勇", "霞")
INSPECTORS = ("江涛", "邱明", "吴军", "胡斌", "刘洋", "曾华", "罗成", "黄磊")
CAMPAIGN_KINDS = [V.INTERNET_CAFE, V.SONG_DANCE, V.HOTEL, V.TOBACCO, V.SHOP, V.FOOD]
K = Organisation.Kind

Progress = Callable[[str], None]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _decimal(value: float) -> Decimal:
    return Decimal(value).quantize(PLACES)


def _offset(lat: float, lng: float, metres: float, angle: float) -> tuple[float, float]:
    dlat = metres * math.cos(angle) / 111_000
    dlng = metres * math.sin(angle) / (111_000 * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


def _person(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
    )


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """Add the venues' records to the demo county (idempotent, deterministic)."""
    if Venue.objects.exists():
        return
    schools = list(
        School.objects.open()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("organisation__division__parent")
        .order_by("pk")
    )
    villages = list(
        Division.objects.filter(level=Division.Level.VILLAGE, code__startswith=names.ID_PREFIX)
        .select_related("parent")
        .order_by("code")
    )
    if not schools or not villages:
        return
    rng = random.Random(f"{seed}:venues")
    with transaction.atomic():
        _county_rule(as_of)
        venues = _venues(rng, schools, villages, max(MIN_VENUES, round(VENUES * scale)), as_of)
        outcome = recheck()
        progress(
            _("venues near schools: %(n)d, distance violations: %(v)d")
            % {"n": len(venues), "v": outcome.opened}
        )
        plan, inspections, orders = _campaign(rng, venues, as_of)
        progress(
            _("venue inspections: %(n)d, rectification orders: %(orders)d")
            % {"n": inspections, "orders": orders}
        )
        _concern(schools)
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo records of venues near schools"),
            seed=seed,
            venues=len(venues),
            violations=outcome.opened,
            inspections=inspections,
            orders=orders,
            plan=plan.pk if plan else None,
        )


def _county_rule(as_of: date) -> None:
    """The county's tobacco rule: no outlet within 50 m of a school (not kindergartens)."""
    DistanceRule.objects.get_or_create(
        kind=V.TOBACCO,
        valid_to=None,
        defaults={
            "school_kinds": sorted(
                {*PRIMARY_AND_SECONDARY, School.Kind.VOCATIONAL, School.Kind.SPECIAL}
            ),
            "metres": 50,
            "valid_from": date(as_of.year - 1, 9, 1),
            "basis": "乐安县人民政府关于校园周边烟草制品零售点设置的通告",
        },
    )


def _credit_code(rng: random.Random, used: set[str]) -> str:
    while True:
        body = "".join(rng.choice(ALPHABET) for _ in range(9))
        code = creditcode.make(rng.choice(("91", "92", "92", "92")), names.ID_PREFIX, body)
        if code not in used:
            used.add(code)
            return code


def _village_of(school: School, villages: list[Division], rng: random.Random) -> Division:
    division = school.organisation.division
    if division.level == Division.Level.VILLAGE:
        return division
    inside = [v for v in villages if v.code.startswith(division.prefix)]
    return rng.choice(inside or villages)


def _venues(
    rng: random.Random, schools: list[School], villages: list[Division], count: int, as_of: date
) -> list[Venue]:
    protected = [
        (s.pk, float(s.latitude), float(s.longitude))  # type: ignore[arg-type]
        for s in schools
        if s.kind in PRIMARY_AND_SECONDARY
    ]
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    supervisors = Supervisors()
    used: set[str] = set()
    venues: list[Venue] = []
    planted = 0
    for number in range(count):
        kind = kinds[number % len(kinds)] if number < len(kinds) else rng.choices(kinds, weights)[0]
        school = rng.choice(schools)
        lat0, lng0 = float(school.latitude), float(school.longitude)  # type: ignore[arg-type]
        if (
            kind == V.INTERNET_CAFE
            and planted < CAFES_INSIDE
            and school.kind in PRIMARY_AND_SECONDARY
        ):
            lat, lng = _offset(lat0, lng0, rng.uniform(60, 185), rng.uniform(0, 2 * math.pi))
            planted += 1
        else:
            for _attempt in range(20):
                lat, lng = _offset(lat0, lng0, rng.uniform(40, 1500), rng.uniform(0, 2 * math.pi))
                if kind != V.INTERNET_CAFE or not geo.pairs_within([(0, lat, lng)], protected, 230):
                    break
        village = _village_of(school, villages, rng)
        status = rng.choices(
            [Venue.Status.OPEN, Venue.Status.SUSPENDED, Venue.Status.CLOSED], [90, 6, 4]
        )[0]
        expires = as_of + timedelta(days=rng.randint(-60, 900)) if kind in (
            V.INTERNET_CAFE, V.SONG_DANCE, V.ARCADE, V.HOTEL, V.ESPORTS_HOTEL, V.TOBACCO,
            V.LOTTERY) else None  # fmt: skip
        head = rng.choice(HEADS)
        place = village.name.removesuffix("村").removesuffix("社区")
        venue = Venue(
            kind=kind,
            name=f"{place}{head}{rng.choice(KINDS[kind][1])}",
            credit_code=_credit_code(rng, used),
            licence_number=f"{names.ID_PREFIX}{number:06d}" if expires else "",
            licence_expires=expires,
            operator=_person(rng),
            phone=f"139{rng.randint(0, 99_999_999):08d}",
            address=f"{village.parent.name if village.parent else ''}{village.name}"
            f"{rng.randint(1, 200)}号",
            village=village,
            latitude=_decimal(lat),
            longitude=_decimal(lng),
            opening_hours="08:00-24:00" if kind == V.INTERNET_CAFE else "",
            status=status,
            supervising_unit=supervisors.for_venue(kind, village),
            created_at=_aware(as_of - timedelta(days=rng.randint(30, 700)), 9, 0),
        )
        venues.append(venue)
    return Venue.objects.bulk_create(venues, batch_size=500)


def _lead() -> Organisation | None:
    return (
        Organisation.objects.filter(kind=K.CULTURE_TOURISM, is_active=True).order_by("pk").first()
    )


def _campaign(
    rng: random.Random, venues: list[Venue], as_of: date
) -> tuple[InspectionPlan | None, int, int]:
    """A start-of-term campaign ending three weeks before `as_of`, with its inspections."""
    lead = _lead()
    if lead is None:
        return None, 0, 0
    units = list(
        Organisation.objects.filter(
            kind__in=(K.CULTURE_TOURISM, K.MARKET_REGULATION, K.PUBLIC_SECURITY, K.EDUCATION),
            is_active=True,
        )
    )
    starts, due = as_of - timedelta(days=80), as_of - timedelta(days=20)
    plan = InspectionPlan.objects.create(
        title=f"{starts.year}年秋季开学校园周边环境专项整治",
        season=InspectionPlan.Season.TERM_START,
        kinds=CAMPAIGN_KINDS,
        lead=lead,
        starts_on=starts,
        due_on=due,
        created_at=_aware(starts - timedelta(days=7), 10, 0),
    )
    plan.units.set(units)
    rules = {r.kind: r.metres for r in DistanceRule.objects.in_force(starts)}
    candidates = [v for v in venues if v.kind in CAMPAIGN_KINDS and v.status != Venue.Status.CLOSED]
    rng.shuffle(candidates)
    chosen = candidates[: max(12, len(candidates) // 2)]
    by_kind_unit = {u.kind: u for u in units}
    inspections = orders = 0
    # The order's fate, in turn: every state appears (see the module's docstring).
    fates = ["ok", "on_time", "late", "not_rectified", "open_overdue", "ok", "open_due", "ok"]
    repeat = 0
    for number, venue in enumerate(chosen):
        fate = fates[number % len(fates)]
        if fate == "open_due":
            day = as_of - timedelta(days=rng.randint(2, 8))
        elif fate == "open_overdue":
            day = as_of - timedelta(days=rng.randint(40, 55))
        else:
            day = starts + timedelta(days=rng.randint(0, 30))
        unit = venue.supervising_unit or by_kind_unit.get(K.PUBLIC_SECURITY) or lead
        items = checklist(venue.kind, rules.get(venue.kind))
        failed = set() if fate == "ok" else {rng.choice(items).code}
        first = _inspection(rng, venue, plan, unit, day, items, failed)
        inspections += 1
        if not failed:
            continue
        order = _order(first, venue, day)
        orders += 1
        if fate in ("open_due", "open_overdue"):
            if fate == "open_overdue":
                order.escalated_on = order.deadline + timedelta(days=1)
                order.save(update_fields=["escalated_on"])
            continue
        again = order.deadline + timedelta(days=-3 if fate == "on_time" else 6)
        again = min(again, as_of - timedelta(days=1))
        still = failed if fate == "not_rectified" else set()
        second = _inspection(rng, venue, plan, unit, again, items, still, reinspects=order)
        inspections += 1
        order.state = (
            RectificationOrder.State.NOT_RECTIFIED if still else RectificationOrder.State.RECTIFIED
        )
        order.closed_at = second.inspected_at
        order.save(update_fields=["state", "closed_at"])
        if still:
            next_order = _order(second, venue, timezone.localdate(second.inspected_at))
            orders += 1
            if next_order.deadline < as_of:
                next_order.escalated_on = next_order.deadline + timedelta(days=1)
                next_order.save(update_fields=["escalated_on"])
            if repeat < 2:
                venue.flagged_on = timezone.localdate(second.inspected_at)
                Venue.objects.filter(pk=venue.pk).update(flagged_on=venue.flagged_on)
                repeat += 1
    return plan, inspections, orders


def _inspection(
    rng: random.Random,
    venue: Venue,
    plan: InspectionPlan,
    unit: Organisation,
    day: date,
    items: list[Any],
    failed: set[str],
    reinspects: RectificationOrder | None = None,
) -> Inspection:
    inspection = Inspection.objects.create(
        venue=venue,
        plan=plan,
        inspecting_unit=unit,
        inspected_at=_aware(day, rng.randint(9, 21), rng.choice((0, 15, 30, 45))),
        inspectors=rng.sample(INSPECTORS, 2),
        checklist={
            item.code: Outcome.FAIL if item.code in failed else Outcome.OK for item in items
        },
        minors_found=1 if "no_minors" in failed else 0,
        notes="",
        reinspects=reinspects,
    )
    Finding.objects.bulk_create(
        Finding(inspection=inspection, item=item.code, label=str(item.label)[:200])
        for item in items
        if item.code in failed
    )
    return inspection


def _order(inspection: Inspection, venue: Venue, day: date) -> RectificationOrder:
    return RectificationOrder.objects.create(
        inspection=inspection,
        venue=venue,
        number=f"{day.year}-{inspection.pk:06d}",
        deadline=day + timedelta(days=RECTIFICATION_DAYS),
        created_at=inspection.inspected_at,
    )


def _concern(schools: list[School]) -> None:
    """School A's liaison reports a concern about a venue inside its circles."""
    liaison = User.objects.filter(username="liaison_a", is_active=True).first()
    if liaison is None:
        return
    school = next((s for s in schools if s.organisation_id == liaison.organisation_id), None)
    if school is None:
        return
    violation = (
        school
        and Venue.objects.filter(
            violations__school=school, violations__closed_at__isnull=True
        ).first()
    )
    venue = violation or Venue.objects.operating().order_by("pk").first()
    if venue is None:
        return
    Concern.objects.create(
        venue=venue,
        school=school,
        text="放学时段常有学生进出该场所，请相关部门核查。",
        reported_by=liaison,
    )
