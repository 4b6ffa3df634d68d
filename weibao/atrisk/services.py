"""Every write to the at-risk database goes through here, with its validation and audit event.

The grade and the risk score are derived here (`files_regrade`), from the records, each time a
record changes and nightly; nobody types them. Notifications never name the child: they say what
happened and link to the file, which checks who may see it.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.atrisk.grading import (
    RANK,
    EventFacts,
    Grade,
    GradeInput,
    Grading,
    grade,
)
from weibao.atrisk.models import (
    ATRISK_UNIT_KINDS,
    AtRiskFile,
    Behaviour,
    Contact,
    FileReferral,
    GradingRuleSet,
    InterventionPlan,
    Involvement,
    Measure,
    MisconductEvent,
    Review,
    RiskFactor,
    RiskWarning,
    SealedQueryApplication,
)
from weibao.atrisk.scoring import score
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.lib import idnumber
from weibao.people.models import Person, adult_birth_cutoff

MIN_REASON_LENGTH = 4
RETURN_WINDOW_DAYS = 365  # a new event this soon after a closure raises a warning
REVIEW_EVERY_DAYS = 120  # about a school term
SCHEDULER = "atrisk_nightly"
K = Organisation.Kind
C = Measure.Category

# Which measures each kind of unit records (the law names who acts: Art. 31, 41, 44, 61...).
MEASURE_CATEGORIES_BY_UNIT: dict[str, frozenset[str]] = {
    **{kind: frozenset({C.SCHOOL, C.SPECIAL_EDUCATION}) for kind in Organisation.SCHOOL_KINDS},
    K.EDUCATION: frozenset({C.SCHOOL, C.SPECIAL_EDUCATION}),
    K.POLICE_STATION: frozenset({C.POLICE, C.GUARDIAN_ORDER, C.SPECIAL_EDUCATION, C.PROSECUTION}),
    K.PUBLIC_SECURITY: frozenset({C.POLICE, C.GUARDIAN_ORDER, C.SPECIAL_EDUCATION, C.PROSECUTION}),
    K.PROCURATORATE: frozenset({C.GUARDIAN_ORDER, C.PROSECUTION}),
    K.COURT: frozenset({C.GUARDIAN_ORDER, C.PROSECUTION}),
}


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_reason(text: str, field: str) -> str:
    reason = " ".join((text or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                field: [
                    _("State the reason in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
                ]
            }
        )
    return reason


def _repr(file: AtRiskFile) -> str:
    return f"{_('at-risk file')} {file.pk} {file.person.masked_name}"


def active_rules() -> GradingRuleSet:
    return GradingRuleSet.objects.active()


def _township_of(person: Person) -> Any:
    division = person.division
    while division is not None and division.level > division.Level.TOWNSHIP:
        division = division.parent
    return division if division is not None and division.level == division.Level.TOWNSHIP else None


def _notify(file: AtRiskFile, title: str, kind: str) -> None:
    """Tell the responsible worker (no child's name: the link checks who may see the file)."""
    from weibao.core.services import notify

    if file.worker is not None:
        notify(recipients=[file.worker], title=title, link=file.get_absolute_url(), kind=kind)


# Grade and score ---------------------------------------------------------------------------


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
                detail=_("From %(old)s to %(new)s: %(rule)s")
                % {"old": old_grade, "new": new_grade, "rule": file.grade_rule},
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
                detail=_("Risk score %(score).1f reached the threshold %(threshold).1f.")
                % {"score": derived.score, "threshold": threshold},
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


def _warn(file: AtRiskFile, kind: str, *, key: str, detail: str) -> RiskWarning | None:
    """Raise a warning once (the key makes nightly runs idempotent) and tell the worker."""
    warning, created = RiskWarning.objects.get_or_create(
        file=file, kind=kind, key=key[:60], defaults={"detail": detail[:300]}
    )
    if not created:
        return None
    _notify(
        file,
        _("At-risk warning: %(kind)s (file %(n)d)")
        % {"kind": warning.get_kind_display(), "n": file.pk},
        kind="atrisk_warning",
    )
    return warning


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


# Files -------------------------------------------------------------------------------------


def _check_minor(person: Person, on: date, field: str) -> None:
    if on < person.birth_date or idnumber.age_on(person.birth_date, on) >= idnumber.ADULT_AGE:
        raise ValidationError(
            {
                field: [
                    _("%(name)s is not a minor on %(day)s.")
                    % {"name": person.masked_name, "day": on.isoformat()}
                ]
            }
        )


def _new_file(actor: User, person: Person, on: date, worker: User | None = None) -> AtRiskFile:
    file = AtRiskFile(
        person=person,
        opened_at=on,
        opened_by=actor,
        unit=(worker or actor).organisation,
        worker=worker or actor,
        school=person.school,
        division=person.division,
        township=_township_of(person),
    )
    file.full_clean(exclude=["person"])
    file.save()
    if person.is_left_behind:
        RiskFactor.objects.create(
            file=file, kind=RiskFactor.Kind.LEFT_BEHIND, from_register=True, recorded_by=actor
        )
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=file,
        target_repr=_repr(file),
        person_id=person.pk,
    )
    return file


