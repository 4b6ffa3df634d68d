"""Every write about legal vice-principals goes through here, with its checks and audit event.

Pages, the API and the demo call these functions, so the rules (two schools per person, the
term, serial numbers, hours per record, one evaluation a year) hold everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.kit import crypto
from weibao.kit.documents import OfficialDocument, chinese_date, render
from weibao.kit.guards import raise_if, require, require_perm
from weibao.kit.spreadsheets import workbook_bytes
from weibao.legalvp.models import (
    COVERED_SCHOOL_KINDS,
    MAX_HOURS_PER_RECORD,
    MAX_SCHOOLS_PER_PERSON,
    MIN_LAW_HOURS,
    Appointment,
    AppointmentSchool,
    DutyRecord,
    Evaluation,
    SerialCounter,
    default_term_end,
    law_education_hours_expression,
)
from weibao.legalvp.policy import manages_appointments
from weibao.lib import idnumber
from weibao.people import services as people_services
from weibao.people.models import Person
from weibao.schools.models import School

APPOINTMENT_FIELDS = (
    "sending_unit",
    "sending_kind",
    "position",
    "phone",
    "appointing_unit",
    "term_start",
    "term_end",
    "status",
    "ended_on",
    "appointee_user",
)
DUTY_FIELDS = ("school", "kind", "date", "hours", "notes")
MIN_PURPOSE_LENGTH = 4


def _repr(appointment: Appointment) -> str:
    return f"{appointment.person.masked_name} {appointment.serial_number}"


# The four-hour rule ----------------------------------------------------------------------------


def law_education_hours(appointment: Appointment, year: int) -> Decimal:
    """Law-education class hours of the appointment in `year` (the four-hour rule).

    Counted by `law_education_hours_expression`, the one definition the lists use too.
    """
    value = (
        Appointment.objects.filter(pk=appointment.pk)
        .annotate(law_hours=law_education_hours_expression(year))
        .values_list("law_hours", flat=True)
        .first()
    )
    return Decimal(value or 0)


# Appointments ----------------------------------------------------------------------------------


def _person_for(
    actor: User, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> Person | None:
    """The appointee: the given Person, the registered person with this ID number, or a new one."""
    person: Person | None = data.get("person")
    if person is not None:
        return person
    id_text = str(data.get("id_number") or "").strip()
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors.setdefault("name", []).append(_("Give the appointee's name."))
    if not id_text:
        errors.setdefault("id_number", []).append(_("Give the appointee's ID number."))
        return None
    try:
        parsed = idnumber.parse(id_text)
    except ValueError as exc:
        errors.setdefault("id_number", []).append(str(exc))
        return None
    if idnumber.age_on(parsed.birth_date, timezone.localdate()) < idnumber.ADULT_AGE:
        errors.setdefault("id_number", []).append(
            _("A legal vice-principal must be an adult; this ID number is a minor's.")
        )
        return None
    existing = Person.objects.by_id_hash(crypto.blind_index(parsed.number)).first()
    if existing is not None:
        return existing
    if errors:
        return None
    return people_services.person_create(
        actor=actor, data={"name": name, "id_number": parsed.number}
    )


def _check_schools(
    person: Person | None,
    schools: Sequence[School],
    errors: dict[str, list[str]],
    *,
    ignore: Appointment | None = None,
) -> None:
    """At least one school; one person serves at most two schools across active appointments."""
    if not schools:
        errors.setdefault("schools", []).append(_("Choose at least one school."))
        return
    closed = [s for s in schools if s.closed_on is not None]
    if closed:
        errors.setdefault("schools", []).append(
            _("%(school)s is closed.") % {"school": closed[0].name}
        )
    if person is None or person.pk is None:
        current: set[int] = set()
    else:
        others = Appointment.objects.active().filter(person=person)
        if ignore is not None:
            others = others.exclude(pk=ignore.pk)
        current = set(
            AppointmentSchool.objects.filter(appointment__in=others).values_list(
                "school_id", flat=True
            )
        )
    together = current | {s.pk for s in schools}
    if len(together) > MAX_SCHOOLS_PER_PERSON:
        errors.setdefault("schools", []).append(
            _(
                "One person may serve at most %(max)d schools; this person already serves "
                "%(count)d through active appointments."
            )
            % {"max": MAX_SCHOOLS_PER_PERSON, "count": len(current)}
        )


def _check_term(start: date | None, end: date | None, errors: dict[str, list[str]]) -> None:
    if start is None:
        errors.setdefault("term_start", []).append(_("Give the start of the term."))
    elif end is not None and end <= start:
        errors.setdefault("term_end", []).append(_("The term must end after it starts."))


def _next_serial(year: int) -> int:
    """The next serial number of `year`; the counter row is locked until the caller commits."""
    SerialCounter.objects.get_or_create(year=year)
    counter = SerialCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _sending_kind(unit: Organisation | None, given: str) -> str:
    if given:
        return given
    if unit is None:
        return ""
    return str(
        Appointment.KIND_OF_UNIT.get(Organisation.Kind(unit.kind), Appointment.SendingKind.OTHER)
    )


def _save_new_appointment(
    actor: User, appointment: Appointment, schools: Sequence[School]
) -> Appointment:
    """Number, validate and save a new appointment with its schools (inside a transaction)."""
    # Serialise appointments of one person so that two clerks cannot pass the school limit.
    Person.objects.select_for_update().filter(pk=appointment.person.pk).first()
    errors: dict[str, list[str]] = {}
    _check_schools(appointment.person, schools, errors)
    raise_if(errors)
    appointment.serial_year = appointment.issued_on.year
    appointment.serial_no = _next_serial(appointment.serial_year)
    appointment.created_by = actor
    appointment.full_clean()
    appointment.save()
    AppointmentSchool.objects.bulk_create(
        [AppointmentSchool(appointment=appointment, school=school) for school in schools]
    )
    return appointment


def appointment_create(*, actor: User, data: Mapping[str, Any]) -> Appointment:
    """Appoint a legal vice-principal: the person (found by ID number, or registered), the
    sending body, the schools (the person's active schools in all at most two), the term (three
    years by default) and a serial number of the year the letter is issued."""
    require_perm(actor, "legalvp.manage_appointments")
    errors: dict[str, list[str]] = {}
    sending_unit: Organisation | None = data.get("sending_unit")
    appointing_unit: Organisation | None = data.get("appointing_unit") or actor.organisation
    schools = list(data.get("schools") or [])
    start: date | None = data.get("term_start")
    end: date | None = data.get("term_end") or (default_term_end(start) if start else None)
    if sending_unit is None:
        errors.setdefault("sending_unit", []).append(_("Choose the sending body."))
    _check_term(start, end, errors)
    with transaction.atomic():
        person = _person_for(actor, data, errors)
        _check_schools(person, schools, errors)
        raise_if(errors)
        assert person is not None and start is not None and end is not None
        appointment = Appointment(
            person=person,
            appointee_user=data.get("appointee_user"),
            sending_unit=sending_unit,
            sending_kind=_sending_kind(sending_unit, str(data.get("sending_kind") or "")),
            position=str(data.get("position") or "").strip(),
            phone=_phone(data, errors),
            appointing_unit=appointing_unit,
            term_start=start,
            term_end=end,
            issued_on=data.get("issued_on") or timezone.localdate(),
        )
        raise_if(errors)
        _save_new_appointment(actor, appointment, schools)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=appointment,
            target_repr=_repr(appointment),
            changes={
                "person": [None, person.masked_name],
                "schools": [None, "、".join(s.name for s in schools)],
                "term_start": [None, str(start)],
                "term_end": [None, str(end)],
                "serial_number": [None, appointment.serial_number],
            },
        )
    return appointment


def _phone(data: Mapping[str, Any], errors: dict[str, list[str]]) -> str:
    try:
        return people_services.normalise_phone(str(data.get("phone") or ""))
    except ValueError as exc:
        errors.setdefault("phone", []).append(str(exc))
        return ""


def appointment_renew(
    *,
    actor: User,
    appointment: Appointment,
    term_start: date | None = None,
    term_end: date | None = None,
    schools: Sequence[School] | None = None,
    issued_on: date | None = None,
) -> Appointment:
    """Renew for a new term: the old appointment becomes "renewed", a new one follows it with
    its own serial number. By default the new term starts the day after the old one ends."""
    require_perm(actor, "legalvp.manage_appointments")
    if appointment.status != Appointment.Status.ACTIVE:
        raise ValidationError({"status": [_("Only an active appointment can be renewed.")]})
    start = term_start or (appointment.term_end + timedelta(days=1))
    end = term_end or default_term_end(start)
    chosen = list(schools) if schools is not None else list(appointment.schools.all())
    errors: dict[str, list[str]] = {}
    _check_term(start, end, errors)
    if start <= appointment.term_start:
        errors.setdefault("term_start", []).append(
            _("The new term must start after the current one started.")
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        old = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if old.status != Appointment.Status.ACTIVE:
            raise ValidationError({"status": [_("Only an active appointment can be renewed.")]})
        old.status = Appointment.Status.RENEWED
        old.ended_on = min(old.term_end, start - timedelta(days=1))
        old.save(update_fields=["status", "ended_on"])
        new = Appointment(
            person=old.person,
            appointee_user=old.appointee_user,
            sending_unit=old.sending_unit,
            sending_kind=old.sending_kind,
            position=old.position,
            phone=old.phone,
            appointing_unit=old.appointing_unit,
            term_start=start,
            term_end=end,
            renewed_from=old,
            issued_on=issued_on or timezone.localdate(),
        )
        _save_new_appointment(actor, new, chosen)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=old,
            target_repr=_repr(old),
            changes={"status": [Appointment.Status.ACTIVE, Appointment.Status.RENEWED]},
            renewed_as=new.pk,
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=new,
            target_repr=_repr(new),
            changes={
                "term_start": [None, str(start)],
                "term_end": [None, str(end)],
                "schools": [None, "、".join(s.name for s in chosen)],
                "serial_number": [None, new.serial_number],
            },
            renewal_of=old.pk,
        )
    appointment.refresh_from_db()
    return new


def appointment_end(
    *, actor: User, appointment: Appointment, ended_on: date | None = None, reason: str = ""
) -> Appointment:
    """End an appointment early (or record that its term ran out)."""
    require_perm(actor, "legalvp.manage_appointments")
    if appointment.status != Appointment.Status.ACTIVE:
        raise ValidationError({"status": [_("This appointment has already ended.")]})
    ended_on = ended_on or timezone.localdate()
    if ended_on < appointment.term_start:
        raise ValidationError({"ended_on": [_("The end cannot be before the term starts.")]})
    before = snapshot(appointment, APPOINTMENT_FIELDS)
    with transaction.atomic(durable=True):
        appointment.status = Appointment.Status.ENDED
        appointment.ended_on = ended_on
        appointment.save(update_fields=["status", "ended_on"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=appointment,
            target_repr=_repr(appointment),
            changes=diff(appointment, before, ("status", "ended_on")),
            reason=" ".join(reason.split())[:200],
        )
    return appointment


def appointments_end_expired(*, on: date | None = None) -> int:
    """Mark active appointments whose term is over as ended; safe to run again.

    Called by the scheduler only (tasks.legalvp_end_expired): there is no actor to check."""
    on = on or timezone.localdate()
    count = 0
    for appointment in Appointment.objects.filter(
        status=Appointment.Status.ACTIVE, term_end__lt=on
    ).select_related("person"):
        with transaction.atomic():
            appointment.status = Appointment.Status.ENDED
            appointment.ended_on = appointment.term_end
            appointment.save(update_fields=["status", "ended_on"])
            record(
                AuditEvent.Action.UPDATE,
                username="scheduler",
                target=appointment,
                target_repr=_repr(appointment),
                changes={"status": [Appointment.Status.ACTIVE, Appointment.Status.ENDED]},
                reason="term over",
            )
        count += 1
    return count


# Duty records ----------------------------------------------------------------------------------


def _apply_duty(record_: DutyRecord, data: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    appointment = record_.appointment
    for name in DUTY_FIELDS:
        if name in data:
            setattr(record_, name, data[name])
    record_.notes = (record_.notes or "").strip()
    if (
        record_.school_id is not None
        and not appointment.school_links.filter(school_id=record_.school_id).exists()
    ):
        errors.setdefault("school", []).append(_("Choose one of the schools of this appointment."))
    if record_.kind and record_.kind not in DutyRecord.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a duty from the list."))
    try:
        hours = Decimal(str(record_.hours)) if record_.hours not in (None, "") else None
    except InvalidOperation:
        hours = None
    if hours is None or hours <= 0 or hours > MAX_HOURS_PER_RECORD:
        errors.setdefault("hours", []).append(
            _("Hours must be more than 0 and at most %(max)s for one record.")
            % {"max": MAX_HOURS_PER_RECORD}
        )
    else:
        record_.hours = hours
    when: date | None = record_.date
    if when is not None:
        if when > timezone.localdate():
            errors.setdefault("date", []).append(_("The date cannot be in the future."))
        elif not appointment.term_start <= when <= (appointment.ended_on or appointment.term_end):
            errors.setdefault("date", []).append(
                _("The date must fall within the term (%(start)s to %(end)s).")
                % {
                    "start": appointment.term_start,
                    "end": appointment.ended_on or appointment.term_end,
                }
            )


def _duty_add(*, actor: User, appointment: Appointment, data: Mapping[str, Any]) -> DutyRecord:
    duty = DutyRecord(appointment=appointment, recorded_by=actor)
    errors: dict[str, list[str]] = {}
    _apply_duty(duty, data, errors)
    raise_if(errors)
    with transaction.atomic():
        duty.full_clean()
        duty.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=duty,
            target_repr=f"{_repr(appointment)} {duty}",
            changes={name: [None, str(getattr(duty, name))] for name in DUTY_FIELDS},
            appointment=appointment.pk,
        )
    return duty


def _duty_update(*, actor: User, duty: DutyRecord, data: Mapping[str, Any]) -> DutyRecord:
    before = snapshot(duty, DUTY_FIELDS)
    errors: dict[str, list[str]] = {}
    try:
        _apply_duty(duty, data, errors)
        raise_if(errors)
        with transaction.atomic():
            duty.full_clean()
            duty.save()
            changes = diff(duty, before, DUTY_FIELDS)
            if changes:
                record(
                    AuditEvent.Action.UPDATE,
                    actor=actor,
                    target=duty,
                    target_repr=f"{_repr(duty.appointment)} {duty}",
                    changes=changes,
                )
    except ValidationError:
        duty.refresh_from_db()
        raise
    return duty


def _duty_delete(*, actor: User, duty: DutyRecord) -> None:
    """Delete a duty record (nothing to validate: the audit event keeps what it said)."""
    with transaction.atomic():
        record(
            AuditEvent.Action.DELETE,
            actor=actor,
            target=duty,
            target_repr=f"{_repr(duty.appointment)} {duty}",
            changes={name: [str(getattr(duty, name)), None] for name in DUTY_FIELDS},
        )
        duty.delete()


def duty_record_add(
    *, actor: User, appointment: Appointment, data: Mapping[str, Any]
) -> DutyRecord:
    """Record a duty performed at one of the appointment's schools (the appointee, or the
    bureau)."""
    require_perm(actor, "legalvp.add_dutyrecord", appointment)
    return _duty_add(actor=actor, appointment=appointment, data=data)


def duty_record_update(*, actor: User, duty: DutyRecord, data: Mapping[str, Any]) -> DutyRecord:
    require_perm(actor, "legalvp.add_dutyrecord", duty.appointment)
    return _duty_update(actor=actor, duty=duty, data=data)


def duty_record_delete(*, actor: User, duty: DutyRecord) -> None:
    require_perm(actor, "legalvp.add_dutyrecord", duty.appointment)
    _duty_delete(actor=actor, duty=duty)


# The duty record a law-education session writes. The education session services call these
# inside their own transaction (so they are not durable); the actor is the one who records the
# session, who may not record duties in general but may record a session at their own school.


def session_duty_add(
    *, actor: User, appointment: Appointment, data: Mapping[str, Any]
) -> DutyRecord:
    """The FD1 record of a held session taught by the appointee at `data["school"]`."""
    require_perm(actor, "legalvp.add_session_duty", data.get("school"))
    return _duty_add(actor=actor, appointment=appointment, data=data)


def session_duty_update(*, actor: User, duty: DutyRecord, data: Mapping[str, Any]) -> DutyRecord:
    require_perm(actor, "legalvp.add_session_duty", duty.school)
    require_perm(actor, "legalvp.add_session_duty", data.get("school", duty.school))
    return _duty_update(actor=actor, duty=duty, data=data)


def session_duty_delete(*, actor: User, duty: DutyRecord) -> None:
    require_perm(actor, "legalvp.add_session_duty", duty.school)
    _duty_delete(actor=actor, duty=duty)


# Evaluations -----------------------------------------------------------------------------------


def evaluation_set(
    *,
    actor: User,
    appointment: Appointment,
    school: School,
    year: int,
    grade: str,
    comments: str = "",
) -> Evaluation:
    """The school's evaluation of the year: one per appointment, school and year; setting it
    again changes it."""
    require_perm(actor, "legalvp.evaluate", appointment)
    # A school evaluates for itself, not for the other school the appointee serves.
    require(manages_appointments(actor) or school.organisation_id == actor.organisation_id)
    errors: dict[str, list[str]] = {}
    if not appointment.school_links.filter(school=school).exists():
        errors["school"] = [_("Choose one of the schools of this appointment.")]
    if grade not in Evaluation.Grade.values:
        errors["grade"] = [_("Choose a grade from the list.")]
    if not appointment.term_start.year <= year <= appointment.term_end.year:
        errors["year"] = [
            _("The year must fall within the term (%(start)d to %(end)d).")
            % {"start": appointment.term_start.year, "end": appointment.term_end.year}
        ]
    elif year > timezone.localdate().year:
        errors["year"] = [_("A year that has not begun cannot be evaluated.")]
    raise_if(errors)
    comments = comments.strip()
    with transaction.atomic(durable=True):
        evaluation = (
            Evaluation.objects.select_for_update()
            .filter(appointment=appointment, school=school, year=year)
            .first()
        )
        before: dict[str, Any] = {}
        action = AuditEvent.Action.CREATE
        if evaluation is None:
            evaluation = Evaluation(appointment=appointment, school=school, year=year)
        else:
            before = {"grade": evaluation.grade, "comments": evaluation.comments}
            action = AuditEvent.Action.UPDATE
        evaluation.grade, evaluation.comments = grade, comments
        evaluation.evaluated_by, evaluation.updated_at = actor, timezone.now()
        evaluation.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                evaluation.save()
        except IntegrityError:
            raise ValidationError(
                {"year": [_("This year's evaluation was just recorded by someone else.")]}
            ) from None
        record(
            action,
            actor=actor,
            target=evaluation,
            target_repr=f"{_repr(appointment)} {school.name} {year}",
            changes=diff(evaluation, before, ("grade", "comments")),
        )
    return evaluation


# The letter of appointment ---------------------------------------------------------------------


def letter_paragraphs(appointment: Appointment) -> list[str]:
    """The letter's body in Chinese: the letter is a Chinese official document in any UI."""
    unit = appointment.sending_unit.name
    who = f"{unit}{appointment.position}" if appointment.position else unit
    schools = "、".join(s.name for s in appointment.schools.all())
    return [
        f"兹聘请{appointment.person.name}同志（{who}）为{schools}法治副校长，"
        f"聘期自{chinese_date(appointment.term_start)}至{chinese_date(appointment.term_end)}。",
    ]


