"""Drowning prevention in the demo county: a few hundred hazardous waters over its villages,
custodians for most high-risk ones, a summer of patrols (July and August of `as_of`'s year, or
the last summer before it) with the gaps they found and the rectifications those opened (most
closed, some overdue), the routine patrols of the weeks before `as_of` (a quarter of the waters
left behind, so the overdue-patrol list shows real gaps), incidents from 2017 to `as_of`'s year
whose yearly count falls, a few deaths with their reviews, and a made-up map of the townships.
Then the parents' side, for that summer: most schools' letters to parents with part of the
receipts back, named teachers and officials (accounts without a password) to whom most children
aged 3-15 and the left-behind children are assigned, with contacts (some children left without
anyone, some assignees silent). Then that summer's sign inspections: most schools with waters
near them reported one, with a few gaps, each opening a rectification for the township. Each
part does nothing once its records exist.

Written in bulk (the services' checks hold by construction: every point lies in the county's
box, every date on or before `as_of`), with one audit event; deterministic from `seed`;
does nothing once waters exist. Runs after the schools demo (catchments need school records).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.demo.geo import township_centre
from weibao.drowning.models import (
    CATCHMENT_METRES,
    EQUIPMENT_FIELDS,
    RECTIFICATION_DAYS,
    Assignment,
    Catchment,
    Contact,
    Custodian,
    EquipmentState,
    HazardousWater,
    Incident,
    LetterReceipt,
    ParentLetter,
    Patrol,
    Rectification,
    Season,
    SignInspection,
    SignInspectionItem,
    TownshipMap,
)
from weibao.drowning.plans import Frequencies, is_peak
from weibao.drowning.services import county_box, review_start, school_points
from weibao.drowning.services.assignments import to_be_assigned
from weibao.drowning.services.patrols import open_rectifications
from weibao.drowning.services.signs import mark_gaps
from weibao.kit import bulk, geo
from weibao.people.models import Person
from weibao.schools.models import School

WATERS = 320  # at scale 1
MIN_WATERS = 60
CUSTODIAN_SHARE = 0.85  # of high-risk waters
NEGLECTED_SHARE = 0.25  # waters whose routine patrols lapsed before as_of
ROUTINE_DAYS = 60  # the routine patrols written before as_of (outside the summer)
GAP_CHANCE = 0.025  # an item found missing or damaged on a patrol
FIRST_GAP_CHANCE = 0.08  # ...on a water's first patrol of the summer
CLOSED_SHARE = 0.7  # of rectifications, put right
FIRST_YEAR = 2017
DEATH_SHARE = 0.18
AUDIT_USERNAME = "seed_demo"
PLACES = Decimal("0.000001")

Kind = HazardousWater.Kind
Risk = HazardousWater.Risk
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    Kind.POND: (34, ("塘", "水塘", "山塘")),
    Kind.DITCH: (14, ("水渠", "沟渠")),
    Kind.RIVER: (10, ("河段", "溪段")),
    Kind.RESERVOIR: (5, ("水库",)),
    Kind.LAKE: (2, ("湖",)),
    Kind.WELL: (6, ("机井", "水井")),
    Kind.STORAGE_TANK: (8, ("蓄水池",)),
    Kind.FLOODED_PIT: (8, ("积水坑",)),
    Kind.SAND_PIT: (6, ("采砂坑",)),
    Kind.ABANDONED_MINE: (2, ("废弃矿坑",)),
    Kind.OTHER: (3, ("水坑",)),
}
RISKY_KINDS = {Kind.RIVER, Kind.RESERVOIR, Kind.SAND_PIT, Kind.ABANDONED_MINE, Kind.FLOODED_PIT}
LARGE_KINDS = {Kind.RESERVOIR, Kind.LAKE}
NAME_HEADS = (
    "东",
    "西",
    "南",
    "北",
    "后山",
    "前",
    "老",
    "新",
    "大",
    "小",
    "上",
    "下",
    "村口",
    "桥头",
)
# Incidents by month of the year (summer heavy), and the falling yearly counts' start and step.
MONTH_WEIGHTS = (1, 1, 1, 3, 6, 12, 26, 22, 5, 3, 1, 1)
FIRST_YEAR_INCIDENTS = 15
YEARLY_FALL = 1.4
REPORTERS = ("村民", "家长", "学校", "派出所", "乡镇政府", "村委会")
CLOSE_NOTES = ("已补设", "已更换", "已修复", "已重新安装")
OTHER_PLACES = ("河边", "池塘边", "水渠旁", "田边水坑")

Progress = Callable[[str], None]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _point(rng: random.Random, centre: tuple[float, float], spread: float) -> tuple[float, float]:
    lat, lng = centre
    return lat + rng.uniform(-spread, spread), lng + rng.uniform(-spread, spread)


def _decimal(value: float) -> Decimal:
    return Decimal(value).quantize(PLACES)


def summer_of(as_of: date) -> tuple[date, date]:
    """The summer the demo's patrols cover: July and August of `as_of`'s year (up to the day
    before `as_of` while it lasts), else the last summer before it."""
    year = as_of.year if as_of > date(as_of.year, 7, 1) else as_of.year - 1
    return date(year, 7, 1), min(date(year, 8, 31), as_of - timedelta(days=1))


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """Add the drowning-prevention records to the demo county (idempotent, deterministic)."""
    _seed_waters(seed=seed, scale=scale, as_of=as_of, progress=progress)
    _seed_parents(seed=seed, as_of=as_of, progress=progress)
    _seed_sign_inspections(seed=seed, as_of=as_of, progress=progress)


def _seed_waters(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    if HazardousWater.objects.exists():
        return
    villages = list(
        Division.objects.filter(level=Division.Level.VILLAGE, code__startswith=names.ID_PREFIX)
        .select_related("parent")
        .order_by("code")
    )
    villages = [v for v in villages if v.parent is not None]
    if not villages:
        return
    rng = random.Random(f"{seed}:drowning")
    actor = _actor()
    with transaction.atomic():
        waters = _waters(rng, villages, max(MIN_WATERS, round(WATERS * scale)), seed, actor)
        _catchments(waters)
        progress(_("hazardous waters: %(n)d") % {"n": len(waters)})
        custodians = _custodians(rng, waters)
        progress(_("water custodians: %(n)d") % {"n": custodians})
        patrols, items = _patrols(rng, waters, as_of, actor)
        progress(
            _("patrols: %(patrols)d, rectifications: %(items)d")
            % {"patrols": patrols, "items": items}
        )
        incidents, deaths = _incidents(rng, waters, villages, as_of, actor, seed)
        progress(_("drowning incidents: %(n)d, deaths: %(deaths)d") % {"n": incidents,
                                                                     "deaths": deaths})  # fmt: skip
        townships = _township_map(villages, waters, seed, actor)
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo drowning-prevention records"),
            seed=seed,
            waters=len(waters),
            custodians=custodians,
            patrols=patrols,
            rectifications=items,
            incidents=incidents,
            townships=townships,
        )


def _actor() -> User | None:
    """Who the demo records as registering and patrolling: the water-resources bureau's clerk."""
    users = User.objects.filter(
        is_active=True, organisation__kind=Organisation.Kind.WATER_RESOURCES
    )
    return users.filter(username="water").first() or users.first()


