"""The demo county as plain data, made from a seed: divisions, units, schools and pupils.

Nothing here touches the database, so the generator can be tested on its own and the same seed
always gives the same county (names, ID numbers, who is left behind). Each part draws from its
own random stream, so the number of pupils does not change the names of villages or units.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from weibao.accounts.models import Division, Organisation
from weibao.demo import names
from weibao.lib import creditcode, idnumber
from weibao.people.models import Guardianship, LeftBehindStatus

DEFAULT_SEED = names.DEFAULT_SEED
MAX_SCALE = 20.0  # beyond this the three-digit ID sequence numbers of one day run out
PUPILS = 50_000
LEFT_BEHIND = 4_700
SCHOOLS = 100
MAX_SCHOOL_FACTOR = 5  # schools grow with --scale up to five times as many

Kind = Organisation.Kind


@dataclass(frozen=True)
class DivisionPlan:
    code: str
    name: str
    level: int
    parent_code: str | None

    @property
    def township_code(self) -> str:
        return self.code[:9] + "000"

    @property
    def is_community(self) -> bool:
        return self.level == Division.Level.VILLAGE and int(self.code[9:]) < 200


@dataclass(frozen=True)
class UnitPlan:
    name: str
    kind: str
    division_code: str
    credit_code: str
    parent: str | None = None  # the parent unit's name
    min_age: int = 0  # schools: the ages of their pupils, and how many they have (relative)
    max_age: int = 0
    weight: int = 0

    @property
    def is_school(self) -> bool:
        return self.kind in Organisation.SCHOOL_KINDS

    @property
    def township_code(self) -> str:
        return self.division_code[:9] + "000"


@dataclass(frozen=True)
class CountyPlan:
    seed: int
    divisions: tuple[DivisionPlan, ...]
    units: tuple[UnitPlan, ...]

    @cached_property
    def townships(self) -> tuple[DivisionPlan, ...]:
        return tuple(d for d in self.divisions if d.level == Division.Level.TOWNSHIP)

    @cached_property
    def villages(self) -> tuple[DivisionPlan, ...]:
        return tuple(d for d in self.divisions if d.level == Division.Level.VILLAGE)

    @cached_property
    def villages_by_township(self) -> dict[str, tuple[DivisionPlan, ...]]:
        found: dict[str, list[DivisionPlan]] = {}
        for village in self.villages:
            found.setdefault(village.township_code, []).append(village)
        return {code: tuple(items) for code, items in found.items()}

    @cached_property
    def division_names(self) -> dict[str, str]:
        return {d.code: d.name for d in self.divisions}

    @cached_property
    def schools(self) -> tuple[UnitPlan, ...]:
        return tuple(u for u in self.units if u.is_school)


@dataclass
class PersonPlan:
    name: str
    sex: str
    birth_date: date
    id_number: str
    division_code: str
    hukou_code: str
    address: str
    phone: str = ""
    grade: str = ""
    class_name: str = ""


@dataclass
class GuardianPlan:
    person: PersonPlan
    relationship: str
    is_primary: bool


@dataclass
class LeftBehindPlan:
    parents_away: str
    carer_disqualified: bool
    written_notice_date: date | None
    last_contact_date: date | None


@dataclass
class PupilPlan:
    child: PersonPlan
    school: str  # the school's name
    guardians: list[GuardianPlan] = field(default_factory=list)
    left_behind: LeftBehindPlan | None = None  # the carer is the first guardian


# Divisions --------------------------------------------------------------------------------


def _place_stem(rng: random.Random, used: set[str]) -> str:
    while True:
        stem = rng.choice(names.PLACE_HEADS) + rng.choice(names.PLACE_TAILS)
        if stem not in used and stem[0] != stem[1]:
            used.add(stem)
            return stem


def plan_divisions(seed: int) -> list[DivisionPlan]:
    """The county, its 15 townships and 180 villages/communities with 12-digit codes."""
    rng = random.Random(f"{seed}:divisions")
    level = Division.Level
    found = [DivisionPlan(names.COUNTY_CODE, names.COUNTY_NAME, level.COUNTY, None)]
    for index, (code3, name, communities, villages) in enumerate(names.TOWNSHIPS):
        township = f"{names.ID_PREFIX}{code3}000"
        found.append(DivisionPlan(township, name, level.TOWNSHIP, names.COUNTY_CODE))
        short = names.township_short(name)
        used = {short}
        for n in range(communities):
            if index == 0:
                stem = names.SEAT_COMMUNITIES[n % len(names.SEAT_COMMUNITIES)]
                used.add(stem)
            else:
                stem = short if n == 0 else _place_stem(rng, used)
            code = f"{township[:9]}{n + 1:03d}"
            found.append(DivisionPlan(code, f"{stem}社区", level.VILLAGE, township))
        for n in range(villages):
            code = f"{township[:9]}{200 + n:03d}"
            found.append(DivisionPlan(code, f"{_place_stem(rng, used)}村", level.VILLAGE, township))
    return found


# Units ------------------------------------------------------------------------------------

PROCURATORATE = "乐安县人民检察院"
EDUCATION_BUREAU = "乐安县教育局"
PUBLIC_SECURITY_BUREAU = "乐安县公安局"
HEALTH_COMMISSION = "乐安县卫生健康委员会"
WOMENS_FEDERATION = "乐安县妇女联合会"

# County-level units: (name, kind, credit-code prefix, parent). Credit-code prefixes: 11 organ of
# state, 12 public institution, 13 mass organisation, 52 private non-profit, 54 village or
# residents' committee, 91 company.
COUNTY_UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    (PROCURATORATE, Kind.PROCURATORATE, "11", None),
    ("乐安县人民法院", Kind.COURT, "11", None),
    (PUBLIC_SECURITY_BUREAU, Kind.PUBLIC_SECURITY, "11", None),
    ("乐安县司法局", Kind.JUSTICE, "11", None),
    (EDUCATION_BUREAU, Kind.EDUCATION, "11", None),
    ("乐安县民政局", Kind.CIVIL_AFFAIRS, "11", None),
    (WOMENS_FEDERATION, Kind.WOMENS_FEDERATION, "13", None),
    ("共青团乐安县委员会", Kind.YOUTH_LEAGUE, "13", None),
    ("乐安县关心下一代工作委员会", Kind.GUANGONGWEI, "13", None),
    ("乐安县妇女儿童工作委员会", Kind.WOMEN_CHILDREN_COMMITTEE, "11", None),
    (HEALTH_COMMISSION, Kind.HEALTH, "11", None),
    ("乐安县人民医院", Kind.HOSPITAL, "12", HEALTH_COMMISSION),
    ("乐安县中医院", Kind.HOSPITAL, "12", HEALTH_COMMISSION),
    ("乐安县妇幼保健院", Kind.HOSPITAL, "12", HEALTH_COMMISSION),
    ("乐安县市场监督管理局", Kind.MARKET_REGULATION, "11", None),
    ("乐安县文化广电新闻出版旅游局", Kind.CULTURE_TOURISM, "11", None),
    ("乐安县水利局", Kind.WATER_RESOURCES, "11", None),
)

# Ages and relative sizes of schools.
AGES: dict[str, tuple[int, int]] = {
    Kind.KINDERGARTEN: (3, 5),
    Kind.SCHOOL_PRIMARY: (6, 11),
    Kind.SCHOOL_SECONDARY: (12, 17),
    Kind.SCHOOL_VOCATIONAL: (15, 17),
    Kind.SCHOOL_SPECIAL: (6, 17),
}
JUNIOR = (12, 14)  # 初中 only
SENIOR = (15, 17)  # 高中 only

# The county seat's schools: (name, kind, (min age, max age) or None for the kind's, weight,
# private). The first primary school here is "school A" of the demo accounts.
SEAT_SCHOOLS: tuple[tuple[str, str, tuple[int, int] | None, int, bool], ...] = (
    ("鳌溪镇中心小学", Kind.SCHOOL_PRIMARY, None, 1500, False),
    ("乐安县第一小学", Kind.SCHOOL_PRIMARY, None, 1800, False),
    ("乐安县第二小学", Kind.SCHOOL_PRIMARY, None, 1600, False),
    ("乐安县实验小学", Kind.SCHOOL_PRIMARY, None, 2000, False),
    ("乐安县第一中学", Kind.SCHOOL_SECONDARY, SENIOR, 2600, False),
    ("乐安县第二中学", Kind.SCHOOL_SECONDARY, None, 2200, False),
    ("乐安县实验中学", Kind.SCHOOL_SECONDARY, JUNIOR, 2000, False),
    ("鳌溪镇中学", Kind.SCHOOL_SECONDARY, JUNIOR, 900, False),
    ("乐安县职业中等专业学校", Kind.SCHOOL_VOCATIONAL, None, 1500, False),
    ("乐安县特殊教育学校", Kind.SCHOOL_SPECIAL, None, 120, False),
    ("乐安县幼儿园", Kind.KINDERGARTEN, None, 500, False),
    ("乐安县实验幼儿园", Kind.KINDERGARTEN, None, 450, False),
    ("鳌溪镇中心幼儿园", Kind.KINDERGARTEN, None, 350, False),
    ("乐安县阳光幼儿园", Kind.KINDERGARTEN, None, 250, True),
)
SCHOOL_A = SEAT_SCHOOLS[0][0]
SCHOOL_B = "公溪镇中学"
# Schools added in the villages until the county has its number: two primaries, a kindergarten.
VILLAGE_SCHOOL_PATTERN = (Kind.SCHOOL_PRIMARY, Kind.SCHOOL_PRIMARY, Kind.KINDERGARTEN)
VILLAGE_SCHOOL_WEIGHT = {Kind.SCHOOL_PRIMARY: 250, Kind.KINDERGARTEN: 120}
SCHOOL_SUFFIX = {Kind.SCHOOL_PRIMARY: "小学", Kind.KINDERGARTEN: "幼儿园"}


class _CreditCodes:
    """Valid, unique unified social credit codes for the county's units."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:credit-codes")
        self.used: set[str] = set()

    def make(self, prefix: str) -> str:
        while True:
            body = f"{self.rng.randrange(10**8):08d}" + self.rng.choice(creditcode.ALPHABET)
            code = creditcode.make(prefix, names.ID_PREFIX, body)
            if code not in self.used:
                self.used.add(code)
                return code


