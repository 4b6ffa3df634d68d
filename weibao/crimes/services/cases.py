"""Every write of a case: create and update it with its suspects, victims and decisions in one
transaction, record a decision, and audit the reading of a case.

The data of a case is one mapping (`CaseData`): the case's fields, and `suspects` and `victims`,
lists of mappings. Errors are keyed by field: the case's by its field name, a suspect's as
`suspects-<n>-<field>` and a victim's as `victims-<n>-<field>` (the form's formset prefixes, and
the import maps them back to its rows and columns).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.crimes.models import (
    ADULT_AGE,
    GANG_MIN,
    JOINT_MIN,
    Case,
    Decision,
    Offence,
    Sex,
    Suspect,
    Victim,
    age_at,
)
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.people.models import Person

CASE_FIELDS = ("number", "offence", "offence_date", "division", "joint", "gang", "participants")
TEXT_FIELDS = ("notes",)
MAX_AGE = 120
ARREST_KINDS = frozenset({Decision.Kind.ARREST, Decision.Kind.NO_ARREST})
PROSECUTION_KINDS = frozenset(
    {Decision.Kind.PROSECUTE, Decision.Kind.NOT_PROSECUTE, Decision.Kind.CONDITIONAL}
)

CaseData = Mapping[str, Any]


@dataclass
class _Person:
    """A suspect's or victim's checked data."""

    person: Person | None
    sex: str
    age: int
    decisions: dict[str, tuple[str, date]] = field(default_factory=dict)  # stage -> kind, date
    offence: str = ""


@dataclass
class Checked:
    """A case's data once every check has passed: what `_write` stores."""

    fields: dict[str, Any]
    suspects: list[_Person]
    victims: list[_Person]


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _int(errors: Errors, name: str, value: Any, *, low: int, high: int) -> int | None:
    if value in (None, ""):
        error(errors, name, _("This field is required."), "required")
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        error(errors, name, _("Enter a whole number."))
        return None
    if not low <= number <= high:
        message = _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        error(errors, name, message)
        return None
    return number


def _day(errors: Errors, name: str, value: Any, today: date) -> date | None:
    if value in (None, ""):
        error(errors, name, _("Give the date."), "required")
        return None
    if not isinstance(value, date):
        error(errors, name, _("Enter a valid date."))
        return None
    if value > today:
        error(errors, name, _("This date is in the future."), "future")
        return None
    return value


def _check_person(
    errors: Errors, prefix: str, raw: Mapping[str, Any], offence_date: date | None, age_key: str
) -> _Person | None:
    """A person of the register gives the sex and the age on the offence date (周岁); without
    one, both are typed."""
    person = raw.get("person")
    if person is not None and not isinstance(person, Person):
        error(errors, f"{prefix}person", _("Choose a person of the register."))
        return None
    if isinstance(person, Person):
        if offence_date is None:
            return None
        age = age_at(person, offence_date)
        if age is None:
            error(
                errors,
                f"{prefix}person",
                _("This person was born after the offence date."),
                "born_after",
            )
            return None
        return _Person(person=person, sex=person.sex, age=age)
    sex = str(raw.get("sex") or "")
    if sex not in Sex.values:
        error(errors, f"{prefix}sex", _("Choose the sex, or a person of the register."))
    age = _int(errors, f"{prefix}{age_key}", raw.get(age_key), low=0, high=MAX_AGE)
    if sex not in Sex.values or age is None:
        return None
    return _Person(person=None, sex=sex, age=age)


def _check_decisions(
    errors: Errors, prefix: str, raw: Mapping[str, Any], suspect: _Person | None, on: date | None
) -> None:
    today = timezone.localdate()
    for stage, kinds in (
        (Decision.Stage.ARREST, ARREST_KINDS),
        (Decision.Stage.PROSECUTION, PROSECUTION_KINDS),
    ):
        kind = str(raw.get(f"{stage}_kind") or "")
        when = raw.get(f"{stage}_on")
        if not kind and when in (None, ""):
            continue
        if kind not in kinds:
            error(errors, f"{prefix}{stage}_kind", _("Choose a decision from the list."))
            continue
        decided = _day(errors, f"{prefix}{stage}_on", when, today)
        if decided is None:
            continue
        if on is not None and decided < on:
            error(
                errors,
                f"{prefix}{stage}_on",
                _("The decision cannot be before the offence date (%(day)s).") % {"day": on},
                "before_offence",
            )
            continue
        if kind == Decision.Kind.CONDITIONAL and suspect is not None and suspect.age >= ADULT_AGE:
            error(
                errors,
                f"{prefix}{stage}_kind",
                _(
                    "Conditional non-prosecution is for minors only "
                    "(Criminal Procedure Law Art. 282)."
                ),
                "adult",
            )
            continue
        if suspect is not None:
            suspect.decisions[stage] = (kind, decided)


