"""Every write in law education goes through here, with its checks and audit event.

Pages, the API, the Excel import and the demo call these functions. A held session taught by a
legal vice-principal writes (and keeps in step) the matching legalvp duty record through the
legalvp services, so its hours are entered once and counted where the four-hour rule counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.education import privacy
from weibao.education.models import (
    MAX_SESSION_HOURS,
    CoverageRule,
    Session,
    TeachingCase,
    Term,
    Topic,
)
from weibao.kit import spreadsheets
from weibao.kit.spreadsheets import Column, Report, RowError
from weibao.legalvp import services as legalvp_services
from weibao.legalvp.models import Appointment, DutyRecord
from weibao.schools.models import School

Errors = dict[str, list[str]]

TERM_FIELDS = ("name", "start", "end")
RULE_FIELDS = ("min_pupil_sessions", "min_parent_sessions", "kindergarten_parent_sessions")
TOPIC_FIELDS = ("name", "position", "is_active")
SESSION_FIELDS = (
    "school", "division", "date", "status", "audience", "grades", "attendance", "speaker_kind",
    "appointment", "speaker_name", "speaker_unit", "hours", "notice_sent", "receipts_returned",
    "notes",
)  # fmt: skip
CASE_FIELDS = ("title", "summary", "statute", "article", "age_group")
CASE_TEXT_FIELDS = ("title", "summary", "statute", "article")
MIN_PURPOSE_LENGTH = 4
MAX_ERRORS_KEPT = 5000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def _restore(instance: models.Model, before: Mapping[str, Any]) -> None:
    for name, value in before.items():
        setattr(instance, name, value)


def check_purpose(purpose: str) -> str:
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationError(
            {
                "purpose": [
                    _("State the purpose in at least %(n)d characters.") % {"n": MIN_PURPOSE_LENGTH}
                ]
            }
        )
    return purpose


# Terms and the coverage rule -----------------------------------------------------------------


def _apply_term(term: Term, data: Mapping[str, Any], errors: Errors) -> None:
    for name in TERM_FIELDS:
        if name in data:
            setattr(term, name, data[name])
    term.name = " ".join(str(term.name or "").split())
    if not term.name:
        _add(errors, "name", _("Give the term a name, e.g. 2026-2027学年第一学期."))
    if term.start is None:
        _add(errors, "start", _("Give the term's first day."))
    if term.end is None:
        _add(errors, "end", _("Give the term's last day."))
    elif term.start is not None and term.end < term.start:
        _add(errors, "end", _("The last day cannot be before the first day."))
    if term.start is not None and term.end is not None and term.end >= term.start:
        overlapping = Term.objects.filter(start__lte=term.end, end__gte=term.start)
        if term.pk:
            overlapping = overlapping.exclude(pk=term.pk)
        other = overlapping.first()
        if other is not None:
            _add(errors, "start", _("The term overlaps %(term)s.") % {"term": other.name})
    if term.name and Term.objects.filter(name=term.name).exclude(pk=term.pk).exists():
        _add(errors, "name", _("A term of this name exists."))


@transaction.atomic
def term_create(*, actor: User, data: Mapping[str, Any]) -> Term:
    """Add a term; its coverage rule is the county default until one is set."""
    _require(actor.has_perm("education.manage_terms"))
    term = Term()
    errors: Errors = {}
    _apply_term(term, data, errors)
    _raise_if(errors)
    term.full_clean()
    term.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=term,
        target_repr=term.name,
        changes=diff(term, {}, TERM_FIELDS),
    )
    return term


@transaction.atomic
def term_update(*, actor: User, term: Term, data: Mapping[str, Any]) -> Term:
    _require(actor.has_perm("education.manage_terms"))
    before = _snapshot(term, TERM_FIELDS)
    errors: Errors = {}
    _apply_term(term, data, errors)
    if errors:
        _restore(term, before)
        raise ValidationError(errors)
    term.full_clean()
    term.save()
    changes = diff(term, before, TERM_FIELDS)
    if changes:
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=term, target_repr=term.name,
            changes=changes,
        )  # fmt: skip
    return term


@transaction.atomic
def coverage_rule_set(*, actor: User, term: Term, data: Mapping[str, Any]) -> CoverageRule:
    """Set a term's coverage rule: a new row, so the rule's history stays."""
    _require(actor.has_perm("education.manage_terms"))
    current = term.rule
    before = _snapshot(current, RULE_FIELDS)
    rule = CoverageRule(term=term, set_by=actor, set_at=timezone.now())
    errors: Errors = {}
    for name in RULE_FIELDS:
        value = data.get(name, before[name])
        try:
            number = int(value)
        except (TypeError, ValueError):
            _add(errors, name, _("Enter a whole number."))
            continue
        if not 0 <= number <= 20:
            _add(errors, name, _("Enter a number from 0 to 20."))
        setattr(rule, name, number)
    _raise_if(errors)
    rule.full_clean()
    rule.save()
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=term,
        target_repr=term.name,
        changes=diff(rule, before, RULE_FIELDS),
        rule=rule.pk,
    )
    return rule


# Topics ----------------------------------------------------------------------------------------


def _apply_topic(topic: Topic, data: Mapping[str, Any], errors: Errors) -> None:
    for name in TOPIC_FIELDS:
        if name in data and not (name == "position" and data[name] is None):
            setattr(topic, name, data[name])
    topic.name = " ".join(str(topic.name or "").split())
    if not topic.name:
        _add(errors, "name", _("Give the topic a name."))
    elif Topic.objects.filter(name=topic.name).exclude(pk=topic.pk).exists():
        _add(errors, "name", _("This topic is already on the list."))


@transaction.atomic
def topic_create(*, actor: User, data: Mapping[str, Any]) -> Topic:
    _require(actor.has_perm("education.manage_topics"))
    topic = Topic()
    if data.get("position") is None:
        last = Topic.objects.aggregate(last=models.Max("position"))["last"] or 0
        topic.position = last + 1
    errors: Errors = {}
    _apply_topic(topic, data, errors)
    _raise_if(errors)
    topic.full_clean()
    topic.save()
    record(
        AuditEvent.Action.CREATE, actor=actor, target=topic, target_repr=topic.name,
        changes=diff(topic, {}, TOPIC_FIELDS),
    )  # fmt: skip
    return topic


@transaction.atomic
def topic_update(*, actor: User, topic: Topic, data: Mapping[str, Any]) -> Topic:
    """Rename, reorder or retire a topic (a retired topic stays on the records that use it)."""
    _require(actor.has_perm("education.manage_topics"))
    before = _snapshot(topic, TOPIC_FIELDS)
    errors: Errors = {}
    _apply_topic(topic, data, errors)
    if errors:
        _restore(topic, before)
        raise ValidationError(errors)
    topic.full_clean()
    topic.save()
    changes = diff(topic, before, TOPIC_FIELDS)
    if changes:
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=topic, target_repr=topic.name,
            changes=changes,
        )  # fmt: skip
    return topic


# Sessions --------------------------------------------------------------------------------------


def may_record_at(actor: User, school: School | None) -> bool:
    """Whether the actor may record a session at this school (None: outside schools)."""
    if not actor.has_perm("education.add_session"):
        return False
    if school is None or actor.has_perm("education.manage_terms"):
        return True
    return school.organisation_id == actor.organisation_id


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


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
    attendance = session.attendance
    if attendance is None or int(attendance) < 0:
        _add(errors, "attendance", _("Enter the number attending."))
    elif session.status == Session.Status.HELD and int(attendance) == 0:
        _add(errors, "attendance", _("A session that was held had someone attending."))
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
        legalvp_services.duty_record_delete(actor=actor, duty=duty)
        duty = None
    if wanted and duty is None:
        assert session.appointment is not None
        duty = legalvp_services.duty_record_add(
            actor=actor, appointment=session.appointment, data=_duty_data(session)
        )
    elif wanted and duty is not None:
        legalvp_services.duty_record_update(actor=actor, duty=duty, data=_duty_data(session))
    if session.duty_record_id != (duty.pk if duty else None):
        session.duty_record = duty
        session.save(update_fields=["duty_record"])


def _session_repr(session: Session) -> str:
    return f"{session.date} {session.place_name}"


def _changes_with_m2m(
    changes: dict[str, Any], name: str, before: Sequence[Any], after: Sequence[Any] | None
) -> None:
    if after is None:
        return
    old, new = "、".join(sorted(map(str, before))), "、".join(sorted(map(str, after)))
    if old != new:
        changes[name] = [old or None, new or None]


def session_create(
    *, actor: User, data: Mapping[str, Any], organiser: Organisation | None = None
) -> Session:
    """Record a planned or held session; a held one by a legal vice-principal adds its duty
    record (kind FD1) through the legalvp services."""
    _require(actor.has_perm("education.add_session"))
    session = Session(organiser=organiser or actor.organisation, created_by=actor)
    errors: Errors = {}
    topics, cases = _apply_session(actor, session, data, errors)
    _raise_if(errors)
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
    _require(actor.has_perm("education.change_session", session))
    before = _snapshot(session, SESSION_FIELDS)
    old_topics = list(session.topics.all())
    old_cases = list(session.cases.all())
    errors: Errors = {}
    topics, cases = _apply_session(actor, session, data, errors)
    try:
        _raise_if(errors)
        with transaction.atomic():
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


@transaction.atomic
def session_delete(*, actor: User, session: Session) -> None:
    """Delete a session and the duty record it wrote."""
    _require(actor.has_perm("education.change_session", session))
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
        legalvp_services.duty_record_delete(actor=actor, duty=duty)


# Cases -----------------------------------------------------------------------------------------


class PrivacyWarning(ValidationError):
    """The case's text may identify someone; save again with `confirmed` to accept."""

    def __init__(self, report: privacy.PrivacyReport) -> None:
        self.report = report
        super().__init__({"confirm": report.warning_messages})