def file_open(
    *, actor: User, person: Person, worker: User | None = None, factors: Iterable[str] = ()
) -> AtRiskFile:
    """Open a file for a minor (one open file per minor); watch grade until records come."""
    today = timezone.localdate()
    _check_minor(person, today, "person")
    if AtRiskFile.objects.filter(person=person, closed_at__isnull=True).exists():
        raise ValidationError({"person": [_("This minor already has an open file.")]})
    factors = list(factors)
    bad = [f for f in factors if f not in RiskFactor.Kind.values]
    _raise_if({"factors": [_("Unknown risk factor: %(f)s") % {"f": ", ".join(bad)}]} if bad else {})
    with transaction.atomic():
        file = _new_file(actor, person, today, worker)
        for kind in factors:
            RiskFactor.objects.get_or_create(
                file=file, kind=kind, ended_on=None, defaults={"recorded_by": actor}
            )
        _returned_warning(file, key=f"file:{file.pk}")
        files_regrade([file], actor=actor)
    return file


def _returned_warning(file: AtRiskFile, *, key: str) -> None:
    """A new file for a minor whose previous file closed within the year: warn."""
    since = file.opened_at - timedelta(days=RETURN_WINDOW_DAYS)
    recent = (
        AtRiskFile.objects.filter(person_id=file.person_id, closed_at__gte=since)
        .exclude(pk=file.pk)
        .order_by("-closed_at")
        .first()
    )
    if recent is not None:
        _warn(
            file,
            RiskWarning.Kind.RETURNED,
            key=key,
            detail=_("The previous file (%(n)d) was closed on %(day)s.")
            % {"n": recent.pk, "day": recent.closed_at},
        )


def file_view(*, actor: User, file: AtRiskFile, via: str = "page") -> None:
    """Record that the actor opened the file (every time)."""
    record(AuditEvent.Action.VIEW, actor=actor, target=file, target_repr=_repr(file), via=via)


def file_reveal(*, actor: User, file: AtRiskFile, field: str, reason: str) -> str:
    """The full ID number or phone, through the people register's audited reveal."""
    from weibao.people.services import person_reveal

    return person_reveal(actor=actor, person=file.person, field=field, reason=reason)


def file_assign(
    *, actor: User, file: AtRiskFile, worker: User | None, unit: Organisation | None = None
) -> AtRiskFile:
    """Give the file a responsible worker (and unit: the worker's by default)."""
    if worker is not None and (
        not worker.is_active or worker.role in (Role.SYSADMIN, Role.AUDITOR)
    ):
        raise ValidationError({"worker": [_("Choose an active case worker.")]})
    unit = unit or (worker.organisation if worker is not None else file.unit)
    if worker is not None and worker.organisation_id != unit.pk:
        raise ValidationError({"worker": [_("The worker must belong to the responsible unit.")]})
    before = {"worker": file.worker, "unit": file.unit}
    with transaction.atomic():
        file.worker, file.unit = worker, unit
        file.save(update_fields=["worker", "unit"])
        InterventionPlan.objects.filter(file=file).update(worker=worker, unit=unit)
        Contact.objects.filter(file=file, done_at__isnull=True).update(worker=worker)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes=diff(file, before, ("worker", "unit")),
        )
        if worker is not None and worker != actor:
            _notify(
                file,
                _("An at-risk file was assigned to you (file %(n)d)") % {"n": file.pk},
                kind="atrisk_assigned",
            )
    return file