def _village_centre(village: Division, seed: int) -> tuple[float, float]:
    rng = random.Random(f"{seed}:village:{village.code}")
    return _point(rng, township_centre(village.code, seed=seed), 0.022)


def _inside(box: geo.Box, lat: float, lng: float) -> tuple[float, float]:
    return (
        min(max(lat, box.min_lat + 0.001), box.max_lat - 0.001),
        min(max(lng, box.min_lng + 0.001), box.max_lng - 0.001),
    )


def _waters(
    rng: random.Random, villages: list[Division], count: int, seed: int, actor: User | None
) -> list[HazardousWater]:
    box = county_box()
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    used: set[tuple[int, str]] = set()
    waters: list[HazardousWater] = []
    # Round the townships, so that even a small demo spreads over the whole county.
    rank: dict[str, int] = defaultdict(int)
    order: list[tuple[int, str, Division]] = []
    for village in villages:
        order.append((rank[village.code[:9]], village.code, village))
        rank[village.code[:9]] += 1
    villages = [village for _rank, _code, village in sorted(order)]
    for index in range(count):
        village = villages[index % len(villages)] if index < len(villages) else rng.choice(villages)
        kind = rng.choices(kinds, weights)[0]
        name = ""
        while not name or (village.pk, name) in used:
            name = f"{village.name}{rng.choice(NAME_HEADS)}{rng.choice(KINDS[kind][1])}"
            if (village.pk, name) in used:
                name += str(rng.randint(2, 99))
        used.add((village.pk, name))
        high = 0.6 if kind in RISKY_KINDS else 0.28
        roll = rng.random()
        risk = Risk.HIGH if roll < high else Risk.MEDIUM if roll < high + 0.42 else Risk.LOW
        lat, lng = _inside(box, *_point(rng, _village_centre(village, seed), 0.007))
        polygon = ""
        if kind in LARGE_KINDS:
            radius = rng.uniform(0.001, 0.003)
            ring = [
                [round(lng + radius * math.cos(a * math.pi / 4), 6),
                 round(lat + radius * math.sin(a * math.pi / 4) * 0.8, 6)]
                for a in range(8)
            ]  # fmt: skip
            polygon = json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
        waters.append(
            HazardousWater(
                name=name,
                kind=kind,
                village=village,
                latitude=_decimal(lat),
                longitude=_decimal(lng),
                polygon=polygon,
                deeper_than_half_metre=risk != Risk.LOW or rng.random() < 0.7,
                risk=risk,
                **{field: EquipmentState.OK for field in EQUIPMENT_FIELDS.values()},
                created_by=actor,
                created_at=timezone.now() - timedelta(days=rng.randint(400, 900)),
            )
        )
    created = HazardousWater.objects.bulk_create(waters)
    if any(w.pk is None for w in created):  # backends that return no keys
        by_name = {(w.village_id, w.name): w.pk for w in HazardousWater.objects.all()}
        for water in created:
            water.pk = by_name[(water.village_id, water.name)]
    return created


