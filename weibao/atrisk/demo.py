"""The demo county's at-risk minors: about 1,000 files and 3,000 events at scale 1.

Built on the base county (weibao.demo): pupils become at-risk minors with realistic grades, group
events, measures (some sealed), risk factors, plans with contacts (some overdue) and warnings.
Rows are written in bulk, like the base seed, and grades and scores come from the same `derive`
the services use, so what the demo shows is what the rules give. Deterministic for a seed, and
idempotent: nothing happens when at-risk files exist.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, DivisionQuerySet, Organisation, User
from weibao.atrisk import services
from weibao.atrisk.grading import RANK, Grade
from weibao.atrisk.models import (
    AtRiskFile,
    Behaviour,
    Contact,
    InterventionPlan,
    Involvement,
    Measure,
    MisconductEvent,
    RiskFactor,
    RiskWarning,
    category_of,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.demo.plan import SCHOOL_A, SCHOOL_B
from weibao.lib import idnumber
from weibao.people.models import LeftBehindStatus, Person

FILES = 1000
EVENTS = 3000
BATCH = 2000
AUDIT_USERNAME = "seed_demo"

BL_WEIGHTS = {
    "BL01": 22,
    "BL02": 25,
    "BL03": 10,
    "BL04": 20,
    "BL05": 8,
    "BL06": 7,
    "BL07": 3,
    "BL08": 3,
    "BL09": 2,
}
SB_WEIGHTS = {
    "SB01": 20,
    "SB02": 4,
    "SB03": 25,
    "SB04": 30,
    "SB05": 2,
    "SB06": 1,
    "SB07": 2,
    "SB08": 3,
    "SB09": 3,
}
PLACES = ("校门口", "网吧", "县城步行街", "河边", "村口小卖部", "学校宿舍", "台球室", "公园")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, 0)))


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    """Add the at-risk demo records; does nothing if there are at-risk files already."""
    if AtRiskFile.objects.exists():
        return
    started = time.monotonic()
    rng = random.Random(f"atrisk-{seed}")
    n_files = max(8, round(FILES * scale))
    n_events = max(20, round(EVENTS * scale))

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "liaison_a",
                "liaison_b",
                "police",
                "township",
                "education",
                "womens_fed",
                "coordinator",
            ]
        )
    }
    if "coordinator" not in users:
        return  # no base county
    station_by_township: dict[str, Organisation] = {}
    for unit in Organisation.objects.filter(kind="police_station").select_related("division"):
        station_by_township[unit.division.code[:9]] = unit
    bureau = Organisation.objects.filter(kind="public_security").first()
    procuratorate = users["coordinator"].organisation
    school_a = Organisation.objects.filter(name=SCHOOL_A).first()
    school_b = Organisation.objects.filter(name=SCHOOL_B).first()

    # Candidates: pupils 10-17 on as_of (older ones more often), school A's among them.
    oldest = as_of.replace(year=as_of.year - 18) + timedelta(days=30)
    youngest = as_of.replace(year=as_of.year - 10)
    rows = list(
        Person.objects.filter(
            school__isnull=False, birth_date__gte=oldest, birth_date__lte=youngest
        )
        .order_by("pk")
        .values_list("pk", "birth_date", "school_id", "division__code", "sex")
    )
    if not rows:
        return
    weighted = [(row, 3 if idnumber.age_on(row[1], as_of) >= 12 else 1) for row in rows]
    chosen: dict[int, tuple] = {}
    seat_a = [r for r in rows if school_a and r[2] == school_a.pk]
    for row in rng.sample(seat_a, min(len(seat_a), max(3, n_files // 50))):
        chosen[row[0]] = row
    population = [r for r, _w in weighted]
    weights = [w for _r, w in weighted]
    while len(chosen) < min(n_files, len(rows)):
        for row in rng.choices(population, weights=weights, k=n_files):
            chosen.setdefault(row[0], row)
            if len(chosen) >= n_files:
                break
    picked = sorted(chosen.values())
    left_behind = set(
        LeftBehindStatus.objects.filter(
            is_active=True, child_id__in=[r[0] for r in picked]
        ).values_list("child_id", flat=True)
    )
    townships = {d.code[:9]: d for d in _townships()}
    behaviours = {b.code: b for b in Behaviour.objects.all()}

    with transaction.atomic():
        # Files --------------------------------------------------------------------------------
        files: list[AtRiskFile] = []
        profile: dict[int, str] = {}
        for pk, birth, school_id, division_code, _sex in picked:
            township_key = (division_code or "")[:9]
            if school_a and school_id == school_a.pk:
                worker = users.get("liaison_a")
            elif school_b and school_id == school_b.pk:
                worker = users.get("liaison_b")
            elif township_key == "361025100":
                worker = users.get(rng.choice(["police", "township"]))
            else:
                worker = users.get(rng.choice(["education", "womens_fed"]))
            worker = worker or users["coordinator"]
            kind = rng.choices(
                ["bl", "bl_rep", "sb", "sb_flag", "sb00", "watch"], weights=[40, 12, 25, 8, 3, 12]
            )[0]
            if idnumber.age_on(birth, as_of) < 12 and kind.startswith("sb"):
                kind = "bl"
            f = AtRiskFile(
                person_id=pk,
                opened_at=as_of,
                opened_by=worker,
                unit=worker.organisation,
                worker=worker,
                school_id=school_id,
                division_id=None,
                township=townships.get(township_key),
            )
            files.append(f)
            profile[pk] = kind
        division_of = dict(
            Person.objects.filter(pk__in=[r[0] for r in picked]).values_list("pk", "division_id")
        )
        for f in files:
            f.division_id = division_of.get(f.person_id)
        AtRiskFile.objects.bulk_create(files, batch_size=BATCH)
        progress(_("at-risk files: %(n)d") % {"n": len(files)})

        # Events: each file gets its share; some events are groups of the same township ---------
        by_township: dict[str, list[AtRiskFile]] = defaultdict(list)
        for f in files:
            by_township[str(f.township_id)].append(f)
        birth_of = {r[0]: r[1] for r in picked}
        events: list[MisconductEvent] = []
        event_files: list[list[AtRiskFile]] = []
        event_codes: list[list[str]] = []
        budget = n_events
        for f in files:
            kind = profile[f.person_id]
            if kind == "watch":
                continue
            count = {"bl": 3, "bl_rep": 5, "sb": 3, "sb_flag": 5, "sb00": 3}[kind]
            for i in range(count):
                if budget <= 0:
                    break
                budget -= 1
                days_ago = rng.randint(3, 700) if i else rng.randint(3, 200)
                day = max(
                    as_of - timedelta(days=days_ago), birth_of[f.person_id] + timedelta(days=3650)
                )
                serious = kind.startswith("sb") and i == 0
                if kind == "sb00" and i == 0:
                    codes = ["SB00"]
                elif serious:
                    codes = [_pick(rng, SB_WEIGHTS)]
                else:
                    codes = sorted({_pick(rng, BL_WEIGHTS) for _ in range(rng.choice([1, 1, 2]))})
                group = [f]
                mates = by_township[str(f.township_id)]
                if len(mates) > 2 and rng.random() < 0.15:
                    group += [
                        m
                        for m in rng.sample(mates, min(len(mates), rng.randint(1, 3)))
                        if m.pk != f.pk
                    ]
                if codes[0].startswith("SB"):
                    station: Organisation | None = station_by_township.get(
                        (f.township.code if f.township else "")[:9], bureau
                    )
                    reporter_id = station.pk if station else f.unit_id
                else:
                    reporter_id = f.school_id or f.unit_id
                event = MisconductEvent(
                    occurred_on=day,
                    place=rng.choice(PLACES),
                    reporting_unit_id=reporter_id,
                    recorded_by=f.worker,
                    recorded_at=_aware(day, 16),
                    repeated=kind in ("bl_rep", "sb_flag") and i == count - 1,
                    refuses_correction=kind == "sb_flag" and rng.random() < 0.4,
                    grave=kind == "sb_flag" and rng.random() < 0.3,
                    crime_class="art17_2" if codes == ["SB00"] and rng.random() < 0.5 else "other",
                    is_group=len(group) > 1,
                    sealed=kind in ("sb_flag", "sb00") and rng.random() < 0.25,
                )
                events.append(event)
                event_files.append(group)
                event_codes.append(codes)
        MisconductEvent.objects.bulk_create(events, batch_size=BATCH)
        Involvement.objects.bulk_create(
            [
                Involvement(event=e, file=f)
                for e, group in zip(events, event_files, strict=True)
                for f in {g.pk: g for g in group}.values()
            ],
            batch_size=BATCH,
        )
        through = MisconductEvent.behaviours.through
        through.objects.bulk_create(
            [
                through(misconductevent_id=e.pk, behaviour_id=behaviours[c].pk)
                for e, codes in zip(events, event_codes, strict=True)
                for c in codes
            ],
            batch_size=BATCH,
        )
        # Some serious events are shared with the pupil's school.
        shares = [
            MisconductEvent.shared_with.through(
                misconductevent_id=e.pk, organisation_id=g[0].school_id
            )
            for e, g, c in zip(events, event_files, event_codes, strict=True)
            if c[0].startswith("SB") and g[0].school_id and rng.random() < 0.3
        ]
        MisconductEvent.shared_with.through.objects.bulk_create(shares, batch_size=BATCH)
        first_day: dict[int, date] = {}
        for e, group in zip(events, event_files, strict=True):
            for f in group:
                first_day[f.pk] = min(first_day.get(f.pk, e.occurred_on), e.occurred_on)
        for f in files:
            f.opened_at = first_day.get(f.pk, as_of - timedelta(days=rng.randint(10, 300)))
        progress(_("misconduct events: %(n)d") % {"n": len(events)})

        # Risk factors and measures ------------------------------------------------------------
        factors = []
        for f in files:
            if f.person_id in left_behind:
                factors.append(
                    RiskFactor(file=f, kind="left_behind", from_register=True, noted_on=f.opened_at)
                )
            for kind in rng.sample(
                ["guardianship", "hardship", "dropping_out", "absence", "victim"],
                rng.choice([0, 0, 1, 1, 2]),
            ):
                factors.append(RiskFactor(file=f, kind=kind, noted_on=f.opened_at))
        RiskFactor.objects.bulk_create(factors, batch_size=BATCH)
        measures = []
        for e, group, codes in zip(events, event_files, event_codes, strict=True):
            f = group[0]
            day = min(as_of, e.occurred_on + timedelta(days=rng.randint(1, 20)))
            if codes[0].startswith("BL") and f.school_id and rng.random() < 0.35:
                kind, unit_id = rng.choice(["SM01", "SM02", "SM03", "SM05"]), f.school_id
            elif codes[0].startswith("SB") and rng.random() < 0.8:
                kind, unit_id = (
                    rng.choice(["PM01", "PM02", "PM03", "PM05", "PM06"]),
                    e.reporting_unit_id,
                )
                if rng.random() < 0.3:
                    measures.append(
                        Measure(
                            file=f,
                            event=e,
                            kind="admonition",
                            issuing_unit_id=e.reporting_unit_id,
                            decided_on=day,
                            category=category_of("admonition"),
                        )
                    )
            else:
                continue
            measures.append(
                Measure(
                    file=f,
                    event=e,
                    kind=kind,
                    issuing_unit_id=unit_id,
                    decided_on=day,
                    category=category_of(kind),
                )
            )
        for f in files:
            if profile[f.person_id] == "sb_flag" and rng.random() < 0.35:
                kind = rng.choice(["non_prosecution", "conditional_non_prosecution", "se_decision"])
                measures.append(
                    Measure(
                        file=f,
                        kind=kind,
                        issuing_unit=procuratorate,
                        decided_on=as_of - timedelta(days=rng.randint(5, 90)),
                        category=category_of(kind),
                        sealed=True,
                    )
                )
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        progress(_("measures: %(n)d") % {"n": len(measures)})

        # Closed files (improved, moved away) for the monthly figures -------------------------
        for f in files:
            if rng.random() < 0.08:
                f.closed_at = min(as_of, f.opened_at + timedelta(days=rng.randint(60, 300)))
                f.closed_reason = rng.choice(["improved", "improved", "moved_away", "transferred"])

        # Grades and scores from the rules, then plans, contacts and warnings --------------------
        rules = services.active_rules()
        now = timezone.now()
        for index, f in enumerate(files):
            if index % BATCH == 0:  # load the grading facts a batch of files at a time
                loaded = services.load_facts([g.pk for g in files[index : index + BATCH]])
            d = services.derive(birth_of[f.person_id], loaded, f.pk, rules, as_of)
            f.grade, f.grade_rule, f.grade_reason, f.grade_reason_args = (
                d.grading.grade,
                d.grading.rule,
                d.grading.reason,
                d.grading.args,
            )
            f.sealed_grade, f.score, f.score_parts, f.score_at = (
                d.sealed_grade,
                d.score,
                d.parts,
                now,
            )
            f.ruleset_version, f.grade_changed_at = rules.version, now
        AtRiskFile.objects.bulk_update(
            files,
            [
                "opened_at",
                "closed_at",
                "closed_reason",
                "grade",
                "grade_rule",
                "grade_reason",
                "grade_reason_args",
                "sealed_grade",
                "score",
                "score_parts",
                "score_at",
                "ruleset_version",
                "grade_changed_at",
            ],
            batch_size=500,
        )
        plans, contacts, warnings = [], [], []
        for f in files:
            if f.closed_at or RANK[f.grade] <= RANK[Grade.WATCH]:
                continue
            days = rules.contact_days(f.grade) or 30
            plans.append(
                InterventionPlan(
                    file=f,
                    worker=f.worker,
                    unit=f.unit,
                    contact_days=days,
                    goals=rng.choice(
                        [
                            "按时到校，戒除不良习惯",
                            "远离不良交往，遵守行为规范",
                            "改善亲子关系，落实监护责任",
                        ]
                    ),
                    helpers=rng.choice(
                        ["班主任、村儿童主任", "法治副校长、社工", "志愿者、村儿童主任"]
                    ),
                    next_review_on=as_of + timedelta(days=rng.randint(10, 120)),
                )
            )
            # The last few contacts made (history), then the one due.
            last = max(f.opened_at, as_of - timedelta(days=days * 6))
            while last + timedelta(days=days) < as_of - timedelta(days=days):
                last += timedelta(days=days)
                contacts.append(
                    Contact(
                        file=f,
                        worker=f.worker,
                        due_date=last,
                        done_at=_aware(last, 15),
                        done_by=f.worker,
                        kind=rng.choice(["visit", "talk", "counselling"]),
                        notes=rng.choice(["情况稳定", "按时到校", "家长配合", "仍有旷课"]),
                    )
                )
            overdue = rng.random() < 0.15
            due = (
                as_of - timedelta(days=rng.randint(1, 20))
                if overdue
                else as_of + timedelta(days=rng.randint(1, days))
            )
            pending = Contact(file=f, worker=f.worker, due_date=due)
            contacts.append(pending)
            if (
                f.grade in (Grade.SERIOUS, Grade.UNDER_AGE_CRIME, Grade.SPECIAL_EDUCATION)
                and rng.random() < 0.3
            ):
                warnings.append(
                    RiskWarning(
                        file=f,
                        kind="grade_up",
                        key=f"{f.grade}:{as_of}",
                        detail=gettext_noop("From %(old)s to %(new)s."),
                        detail_args={"old": "T1", "new": f.grade},
                    )
                )
            if f.score >= rules.warning_threshold:
                warnings.append(
                    RiskWarning(
                        file=f,
                        kind="score",
                        key=f"score:{as_of}",
                        detail=gettext_noop(
                            "Risk score %(score)s reached the threshold %(threshold)s."
                        ),
                        detail_args={
                            "score": f"{f.score:.1f}",
                            "threshold": f"{rules.warning_threshold:.1f}",
                        },
                    )
                )
        InterventionPlan.objects.bulk_create(plans, batch_size=BATCH)
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        for c in contacts:
            if c.done_at is None and c.due_date < as_of:
                warnings.append(
                    RiskWarning(
                        file=c.file,
                        kind="overdue",
                        key=f"contact:{c.pk}",
                        detail=gettext_noop("A contact was due on %(day)s."),
                        detail_args={"day": c.due_date.isoformat()},
                    )
                )
        RiskWarning.objects.bulk_create(warnings, batch_size=BATCH)
        record(
            AuditEvent.Action.CREATE,
            username=AUDIT_USERNAME,
            target_repr=_("at-risk files"),
            files=len(files),
            events=len(events),
            measures=len(measures),
            seed=seed,
            scale=scale,
        )
    progress(
        _("at-risk demo: %(files)d files, %(events)d events (%(seconds).1f s)")
        % {"files": len(files), "events": len(events), "seconds": time.monotonic() - started}
    )


def _townships() -> DivisionQuerySet:
    return Division.objects.townships()