def case_check(data: CaseData, *, case: Case | None = None) -> Checked:
    """Every check of a case's data, raising one ValidationError with all the problems."""
    errors: Errors = {}
    today = timezone.localdate()
    fields: dict[str, Any] = {}
    number = _text(data.get("number"))
    if not number:
        error(errors, "number", _("Give the case number."), "required")
    elif len(number) > Case._meta.get_field("number").max_length:  # type: ignore[operator]
        error(errors, "number", _("The case number is too long."))
    else:
        taken = Case.objects.filter(number=number)
        if case is not None and case.pk:
            taken = taken.exclude(pk=case.pk)
        if taken.exists():
            error(errors, "number", _("A case with this number is already registered."), "taken")
    fields["number"] = number
    offence = str(data.get("offence") or "")
    if offence not in Offence.values:
        error(errors, "offence", _("Choose the offence from the list."))
    fields["offence"] = offence
    offence_date = _day(errors, "offence_date", data.get("offence_date"), today)
    fields["offence_date"] = offence_date
    division = data.get("division")
    if not isinstance(division, Division) or division.level < Division.Level.TOWNSHIP:
        error(errors, "division", _("Choose the township or village."))
    fields["division"] = division
    gang = bool(data.get("gang"))
    joint = bool(data.get("joint")) or gang  # a gang crime is a joint crime
    fields["joint"], fields["gang"] = joint, gang
    fields["notes"] = str(data.get("notes") or "").strip()[:5000]

    suspects: list[_Person] = []
    for index, raw in enumerate(data.get("suspects") or ()):
        prefix = f"suspects-{index}-"
        suspect = _check_person(errors, prefix, raw, offence_date, "age_at_offence")
        _check_decisions(errors, prefix, raw, suspect, offence_date)
        if suspect is not None:
            suspects.append(suspect)
    victims: list[_Person] = []
    for index, raw in enumerate(data.get("victims") or ()):
        prefix = f"victims-{index}-"
        victim = _check_person(errors, prefix, raw, offence_date, "age")
        victim_offence = str(raw.get("offence") or offence)
        if victim_offence not in Offence.values:
            error(errors, f"{prefix}offence", _("Choose the offence from the list."))
        if victim is not None:
            victim.offence = victim_offence
            victims.append(victim)
    _check_repeats(errors, "suspects", data.get("suspects") or ())
    _check_repeats(errors, "victims", data.get("victims") or ())
    if not data.get("suspects") and not data.get("victims"):
        error(errors, "suspects", _("Give at least one suspect or victim."), "empty")

    given = data.get("participants")
    if given in (None, ""):
        participants = max(len(data.get("suspects") or ()), 1)
    else:
        participants = _int(errors, "participants", given, low=1, high=999) or 0
    fields["participants"] = participants
    if participants and participants < len(data.get("suspects") or ()):
        error(errors, "participants", _("There are more suspects than participants."))
    elif participants and gang and participants < GANG_MIN:
        error(
            errors,
            "participants",
            _("A gang crime has three or more participants (Criminal Law Art. 26)."),
            "gang",
        )
    elif participants and joint and participants < JOINT_MIN:
        error(
            errors,
            "participants",
            _("A joint crime has two or more participants (Criminal Law Art. 25)."),
            "joint",
        )
    raise_if(errors)
    return Checked(fields=fields, suspects=suspects, victims=victims)