def _catchments(waters: list[HazardousWater]) -> None:
    schools = school_points()
    rows: list[Catchment] = []
    nearest: list[HazardousWater] = []
    for water in waters:
        found = sorted(
            (round(geo.distance_m(water.latitude, water.longitude, lat, lng)), pk)
            for pk, lat, lng in schools
        )
        if not found:
            continue
        water.school_distance_m, water.nearest_school_id = found[0]
        nearest.append(water)
        rows.extend(
            Catchment(water_id=water.pk, school_id=pk, distance_m=metres)
            for metres, pk in found
            if metres <= CATCHMENT_METRES
        )
    HazardousWater.objects.bulk_update(nearest, ["nearest_school", "school_distance_m"], 500)
    Catchment.objects.bulk_create(rows, batch_size=2000)


def _name(rng: random.Random) -> str:
    surnames, weights = zip(*names.SURNAMES, strict=True)
    given = names.GIVEN[("mid", rng.choice("MF"))]
    return rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _custodians(rng: random.Random, waters: list[HazardousWater]) -> int:
    """One custodian per village for the village's chosen waters: most high-risk ones, and a
    few medium ones beside them."""
    by_village: dict[int, list[HazardousWater]] = defaultdict(list)
    for water in waters:
        chosen = CUSTODIAN_SHARE if water.risk == Risk.HIGH else 0.15
        if water.risk != Risk.LOW and rng.random() < chosen:
            by_village[water.village_id].append(water)
    custodians: list[Custodian] = []
    links: list[tuple[int, list[HazardousWater]]] = []
    for index, (_village, guarded) in enumerate(sorted(by_village.items())):
        township = guarded[0].village.parent
        assert township is not None
        custodians.append(
            Custodian(
                name=_name(rng),
                phone=_phone(rng),
                township=township,
                after_school=True,
                weekends=True,
                holidays=rng.random() < 0.9,
                summer=True,
            )
        )
        links.append((index, guarded))
    created = Custodian.objects.bulk_create(custodians)
    Through = Custodian.waters.through
    Through.objects.bulk_create(
        [
            Through(custodian_id=created[index].pk, hazardouswater_id=water.pk)
            for index, guarded in links
            for water in guarded
        ],
        batch_size=2000,
    )
    return len(created)