def school_target(scale: float) -> int:
    """How many schools the county has at this scale: 100, more when scaled up (capped)."""
    return round(SCHOOLS * min(max(scale, 1.0), MAX_SCHOOL_FACTOR))


def plan_units(
    seed: int, divisions: Sequence[DivisionPlan], *, scale: float = 1.0
) -> list[UnitPlan]:
    """Every unit of the county, parents before children; at least one of every kind."""
    codes = _CreditCodes(seed)
    rng = random.Random(f"{seed}:units")
    county = divisions[0]
    townships = [d for d in divisions if d.level == Division.Level.TOWNSHIP]
    villages: dict[str, list[DivisionPlan]] = {}
    for d in divisions:
        if d.level == Division.Level.VILLAGE:
            villages.setdefault(d.township_code, []).append(d)
    seat = townships[0]
    seat_communities = [v for v in villages[seat.code] if v.is_community]

    units = [
        UnitPlan(name, kind, county.code, codes.make(prefix), parent)
        for name, kind, prefix, parent in COUNTY_UNITS
    ]
    units.append(
        UnitPlan(
            "乐安县人民检察院鳌溪检察室",
            Kind.PROCURATORATE,
            seat.code,
            codes.make("11"),
            PROCURATORATE,
        )
    )
    for township in townships:
        short = names.township_short(township.name)
        units += [
            UnitPlan(f"{township.name}人民政府", Kind.TOWNSHIP, township.code, codes.make("11")),
            UnitPlan(
                f"{short}派出所",
                Kind.POLICE_STATION,
                township.code,
                codes.make("11"),
                PUBLIC_SECURITY_BUREAU,
            ),
            UnitPlan(
                f"{township.name}卫生院",
                Kind.HOSPITAL,
                township.code,
                codes.make("12"),
                HEALTH_COMMISSION,
            ),
        ]
    for township in townships:
        for village in villages[township.code]:
            committee = "居民委员会" if village.is_community else "村民委员会"
            units.append(
                UnitPlan(
                    f"{township.name}{village.name}{committee}",
                    Kind.VILLAGE_COMMITTEE,
                    village.code,
                    codes.make("54"),
                    f"{township.name}人民政府",
                )
            )
    units += _plan_schools(rng, codes, townships, villages, school_target(scale))
    for i, name in enumerate(names.TRAINING):
        division = seat_communities[i % len(seat_communities)]
        units.append(UnitPlan(name, Kind.TRAINING, division.code, codes.make("52")))
    for i, name in enumerate(names.SOCIAL_WORK):
        division = seat_communities[(i + 3) % len(seat_communities)]
        units.append(UnitPlan(name, Kind.SOCIAL_WORK, division.code, codes.make("52")))
    hotel_places = [seat_communities[0], seat_communities[1], seat_communities[4]]
    hotel_places += [_village_named(villages, "牛田镇"), _village_named(villages, "金竹畲族乡")]
    for name, division in zip(names.HOTELS, hotel_places, strict=True):
        units.append(UnitPlan(name, Kind.HOTEL, division.code, codes.make("91")))
    return units