def _check_repeats(errors: Errors, name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    seen: dict[int, int] = {}
    for index, raw in enumerate(rows):
        person = raw.get("person")
        if not isinstance(person, Person):
            continue
        if person.pk in seen:
            message = _("The same person as number %(n)d above.") % {"n": seen[person.pk] + 1}
            error(errors, f"{name}-{index}-person", message, "duplicate")
        else:
            seen[person.pk] = index


def _write(actor: User, case: Case, checked: Checked) -> dict[str, Any]:
    """Store a checked case (inside the caller's transaction); the changes, for the audit.

    Suspects and victims are matched to the stored ones in order, so a link made from one (an
    at-risk record, a referral) stays while its person does; surplus ones are deleted."""
    created = case.pk is None
    before = snapshot(case, (*CASE_FIELDS, *TEXT_FIELDS)) if not created else {}
    for name, value in checked.fields.items():
        setattr(case, name, value)
    changes = diff(case, before, (*CASE_FIELDS, *TEXT_FIELDS)) if not created else {}
    if created:
        case.created_by = actor
        case.created_by_unit = actor.organisation
    if created or changes:
        case.full_clean(exclude=["created_by"])
        case.save()
    stored_suspects = list(case.suspects.prefetch_related("decisions")) if not created else []
    suspects_changed = _write_suspects(case, stored_suspects, checked.suspects)
    stored_victims = list(case.victims.all()) if not created else []
    victims_changed = _write_victims(case, stored_victims, checked.victims)
    if suspects_changed:
        changes["suspects"] = [len(stored_suspects), len(checked.suspects)]
    if victims_changed:
        changes["victims"] = [len(stored_victims), len(checked.victims)]
    prosecuted_on_update(case)
    if changes and not created:
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return changes


def _write_suspects(case: Case, stored: list[Suspect], wanted: list[_Person]) -> bool:
    changed = False
    for index, data in enumerate(wanted):
        suspect = stored[index] if index < len(stored) else Suspect(case=case)
        values = {"person": data.person, "sex": data.sex, "age_at_offence": data.age}
        differs = suspect.pk is None or any(
            getattr(suspect, name) != value for name, value in values.items()
        )
        if differs:
            if suspect.person_id != (data.person.pk if data.person else None):
                suspect.atrisk_measure = None  # the link was the other person's
            for name, value in values.items():
                setattr(suspect, name, value)
            suspect.full_clean(exclude=["case"])
            suspect.save()
            changed = True
        changed |= _write_decisions(suspect, data.decisions)
    for suspect in stored[len(wanted) :]:
        suspect.delete()
        changed = True
    return changed


def _write_decisions(suspect: Suspect, wanted: Mapping[str, tuple[str, date]]) -> bool:
    changed = False
    stored = {d.stage: d for d in suspect.decisions.all()} if suspect.pk else {}
    for stage in Decision.Stage.values:
        decision = stored.get(stage)
        if stage not in wanted:
            if decision is not None:
                decision.delete()
                changed = True
            continue
        kind, decided_on = wanted[stage]
        if decision is not None and (decision.kind, decision.decided_on) == (kind, decided_on):
            continue
        decision = decision or Decision(suspect=suspect)
        decision.kind, decision.decided_on = kind, decided_on
        decision.stage = Decision.STAGE_OF[Decision.Kind(kind)]
        decision.full_clean(exclude=["suspect"], validate_constraints=False)
        decision.save()
        changed = True
    return changed


def _write_victims(case: Case, stored: list[Victim], wanted: list[_Person]) -> bool:
    changed = False
    for index, data in enumerate(wanted):
        victim = stored[index] if index < len(stored) else Victim(case=case)
        values = {"person": data.person, "sex": data.sex, "age": data.age, "offence": data.offence}
        if victim.pk is not None and all(
            getattr(victim, name) == value for name, value in values.items()
        ):
            continue
        if victim.person_id != (data.person.pk if data.person else None):
            victim.referral = None
        for name, value in values.items():
            setattr(victim, name, value)
        victim.full_clean(exclude=["case"])
        victim.save()
        changed = True
    for victim in stored[len(wanted) :]:
        victim.delete()
        changed = True
    return changed


def prosecuted_on_update(case: Case) -> None:
    """Keep `prosecuted_on`: the first prosecution decision on one of the case's minor
    suspects (the day the statistics count the case as prosecuted)."""
    first = Decision.objects.filter(
        suspect__case=case, suspect__minor=True, kind=Decision.Kind.PROSECUTE
    ).aggregate(first=Min("decided_on"))["first"]
    if first != case.prosecuted_on:
        case.prosecuted_on = first
        Case.objects.filter(pk=case.pk).update(prosecuted_on=first)


def _repr(case: Case) -> str:
    return f"{_('criminal case')} {case.number}"


def case_save(*, actor: User, case: Case, checked: Checked) -> dict[str, Any]:
    """Store checked data as one case, inside the caller's transaction (the import's)."""
    require_perm(actor, "crimes.keep_case", case)
    created = case.pk is None
    changes = _write(actor, case, checked)
    if created:
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=case,
            target_repr=_repr(case),
            suspects=len(checked.suspects),
            victims=len(checked.victims),
        )
    elif changes:
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=case,
            target_repr=_repr(case),
            changes=changes,
        )
    return changes