def _patrol_days(
    rng: random.Random, water: HazardousWater, first: date, last: date, neglected: bool
) -> list[date]:
    plan = Frequencies()
    days: list[date] = []
    day = first + timedelta(days=rng.randint(0, 2))
    while day <= last:
        days.append(day)
        every = plan.every(water.risk, is_peak(day, [])) or 14
        day += timedelta(days=max(1, every + rng.choice((-1, 0, 0, 0, 1, 2))))
    if neglected and days:  # the routine lapsed: nothing in the last few weeks
        days = [d for d in days if d < last - timedelta(days=24)]
    return days


def _patrols(
    rng: random.Random, waters: list[HazardousWater], as_of: date, actor: User | None
) -> tuple[int, int]:
    summer_start, summer_end = summer_of(as_of)
    routine_start = max(summer_end + timedelta(days=1), as_of - timedelta(days=ROUTINE_DAYS))
    patrollers = [_name(rng) for _ in range(40)]
    patrols: list[Patrol] = []
    items: list[Rectification] = []
    changed: list[HazardousWater] = []
    for water in waters:
        neglected = rng.random() < NEGLECTED_SHARE
        days = _patrol_days(rng, water, summer_start, summer_end, False)
        if routine_start < as_of:
            days += _patrol_days(rng, water, routine_start, as_of - timedelta(days=1), neglected)
        patroller = rng.choice(patrollers)
        open_items: dict[str, tuple[Rectification, date | None]] = {}
        township = water.village.parent
        for number, day in enumerate(days):
            for item, (_rect, closes) in list(open_items.items()):
                if closes is not None and closes < day:
                    del open_items[item]
            states: dict[str, str] = {}
            for item, field in EQUIPMENT_FIELDS.items():
                if item in open_items:
                    states[field] = open_items[item][0].state
                    continue
                chance = FIRST_GAP_CHANCE if number == 0 else GAP_CHANCE
                if rng.random() < chance:
                    state = rng.choice((EquipmentState.MISSING, EquipmentState.DAMAGED))
                    states[field] = state
                    closes = day + timedelta(days=rng.randint(1, RECTIFICATION_DAYS + 5))
                    if rng.random() > CLOSED_SHARE or closes >= as_of:
                        closes = None
                    deadline = day + timedelta(days=RECTIFICATION_DAYS)
                    rect = Rectification(
                        water=water,
                        item=item,
                        state=state,
                        township=township,
                        opened_on=day,
                        deadline=deadline,
                        closed_at=_aware(closes, 10, 0) if closes else None,
                        closed_by=actor if closes else None,
                        close_note=rng.choice(CLOSE_NOTES) if closes else "",
                        overdue_notified_on=deadline + timedelta(days=1)
                        if closes is None and deadline + timedelta(days=1) <= as_of
                        else None,
                    )
                    rect.patrol_index = len(patrols)  # type: ignore[attr-defined]
                    items.append(rect)
                    open_items[item] = (rect, closes)
                else:
                    states[field] = EquipmentState.OK
            patrols.append(
                Patrol(
                    water=water,
                    patrolled_at=_aware(day, rng.choice((9, 10, 15, 16, 17, 18)),
                                        rng.randrange(60)),
                    patroller=patroller,
                    people_in_water=1 if rng.random() < 0.02 else 0,
                    recorded_by=actor,
                    created_at=_aware(day, 20, 0),
                    **states,
                )
            )  # fmt: skip
        # The water as its last patrol and the closings since left it.
        new: dict[str, str] = {field: EquipmentState.OK for field in EQUIPMENT_FIELDS.values()}
        for item, (rect, closes) in open_items.items():
            if closes is None:
                new[EQUIPMENT_FIELDS[item]] = rect.state
        if any(getattr(water, f) != v for f, v in new.items()):
            for field, value in new.items():
                setattr(water, field, value)
            changed.append(water)
    created = Patrol.objects.bulk_create(patrols, batch_size=2000)
    for rect in items:
        rect.patrol = created[rect.patrol_index]  # type: ignore[attr-defined]
    Rectification.objects.bulk_create(items, batch_size=2000)
    HazardousWater.objects.bulk_update(changed, list(EQUIPMENT_FIELDS.values()), 500)
    return len(created), len(items)


