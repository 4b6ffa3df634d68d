"""Law-education sessions: record, change and delete them; a held session taught by a legal
vice-principal writes (and keeps in step) its legalvp duty record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.education.models import MAX_SESSION_HOURS, Session, TeachingCase, Topic
from weibao.education.services._common import Errors, _add, _changes_with_m2m, _decimal
from weibao.kit.guards import raise_if, require_perm
from weibao.legalvp import services as legalvp_services
from weibao.legalvp.models import Appointment, DutyRecord
from weibao.schools.models import School

SESSION_FIELDS = (
    "school", "division", "date", "status", "audience", "grades", "attendance", "speaker_kind",
    "appointment", "speaker_name", "speaker_unit", "hours", "notice_sent", "receipts_returned",
    "notes", *Session.GROUP_FIELDS.values(),
)  # fmt: skip


def may_record_at(actor: User, school: School | None) -> bool:
    """Whether the actor may record a session at this school (None: outside schools)."""
    if not actor.has_perm("education.add_session"):
        return False
    if school is None or actor.has_perm("education.manage_terms"):
        return True
    return school.organisation_id == actor.organisation_id


def _apply_session(
    actor: User, session: Session, data: Mapping[str, Any], errors: Errors
) -> tuple[list[Topic] | None, list[TeachingCase] | None]:
    """Set the fields from `data` and check them; returns the topics and cases to set."""
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    session.grades = " ".join(str(session.grades or "").split())
    session.speaker_name = " ".join(str(session.speaker_name or "").split())
    session.notes = str(session.notes or "").strip()
    school: School | None = session.school
    if school is None and session.division is None:
        _add(
            errors,
            "school",
            _("Choose the school or, for a session outside schools, the village or community."),
        )
    elif school is not None and session.division is not None:
        _add(errors, "division", _("Choose a school or a village, not both."))
    elif school is not None:
        if not may_record_at(actor, school):
            _add(errors, "school", _("You may record sessions only at your own school."))
        elif school.closed_on is not None and session.date and session.date > school.closed_on:
            _add(
                errors,
                "date",
                _("The school closed on %(date)s.") % {"date": school.closed_on},
            )
    elif session.division is not None and session.division.level < Division.Level.TOWNSHIP:
        _add(errors, "division", _("Choose a township, village or community."))
    if session.date is None:
        _add(errors, "date", _("Give the date."))
    elif session.status == Session.Status.HELD and session.date > timezone.localdate():
        _add(errors, "date", _("A session that was held cannot be in the future."))
    if session.status not in Session.Status.values:
        _add(errors, "status", _("Choose planned, held or cancelled."))
    if session.audience not in Session.Audience.values:
        _add(errors, "audience", _("Choose the audience."))
    else:
        _count_groups(session, data, errors)
    hours = _decimal(session.hours)
    if hours is None or hours <= 0 or hours > MAX_SESSION_HOURS:
        _add(
            errors,
            "hours",
            _("Class hours must be more than 0 and at most %(max)s.") % {"max": MAX_SESSION_HOURS},
        )
    else:
        session.hours = hours
    _check_speaker(session, errors)
    _check_notice(session, errors)
    topics = list(data["topics"]) if "topics" in data else None
    if (topics is not None and not topics) or (session.pk is None and topics is None):
        _add(errors, "topics", _("Choose at least one topic."))
    cases = list(data["cases"]) if "cases" in data else None
    if cases and any(case.status != TeachingCase.Status.PUBLISHED for case in cases):
        _add(errors, "cases", _("Only published cases from the library can be used."))
    return topics, cases


def _count_groups(session: Session, data: Mapping[str, Any], errors: Errors) -> None:
    """Pupils, teachers and parents are counted apart; `attendance` is their sum. A total
    alone (an older import or API client) counts for the audience's group (pupils for a mixed
    one). A held session's audience follows who came: one group, or mixed."""
    groups = Session.GROUP_FIELDS
    field = "pupils_attending"  # where a missing count is reported
    if not any(name in data for name in groups.values()) and "attendance" in data:
        field = "attendance"
        total = data["attendance"]
        if total is None or int(total) < 0:
            _add(errors, field, _("Enter the number attending."))
            return
        audience = Session.Audience(session.audience)
        if audience not in groups and int(total):
            _add(
                errors, field, _("For a mixed audience, count pupils, teachers and parents apart.")
            )
            return
        for name in groups.values():
            setattr(session, name, 0)
        if audience in groups:
            setattr(session, groups[audience], int(total))
    counts = {}
    for audience, name in groups.items():
        value = getattr(session, name)
        if value is None or int(value) < 0:
            _add(errors, name, _("Enter a number of people, 0 or more."))
            return
        counts[audience] = int(value)
    session.attendance = sum(counts.values())
    if session.status != Session.Status.HELD:
        return
    came = [audience for audience, n in counts.items() if n]
    if not came:
        _add(errors, field, _("A session that was held had someone attending."))
    else:
        session.audience = came[0] if len(came) == 1 else Session.Audience.MIXED


