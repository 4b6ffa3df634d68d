"""Writes the demo county into the database, fast: bulk inserts in batches in one transaction.

The plan (weibao.demo.plan) decides everything; this module turns it into rows. Seeding does not
go through the per-record services: 130,000 people each with a full_clean, an audit event and
a single INSERT would take many times longer. Instead the generator guarantees valid data (every
ID number is parsed, credit codes are checked) and the whole seed is one audit event.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.demo.accounts import demo_users_create
from weibao.demo.plan import CountyPlan, PersonPlan, PupilPlan, plan_county, plan_pupils
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Guardianship, LeftBehindStatus, Person

BATCH = 2000  # rows per INSERT
CHUNK = 1000  # pupils (with their guardians) written together
PROGRESS_EVERY = 5000  # pupils between progress lines
AUDIT_USERNAME = "seed_demo"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedSummary:
    townships: int
    villages: int
    units: int
    schools: int
    pupils: int
    guardians: int
    left_behind: int
    users: int
    seconds: float

    def lines(self) -> list[str]:
        return [
            _("townships: %(n)d") % {"n": self.townships},
            _("villages and communities: %(n)d") % {"n": self.villages},
            _("units: %(n)d (of which schools: %(schools)d)")
            % {"n": self.units, "schools": self.schools},
            _("pupils: %(n)d") % {"n": self.pupils},
            _("guardians: %(n)d") % {"n": self.guardians},
            _("left-behind children: %(n)d") % {"n": self.left_behind},
            _("demo users: %(n)d") % {"n": self.users},
            _("time taken: %(seconds).1f s") % {"seconds": self.seconds},
        ]


WORKPLACES = (
    "广东省东莞市", "广东省深圳市", "浙江省宁波市", "福建省晋江市", "江西省南昌市",
    "上海市", "浙江省义乌市", "广东省佛山市",
)  # fmt: skip


def county_exists() -> bool:
    return Division.objects.filter(code=names.COUNTY_CODE).exists()


def _quiet(message: str) -> None:
    pass


@lru_cache(maxsize=65536)
def _pinyin(name: str) -> tuple[str, str]:
    # pypinyin is the slowest step per person, and common names (about one in eight) repeat.
    return name_pinyin(name)


def demo_county_seed(
    *,
    seed: int = names.DEFAULT_SEED,
    scale: float = 1.0,
    as_of: date | None = None,
    progress: Progress = _quiet,
) -> SeedSummary:
    """Build the demo county; all or nothing. The caller checks it is not there yet."""
    started = time.monotonic()
    as_of = as_of or timezone.localdate()
    county = plan_county(seed, scale=scale)
    with transaction.atomic():
        divisions = _create_divisions(county)
        progress(_("divisions: %(n)d") % {"n": len(divisions)})
        units = _create_units(county, divisions)
        progress(_("units: %(n)d") % {"n": len(units)})
        users = demo_users_create(units=units)
        progress(_("demo users: %(n)d") % {"n": len(users)})
        pupils, guardians, left_behind = _create_people(
            county, scale, as_of, divisions, units, progress, started
        )
        summary = SeedSummary(
            townships=len(county.townships),
            villages=len(county.villages),
            units=len(units),
            schools=len(county.schools),
            pupils=pupils,
            guardians=guardians,
            left_behind=left_behind,
            users=len(users),
            seconds=time.monotonic() - started,
        )
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target=divisions[names.COUNTY_CODE],
            target_repr=names.COUNTY_NAME,
            seed=seed,
            scale=scale,
            as_of=as_of.isoformat(),
            units=summary.units,
            pupils=pupils,
            guardians=guardians,
            left_behind=left_behind,
        )
    return summary


def _create_divisions(county: CountyPlan) -> dict[str, Division]:
    """The division tree, level by level so that every parent has its key."""
    created: dict[str, Division] = {}
    for level in sorted({d.level for d in county.divisions}):
        rows = [
            Division(
                code=d.code,
                name=d.name,
                level=level,
                parent=created[d.parent_code] if d.parent_code else None,
            )
            for d in county.divisions
            if d.level == level
        ]
        for division in Division.objects.bulk_create(rows, batch_size=BATCH):
            created[division.code] = division
    return created


def _create_units(county: CountyPlan, divisions: dict[str, Division]) -> dict[str, Organisation]:
    """Units in rounds: those whose parent exists (or who have none) go in each round."""
    created: dict[str, Organisation] = {}
    waiting = list(county.units)
    while waiting:
        ready = [u for u in waiting if u.parent is None or u.parent in created]
        if not ready:
            raise ValueError(f"units with missing parents: {[u.name for u in waiting][:5]}")
        rows = [
            Organisation(
                name=u.name,
                kind=u.kind,
                division=divisions[u.division_code],
                credit_code=u.credit_code,
                parent=created[u.parent] if u.parent else None,
            )
            for u in ready
        ]
        for unit in Organisation.objects.bulk_create(rows, batch_size=BATCH):
            created[unit.name] = unit
        waiting = [u for u in waiting if u.name not in created]
    return created


def _person(
    plan: PersonPlan,
    divisions: dict[str, Division],
    registered_by: Organisation,
    school: Organisation | None = None,
) -> Person:
    full, initials = _pinyin(plan.name)
    person = Person(
        name=plan.name,
        name_pinyin=full,
        name_initials=initials,
        sex=plan.sex,
        birth_date=plan.birth_date,
        phone=plan.phone,
        address=plan.address,
        division=divisions[plan.division_code],
        hukou_division=divisions[plan.hukou_code],
        school=school,
        grade=plan.grade,
        class_name=plan.class_name,
        registered_by=registered_by,
    )
    person.set_id_number(plan.id_number)
    return person


def _create_people(
    county: CountyPlan,
    scale: float,
    as_of: date,
    divisions: dict[str, Division],
    units: dict[str, Organisation],
    progress: Progress,
    started: float,
) -> tuple[int, int, int]:
    pupils = guardians = left_behind = 0
    chunk: list[PupilPlan] = []

    def flush() -> None:
        nonlocal pupils, guardians, left_behind
        children, adults = _write_chunk(chunk, divisions, units)
        pupils += children
        guardians += adults[0]
        left_behind += adults[1]
        before = (pupils - children) // PROGRESS_EVERY
        if pupils // PROGRESS_EVERY > before:
            progress(
                _("pupils: %(n)d (%(seconds).0f s)")
                % {"n": pupils, "seconds": time.monotonic() - started}
            )
        chunk.clear()

    for pupil in plan_pupils(county, scale=scale, as_of=as_of):
        chunk.append(pupil)
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return pupils, guardians, left_behind


def _write_chunk(
    chunk: list[PupilPlan], divisions: dict[str, Division], units: dict[str, Organisation]
) -> tuple[int, tuple[int, int]]:
    """Insert a chunk of pupils with their guardians, guardianships and left-behind status."""
    children: list[Person] = []
    adults: list[list[Person]] = []
    for pupil in chunk:
        school = units[pupil.school]
        children.append(_person(pupil.child, divisions, school, school))
        adults.append([_person(g.person, divisions, school) for g in pupil.guardians])
    # One insert per table; the database returns the new keys (SQLite 3.35+, PostgreSQL).
    Person.objects.bulk_create(children + [a for group in adults for a in group], batch_size=BATCH)
    links: list[Guardianship] = []
    statuses: list[LeftBehindStatus] = []
    for pupil, child, group in zip(chunk, children, adults, strict=True):
        for plan, adult in zip(pupil.guardians, group, strict=True):
            links.append(
                Guardianship(
                    child=child,
                    guardian=adult,
                    relationship=plan.relationship,
                    is_primary=plan.is_primary,
                )
            )
        if pupil.left_behind is not None:
            lb = pupil.left_behind
            statuses.append(
                LeftBehindStatus(
                    child=child,
                    parents_away=lb.parents_away,
                    # Where the county's migrant workers mostly go (no random draw: the rest
                    # of the plan stays as it was).
                    parents_workplace=WORKPLACES[len(statuses) % len(WORKPLACES)],
                    entrusted_carer=group[0],
                    carer_disqualified=lb.carer_disqualified,
                    written_notice_date=lb.written_notice_date,
                    last_contact_date=lb.last_contact_date,
                )
            )
    Guardianship.objects.bulk_create(links, batch_size=BATCH)
    LeftBehindStatus.objects.bulk_create(statuses, batch_size=BATCH)
    return len(children), (sum(len(g) for g in adults), len(statuses))


class ResetBlocked(Exception):
    """Other records (cases, reports...) still point at the demo county's people or units."""