def file_close(
    *, actor: User | None, file: AtRiskFile, reason: str, note: str = "", on: date | None = None
) -> AtRiskFile:
    """Close the file with a reason; pending contacts are dropped and warnings resolved."""
    if not file.is_open:
        raise ValidationError({"reason": [_("The file is already closed.")]})
    if reason not in AtRiskFile.ClosedReason.values:
        raise ValidationError({"reason": [_("Choose a reason from the list.")]})
    now = timezone.now()
    with transaction.atomic():
        file.closed_at = on or timezone.localdate()
        file.closed_reason = reason
        file.closed_note = " ".join((note or "").split())[:300]
        file.save(update_fields=["closed_at", "closed_reason", "closed_note"])
        Contact.objects.filter(file=file, done_at__isnull=True).delete()
        RiskWarning.objects.filter(file=file, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            username=SCHEDULER if actor is None else "",
            target=file,
            target_repr=_repr(file),
            changes={"closed_reason": [None, reason]},
            note=file.closed_note,
        )
    return file


def file_refer(
    *, actor: User, file: AtRiskFile, unit: Organisation, note: str = ""
) -> FileReferral:
    """Hand the file to another unit, which from now on sees it."""
    if FileReferral.objects.filter(file=file, unit=unit).exists():
        raise ValidationError({"unit": [_("The file was already referred to this unit.")]})
    if unit.kind not in ATRISK_UNIT_KINDS or not unit.is_active:
        raise ValidationError({"unit": [_("This unit cannot receive at-risk files.")]})
    from weibao.core.services import notify

    with transaction.atomic():
        referral = FileReferral.objects.create(
            file=file, unit=unit, referred_by=actor, note=" ".join(note.split())[:300]
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes={"referrals": [None, unit.name]},
        )
        notify(
            recipients=unit.users.filter(is_active=True, role=Role.CASE_WORKER),
            title=_("An at-risk file was referred to your unit (file %(n)d)") % {"n": file.pk},
            link=file.get_absolute_url(),
            kind="atrisk_referral",
        )
    return referral


# Events ------------------------------------------------------------------------------------


EVENT_FIELDS = (
    "occurred_on",
    "place",
    "description",
    "repeated",
    "refuses_correction",
    "grave",
    "crime_class",
    "sealed",
)