def _check_speaker(session: Session, errors: Errors) -> None:
    if session.speaker_kind not in Session.SpeakerKind.values:
        _add(errors, "speaker_kind", _("Choose who the speaker is."))
        return
    appointment: Appointment | None = session.appointment
    if session.speaker_kind != Session.SpeakerKind.LEGAL_VP:
        session.appointment = None
        if not session.speaker_name:
            _add(errors, "speaker_name", _("Give the speaker's name."))
        return
    if appointment is None:
        _add(errors, "appointment", _("Choose the legal vice-principal."))
        return
    if session.school is None:
        _add(
            errors,
            "school",
            _("A legal vice-principal's session is held at one of the schools they serve."),
        )
        return
    if not appointment.school_links.filter(school_id=session.school.pk).exists():
        _add(
            errors,
            "appointment",
            _("%(name)s is not the legal vice-principal of %(school)s.")
            % {"name": appointment.person.name, "school": session.school.name},
        )
    session.speaker_name = appointment.person.name
    session.speaker_unit = appointment.sending_unit


def _check_notice(session: Session, errors: Errors) -> None:
    """The notice to parents (告家长书) and its receipts belong to sessions for parents."""
    receipts = session.receipts_returned
    if not session.for_parents:
        if session.notice_sent or receipts:
            _add(
                errors,
                "notice_sent",
                _("Only sessions for parents record the notice sent home."),
            )
        return
    if receipts is not None and int(receipts) < 0:
        _add(errors, "receipts_returned", _("Enter the number of receipts returned."))
    elif receipts and not session.notice_sent:
        _add(
            errors,
            "receipts_returned",
            _("Receipts can be counted only when the notice was sent home."),
        )


def _duty_data(session: Session) -> dict[str, Any]:
    return {
        "school": session.school,
        "kind": DutyRecord.Kind.LAW_EDUCATION,
        "date": session.date,
        "hours": session.hours,
        "notes": f"law-education session #{session.pk}",
    }


def _sync_duty(actor: User, session: Session) -> None:
    """Keep the legalvp duty record in step: one FD1 record for a held session by a legal
    vice-principal, none otherwise. Its errors (the date outside the term, say) are the
    session's: the caller's transaction rolls back."""
    wanted = session.status == Session.Status.HELD and session.appointment_id is not None
    duty = (
        DutyRecord.objects.filter(pk=session.duty_record_id).first()
        if session.duty_record_id
        else None
    )
    if duty is not None and (not wanted or duty.appointment_id != session.appointment_id):
        legalvp_services.session_duty_delete(actor=actor, duty=duty)
        duty = None
    if wanted and duty is None:
        assert session.appointment is not None
        duty = legalvp_services.session_duty_add(
            actor=actor, appointment=session.appointment, data=_duty_data(session)
        )
    elif wanted and duty is not None:
        legalvp_services.session_duty_update(actor=actor, duty=duty, data=_duty_data(session))
    if session.duty_record_id != (duty.pk if duty else None):
        session.duty_record = duty
        session.save(update_fields=["duty_record"])


def _session_repr(session: Session) -> str:
    return f"{session.date} {session.place_name}"


def session_create(
    *, actor: User, data: Mapping[str, Any], organiser: Organisation | None = None
) -> Session:
    """Record a planned or held session; a held one by a legal vice-principal adds its duty
    record (kind FD1) through the legalvp services."""
    require_perm(actor, "education.add_session")
    session = Session(organiser=organiser or actor.organisation, created_by=actor)
    errors: Errors = {}
    topics, cases = _apply_session(actor, session, data, errors)
    raise_if(errors)
    with transaction.atomic():
        session.full_clean(exclude=["topics", "cases"])
        session.save()
        session.topics.set(topics or [])
        if cases:
            session.cases.set(cases)
        _sync_duty(actor, session)
        changes = diff(session, {}, SESSION_FIELDS)
        _changes_with_m2m(changes, "topics", [], topics)
        _changes_with_m2m(changes, "cases", [], cases)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=session,
            target_repr=_session_repr(session),
            changes=changes,
            duty_record=session.duty_record_id,
        )
    return session


def session_update(*, actor: User, session: Session, data: Mapping[str, Any]) -> Session:
    """Change a session (record a planned one as held, say); its duty record follows."""
    require_perm(actor, "education.change_session", session)
    before = snapshot(session, SESSION_FIELDS)
    old_topics = list(session.topics.all())
    old_cases = list(session.cases.all())
    errors: Errors = {}
    topics, cases = _apply_session(actor, session, data, errors)
    try:
        raise_if(errors)
        with transaction.atomic(durable=True):
            session.full_clean(exclude=["topics", "cases"])
            session.save()
            if topics is not None:
                session.topics.set(topics)
            if cases is not None:
                session.cases.set(cases)
            _sync_duty(actor, session)
            changes = diff(session, before, SESSION_FIELDS)
            _changes_with_m2m(changes, "topics", old_topics, topics)
            _changes_with_m2m(changes, "cases", old_cases, cases)
            if changes:
                record(
                    AuditEvent.Action.UPDATE,
                    actor=actor,
                    target=session,
                    target_repr=_session_repr(session),
                    changes=changes,
                    duty_record=session.duty_record_id,
                )
    except ValidationError:
        session.refresh_from_db()
        raise
    return session


@transaction.atomic(durable=True)
def session_delete(*, actor: User, session: Session) -> None:
    """Delete a session and the duty record it wrote."""
    require_perm(actor, "education.change_session", session)
    duty = (
        DutyRecord.objects.filter(pk=session.duty_record_id).first()
        if session.duty_record_id
        else None
    )
    record(
        AuditEvent.Action.DELETE,
        actor=actor,
        target=session,
        target_repr=_session_repr(session),
        changes={name: [str(getattr(session, name)), None] for name in ("date", "status")},
        duty_record=session.duty_record_id,
    )
    session.delete()
    if duty is not None:
        legalvp_services.session_duty_delete(actor=actor, duty=duty)
