"""The demo county's school records and campus liaisons, on top of the base county.

Every school unit gets a record (kind from its unit kind and name, coordinates from
`weibao.demo.geo`, head counts from the pupils registered there). Most schools get a campus
liaison, some a deputy, a few a predecessor in their history; about six are left without one,
so the coverage page shows real gaps. Written in bulk, like the base county, with one audit event.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo import names
from weibao.demo.accounts import DEMO_PASSWORD
from weibao.demo.geo import coordinates_for
from weibao.people.models import Person
from weibao.schools.models import LiaisonAppointment, School

GAPS = 6  # schools left without a liaison
WITH_PREDECESSOR = 8  # schools whose history shows an ended term
DEPUTY_SHARE = 0.2
PUPILS_PER_STAFF = 12
# The existing demo users who are their schools' liaisons (plan.SCHOOL_A and SCHOOL_B).
KNOWN_LIAISONS = ("liaison_a", "liaison_b")
AUDIT_USERNAME = "seed_demo"

Kind = Organisation.Kind


def school_kind(unit: Organisation) -> str:
    """The school kind a demo unit stands for: from its unit kind and, for 中学, its name."""
    if unit.kind == Kind.SCHOOL_SECONDARY:
        if "九年" in unit.name:
            return School.Kind.NINE_YEAR
        if any(word in unit.name for word in ("高级中学", "高中", "第一中学", "第二中学")):
            return School.Kind.SENIOR
        return School.Kind.JUNIOR
    kinds: dict[str, str] = {
        Kind.KINDERGARTEN: School.Kind.KINDERGARTEN,
        Kind.SCHOOL_PRIMARY: School.Kind.PRIMARY,
        Kind.SCHOOL_VOCATIONAL: School.Kind.VOCATIONAL,
        Kind.SCHOOL_SPECIAL: School.Kind.SPECIAL,
    }
    return kinds.get(unit.kind, School.Kind.PRIMARY)


def _name(rng: random.Random) -> str:
    surnames, weights = zip(*names.SURNAMES, strict=True)
    given = names.GIVEN[("mid", rng.choice("MF"))]
    return rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _address(rng: random.Random, division: Division) -> str:
    if division.level == Division.Level.VILLAGE and division.parent is not None:
        if int(division.code[9:]) < 200:  # a community: a street address in the town
            return f"{division.parent.name}{rng.choice(names.STREETS)}{rng.randint(1, 300)}号"
        return f"{division.parent.name}{division.name}"
    return f"{division.name}{rng.choice(names.STREETS)}{rng.randint(1, 300)}号"


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    """Add the school records and liaisons; does nothing once school records exist."""
    if School.objects.exists():
        return
    rng = random.Random(f"{seed}:schools")
    units = list(
        Organisation.objects.schools()
        .select_related("division__parent")
        .order_by("division__code", "name")
    )
    if not units:
        return
    pupils = dict(
        Person.objects.filter(school__in=units)
        .values_list("school")
        .annotate(n=Count("id"))
        .values_list("school", "n")
    )
    with transaction.atomic():
        schools = School.objects.bulk_create(
            [_school(rng, unit, pupils.get(unit.pk, 0), seed) for unit in units]
        )
        progress(_("school records: %(n)d") % {"n": len(schools)})
        counts = _liaisons(rng, schools, as_of)
        progress(
            _("campus liaisons: %(main)d, deputies: %(deputy)d, schools without: %(gaps)d") % counts
        )
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("Demo school records and campus liaisons"),
            seed=seed,
            schools=len(schools),
            liaisons=counts["main"],
            deputies=counts["deputy"],
            gaps=counts["gaps"],
        )


def _school(rng: random.Random, unit: Organisation, pupils: int, seed: int) -> School:
    latitude, longitude = coordinates_for(unit.name, unit.division.code, seed=seed)
    private = unit.credit_code.startswith("52")
    return School(
        organisation=unit,
        kind=school_kind(unit),
        ownership=School.Ownership.PRIVATE if private else School.Ownership.PUBLIC,
        address=_address(rng, unit.division),
        latitude=latitude,
        longitude=longitude,
        pupil_count=pupils,
        staff_count=max(3, -(-pupils // PUPILS_PER_STAFF)),
        principal_name=_name(rng),
        principal_phone=_phone(rng),
    )


def _liaisons(rng: random.Random, schools: list[School], as_of: date) -> dict[str, int]:
    known = {u.organisation_id: u for u in User.objects.filter(username__in=KNOWN_LIAISONS)}
    appointer = User.objects.filter(username="education").first()
    others = [s for s in schools if s.organisation_id not in known]
    gaps = {s.pk for s in rng.sample(others, min(GAPS, len(others) // 4))}
    covered = [s for s in schools if s.pk not in gaps]
    with_history = {s.pk for s in rng.sample(covered, min(WITH_PREDECESSOR, len(covered)))}
    # Two of the gaps had a liaison who left without a successor.
    left = set(sorted(gaps)[:2])
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing each user is slow
    users: list[User] = []
    plans: list[tuple[School, User, str, date, date | None]] = []

    def new_user(school: School, suffix: str) -> User:
        user = User(
            username=f"liaison_{school.pk}{suffix}",
            organisation_id=school.organisation_id,
            role=Role.CAMPUS_LIAISON,
            full_name=_name(rng),
            phone=_phone(rng),
            password=password,
        )
        users.append(user)
        return user

    main_count = deputy_count = 0
    for school in schools:
        if school.pk in gaps and school.pk not in left:
            continue
        if school.pk in left:
            start = as_of - timedelta(days=rng.randint(400, 1200))
            end = as_of - timedelta(days=rng.randint(20, 200))
            plans.append((school, new_user(school, "_old"), "main", start, end))
            continue
        main = known.get(school.organisation_id) or new_user(school, "")
        start = as_of - timedelta(days=rng.randint(30, 700))
        plans.append((school, main, "main", start, None))
        main_count += 1
        if school.pk in with_history:
            earlier = start - timedelta(days=rng.randint(365, 1100))
            plans.append((school, new_user(school, "_old"), "main", earlier, start))
        if rng.random() < DEPUTY_SHARE:
            deputy_start = as_of - timedelta(days=rng.randint(10, 400))
            plans.append((school, new_user(school, "_2"), "deputy", deputy_start, None))
            deputy_count += 1
    User.objects.bulk_create(users)
    created = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    LiaisonAppointment.objects.bulk_create(
        [
            LiaisonAppointment(
                school=school,
                user=created.get(user.username, user),
                position=position,
                started_on=start,
                ended_on=end,
                appointed_by=appointer,
            )
            for school, user, position, start, end in plans
        ]
    )
    return {"main": main_count, "deputy": deputy_count, "gaps": len(gaps)}