def event_record(
    *,
    actor: User,
    people: Sequence[Person],
    data: Mapping[str, Any],
    share_with: Iterable[Organisation] = (),
) -> MisconductEvent:
    """Record a misconduct event for one or more minors (a group when more than one).

    A minor without an open file gets one, assigned to the reporter; a new file for a minor whose
    last file closed within the year raises a warning. Grades and scores update at once.
    """
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    occurred_on = data.get("occurred_on")
    behaviours = list(data.get("behaviours") or [])
    people = list({p.pk: p for p in people}.values())
    if not people:
        errors["people"] = [_("Name at least one minor.")]
    share_with = list(share_with)
    if any(u.kind not in ATRISK_UNIT_KINDS or not u.is_active for u in share_with):
        errors["share_with"] = [_("This unit cannot receive at-risk records.")]
    if not behaviours:
        errors["behaviours"] = [_("Choose at least one behaviour code.")]
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = [_("Give the date of the event.")]
    elif occurred_on > today:
        errors["occurred_on"] = [_("This date is in the future.")]
    else:
        reachable = set(
            Person.objects.filter(
                Q(pk__in=Person.objects.for_user(actor).values("pk"))
                | Q(atrisk_files__in=AtRiskFile.objects.for_user(actor).open().values("pk")),
                pk__in=[p.pk for p in people],
            ).values_list("pk", flat=True)
        )
        if len(reachable) < len(people):
            errors["people"] = [_("You may report only minors you can see.")]
        for person in people:
            try:
                _check_minor(person, occurred_on, "people")
            except ValidationError as exc:
                errors.setdefault("people", []).extend(exc.message_dict["people"])
    _raise_if(errors)
    with transaction.atomic():
        event = MisconductEvent(reporting_unit=actor.organisation, recorded_by=actor)
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.place = " ".join((event.place or "").split())
        event.is_group = len(people) > 1
        event.full_clean()
        event.save()
        event.behaviours.set(behaviours)
        files = []
        for person in people:
            file = (
                AtRiskFile.objects.filter(person=person, closed_at__isnull=True)
                .select_related("person", "worker")
                .first()
            )
            if file is None:
                file = _new_file(actor, person, today)
                _returned_warning(file, key=f"event:{event.pk}")
            files.append(file)
        Involvement.objects.bulk_create([Involvement(event=event, file=f) for f in files])
        shares = [u for u in share_with if u.pk != actor.organisation_id]
        if shares:
            event.shared_with.set(shares)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=event,
            target_repr=f"{_('misconduct event')} {event.pk}",
            files=[f.pk for f in files],
            codes=sorted(b.code for b in behaviours),
            group=event.is_group,
            sealed=event.sealed,
        )
        files_regrade(files, actor=actor)
    return event


def event_share(*, actor: User, event: MisconductEvent, unit: Organisation) -> None:
    """Let another unit (a school, the police...) see this event."""
    if event.shared_with.filter(pk=unit.pk).exists() or unit.pk == event.reporting_unit_id:
        raise ValidationError({"unit": [_("This unit already sees the event.")]})
    if unit.kind not in ATRISK_UNIT_KINDS or not unit.is_active:
        raise ValidationError({"unit": [_("This unit cannot receive at-risk records.")]})
    with transaction.atomic():
        event.shared_with.add(unit)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=event,
            target_repr=f"{_('misconduct event')} {event.pk}",
            changes={"shared_with": [None, unit.name]},
        )


def _set_sealed(*, actor: User, obj: MisconductEvent | Measure, sealed: bool, reason: str) -> None:
    reason = _clean_reason(reason, "reason")
    if obj.sealed == sealed:
        raise ValidationError(
            {
                "reason": [
                    _("The record is already sealed.") if sealed else _("The record is not sealed.")
                ]
            }
        )
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(sealed=sealed)
        obj.sealed = sealed
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=obj,
            target_repr=f"{obj._meta.verbose_name} {obj.pk}",
            changes={"sealed": [str(not sealed), str(sealed)]},
            reason=reason,
            section="unseal" if not sealed else "seal",
        )
        if isinstance(obj, Measure):
            files = list(AtRiskFile.objects.filter(pk=obj.file_id).select_related("person"))
        else:
            files = list(obj.files.select_related("person"))
        files_regrade(files, actor=actor)


def record_seal(*, actor: User, obj: MisconductEvent | Measure, reason: str) -> None:
    """Seal an event or a measure (§5): from now on only approved applicants read it."""
    _set_sealed(actor=actor, obj=obj, sealed=True, reason=reason)


def record_unseal(*, actor: User, obj: MisconductEvent | Measure, reason: str) -> None:
    """Unseal (刑诉规则 Art. 485: a new crime, for example); the reason is recorded."""
    if not actor.is_county_wide:
        raise ValidationError({"reason": [_("Only a county coordinator may unseal a record.")]})
    _set_sealed(actor=actor, obj=obj, sealed=False, reason=reason)


# Risk factors and measures -----------------------------------------------------------------


def risk_factor_add(*, actor: User, file: AtRiskFile, kind: str, notes: str = "") -> RiskFactor:
    if kind not in RiskFactor.Kind.values:
        raise ValidationError({"kind": [_("Choose a risk factor from the list.")]})
    if file.risk_factors.current().filter(kind=kind).exists():
        raise ValidationError({"kind": [_("This risk factor is already recorded.")]})
    with transaction.atomic():
        factor = RiskFactor.objects.create(
            file=file, kind=kind, notes=" ".join(notes.split())[:300], recorded_by=actor
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes={"risk_factors": [None, kind]},
        )
        files_regrade([file], actor=actor)
    return factor