def letter_document(appointment: Appointment) -> OfficialDocument:
    return OfficialDocument(
        title="法治副校长聘书",
        body=letter_paragraphs(appointment),
        issuer=appointment.appointing_unit.name,
        issued_on=appointment.issued_on,
        number=appointment.serial_number,
    )


def letter_docx(appointment: Appointment) -> bytes:
    """The letter of appointment (聘书) as a Word document after GB/T 9704."""
    return render(letter_document(appointment))


def letter_download(*, actor: User, appointment: Appointment, via: str = "page") -> bytes:
    """The letter, with the download recorded."""
    require_perm(actor, "legalvp.view_appointment", appointment)
    content = letter_docx(appointment)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=appointment,
        target_repr=_repr(appointment),
        document="letter",
        via=via,
    )
    return content


# Yearly summary per sending body ---------------------------------------------------------------


@dataclass
class SummaryRow:
    unit: Organisation
    appointments: int = 0
    schools: int = 0
    law_hours: Decimal = Decimal(0)
    duty_hours: Decimal = Decimal(0)
    below_minimum: int = 0
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def grade_counts(self) -> list[int]:
        """Evaluations by grade, in the order of Evaluation.Grade."""
        return [self.grades.get(grade, 0) for grade in Evaluation.Grade.values]


