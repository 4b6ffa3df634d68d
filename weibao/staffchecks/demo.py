"""The demo county's staff checks: rosters, a register with planted staff, last year's results.

About 6,000 staff (at scale 1) across the close-contact units, some units without a roster, some
staff never checked; a register of a few thousand records in which about ten demo staff are
planted (most by ID number, a few only by name and birth date, with another ID number). The
annual re-check is not run here: the demo user runs it with one click and it finds exactly the
planted people.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, Role, User
from weibao.demo import names
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.staffchecks import services
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    CLOSE_CONTACT_KINDS,
    EDUCATION_KINDS,
    REGISTER_KINDS,
    CheckBatch,
    CheckItem,
    OffenderRecord,
    RegisterImport,
    StaffMember,
)

STAFF = 6_000
REGISTER = 3_000
PLANTED_EXACT = 7
PLANTED_POSSIBLE = 3
# Register numbers come from places no demo person is from, so no match happens by chance.
REGISTER_PREFIXES = ("420106", "510104", "430102", "610113", "410105")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健志"
ROLES = (
    ("teacher", 60), ("administration", 8), ("general_service", 8), ("security", 6),
    ("driver", 3), ("canteen", 8), ("trainer", 4), ("volunteer", 3),
)  # fmt: skip


def _name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _w in names.SURNAMES], [w for _s, w in names.SURNAMES])[0]
    return surname + "".join(rng.choice(GIVEN) for _n in range(rng.choice((1, 2, 2))))


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    if StaffMember.objects.exists() or OffenderRecord.objects.exists():
        return
    rng = random.Random(f"{seed}-staffchecks")
    units = list(Organisation.objects.filter(kind__in=CLOSE_CONTACT_KINDS).order_by("kind", "name"))
    if not units:
        return
    # One unit in ten never uploaded a roster: the compliance page shows it.
    with_roster = [u for u in units if rng.random() > 0.1]
    total = max(len(with_roster) * 3, int(STAFF * scale))
    weights = [5 if u.kind in EDUCATION_KINDS else 2 for u in with_roster]
    used: set[str] = set()
    with transaction.atomic():
        rows_by_unit: dict[int, list[services.RosterRow]] = {}
        for _n in range(total):
            unit = rng.choices(with_roster, weights)[0]
            birth = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
            prefix = rng.choice((names.ID_PREFIX, *names.OTHER_ID_PREFIXES[:4]))
            number = idnumber.make(prefix, birth, rng.randrange(600, 1000))
            if number in used:
                continue
            used.add(number)
            parsed = idnumber.parse(number)
            # Most started years ago; some are this year's new hires.
            if rng.random() < 0.08:
                start = as_of - timedelta(days=rng.randrange(1, 200))
            else:
                start = date(rng.randint(2000, as_of.year - 1), 9, 1)
            start = max(start, birth + timedelta(days=365 * 19))
            role = rng.choices([r for r, _w in ROLES], [w for _r, w in ROLES])[0]
            if unit.kind == Organisation.Kind.TRAINING and role == "teacher":
                role = "trainer"
            rows_by_unit.setdefault(unit.pk, []).append(
                services.RosterRow(
                    name=_name(rng),
                    number=number,
                    id_hash=crypto.blind_index(number),
                    birth_date=parsed.birth_date,
                    sex=parsed.sex,
                    role=role,
                    start_date=start,
                    end_date=None,
                )
            )
        by_pk = {u.pk: u for u in with_roster}
        for unit_id, rows in rows_by_unit.items():
            services.roster_rows_write(by_pk[unit_id], rows, as_of)
        progress(_("staff rosters: %(n)d") % {"n": sum(map(len, rows_by_unit.values()))})
        _past_checks(rng, as_of)
        _register(rng, scale, as_of, progress)


def _past_checks(rng: random.Random, as_of: date) -> None:
    """Last year's annual re-check, all clear, for most units: some staff since then are new,
    and some units' checks are now more than 12 months old."""
    last_year = as_of.year - 1
    for unit_id in sorted(set(StaffMember.objects.values_list("unit_id", flat=True))):
        if rng.random() < 0.25:
            continue  # never checked at all
        checked_on = date(last_year, rng.choice((3, 9, 11)), 15)
        if checked_on >= as_of:
            checked_on = as_of - timedelta(days=30)
        checked_at = timezone.make_aware(
            datetime(checked_on.year, checked_on.month, checked_on.day, 10)
        )
        batch = CheckBatch.objects.create(
            unit_id=unit_id,
            kind=CheckBatch.Kind.ANNUAL,
            year=last_year,
            status=CheckBatch.Status.DONE,
            consent_confirmed=True,
            consent_note="authorisations kept by the unit office",
            created_at=checked_at,
            submitted_at=checked_at,
            completed_at=checked_at,
        )
        staff = list(
            StaffMember.objects.filter(unit_id=unit_id, start_date__lte=checked_on).select_related(
                "person"
            )
        )
        items = [services._item_for_staff(batch, s) for s in staff]
        for item in items:
            item.result, item.checked_at = CheckItem.Result.CLEAR, checked_at
        CheckItem.objects.bulk_create(items, batch_size=1000)
        StaffMember.objects.filter(pk__in=[s.pk for s in staff]).update(
            last_checked_on=checked_on, first_cleared_on=checked_on
        )
        CheckBatch.objects.filter(pk=batch.pk).update(total=len(items), clear_count=len(items))