def _village_named(villages: dict[str, list[DivisionPlan]], township: str) -> DivisionPlan:
    """The first village (not community) of the township with this name."""
    code = next(names.ID_PREFIX + c + "000" for c, n, *_ in names.TOWNSHIPS if n == township)
    return next(v for v in villages[code] if not v.is_community)


def _plan_schools(
    rng: random.Random,
    codes: _CreditCodes,
    townships: Sequence[DivisionPlan],
    villages: dict[str, list[DivisionPlan]],
    target: int,
) -> list[UnitPlan]:
    seat = townships[0]
    seat_places = [v for v in villages[seat.code] if v.is_community]
    schools: list[UnitPlan] = []
    for i, (name, kind, ages, weight, private) in enumerate(SEAT_SCHOOLS):
        low, high = ages or AGES[kind]
        place = seat_places[i % len(seat_places)]
        schools.append(
            UnitPlan(
                name,
                kind,
                place.code,
                codes.make("52" if private else "12"),
                EDUCATION_BUREAU,
                low,
                high,
                weight,
            )
        )
    for township in townships[1:]:
        centre = villages[township.code][0]  # the township's own community
        small = township.code[6] == "2"  # a 乡 is smaller than a 镇
        for suffix, kind, ages, weight in (
            ("中心小学", Kind.SCHOOL_PRIMARY, AGES[Kind.SCHOOL_PRIMARY], 600 if small else 900),
            ("中学", Kind.SCHOOL_SECONDARY, JUNIOR, 450 if small else 700),
            ("中心幼儿园", Kind.KINDERGARTEN, AGES[Kind.KINDERGARTEN], 150 if small else 250),
        ):
            schools.append(
                UnitPlan(
                    f"{township.name}{suffix}",
                    kind,
                    centre.code,
                    codes.make("12"),
                    EDUCATION_BUREAU,
                    *ages,
                    weight,
                )
            )
    # Village schools, round the townships in turn, until there are enough.
    taken = {s.name for s in schools}
    rural = {t.code: [v for v in villages[t.code] if not v.is_community] for t in townships}
    for places in rural.values():
        rng.shuffle(places)
    n = 0
    while len(schools) < target:
        township = townships[n % len(townships)]
        places = rural[township.code]
        place = places[(n // len(townships)) % len(places)]
        # One kind per round of the townships: primaries, primaries, kindergartens...
        kind = VILLAGE_SCHOOL_PATTERN[(n // len(townships)) % len(VILLAGE_SCHOOL_PATTERN)]
        n += 1
        stem, suffix = f"{township.name}{place.name.removesuffix('村')}", SCHOOL_SUFFIX[kind]
        name, number = f"{stem}{suffix}", 2
        while name in taken:
            name, number = f"{stem}第{number}{suffix}", number + 1
        taken.add(name)
        low, high = AGES[kind]
        schools.append(
            UnitPlan(
                name,
                kind,
                place.code,
                codes.make("12"),
                EDUCATION_BUREAU,
                low,
                high,
                VILLAGE_SCHOOL_WEIGHT[kind],
            )
        )
    return schools


def plan_county(seed: int = DEFAULT_SEED, *, scale: float = 1.0) -> CountyPlan:
    divisions = plan_divisions(seed)
    return CountyPlan(seed, tuple(divisions), tuple(plan_units(seed, divisions, scale=scale)))


# People -----------------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder): the parts add up exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_for_age(rng: random.Random, age: int, as_of: date) -> date:
    """A birth date on which someone is exactly `age` 周岁 on `as_of`."""
    start = years_before(as_of, age + 1)
    while True:
        birth = start + timedelta(days=rng.randrange(1, 367))
        if birth <= as_of and idnumber.age_on(birth, as_of) == age:
            return birth


class IdNumbers:
    """Hands out ID numbers that never repeat: the sequence number is unique per birth date.

    The 17th digit gives the sex (odd for men), so men take 001, 003 ... and women 002, 004 ...
    Every number is checked with `idnumber.parse` before it is handed out.
    """

    def __init__(self) -> None:
        self._next: dict[tuple[date, str], int] = {}

    def make(self, prefix: str, birth: date, sex: str) -> str | None:
        """A new number, or None if this birth date and sex have run out of numbers."""
        key = (birth, sex)
        seq = self._next.get(key, 1 if sex == "M" else 2)
        if seq > 999:
            return None
        self._next[key] = seq + 2
        number = idnumber.make(prefix, birth, seq)
        parsed = idnumber.parse(number)
        if parsed.birth_date != birth or parsed.sex != sex:
            raise AssertionError(f"generated ID number {number} does not match its person")
        return parsed.number


GRADES_PRIMARY = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
GRADES_SECONDARY = ("七年级", "八年级", "九年级", "高一", "高二", "高三")
GRADES_KINDERGARTEN = ("小班", "中班", "大班")
PUPILS_PER_CLASS = 45


def grade_for(kind: str, age: int, low: int) -> str:
    """The grade a pupil of this age is in, at a school of this kind."""
    if kind == Kind.KINDERGARTEN:
        return GRADES_KINDERGARTEN[min(max(age - 3, 0), 2)]
    if kind == Kind.SCHOOL_PRIMARY:
        return GRADES_PRIMARY[min(max(age - 6, 0), 5)]
    if kind == Kind.SCHOOL_SECONDARY:
        return GRADES_SECONDARY[min(max(age - 12, 0), 5)]
    year = min(max(age - low, 0), 8)  # vocational and special schools count their own years
    return f"{names.CHINESE_NUMERALS[year + 1]}年级"


@dataclass(frozen=True)
class _Home:
    """Where a child lives, which the guardians share."""

    village: DivisionPlan
    hukou: DivisionPlan
    address: str


class _PeopleMaker:
    """Draws names, birth dates, ID numbers and phones from one random stream."""

    def __init__(self, county: CountyPlan, as_of: date) -> None:
        self.rng = random.Random(f"{county.seed}:people")
        self.county = county
        self.as_of = as_of
        self.ids = IdNumbers()
        self.surnames = [s for s, _ in names.SURNAMES]
        self.surname_weights = [w for _, w in names.SURNAMES]
        self.all_villages = county.villages

    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.surname_weights)[0]

    def given_name(self, sex: str, birth: date) -> str:
        table = names.GIVEN[(names.generation(birth.year), sex)]
        length = 2 if self.rng.random() < 0.8 else 1
        return "".join(self.rng.choice(table) for _ in range(length))

    def phone(self) -> str:
        return self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def address(self, village: DivisionPlan) -> str:
        township = self.county.division_names[village.township_code]
        if village.is_community:
            street = self.rng.choice(names.STREETS)
            return f"{township}{village.name}{street}{self.rng.randint(1, 300)}号"
        return f"{township}{village.name}{self.rng.randint(1, 12)}组{self.rng.randint(1, 80)}号"

    def other_village(self, village: DivisionPlan, share_elsewhere: float) -> DivisionPlan:
        """Usually the same village; sometimes another one of the county."""
        if self.rng.random() < share_elsewhere:
            return self.rng.choice(self.all_villages)
        return village

    def id_number(self, prefix: str, birth: date, sex: str, age: int) -> tuple[date, str]:
        """An ID number for the birth date, or for another one of the same age if it is full."""
        while True:
            number = self.ids.make(prefix, birth, sex)
            if number is not None:
                return birth, number
            birth = birth_for_age(self.rng, age, self.as_of)

    def adult(
        self, home: _Home, *, surname: str, sex: str, older_than: date, years: tuple[int, int]
    ) -> PersonPlan:
        """A parent or grandparent some years older than the child, living with them."""
        approx = years_before(older_than, self.rng.randint(*years))
        birth = approx - timedelta(days=self.rng.randrange(-180, 181))
        age = idnumber.age_on(birth, self.as_of)
        local = self.rng.random() < 0.9
        prefix = names.ID_PREFIX if local else self.rng.choice(names.OTHER_ID_PREFIXES)
        birth, number = self.id_number(prefix, birth, sex, age)
        return PersonPlan(
            name=surname + self.given_name(sex, birth),
            sex=sex,
            birth_date=birth,
            id_number=number,
            division_code=home.village.code,
            hukou_code=self.other_village(home.hukou, 0.1).code,
            address=home.address,
            phone=self.phone(),
        )

    def pupil(self, school: UnitPlan, classes: int, left_behind: bool) -> PupilPlan:
        rng = self.rng
        villages = self.county.villages_by_township[school.township_code]
        village = rng.choice(villages)
        hukou = self.other_village(village, 0.1)
        address = self.address(village)
        sex = "M" if rng.random() < 0.52 else "F"
        age = rng.randint(school.min_age, school.max_age)
        birth, number = self.id_number(
            names.ID_PREFIX, birth_for_age(rng, age, self.as_of), sex, age
        )
        surname = self.surname()
        child = PersonPlan(
            name=surname + self.given_name(sex, birth),
            sex=sex,
            birth_date=birth,
            id_number=number,
            division_code=village.code,
            hukou_code=hukou.code,
            address=address,
            grade=grade_for(school.kind, age, school.min_age),
            class_name=f"{rng.randint(1, classes)}班",
        )
        plan = PupilPlan(child=child, school=school.name)
        home = _Home(village, hukou, address)
        rel = Guardianship.Relationship
        if left_behind:
            grandmother = rng.random() < 0.65
            carer = self.adult(
                home,
                surname=self.surname() if grandmother else surname,
                sex="F" if grandmother else "M",
                older_than=birth,
                years=(48, 66),
            )
            plan.guardians.append(GuardianPlan(carer, rel.GRANDPARENT, True))
            roll = rng.random()
            if roll < 0.55:
                plan.guardians.append(
                    GuardianPlan(self.father(home, surname, birth), rel.FATHER, False)
                )
            elif roll < 0.7:
                plan.guardians.append(GuardianPlan(self.mother(home, birth), rel.MOTHER, False))
            plan.left_behind = self.left_behind()
            return plan
        roll = rng.random()
        if roll < 0.85:
            plan.guardians.append(GuardianPlan(self.mother(home, birth), rel.MOTHER, True))
        if roll < 0.65 or roll >= 0.85:
            is_primary = roll >= 0.85
            plan.guardians.append(
                GuardianPlan(self.father(home, surname, birth), rel.FATHER, is_primary)
            )
        return plan

    def father(self, home: _Home, surname: str, child_birth: date) -> PersonPlan:
        return self.adult(home, surname=surname, sex="M", older_than=child_birth, years=(25, 45))

    def mother(self, home: _Home, child_birth: date) -> PersonPlan:
        return self.adult(
            home, surname=self.surname(), sex="F", older_than=child_birth, years=(23, 40)
        )

    def left_behind(self) -> LeftBehindPlan:
        rng, today = self.rng, self.as_of
        notice = None if rng.random() < 0.1 else today - timedelta(days=rng.randint(20, 700))
        roll = rng.random()
        if roll < 0.75:
            contact: date | None = today - timedelta(days=rng.randint(0, 7))
        elif roll < 0.95:
            contact = today - timedelta(days=rng.randint(8, 60))  # overdue: weekly is the law
        else:
            contact = None
        return LeftBehindPlan(
            parents_away=(
                LeftBehindStatus.ParentsAway.BOTH
                if rng.random() < 0.75
                else LeftBehindStatus.ParentsAway.ONE_OTHER_UNABLE
            ),
            carer_disqualified=rng.random() < 0.015,
            written_notice_date=notice,
            last_contact_date=contact,
        )


# How much likelier a pupil is to be left behind, by kind of township: the county seat keeps
# more parents at home, the 乡 fewer.
LEFT_BEHIND_WEIGHT = {"seat": 0.4, "town": 1.0, "township": 1.4}


def _left_behind_weight(county: CountyPlan, school: UnitPlan) -> float:
    if school.township_code == county.townships[0].code:
        return LEFT_BEHIND_WEIGHT["seat"]
    return LEFT_BEHIND_WEIGHT["town" if school.township_code[6] == "1" else "township"]


def pupil_counts(county: CountyPlan, scale: float) -> list[int]:
    """How many pupils each school has (in the order of county.schools)."""
    return allocate(round(PUPILS * scale), [s.weight for s in county.schools])


def plan_pupils(county: CountyPlan, *, scale: float, as_of: date) -> Iterator[PupilPlan]:
    """Every pupil with their guardians and, for about one in eleven, left-behind status."""
    counts = pupil_counts(county, scale)
    total = sum(counts)
    wanted = min(round(LEFT_BEHIND * scale), total)
    # Weighted choice of exactly `wanted` pupils (Efraimidis-Spirakis keys).
    rng = random.Random(f"{county.seed}:left-behind")
    keys = (
        (rng.random() ** (1 / _left_behind_weight(county, school)), index)
        for index, school in _pupil_slots(county.schools, counts)
    )
    chosen = {index for _, index in heapq.nlargest(wanted, keys)}
    maker = _PeopleMaker(county, as_of)
    index = 0
    for school, count in zip(county.schools, counts, strict=True):
        years = school.max_age - school.min_age + 1
        classes = max(1, round(count / years / PUPILS_PER_CLASS))
        for _ in range(count):
            yield maker.pupil(school, classes, index in chosen)
            index += 1


def _pupil_slots(
    schools: Sequence[UnitPlan], counts: Sequence[int]
) -> Iterator[tuple[int, UnitPlan]]:
    index = 0
    for school, count in zip(schools, counts, strict=True):
        for _ in range(count):
            yield index, school
            index += 1