def yearly_summary(year: int) -> list[SummaryRow]:
    """Per sending body: appointments in force during `year`, schools they covered, law-education
    and all duty hours of the year, how many stayed below four hours, and the year's grades."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    appointments = (
        Appointment.objects.filter(term_start__lte=end, term_end__gte=start)
        .exclude(Q(ended_on__lt=start))
        .with_law_hours(year)
        .annotate(
            duty_hours=Sum("duties__hours", filter=Q(duties__date__year=year)),
        )
        .select_related("sending_unit")
    )
    rows: dict[int, SummaryRow] = {}
    schools: dict[int, set[int]] = {}
    for appointment in appointments:
        row = rows.setdefault(appointment.sending_unit_id, SummaryRow(appointment.sending_unit))
        law_hours: Decimal = appointment.law_hours  # type: ignore[attr-defined]
        row.appointments += 1
        row.law_hours += law_hours
        row.duty_hours += appointment.duty_hours or Decimal(0)
        if law_hours < MIN_LAW_HOURS:
            row.below_minimum += 1
    links = AppointmentSchool.objects.filter(
        appointment__term_start__lte=end, appointment__term_end__gte=start
    ).exclude(appointment__ended_on__lt=start)
    for unit_id, school_id in links.values_list("appointment__sending_unit_id", "school_id"):
        schools.setdefault(unit_id, set()).add(school_id)
    for unit_id, row in rows.items():
        row.schools = len(schools.get(unit_id, ()))
    grades = (
        Evaluation.objects.filter(year=year)
        .values("appointment__sending_unit_id", "grade")
        .annotate(n=Count("id"))
    )
    for item in grades:
        unit_row = rows.get(item["appointment__sending_unit_id"])
        if unit_row is not None:
            unit_row.grades[item["grade"]] = item["n"]
    return sorted(rows.values(), key=lambda r: (r.unit.kind, r.unit.name))


def summary_export(*, actor: User, year: int, purpose: str) -> bytes:
    """The yearly summary as Excel; the export and its purpose are recorded."""
    require_perm(actor, "legalvp.view_summary")
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {
                "purpose": [
                    _("State the purpose in at least %(n)d characters.") % {"n": MIN_PURPOSE_LENGTH}
                ]
            }
        )
    rows = yearly_summary(year)
    headers = [
        _("Sending body"),
        _("Appointments"),
        _("Schools covered"),
        _("Law-education hours"),
        _("All duty hours"),
        _("Below four hours"),
        *[str(label) for label in Evaluation.Grade.labels],
    ]
    content = workbook_bytes(
        _("Summary %(year)d") % {"year": year},
        headers,
        (
            [
                row.unit.name,
                row.appointments,
                row.schools,
                float(row.law_hours),
                float(row.duty_hours),
                row.below_minimum,
                *row.grade_counts,
            ]
            for row in rows
        ),
        (30, 10, 12, 14, 14, 12, 10, 10, 12, 10),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=f"legalvp summary {year}",
        purpose=purpose,
        year=year,
        rows=len(rows),
    )
    return content


def schools_without_appointment(on: date | None = None) -> QuerySet[School]:
    """Open schools of the covered kinds that no active appointment serves."""
    covered = AppointmentSchool.objects.filter(
        appointment__in=Appointment.objects.active(on)
    ).values("school_id")
    return (
        School.objects.open()
        .filter(kind__in=COVERED_SCHOOL_KINDS)
        .exclude(pk__in=covered)
        .select_related("organisation__division__parent")
    )