def yearly_incidents(as_of: date) -> dict[int, int]:
    """How many incidents each year has, falling from FIRST_YEAR to as_of's year."""
    return {
        year: max(1, round(FIRST_YEAR_INCIDENTS - YEARLY_FALL * (year - FIRST_YEAR)))
        for year in range(FIRST_YEAR, as_of.year + 1)
    }


def _incidents(
    rng: random.Random,
    waters: list[HazardousWater],
    villages: list[Division],
    as_of: date,
    actor: User | None,
    seed: int,
) -> tuple[int, int]:
    incidents: list[Incident] = []
    for year, count in yearly_incidents(as_of).items():
        months = [m for m in range(1, 13) if date(year, m, 1) < as_of]
        if not months:
            continue
        weights = [MONTH_WEIGHTS[m - 1] for m in months]
        for _index in range(count):
            month = rng.choices(months, weights)[0]
            last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
            day = date(year, month, rng.randint(1, last_day))
            if day >= as_of:
                day = as_of - timedelta(days=1)
            occurred = _aware(day, rng.choice((11, 13, 15, 16, 17, 18, 19)), rng.randrange(60))
            incident = Incident(
                age=rng.choice((4, 6, 7, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 15, 16)),
                sex="M" if rng.random() < 0.65 else "F",
                occurred_at=occurred,
                circumstance=rng.choices(Incident.Circumstance.values, (45, 45, 10))[0],
                activity=rng.choices(Incident.Activity.values, (45, 30, 8, 17))[0],
                outcome=Incident.Outcome.DIED
                if rng.random() < DEATH_SHARE
                else rng.choice((Incident.Outcome.RESCUED, Incident.Outcome.INJURED)),
                reported_by=rng.choice(REPORTERS),
                recorded_by=actor,
                created_at=occurred + timedelta(hours=rng.randint(2, 48)),
            )
            if rng.random() < 0.65:
                water = rng.choice(waters)
                incident.water, incident.division = water, water.village
            else:
                village = rng.choice(villages)
                lat, lng = _point(rng, _village_centre(village, seed), 0.006)
                incident.division = village
                incident.place = f"{village.name}{rng.choice(OTHER_PLACES)}"
                incident.latitude, incident.longitude = _decimal(lat), _decimal(lng)
            incidents.append(incident)
    created = Incident.objects.bulk_create(incidents)
    deaths = [i for i in created if i.outcome == Incident.Outcome.DIED]
    for incident in deaths:
        review_start(incident)
    return len(created), len(deaths)