def case_check(data: Mapping[str, Any]) -> privacy.PrivacyReport:
    """The privacy check of a case's texts (see weibao.education.privacy)."""
    texts = {name: str(data.get(name) or "") for name in CASE_TEXT_FIELDS}
    return privacy.check_texts(texts)


def _apply_case(
    case: TeachingCase, data: Mapping[str, Any], errors: Errors, *, confirmed: bool
) -> list[Topic] | None:
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, str(data[name] or "").strip())
    case.title = " ".join(case.title.split())
    for name, message in (
        ("title", _("Give the case a title.")),
        ("summary", _("Write the case.")),
        ("statute", _("Name the law the case teaches.")),
    ):
        if not getattr(case, name):
            _add(errors, name, message)
    if case.age_group not in TeachingCase.AgeGroup.values:
        _add(errors, "age_group", _("Choose the age group."))
    topics = list(data["topics"]) if "topics" in data else None
    if (topics is not None and not topics) or (case.pk is None and topics is None):
        _add(errors, "topics", _("Choose at least one topic."))
    report = case_check({name: getattr(case, name) for name in CASE_TEXT_FIELDS})
    for name, messages in report.errors.items():
        errors.setdefault(name, []).extend(messages)
    if not errors and report.warnings and not confirmed:
        raise PrivacyWarning(report)
    return topics