def risk_factor_end(*, actor: User, factor: RiskFactor) -> None:
    with transaction.atomic():
        factor.ended_on = timezone.localdate()
        factor.save(update_fields=["ended_on"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=factor.file,
            target_repr=_repr(factor.file),
            changes={"risk_factors": [factor.kind, None]},
        )
        files_regrade([factor.file], actor=actor)


def measure_categories_for(actor: User) -> frozenset[str]:
    """The measure categories the actor's unit may record."""
    if actor.is_county_wide:
        return frozenset(C.values)
    return MEASURE_CATEGORIES_BY_UNIT.get(actor.organisation.kind, frozenset())


def measure_record(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> Measure:
    """Record a measure. Kinds the law seals (non-prosecution, special education...) are sealed."""
    from weibao.atrisk.models import category_of

    kind = str(data.get("kind") or "")
    errors: dict[str, list[str]] = {}
    if kind not in Measure.Kind.values:
        errors["kind"] = [_("Choose a measure from the list.")]
    elif category_of(kind) not in measure_categories_for(actor):
        errors["kind"] = [_("Your unit cannot record this kind of measure.")]
    decided_on = data.get("decided_on")
    if not isinstance(decided_on, date):
        errors["decided_on"] = [_("Give the date of the measure.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("This date is in the future.")]
    event = data.get("event")
    if event is not None and not Involvement.objects.filter(event=event, file=file).exists():
        errors["event"] = [_("This event is not in the minor's file.")]
    _raise_if(errors)
    measure = Measure(
        file=file,
        kind=kind,
        event=event,
        issuing_unit=data.get("issuing_unit") or actor.organisation,
        decided_on=cast(date, decided_on),
        notes=str(data.get("notes") or "").strip(),
        sealed=bool(data.get("sealed")) or kind in Measure.SEALED_BY_LAW,
        recorded_by=actor,
    )
    with transaction.atomic():
        measure.full_clean(exclude=["category"])
        measure.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=measure,
            target_repr=f"{_('measure')} {measure.pk} ({_repr(file)})",
            kind=kind,
            sealed=measure.sealed,
        )
        files_regrade([file], actor=actor)
    return measure


# Plans and contacts ------------------------------------------------------------------------


PLAN_FIELDS = ("goals", "helpers", "next_review_on")


def plan_update(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> InterventionPlan:
    """Set the plan's goals, helpers and review date; the contact rhythm follows the grade."""
    rules = active_rules()
    plan = InterventionPlan.objects.filter(file=file).first()
    created = plan is None
    if plan is None:
        plan = InterventionPlan(
            file=file,
            worker=file.worker,
            unit=file.unit,
            contact_days=rules.contact_days(file.grade) or rules.contact_days_t1,
        )
    before = {name: getattr(plan, name) for name in PLAN_FIELDS}
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    with transaction.atomic():
        plan.full_clean()
        plan.save()
        if "helper_users" in data:
            plan.helper_users.set(data["helper_users"])
        if not Contact.objects.filter(file=file, done_at__isnull=True).exists() and file.is_open:
            Contact.objects.create(
                file=file,
                worker=plan.worker,
                due_date=timezone.localdate() + timedelta(days=plan.contact_days),
            )
        record(
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="plan",
            changes=diff(plan, before, PLAN_FIELDS),
        )
    return plan


def contact_record(*, actor: User, file: AtRiskFile, data: Mapping[str, Any]) -> Contact:
    """Record a contact made: it completes the earliest one due and schedules the next."""
    kind = data.get("kind")
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of contact.")]})
    done_at = data.get("done_at") or timezone.now()
    if done_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"done_at": [_("This date is in the future.")]})
    if not file.is_open:
        raise ValidationError({"kind": [_("The file is closed.")]})
    plan = InterventionPlan.objects.filter(file=file).first()
    days = plan.contact_days if plan else (active_rules().contact_days(file.grade) or 30)
    with transaction.atomic():
        contact = (
            Contact.objects.filter(file=file, done_at__isnull=True).order_by("due_date").first()
        )
        if contact is None:
            contact = Contact(file=file, worker=actor, due_date=timezone.localdate(done_at))
        contact.done_at, contact.done_by, contact.kind = done_at, actor, kind
        contact.notes = str(data.get("notes") or "").strip()
        contact.full_clean()
        contact.save()
        Contact.objects.create(
            file=file,
            worker=(plan.worker if plan else None) or file.worker,
            due_date=timezone.localdate(done_at) + timedelta(days=days),
        )
        RiskWarning.objects.filter(
            file=file, kind=RiskWarning.Kind.OVERDUE, resolved_at__isnull=True
        ).update(resolved_at=timezone.now(), resolved_by=actor)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="contact",
            kind=kind,
        )
    return contact


def review_record(
    *, actor: User, file: AtRiskFile, summary: str, reviewed_on: date | None = None
) -> Review:
    summary = (summary or "").strip()
    if len(summary) < MIN_REASON_LENGTH:
        raise ValidationError({"summary": [_("Write the review's summary.")]})
    reviewed_on = reviewed_on or timezone.localdate()
    with transaction.atomic():
        review = Review.objects.create(
            file=file, reviewed_on=reviewed_on, summary=summary, reviewer=actor
        )
        InterventionPlan.objects.filter(file=file).update(
            next_review_on=reviewed_on + timedelta(days=REVIEW_EVERY_DAYS)
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            section="review",
        )
    return review


def warning_resolve(*, actor: User, warning: RiskWarning) -> None:
    if warning.resolved_at is not None:
        raise ValidationError({"warning": [_("The warning is already resolved.")]})
    warning.resolved_at, warning.resolved_by = timezone.now(), actor
    warning.save(update_fields=["resolved_at", "resolved_by"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=warning.file,
        target_repr=_repr(warning.file),
        section="warning",
        kind=warning.kind,
    )


# Sealed-record applications ----------------------------------------------------------------


def sealed_query_apply(
    *, actor: User, file: AtRiskFile, legal_basis: str, purpose: str
) -> SealedQueryApplication:
    """Apply, in writing, to read a file's sealed records (decided within 7 days, Art. 484)."""
    from weibao.core.services import notify

    errors: dict[str, list[str]] = {}
    for field, value in (("legal_basis", legal_basis), ("purpose", purpose)):
        if len(" ".join((value or "").split())) < MIN_REASON_LENGTH:
            errors[field] = [
                _("State this in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
            ]
    _raise_if(errors)
    with transaction.atomic():
        application = SealedQueryApplication.objects.create(
            file=file,
            applicant=actor,
            legal_basis=" ".join(legal_basis.split()),
            purpose=" ".join(purpose.split()),
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=application,
            target_repr=_repr(file),
            legal_basis=application.legal_basis,
            purpose=application.purpose,
        )
        notify(
            recipients=User.objects.filter(role=Role.COUNTY_COORDINATOR, is_active=True),
            title=_("A sealed-record query application waits for a decision"),
            link="/at-risk/sealed/",
            kind="atrisk_sealed",
        )
    return application


def sealed_query_decide(
    *,
    actor: User,
    application: SealedQueryApplication,
    approve: bool,
    expires_on: date | None = None,
    note: str = "",
) -> SealedQueryApplication:
    """A county coordinator approves (until a date) or refuses; never their own application."""
    from weibao.core.services import notify

    errors: dict[str, list[str]] = {}
    if not actor.is_county_wide:
        errors["decision"] = [_("Only a county coordinator decides these applications.")]
    elif application.applicant_id == actor.pk:
        errors["decision"] = [_("You cannot decide your own application.")]
    elif application.decision != SealedQueryApplication.Decision.PENDING:
        errors["decision"] = [_("The application was already decided.")]
    if approve and (expires_on is None or expires_on < timezone.localdate()):
        errors["expires_on"] = [_("Give an expiry date that is not in the past.")]
    _raise_if(errors)
    D = SealedQueryApplication.Decision
    with transaction.atomic():
        application.decision = D.APPROVED if approve else D.REFUSED
        application.approver, application.decided_at = actor, timezone.now()
        application.expires_on = expires_on if approve else None
        application.decision_note = " ".join((note or "").split())[:300]
        application.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=application,
            target_repr=_repr(application.file),
            decision=application.decision,
            expires_on=str(expires_on or ""),
        )
        notify(
            recipients=[application.applicant],
            title=_("Your sealed-record query application was decided"),
            link=application.file.get_absolute_url(),
            kind="atrisk_sealed",
        )
    return application


# Rules -------------------------------------------------------------------------------------


def ruleset_update(*, actor: User, data: Mapping[str, Any], note: str) -> GradingRuleSet:
    """Save a new version of the rules (the old one stays, for history) and regrade open files."""
    note = _clean_reason(note, "note")
    current = active_rules()
    new = GradingRuleSet(
        **{name: data.get(name, getattr(current, name)) for name in GradingRuleSet.PARAMETERS}
    )
    with transaction.atomic():
        last = GradingRuleSet.objects.order_by("-version").values_list("version", flat=True).first()
        new.version = (last or 0) + 1
        new.note, new.created_by, new.is_active = note, actor, True
        new.full_clean(exclude=["version", "is_active"])
        errors = {
            name: [_("Must be greater than zero.")]
            for name in GradingRuleSet.PARAMETERS
            if getattr(new, name) is None or getattr(new, name) <= 0
        }
        _raise_if(errors)
        GradingRuleSet.objects.filter(is_active=True).update(is_active=False)
        new.save()
        changes = {
            name: [str(getattr(current, name)), str(getattr(new, name))]
            for name in GradingRuleSet.PARAMETERS
            if getattr(current, name) != getattr(new, name)
        }
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=new,
            target_repr=str(new),
            changes=changes,
            note=note,
        )
    return new


# Nightly -----------------------------------------------------------------------------------


def scores_recompute_all(*, on: date | None = None, chunk: int = 2000) -> int:
    """Recompute every open file's grade and score (bulk); returns how many changed."""
    ids = list(AtRiskFile.objects.open().order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        files = list(
            AtRiskFile.objects.filter(pk__in=ids[start : start + chunk]).select_related(
                "person", "worker"
            )
        )
        with transaction.atomic():
            changed += files_regrade(files, on=on)
    return changed


def files_close_adults(*, on: date | None = None) -> int:
    """Close the files of those who turned 18, unless in the criminal process (T4)."""
    on = on or timezone.localdate()
    files = (
        AtRiskFile.objects.open()
        .filter(person__birth_date__lt=adult_birth_cutoff(on))
        .exclude(sealed_grade=Grade.CRIMINAL)
        .select_related("person")
    )
    count = 0
    for file in files:
        file_close(actor=None, file=file, reason=AtRiskFile.ClosedReason.TURNED_18, on=on)
        count += 1
    return count


def contacts_overdue_warn(*, on: date | None = None) -> int:
    """One warning per overdue contact (idempotent: keyed by the contact)."""
    on = on or timezone.localdate()
    count = 0
    overdue = Contact.objects.overdue(on).filter(file__closed_at__isnull=True)
    for contact in overdue.select_related("file", "file__worker"):
        warning = _warn(
            contact.file,
            RiskWarning.Kind.OVERDUE,
            key=f"contact:{contact.pk}",
            detail=_("A contact was due on %(day)s.") % {"day": contact.due_date.isoformat()},
        )
        count += warning is not None
    return count


# Reading: overview and export --------------------------------------------------------------


AGE_GROUPS = ((12, 13), (14, 15), (16, 17))


def age_group(age: int) -> str:
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}-{high}"
    return _("under 12") if age < 12 else _("18 and over")


def overview(files: Any, *, on: date | None = None) -> dict[str, Any]:
    """Counts for the county overview over the files given (already filtered for the user)."""
    on = on or timezone.localdate()
    open_files = files.filter(closed_at__isnull=True)
    by_grade = dict(open_files.values_list("grade").annotate(n=Count("pk")).order_by())
    grades = [(label, by_grade.get(value, 0)) for value, label in Grade.choices]
    townships = list(
        open_files.values("township__name").annotate(n=Count("pk")).order_by("township__name")
    )
    sexes = list(open_files.values("person__sex").annotate(n=Count("pk")).order_by("person__sex"))
    ages: Counter[str] = Counter()
    for birth in open_files.values_list("person__birth_date", flat=True):
        ages[age_group(idnumber.age_on(birth, on))] += 1
    visible_events = Involvement.objects.filter(file__in=open_files.values("pk"))
    codes = list(
        MisconductEvent.behaviours.through.objects.filter(
            misconductevent_id__in=visible_events.values("event_id")
        )
        .values("behaviour__code")
        .annotate(n=Count("pk"))
        .order_by("behaviour__code")
    )
    groups = MisconductEvent.objects.filter(
        pk__in=visible_events.values("event_id"), is_group=True
    ).count()
    since = (on.replace(day=1) - timedelta(days=365)).replace(day=1)
    new = dict(
        files.filter(opened_at__gte=since)
        .annotate(m=TruncMonth("opened_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed = dict(
        files.filter(closed_at__gte=since)
        .annotate(m=TruncMonth("closed_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = sorted(set(new) | set(closed))
    return {
        "total": sum(n for _label, n in grades),
        "grades": grades,
        "townships": townships,
        "sexes": [(dict(Person.Sex.choices).get(r["person__sex"], ""), r["n"]) for r in sexes],
        "ages": sorted(ages.items()),
        "codes": codes,
        "group_events": groups,
        "months": [
            (m.strftime("%Y-%m") if m else "", new.get(m, 0), closed.get(m, 0)) for m in months
        ],
    }


def file_export(*, actor: User, files: Any, purpose: str) -> tuple[bytes, int]:
    """An .xlsx of the files the actor sees (masked names and ID numbers), audited with purpose."""
    from openpyxl import Workbook

    purpose = _clean_reason(purpose, "purpose")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("At-risk files"))
    sheet.append(
        [
            _("File"),
            _("Name"),
            _("ID number"),
            _("Sex"),
            _("Age"),
            _("School"),
            _("Township"),
            pgettext("risk", "Grade"),
            _("Risk score"),
            _("Responsible worker"),
            _("Opened on"),
            _("Closed on"),
        ]
    )
    rows = 0
    qs = files.select_related("person", "school", "township", "worker")
    for f in qs.iterator(chunk_size=500):
        sheet.append(
            [
                f.pk,
                f.person.masked_name,
                f.person.masked_id_number,
                f.person.get_sex_display(),
                f.person.age,
                str(f.school or ""),
                str(f.township or ""),
                f.get_grade_display(),
                f.score,
                str(f.worker.full_name if f.worker else ""),
                f.opened_at.isoformat(),
                f.closed_at.isoformat() if f.closed_at else "",
            ]
        )
        rows += 1
    about = workbook.create_sheet(_("About"))
    about.append([_("Purpose"), purpose])
    about.append([_("Exported by"), f"{actor.organisation} {actor.full_name or actor.username}"])
    about.append([_("Names and ID numbers are masked.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("at-risk files"),
        purpose=purpose,
        rows=rows,
    )
    return buffer.getvalue(), rows


def people_for_reporting(actor: User) -> Any:
    """The minors the actor may report an event for: those the people register shows them."""
    return Person.objects.for_user(actor).minors()


def may_see_sealed_grade(actor: User, file: AtRiskFile) -> bool:
    return SealedQueryApplication.objects.filter(
        file=file,
        applicant=actor,
        decision=SealedQueryApplication.Decision.APPROVED,
        expires_on__gte=timezone.localdate(),
    ).exists()


def behaviours_for(actor: User) -> Any:
    """Behaviour codes the actor may report: schools report misconduct and serious misconduct
    alike (Art. 33 lets them handle minor cases), so all codes."""
    return Behaviour.objects.all()