def demo_county_reset(*, progress: Progress = _quiet) -> None:
    """Delete the demo county (people, users, units, divisions) in an order foreign keys allow.

    Raises ResetBlocked, with nothing deleted, if other records still refer to it.
    """
    county = Division.objects.filter(code=names.COUNTY_CODE).first()
    if county is None:
        return
    divisions = Division.objects.within(county)
    units = Organisation.objects.filter(division__in=divisions)
    people = Person.objects.filter(registered_by__in=units)
    try:
        with transaction.atomic():
            LeftBehindStatus.objects.filter(child__in=people).delete()
            Guardianship.objects.filter(child__in=people).delete()
            Guardianship.objects.filter(guardian__in=people).delete()
            count, _by_model = people.delete()
            progress(_("deleted people: %(n)d") % {"n": count})
            User.objects.filter(organisation__in=units).delete()
            # Units point at their parents: delete the leaves of the tree first.
            parent_of = dict(units.values_list("pk", "parent_id"))
            while parent_of:
                leaves = set(parent_of) - set(parent_of.values())
                if not leaves:
                    raise ResetBlocked("the units' parents form a loop")
                Organisation.objects.filter(pk__in=leaves).delete()
                parent_of = {pk: up for pk, up in parent_of.items() if pk not in leaves}
            levels: dict[int, list[int]] = {}
            for pk, level in divisions.values_list("pk", "level"):
                levels.setdefault(level, []).append(pk)
            for level in sorted(levels, reverse=True):
                Division.objects.filter(pk__in=levels[level]).delete()
            record(
                AuditEvent.Action.DELETE,
                username=AUDIT_USERNAME,
                target_repr=names.COUNTY_NAME,
                people=count,
            )
    except ProtectedError as exc:
        raise ResetBlocked(str(exc)) from exc