def _register(
    rng: random.Random, scale: float, as_of: date, progress: Callable[[str], None]
) -> None:
    police_unit = Organisation.objects.filter(kind__in=REGISTER_KINDS).order_by("kind").first()
    if police_unit is None:
        return
    officer = User.objects.filter(
        organisation__kind__in=REGISTER_KINDS, role=Role.CASE_WORKER
    ).first()
    source = RegisterImport.objects.create(
        organisation=police_unit, imported_by=officer, file_name="demo-register.xlsx"
    )
    now = timezone.now()
    staff_keys = {
        (normalise_name(s.person.name), s.person.birth_date)
        for s in StaffMember.objects.select_related("person").iterator(chunk_size=2000)
    }
    records: list[OffenderRecord] = []
    categories = [c for c, _label in OffenderRecord.Category.choices]

    def add(name: str, number: str, birth: date) -> None:
        records.append(
            OffenderRecord(
                id_hash=crypto.blind_index(number) if number else "",
                name_key=normalise_name(name),
                birth_date=birth,
                categories=",".join(sorted(rng.sample(categories, rng.choice((1, 1, 2))))),
                name_encrypted=crypto.encrypt(name),
                id_number_encrypted=crypto.encrypt(number),
                source=source,
                imported_at=now,
            )
        )

    for _n in range(max(50, int(REGISTER * scale))):
        birth = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
        name = _name(rng)
        if (normalise_name(name), birth) in staff_keys:
            continue
        add(name, idnumber.make(rng.choice(REGISTER_PREFIXES), birth, rng.randrange(1000)), birth)
    # Planted: staff of schools and training institutions still at work.
    candidates = list(
        StaffMember.objects.filter(unit__kind__in=EDUCATION_KINDS)
        .select_related("person")
        .order_by("pk")
    )
    planted = rng.sample(candidates, min(len(candidates), PLANTED_EXACT + PLANTED_POSSIBLE))
    for staff in planted[:PLANTED_EXACT]:
        add(staff.person.name, staff.person.id_number, staff.person.birth_date)
    for staff in planted[PLANTED_EXACT:]:
        # The register has the name with a middle space and a mistyped ID number.
        person = staff.person
        wrong = idnumber.make(rng.choice(REGISTER_PREFIXES), person.birth_date, 1)
        add(person.name[0] + " " + person.name[1:], wrong, person.birth_date)
    OffenderRecord.objects.bulk_create(records, batch_size=1000)
    RegisterImport.objects.filter(pk=source.pk).update(rows=len(records))
    progress(
        _("register records: %(n)d (%(planted)d demo staff planted)")
        % {"n": len(records), "planted": len(planted)}
    )