def case_create(*, actor: User, data: CaseData) -> Case:
    """Register a case with its suspects (and their decisions) and victims."""
    case = Case()
    require_perm(actor, "crimes.keep_case", case)
    checked = case_check(data)
    with transaction.atomic(durable=True):
        case_save(actor=actor, case=case, checked=checked)
    return case


def case_update(*, actor: User, case: Case, data: CaseData) -> dict[str, Any]:
    """Change a case; its suspects and victims become those of `data`. Returns the changes."""
    require_perm(actor, "crimes.keep_case", case)
    checked = case_check(data, case=case)
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        return case_save(actor=actor, case=case, checked=checked)


def case_data(case: Case) -> dict[str, Any]:
    """A stored case as `CaseData` (what the edit form starts from)."""
    data: dict[str, Any] = {name: getattr(case, name) for name in (*CASE_FIELDS, *TEXT_FIELDS)}
    data["suspects"] = []
    for suspect in case.suspects.select_related("person").prefetch_related("decisions"):
        row: dict[str, Any] = {
            "person": suspect.person,
            "sex": suspect.sex,
            "age_at_offence": suspect.age_at_offence,
        }
        for decision in suspect.decisions.all():
            row[f"{decision.stage}_kind"] = decision.kind
            row[f"{decision.stage}_on"] = decision.decided_on
        data["suspects"].append(row)
    data["victims"] = [
        {"person": v.person, "sex": v.sex, "age": v.age, "offence": v.offence}
        for v in case.victims.select_related("person")
    ]
    return data


def decision_record(
    *, actor: User, suspect: Suspect, kind: str, decided_on: date | None
) -> Decision:
    """Record (or change) a suspect's arrest or prosecution decision: one per stage."""
    require_perm(actor, "crimes.keep_suspect", suspect)
    errors: Errors = {}
    if kind not in Decision.Kind.values:
        error(errors, "kind", _("Choose a decision from the list."))
        raise_if(errors)
    stage = Decision.STAGE_OF[Decision.Kind(kind)]
    raw = {f"{stage}_kind": kind, f"{stage}_on": decided_on}
    probe = _Person(person=suspect.person, sex=suspect.sex, age=suspect.age_at_offence)
    _check_decisions(errors, "", raw, probe, suspect.case.offence_date)
    names = {f"{stage}_kind": "kind", f"{stage}_on": "decided_on"}
    raise_if({names.get(key, key): messages for key, messages in errors.items()})
    with transaction.atomic(durable=True):
        decision = Decision.objects.filter(suspect=suspect, stage=stage).first()
        before = snapshot(decision, ("kind", "decided_on")) if decision else {}
        decision = decision or Decision(suspect=suspect)
        decision.kind, decision.decided_on, decision.stage = kind, probe.decisions[stage][1], stage
        decision.full_clean(validate_constraints=False)
        decision.save()
        prosecuted_on_update(suspect.case)
        record(
            AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
            actor=actor,
            target=suspect.case,
            target_repr=_repr(suspect.case),
            suspect=suspect.pk,
            changes=diff(decision, before, ("kind", "decided_on")) if before else {},
            decision=kind,
        )
    return decision


def case_view(*, actor: User, case: Case, via: str = "page") -> None:
    """Record that the actor opened a case (its suspects and victims are children)."""
    require_perm(actor, "crimes.view_case", case)
    record(AuditEvent.Action.VIEW, actor=actor, target=case, target_repr=_repr(case), via=via)