def case_propose(*, actor: User, data: Mapping[str, Any], confirmed: bool = False) -> TeachingCase:
    """Propose a teaching case for the library; a county coordinator publishes it.

    Refuses ID and phone numbers in the text; names from the people register and school names
    raise PrivacyWarning unless `confirmed`.
    """
    _require(actor.has_perm("education.propose_case"))
    case = TeachingCase(proposing_unit=actor.organisation, proposed_by=actor)
    errors: Errors = {}
    topics = _apply_case(case, data, errors, confirmed=confirmed)
    _raise_if(errors)
    with transaction.atomic():
        case.full_clean(exclude=["topics"])
        case.save()
        case.topics.set(topics or [])
        changes = diff(case, {}, ("title", "statute", "article", "age_group", "status"))
        _changes_with_m2m(changes, "topics", [], topics)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=case,
            target_repr=case.title,
            changes=changes,
            confirmed_warnings=bool(confirmed),
        )
    return case


def case_update(
    *, actor: User, case: TeachingCase, data: Mapping[str, Any], confirmed: bool = False
) -> TeachingCase:
    _require(actor.has_perm("education.change_case", case))
    before = _snapshot(case, CASE_FIELDS)
    old_topics = list(case.topics.all())
    errors: Errors = {}
    try:
        topics = _apply_case(case, data, errors, confirmed=confirmed)
        _raise_if(errors)
    except ValidationError:
        _restore(case, before)
        raise
    with transaction.atomic():
        case.full_clean(exclude=["topics"])
        case.save()
        if topics is not None:
            case.topics.set(topics)
        changes = diff(case, before, ("title", "statute", "article", "age_group", "summary"))
        if "summary" in changes:
            changes["summary"] = ["…", "…"]  # the text itself stays out of the log
        _changes_with_m2m(changes, "topics", old_topics, topics)
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=case,
                target_repr=case.title,
                changes=changes,
                confirmed_warnings=bool(confirmed),
            )
    return case