def township_polygons(
    villages: list[Division], waters: list[HazardousWater], seed: int
) -> dict[str, object]:
    """A made-up GeoJSON FeatureCollection: an octagon around each township's centre, wide
    enough to hold its waters."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    townships: dict[str, Division] = {}
    for village in villages:
        assert village.parent is not None
        townships[village.parent.code] = village.parent
    for water in waters:
        points[water.village.code[:9]].append((float(water.latitude), float(water.longitude)))
    features = []
    for code, township in sorted(townships.items()):
        lat0, lng0 = township_centre(code, seed=seed)
        reach = max(
            [geo.distance_m(lat0, lng0, lat, lng) for lat, lng in points[code[:9]]] or [0.0]
        )
        radius = reach / 111_000 + 0.01  # degrees of latitude
        scale = math.cos(math.radians(lat0))
        ring = [
            [round(lng0 + radius * math.cos(a * math.pi / 4 + 0.39) / scale, 6),
             round(lat0 + radius * math.sin(a * math.pi / 4 + 0.39), 6)]
            for a in range(8)
        ]  # fmt: skip
        features.append(
            {
                "type": "Feature",
                "properties": {"name": township.name, "code": code},
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _township_map(
    villages: list[Division], waters: list[HazardousWater], seed: int, actor: User | None
) -> int:
    if TownshipMap.objects.exists():
        return TownshipMap.objects.latest("uploaded_at").townships
    collection = township_polygons(villages, waters, seed)
    features = collection["features"]
    assert isinstance(features, list)
    TownshipMap.objects.create(
        geojson=json.dumps(collection, ensure_ascii=False),
        file_name="demo-townships.geojson",
        townships=len(features),
        uploaded_by=actor,
    )
    return len(features)


# Letters to parents and named responsibility -----------------------------------------------------

LETTER_SHARE = 0.9  # of open schools, issued the summer's letter
RECEIPT_SHARES = (0.45, 0.98)  # of a school's pupils, receipts back (a range, per school)
ASSIGNED_SHARE = 0.88  # of the children to be assigned
SILENT_SHARE = 0.15  # of assignees, no contact logged
TEACHERS_PER_SCHOOL = 2
OFFICIALS_PER_TOWNSHIP = 3
WAYS = [way for way, _label in Contact.Way.choices]
CONTACT_NOTES = ("提醒家长落实“四知”", "讲解防溺水“六不”", "电话询问假期安排", "入户走访")


def _seed_parents(*, seed: int, as_of: date, progress: Progress) -> None:
    """Letters with partial receipts, assignments with contacts (idempotent)."""
    if ParentLetter.objects.exists() or Assignment.objects.exists():
        return
    schools = list(
        School.objects.open()
        .select_related("organisation__division")
        .order_by("organisation__division__code", "pk")
    )
    if not schools:
        return
    rng = random.Random(f"{seed}:drowning-parents")
    year = summer_of(as_of)[0].year
    with transaction.atomic():
        letters, receipts = _letters(rng, schools, year, as_of)
        progress(_("letters to parents: %(n)d, receipts: %(receipts)d")
                 % {"n": letters, "receipts": receipts})  # fmt: skip
        assignees = _assignees(rng, schools)
        assigned, contacts = _assignments(rng, assignees, year, as_of)
        progress(_("named responsibilities: %(n)d, contacts: %(contacts)d")
                 % {"n": assigned, "contacts": contacts})  # fmt: skip
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo letters to parents and named responsibilities"),
            seed=seed,
            letters=letters,
            receipts=receipts,
            assignments=assigned,
            contacts=contacts,
        )


def _letters(rng: random.Random, schools: list[School], year: int, as_of: date) -> tuple[int, int]:
    issued_on = min(date(year, 6, 20), as_of)
    chosen = [school for school in schools if rng.random() < LETTER_SHARE]
    ParentLetter.objects.bulk_create(
        [
            ParentLetter(school=school, year=year, season=Season.SUMMER, issued_on=issued_on)
            for school in chosen
        ]
    )
    letters = dict(
        ParentLetter.objects.filter(year=year, season=Season.SUMMER).values_list(
            "school__organisation_id", "pk"
        )
    )
    pupils: dict[int, list[int]] = defaultdict(list)
    for pk, school_id in (
        Person.objects.filter(school_id__in=letters).order_by("pk").values_list("pk", "school_id")
    ):
        pupils[school_id].append(pk)
    last = max(issued_on, min(date(year, 7, 10), as_of))
    span = (last - issued_on).days
    rows = []
    for school_id, letter_pk in sorted(letters.items()):
        share = rng.uniform(*RECEIPT_SHARES)
        for pupil in pupils.get(school_id, []):
            if rng.random() < share:
                received = issued_on + timedelta(days=rng.randint(0, span))
                rows.append((letter_pk, pupil, received, LetterReceipt.Via.CLASS_LIST))
    receipts = bulk.insert_rows(LetterReceipt, ["letter", "pupil", "received_on", "via"], rows)
    return len(letters), receipts


def _assignees(rng: random.Random, schools: list[School]) -> dict[str, list[int]]:
    """Named teachers at each school and officials at each township government: accounts
    without a password (they do not sign in to the demo). Keyed by school unit or township
    code; the demo's own school, township and education users are among them."""
    townships = list(
        Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP, is_active=True)
        .select_related("division")
        .order_by("division__code", "pk")
    )
    new: list[User] = []
    for school in schools:
        for i in range(TEACHERS_PER_SCHOOL):
            new.append(_named(rng, f"demo_teacher_{school.organisation_id}_{i}",
                              school.organisation))  # fmt: skip
    for township in townships:
        for i in range(OFFICIALS_PER_TOWNSHIP):
            new.append(_named(rng, f"demo_official_{township.pk}_{i}", township))
    User.objects.bulk_create(new, ignore_conflicts=True)
    by_unit: dict[str, list[int]] = defaultdict(list)
    kinds = Organisation.SCHOOL_KINDS | {Organisation.Kind.TOWNSHIP}
    for pk, unit_id, kind, code in (
        User.objects.filter(is_active=True, organisation__kind__in=kinds)
        .exclude(role__in=(Role.SYSADMIN, Role.AUDITOR, Role.READ_ONLY))
        .order_by("pk")
        .values_list("pk", "organisation_id", "organisation__kind", "organisation__division__code")
    ):
        key = f"school:{unit_id}" if kind in Organisation.SCHOOL_KINDS else f"town:{code[:9]}"
        by_unit[key].append(pk)
    return by_unit


