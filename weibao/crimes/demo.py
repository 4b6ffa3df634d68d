"""The register in the demo county: cases from 2017 to the demo's year with the speech's shape.

2017 to September 2022 as the speech counts them (76 minor suspects arrested and 74 prosecuted,
rising every year but 2020; 41 prosecuted cases, 34 of them gang crimes: 82.9 %; suspects aged
14-15 rising; minor victims of sexual offences 7 in 2020 and 2 in 2021); from 2023, after the
studio's work began to tell (it opened in 2020-08), fewer every year. The cases are spread over
the county's townships and some of their villages; two minor suspects of the latest year are
people of the register (so the "send to the at-risk database" button has someone to send).

Written through the services' checks and writer (`case_check`, `case_save`'s inner writer)
inside the seed's transaction, with one audit event. Deterministic from `seed`; does nothing
once a case exists, or before the demo county and its prosecutor exist.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.crimes.models import Case, Offence
from weibao.crimes.services.cases import _write, case_check
from weibao.people.models import Person

Progress = Callable[[str], None]
K = Organisation.Kind

# year: (arrested, prosecuted, prosecuted cases, gang cases, aged 14-15, sexual-offence victims)
SPEECH = {
    2017: (7, 7, 4, 3, 1, 5),
    2018: (10, 10, 6, 5, 2, 6),
    2019: (14, 13, 7, 6, 3, 6),
    2020: (9, 9, 5, 4, 4, 7),
    2021: (17, 16, 9, 8, 5, 2),
    2022: (19, 19, 10, 8, 6, 2),
}
AFTER = [(14, 13, 8, 6, 5, 1), (11, 10, 6, 4, 4, 1), (8, 8, 5, 3, 3, 0), (6, 6, 4, 2, 2, 1)]
GANG_OFFENCES = (Offence.ROBBERY, Offence.THEFT, Offence.PROVOKING_TROUBLE, Offence.AFFRAY,
                 Offence.EXTORTION)  # fmt: skip
OTHER_OFFENCES = (Offence.THEFT, Offence.FRAUD, Offence.INJURY, Offence.CYBER_AID,
                  Offence.DRUG_TRAFFICKING, Offence.SNATCHING)  # fmt: skip


def plan(as_of: date) -> dict[int, tuple[int, int, int, int, int, int]]:
    """The figures of each year from 2017 to `as_of`'s year."""
    years = dict(SPEECH)
    for index, year in enumerate(range(2023, as_of.year + 1)):
        years[year] = AFTER[min(index, len(AFTER) - 1)]
    return {year: figures for year, figures in years.items() if year <= as_of.year}


def _last_month(year: int, as_of: date) -> int:
    """The last month an offence can fall in, leaving room for the decisions (60 days), and
    within September in 2022 (the speech's span)."""
    if year == 2022:
        return 6
    if year == as_of.year:
        return max(1, as_of.month - 3)
    return 9


def _year_cases(
    rng: random.Random, year: int, figures: tuple[int, ...], places: list[Division], as_of: date
) -> list[dict[str, Any]]:
    arrested, prosecuted, cases, gang, young, sexual = figures
    if cases == 0:
        return []
    last = _last_month(year, as_of)
    per_case = [1] * cases
    for index in range(prosecuted - cases):
        per_case[index % max(gang, 1)] += 1
    found, n = [], 0
    for k in range(cases):
        offence_date = date(year, rng.randint(1, last), rng.randint(1, 28))
        extra = max(arrested - prosecuted, 0) if k == cases - 1 else 0
        members = per_case[k] + extra
        is_gang = k < gang
        suspects = []
        for m in range(members):
            prosecute = m < per_case[k]
            age = rng.choice((14, 15)) if n < young else rng.choice((16, 17))
            n += 1
            suspect: dict[str, Any] = {
                "sex": "M" if rng.random() < 0.88 else "F",
                "age_at_offence": age,
                "arrest_kind": "arrest",
                "arrest_on": offence_date + timedelta(days=rng.randint(10, 30)),
            }
            if prosecute:
                suspect["prosecution_kind"] = "prosecute"
                suspect["prosecution_on"] = offence_date + timedelta(days=rng.randint(40, 60))
            suspects.append(suspect)
        offences = GANG_OFFENCES if is_gang else OTHER_OFFENCES
        found.append({
            "number": f"乐检未刑诉〔{year}〕{k + 1}号",
            "offence": rng.choice(offences),
            "offence_date": offence_date,
            "division": rng.choice(places),
            "joint": is_gang or members > 1,
            "gang": is_gang,
            "participants": max(members, 3) if is_gang else members,
            "suspects": suspects,
            "victims": [],
        })  # fmt: skip
    # Sexual offences against minors by adults: the victims, two or three to a case at most.
    k = 0
    while sexual > 0:
        count = min(sexual, rng.choice((1, 2, 3)))
        sexual -= count
        offence_date = date(year, rng.randint(1, last), rng.randint(1, 28))
        offence = rng.choice((Offence.RAPE, Offence.CHILD_INDECENCY, Offence.INDECENT_ASSAULT))
        found.append({
            "number": f"乐检刑诉〔{year}〕{50 + k}号",
            "offence": offence,
            "offence_date": offence_date,
            "division": rng.choice(places),
            "participants": 1,
            "suspects": [{
                "sex": "M", "age_at_offence": rng.randint(22, 60), "arrest_kind": "arrest",
                "arrest_on": offence_date + timedelta(days=15), "prosecution_kind": "prosecute",
                "prosecution_on": offence_date + timedelta(days=50),
            }],
            "victims": [
                {"sex": "F" if rng.random() < 0.9 else "M", "age": rng.randint(8, 15)}
                for _i in range(count)
            ],
        })  # fmt: skip
        k += 1
    return found


def _with_register_people(cases: list[dict[str, Any]]) -> None:
    """Two minor suspects of the latest year's first case become people of the register."""
    if not cases:
        case = None
    else:
        latest = max(c["offence_date"].year for c in cases)
        case = next(c for c in cases if c["offence_date"].year == latest and c["suspects"])
    if case is None:
        return
    on = case["offence_date"]
    # Born 15 to 16 years before the offence: 15 on the day, and a minor still.
    people = Person.objects.filter(
        birth_date__gt=date(on.year - 16, on.month, 1), birth_date__lt=date(on.year - 15, 1, 1)
    ).order_by("pk")[: len(case["suspects"][:2])]
    for suspect, person in zip(case["suspects"], people, strict=False):
        suspect["person"] = person


def seed(*, seed: int, scale: float, as_of: date, progress: Progress) -> None:
    """The register's cases (idempotent, deterministic)."""
    if Case.objects.exists():
        return
    actor = (
        User.objects.filter(username="prosecutor", is_active=True).first()
        or User.objects.filter(organisation__kind=K.PROCURATORATE, is_active=True)
        .exclude(role__in=("sysadmin", "auditor"))
        .order_by("pk")
        .first()
    )
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"))
    if actor is None or not townships:
        return
    villages = list(Division.objects.filter(level=Division.Level.VILLAGE).order_by("code")[:40])
    rng = random.Random(f"{seed}:crimes")
    places = townships * 3 + villages  # mostly by township, as the case system records
    cases: list[dict[str, Any]] = []
    for year, figures in plan(as_of).items():
        cases.extend(_year_cases(rng, year, figures, places, as_of))
    _with_register_people(cases)
    for data in cases:
        _write(actor, Case(), case_check(data))
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target_repr=_("Demo criminal cases"),
        operation="crimes_demo",
        cases=len(cases),
    )
    progress(_("criminal cases involving minors: %(n)d") % {"n": len(cases)})