@transaction.atomic
def case_decide(*, actor: User, case: TeachingCase, publish: bool, note: str = "") -> TeachingCase:
    """A county coordinator publishes a case (it joins the library) or rejects it."""
    _require(actor.has_perm("education.approve_case", case))
    case = TeachingCase.objects.select_for_update().get(pk=case.pk)
    if case.status == TeachingCase.Status.PUBLISHED and publish:
        raise ValidationError({"status": [_("This case is already published.")]})
    note = " ".join((note or "").split())[:200]
    if not publish and not note:
        raise ValidationError({"note": [_("Say why the case is rejected.")]})
    before = {"status": case.status}
    case.status = TeachingCase.Status.PUBLISHED if publish else TeachingCase.Status.REJECTED
    case.approver = actor if publish else None
    case.decided_at = timezone.now()
    case.decision_note = note
    case.save(update_fields=["status", "approver", "decided_at", "decision_note", "updated_at"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=case,
        target_repr=case.title,
        changes=diff(case, before, ("status",)),
        note=note,
    )
    from weibao.core.services import notify

    notify(
        recipients=[case.proposed_by] if case.proposed_by is not None else [],
        title=_("Your teaching case was published")
        if publish
        else _("Your teaching case was not published"),
        link=case.get_absolute_url(),
        kind="education.case_decided",
    )
    return case


def case_search(cases: models.QuerySet[TeachingCase], words: str) -> models.QuerySet[TeachingCase]:
    """Cases whose title, summary, statute or article contain every word."""
    for word in (words or "").split()[:8]:
        cases = cases.filter(
            models.Q(title__icontains=word)
            | models.Q(summary__icontains=word)
            | models.Q(statute__icontains=word)
            | models.Q(article__icontains=word)
        )
    return cases


# The Excel import of a term's sessions ----------------------------------------------------------

COLUMNS = (
    Column("date", gettext_lazy("Date"), example="2026-09-15", width=12),
    Column("status", gettext_lazy("Status"), example="held", width=10),
    Column("audience", gettext_lazy("Audience"), example="pupils", width=12),
    Column("grades", gettext_lazy("Grades"), required=False, example="三年级、四年级", width=16),
    Column("attendance", gettext_lazy("Number attending"), required=False, example="120",
           width=10),
    Column("topics", gettext_lazy("Topics"), example="预防校园欺凌、防溺水", width=24),
    Column("speaker_kind", gettext_lazy("Speaker kind"), example="police officer", width=14),
    Column("speaker_name", gettext_lazy("Speaker's name"), example="吴军", width=12),
    Column("speaker_unit", gettext_lazy("Speaker's unit"), required=False, example="鳌溪派出所",
           width=20),
    Column("hours", gettext_lazy("Class hours"), required=False, example="1", width=8),
    Column("notice_sent", gettext_lazy("Notice to parents sent"), required=False, example="",
           width=10),
    Column("receipts_returned", gettext_lazy("Receipts returned"), required=False, example="",
           width=10),
    Column("notes", gettext_lazy("Notes"), required=False, width=30),
)  # fmt: skip
YES = {"1", "yes", "y", "true", "是", "已发", "已发放", "√"}
NO = {"", "0", "no", "n", "false", "否", "未发"}
TOPIC_SEPARATORS = "、，,;；/ "


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {value.lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found


@dataclass
class ImportReport(Report):
    created: int = 0


class _Importer:
    """Turns a row's texts into a session's data; the service checks the rest."""

    def __init__(self, term: Term, school: School) -> None:
        self.term, self.school = term, school
        self.statuses = _labels(Session.Status)
        self.audiences = _labels(Session.Audience)
        self.speakers = _labels(Session.SpeakerKind)
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.units = {u.name: u for u in Organisation.objects.all()}
        links = Appointment.objects.filter(school_links__school=school).select_related("person")
        self.vps: dict[str, list[Appointment]] = {}
        for appointment in links.order_by("-term_start"):
            self.vps.setdefault(appointment.person.name, []).append(appointment)

    def choice(self, table: dict[str, str], texts: dict[str, str], key: str, errors: Errors) -> str:
        text = texts.get(key, "").strip()
        value = table.get(text.lower())
        if value is None:
            options = sorted({label for label in table if label.isascii()} - set(table.values()))
            _add(
                errors,
                key,
                _("Unknown value “%(value)s”; use one of: %(options)s.")
                % {"value": text, "options": ", ".join(options) or ", ".join(table.values())},
            )
            return ""
        return value

    def check(self, texts: dict[str, str]) -> dict[str, Any]:
        errors: Errors = {}
        data: dict[str, Any] = {"school": self.school, "division": None}
        try:
            day = date.fromisoformat(texts.get("date", "").strip()[:10])
        except ValueError:
            _add(errors, "date", _("Enter the date as YYYY-MM-DD."))
        else:
            if not self.term.start <= day <= self.term.end:
                _add(
                    errors,
                    "date",
                    _("The date is outside %(term)s (%(start)s to %(end)s).")
                    % {"term": self.term.name, "start": self.term.start, "end": self.term.end},
                )
            data["date"] = day
        data["status"] = self.choice(self.statuses, texts, "status", errors)
        data["audience"] = self.choice(self.audiences, texts, "audience", errors)
        data["speaker_kind"] = self.choice(self.speakers, texts, "speaker_kind", errors)
        data["grades"] = texts.get("grades", "")
        data["notes"] = texts.get("notes", "")
        for key, default in (("attendance", 0), ("receipts_returned", None)):
            text = texts.get(key, "").replace(",", "").strip()
            try:
                data[key] = int(text) if text else default
            except ValueError:
                _add(errors, key, _("Enter a whole number."))
        hours = _decimal(texts.get("hours", "").strip() or "1")
        if hours is None:
            _add(errors, "hours", _("Enter a number such as 1 or 1.5."))
        data["hours"] = hours
        notice = texts.get("notice_sent", "").strip().lower()
        if notice not in YES | NO:
            _add(errors, "notice_sent", _("Write yes or no."))
        data["notice_sent"] = notice in YES
        names = [
            name
            for name in "".join(
                " " if ch in TOPIC_SEPARATORS else ch for ch in texts.get("topics", "")
            ).split()
        ]
        unknown = [name for name in names if name not in self.topics]
        if unknown or not names:
            _add(
                errors,
                "topics",
                _("Unknown topic “%(names)s”: use the county's topic names.")
                % {"names": "、".join(unknown)}
                if unknown
                else _("Give at least one topic."),
            )
        data["topics"] = [self.topics[name] for name in names if name in self.topics]
        name = " ".join(texts.get("speaker_name", "").split())
        data["speaker_name"] = name
        unit_name = texts.get("speaker_unit", "").strip()
        if unit_name and unit_name not in self.units:
            _add(
                errors,
                "speaker_unit",
                _("There is no unit named “%(name)s”.") % {"name": unit_name},
            )
        data["speaker_unit"] = self.units.get(unit_name)
        if data["speaker_kind"] == Session.SpeakerKind.LEGAL_VP:
            found = self.vps.get(name, [])
            if not found:
                _add(
                    errors,
                    "speaker_name",
                    _("%(name)s is not a legal vice-principal of %(school)s.")
                    % {"name": name, "school": self.school.name},
                )
            else:
                when: date | None = data.get("date")
                fitting = [
                    a for a in found if when and a.term_start <= when <= (a.ended_on or a.term_end)
                ]
                data["appointment"] = (fitting or found)[0]
        _raise_if(errors)
        return data


def sessions_template() -> bytes:
    """The import template, in the user's language, with one example row."""
    return spreadsheets.template_bytes(_("Sessions"), COLUMNS)


def sessions_import(*, actor: User, upload: IO[bytes], term: Term, school: School) -> ImportReport:
    """Import a school's sessions of a term from Excel. Every row is checked (by the session
    service too); if any row fails, nothing is written and every error is reported by row and
    column. Raises ValidationError when the file cannot be read at all."""
    _require(actor.has_perm("education.import_sessions") and may_record_at(actor, school))
    importer = _Importer(term, school)
    checked = spreadsheets.validate_rows(upload, COLUMNS, importer.check)
    report = ImportReport(good=checked.good, errors=checked.errors)
    # The rows that read well go through the service too, so its errors (a legal
    # vice-principal's term, a closed school) are reported with the others in one pass; when
    # anything failed, all of it is rolled back.
    headers = {column.key: str(column.header) for column in COLUMNS}
    headers.update(appointment=headers["speaker_name"], school=headers["date"], cases="")
    with transaction.atomic():
        for number, data in report.good:
            try:
                with transaction.atomic():
                    session_create(actor=actor, data=data)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    column = headers.get(key, "")
                    report.errors.extend(RowError(number, column, m) for m in messages)
            else:
                report.created += 1
        if report.errors:
            transaction.set_rollback(True)
            report.created = 0
            report.errors.sort(key=lambda error: error.row)
            del report.errors[MAX_ERRORS_KEPT:]
            return report
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=school,
            target_repr=_("Law-education sessions import"),
            operation="education_sessions_import",
            term=term.pk,
            created=report.created,
        )
    return report


# Waiting for you -------------------------------------------------------------------------------


def waiting_items(user: User) -> list[Any]:
    """Overdue planned sessions the user may record as held; cases awaiting approval."""
    from django.urls import reverse

    from weibao.core.contract import WaitingItem
    from weibao.education.policy import manages_education, works_with_data

    items: list[Any] = []
    if not works_with_data(user):
        return items
    if user.has_perm("education.add_session"):
        sessions = Session.objects.overdue()
        if not manages_education(user):
            sessions = sessions.filter(
                models.Q(organiser_id=user.organisation_id)
                | models.Q(school__organisation_id=user.organisation_id)
            )
        items.append(
            WaitingItem(
                _("Planned law-education sessions overdue"),
                sessions.count(),
                reverse("education:session_list") + "?status=overdue",
            )
        )
    if user.has_perm("education.approve_case"):
        items.append(
            WaitingItem(
                _("Teaching cases awaiting approval"),
                TeachingCase.objects.proposed().count(),
                reverse("education:case_list") + "?status=proposed",
            )
        )
    return items