def _named(rng: random.Random, username: str, unit: Organisation) -> User:
    user = User(username=username, full_name=_name(rng), organisation=unit,
                role=Role.CASE_WORKER)  # fmt: skip
    user.set_unusable_password()
    return user


def _assignments(
    rng: random.Random, assignees: dict[str, list[int]], year: int, as_of: date
) -> tuple[int, int]:
    """Most children to be assigned, each to a teacher of their school or an official of their
    township; contacts for most assignees, none for some."""
    on = min(date(year, 7, 1), as_of)
    assigned_on = min(date(year, 6, 20), as_of)
    children = to_be_assigned(Person.objects.all(), on).order_by("pk")
    rows = []
    for pk, school_id, code in children.values_list("pk", "school_id", "division__code"):
        if rng.random() >= ASSIGNED_SHARE:
            continue
        pool = assignees.get(f"school:{school_id}") or assignees.get(f"town:{(code or '')[:9]}")
        if pool:
            rows.append((pk, rng.choice(pool), year, Season.SUMMER, assigned_on))
    count = bulk.insert_rows(
        Assignment, ["child", "assignee", "year", "season", "assigned_on"], rows
    )
    everyone = sorted({row[1] for row in rows})
    silent = set(rng.sample(everyone, round(len(everyone) * SILENT_SHARE))) if everyone else set()
    last = max(assigned_on, min(date(year, 8, 31), as_of - timedelta(days=1)))
    span = (last - assigned_on).days
    contacts = []
    for pk, assignee in (
        Assignment.objects.filter(year=year, season=Season.SUMMER)
        .order_by("pk")
        .values_list("pk", "assignee_id")
    ):
        if assignee in silent:
            continue
        for _i in range(rng.choice((0, 1, 1, 2, 3))):
            day = assigned_on + timedelta(days=rng.randint(0, span))
            contacts.append((pk, day, rng.choice(WAYS), rng.choice(CONTACT_NOTES)))
    made = bulk.insert_rows(Contact, ["assignment", "contacted_on", "way", "note"], contacts)
    return count, made


