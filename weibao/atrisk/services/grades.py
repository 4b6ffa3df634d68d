"""Grade and score: derived from the records each time one changes, and nightly."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, User
from weibao.atrisk.grading import (
    RANK,
    EventFacts,
    Grade,
    GradeInput,
    Grading,
    grade,
)
from weibao.atrisk.models import (
    AtRiskFile,
    Contact,
    GradingRuleSet,
    InterventionPlan,
    Involvement,
    Measure,
    MisconductEvent,
    RiskFactor,
    RiskWarning,
)
from weibao.atrisk.scoring import score
from weibao.atrisk.services._common import (
    REVIEW_EVERY_DAYS,
    _warn,
    active_rules,
)


@dataclass
class Facts:
    """Everything grading needs for a batch of files, loaded in a handful of queries."""

    events: dict[int, list[tuple[EventFacts, bool]]]  # file -> (facts, sealed)
    measures: dict[int, list[tuple[str, bool]]]  # file -> (kind, sealed)
    factors: dict[int, list[str]]


def load_facts(file_ids: Sequence[int]) -> Facts:
    codes: dict[int, set[str]] = defaultdict(set)
    links = list(
        Involvement.objects.filter(file_id__in=file_ids).values_list("file_id", "event_id")
    )
    event_ids = {event_id for _file, event_id in links}
    through = MisconductEvent.behaviours.through
    for event_id, code in through.objects.filter(misconductevent_id__in=event_ids).values_list(
        "misconductevent_id", "behaviour__code"
    ):
        codes[event_id].add(code)
    rows = MisconductEvent.objects.filter(pk__in=event_ids).values_list(
        "pk", "occurred_on", "repeated", "refuses_correction", "grave", "crime_class", "sealed"
    )
    facts = {
        pk: (EventFacts(on, frozenset(codes[pk]), rep, ref, grave, crime), sealed)
        for pk, on, rep, ref, grave, crime, sealed in rows
    }
    events: dict[int, list[tuple[EventFacts, bool]]] = defaultdict(list)
    for file_id, event_id in links:
        events[file_id].append(facts[event_id])
    measures: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for file_id, kind, sealed in Measure.objects.filter(file_id__in=file_ids).values_list(
        "file_id", "kind", "sealed"
    ):
        measures[file_id].append((kind, sealed))
    factors: dict[int, list[str]] = defaultdict(list)
    for file_id, kind in (
        RiskFactor.objects.current().filter(file_id__in=file_ids).values_list("file_id", "kind")
    ):
        factors[file_id].append(kind)
    return Facts(events, measures, factors)


@dataclass(frozen=True)
class Derived:
    grading: Grading
    sealed_grade: str
    score: float
    parts: list[dict[str, object]]


def derive(
    birth_date: date, loaded: Facts, file_id: int, rules: GradingRuleSet, on: date
) -> Derived:
    """Grade (from unsealed records), grade with sealed records, and score for one file."""
    events = loaded.events.get(file_id, [])
    measures = loaded.measures.get(file_id, [])
    factors = loaded.factors.get(file_id, [])
    params = rules.grading_params()
    open_events = tuple(e for e, sealed in events if not sealed)
    shown = grade(
        GradeInput(
            birth_date,
            on,
            open_events,
            frozenset(k for k, sealed in measures if not sealed),
            frozenset(factors),
        ),
        params,
    )
    full = grade(
        GradeInput(
            birth_date,
            on,
            tuple(e for e, _sealed in events),
            frozenset(k for k, _sealed in measures),
            frozenset(factors),
        ),
        params,
    )
    result = score(open_events, factors, on, rules.weights())
    return Derived(shown, full.grade, result.total, [p.as_dict() for p in result.parts])


def files_regrade(
    files: Sequence[AtRiskFile], *, actor: User | None = None, on: date | None = None
) -> int:
    """Recompute grade and score of these files; raise warnings and adjust plans on a change.

    Returns how many files changed grade or score.
    """
    if not files:
        return 0
    on = on or timezone.localdate()
    rules = active_rules()
    loaded = load_facts([f.pk for f in files])
    now = timezone.now()
    changed = []
    townships: dict[str, Division] | None = None
    for file in files:
        derived = derive(file.person.birth_date, loaded, file.pk, rules, on)
        old_grade, old_score = file.grade, file.score
        new_grade = derived.grading.grade
        moved = (file.school_id, file.division_id) != (
            file.person.school_id,
            file.person.division_id,
        )
        if moved:
            # The file follows the minor (a new school, a move): access is decided by these.
            if townships is None:
                townships = {d.code[:9]: d for d in Division.objects.townships()}
            file.school_id, file.division_id = file.person.school_id, file.person.division_id
            code = file.person.division.code if file.person.division else ""
            file.township = townships.get(code[:9]) if code else None
        if (
            not moved
            and new_grade == old_grade
            and derived.sealed_grade == file.sealed_grade
            and derived.score == old_score
            and derived.grading.rule == file.grade_rule
        ):
            continue
        file.grade = new_grade
        file.grade_rule = derived.grading.rule
        file.grade_reason = derived.grading.reason
        file.grade_reason_args = derived.grading.args
        file.sealed_grade = derived.sealed_grade
        file.score, file.score_parts, file.score_at = derived.score, derived.parts, now
        file.ruleset_version = rules.version
        if new_grade != old_grade:
            file.grade_changed_at = now
        changed.append(file)
        if not file.is_open:
            continue
        if RANK[new_grade] > RANK[old_grade]:
            _warn(
                file,
                RiskWarning.Kind.GRADE_UP,
                key=f"{new_grade}:{on.isoformat()}",
                detail=gettext_noop("From %(old)s to %(new)s."),
                args={"old": old_grade, "new": new_grade},
            )
            _plan_for_grade(file, rules, on)
        elif new_grade != old_grade and RANK[new_grade] > RANK[Grade.WATCH]:
            _plan_for_grade(file, rules, on)
        threshold = rules.warning_threshold
        if old_score < threshold <= derived.score:
            _warn(
                file,
                RiskWarning.Kind.SCORE,
                key=f"score:{on.isoformat()}",
                detail=gettext_noop("Risk score %(score)s reached the threshold %(threshold)s."),
                args={"score": f"{derived.score:.1f}", "threshold": f"{threshold:.1f}"},
            )
    AtRiskFile.objects.bulk_update(
        changed,
        [
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
            "school",
            "division",
            "township",
        ],
        batch_size=500,
    )
    return len(changed)


def _plan_for_grade(file: AtRiskFile, rules: GradingRuleSet, on: date) -> InterventionPlan | None:
    """Create the plan above watch, or set its contact rhythm to the grade's interval, and keep
    one contact scheduled for the responsible worker no later than that interval from today."""
    days = rules.contact_days(file.grade)
    if days is None:
        return None
    plan = InterventionPlan.objects.filter(file=file).first()
    if plan is None:
        plan = InterventionPlan.objects.create(
            file=file,
            worker=file.worker,
            unit=file.unit,
            contact_days=days,
            next_review_on=on + timedelta(days=REVIEW_EVERY_DAYS),
        )
    elif plan.contact_days != days:
        plan.contact_days = days
        plan.save(update_fields=["contact_days", "updated_at"])
    due = on + timedelta(days=days)
    pending = Contact.objects.filter(file=file, done_at__isnull=True).order_by("due_date").first()
    if pending is None:
        Contact.objects.create(file=file, worker=plan.worker or file.worker, due_date=due)
    elif pending.due_date > due:
        pending.due_date = due
        pending.save(update_fields=["due_date"])
    return plan