# The schools' summer sign inspections ---------------------------------------------------------

INSPECTED_SHARE = 0.7  # of the schools with waters near them
SIGN_GAP_CHANCE = 0.06  # an item found missing or damaged by a school
INSPECTORS = ("安全办", "政教处", "德育处")


def _seed_sign_inspections(*, seed: int, as_of: date, progress: Progress) -> None:
    """The summer's reported sign inspections with their gaps (idempotent)."""
    if SignInspection.objects.exists():
        return
    first, last = summer_of(as_of)
    if last < first:
        return
    by_school: dict[int, list[HazardousWater]] = defaultdict(list)
    for catchment in (
        Catchment.objects.filter(school__closed_on__isnull=True)
        .select_related("water__village__parent")
        .order_by("school_id", "distance_m", "water_id")
    ):
        by_school[catchment.school_id].append(catchment.water)
    schools = School.objects.filter(pk__in=by_school).order_by("pk")
    rng = random.Random(f"{seed}:drowning-signs")
    chosen = [school for school in schools if rng.random() < INSPECTED_SHARE]
    if not chosen:
        return
    with transaction.atomic():
        inspections = []
        for school in chosen:
            day = first + timedelta(days=rng.randint(0, (last - first).days))
            inspections.append(
                SignInspection(
                    school=school,
                    year=first.year,
                    season=Season.SUMMER,
                    inspected_on=day,
                    inspected_by=f"{rng.choice(INSPECTORS)} {_name(rng)}",
                    submitted_at=_aware(day, 17, rng.randint(0, 59)),
                    created_at=_aware(day, 16, 0),
                )
            )
        SignInspection.objects.bulk_create(inspections)
        saved = SignInspection.objects.filter(year=first.year, season=Season.SUMMER)
        items, opened = [], 0
        for inspection in saved.order_by("pk"):
            for water in by_school[inspection.school_id]:
                states = {
                    name: (
                        rng.choice((EquipmentState.MISSING, EquipmentState.DAMAGED))
                        if rng.random() < SIGN_GAP_CHANCE
                        else EquipmentState.OK
                    )
                    for name in EQUIPMENT_FIELDS.values()
                }
                items.append(SignInspectionItem(inspection=inspection, water=water, **states))
                if (
                    any(state != EquipmentState.OK for state in states.values())
                    and water.village.parent
                ):
                    found = open_rectifications(
                        water=water,
                        states={item: states[name] for item, name in EQUIPMENT_FIELDS.items()},
                        township=water.village.parent,
                        day=timezone.localdate(inspection.submitted_at),
                        sign_inspection=inspection,
                    )
                    mark_gaps(found)
                    opened += len(found)
        SignInspectionItem.objects.bulk_create(items)
        progress(_("sign inspections: %(n)d, rectifications: %(items)d")
                 % {"n": len(inspections), "items": opened})  # fmt: skip
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo sign inspections of schools"),
            seed=seed,
            inspections=len(inspections),
            rectifications=opened,
        )
