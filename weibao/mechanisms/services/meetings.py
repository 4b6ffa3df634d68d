"""Meetings of the leading group (joint meetings, special meetings, case consultations): the
units asked and who came, the minutes, the files, the decisions (numbered 1, 2, ... per meeting)
and, for a case consultation, the cases and at-risk files it discussed. Every write takes
`actor=` and needs mechanisms.manage_meetings; the minutes as Word need the meeting's reading
permission."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.atrisk.models import AtRiskFile
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.casework.models import Case
from weibao.core.models import Attachment
from weibao.core.services import attachment_store, notify, unit_staff
from weibao.kit import documents
from weibao.kit.fielderrors import Errors, error, merge
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.mechanisms.models import Attendance, Decision, Meeting

MANAGE = "mechanisms.manage_meetings"
MEETING_FIELDS = ("kind", "title", "held_on", "place", "convener_id", "agenda")
MAX_TITLE = 200
MAX_TEXT = 20000
MAX_DECISION = 2000
MAX_NOTE = 200
MAX_UNITS = 200


def _clean_text(value: Any) -> str:
    return str(value or "").strip()


def _units(value: Any, errors: Errors) -> list[Organisation]:
    units: list[Organisation] = []
    seen: set[int] = set()
    for unit in value or ():
        if not isinstance(unit, Organisation) or unit.pk is None:
            error(errors, "units", _("Choose the units asked from the list."))
            return []
        if unit.pk not in seen:
            seen.add(unit.pk)
            units.append(unit)
    if not units:
        error(errors, "units", _("Choose at least one unit asked to the meeting."), "required")
    elif len(units) > MAX_UNITS:
        message = _("At most %(n)d units can be asked to one meeting.") % {"n": MAX_UNITS}
        error(errors, "units", message, "too_many")
    elif any(not unit.is_active for unit in units):
        error(errors, "units", _("A unit asked is no longer active."), "inactive")
    return units


def _apply(
    actor: User, meeting: Meeting, data: Mapping[str, Any], errors: Errors, *, creating: bool
) -> list[Organisation] | None:
    """Apply the meeting's fields from `data`; the units asked (None when not given)."""
    if "kind" in data or creating:
        kind = _clean_text(data.get("kind")) or Meeting.Kind.JOINT
        if kind not in Meeting.Kind.values:
            error(errors, "kind", _("Choose the kind of meeting."), "invalid_choice")
        elif (
            not creating
            and kind != Meeting.Kind.CONSULTATION
            and meeting.kind == Meeting.Kind.CONSULTATION
            and (meeting.cases.exists() or meeting.files.exists())
        ):
            message = _(
                "This consultation discussed cases or files: remove them before changing the kind."
            )
            error(errors, "kind", message, "has_cases")
        else:
            meeting.kind = kind
    if "title" in data or creating:
        title = " ".join(_clean_text(data.get("title")).split())
        if not title:
            error(errors, "title", _("Give the meeting's title."), "required")
        elif len(title) > MAX_TITLE:
            error(errors, "title", _("At most %(n)d characters.") % {"n": MAX_TITLE}, "max_length")
        meeting.title = title
    if "held_on" in data or creating:
        held_on = data.get("held_on")
        if not isinstance(held_on, date):
            error(errors, "held_on", _("Give the date of the meeting, such as 2026-09-15."))
        else:
            meeting.held_on = held_on
    if "place" in data:
        meeting.place = _clean_text(data.get("place"))
    if "agenda" in data:
        agenda = _clean_text(data.get("agenda"))
        if len(agenda) > MAX_TEXT:
            error(errors, "agenda", _("At most %(n)d characters.") % {"n": MAX_TEXT}, "max_length")
        meeting.agenda = agenda
    if "convener" in data or creating:
        convener = data.get("convener") or (actor.organisation if creating else None)
        if convener is None and creating:
            error(errors, "convener", _("Choose the convening unit."), "required")
        elif convener is not None:
            if not isinstance(convener, Organisation) or not convener.is_active:
                error(errors, "convener", _("Choose an active unit as the convener."))
            else:
                meeting.convener = convener
    if "units" in data or creating:
        return _units(data.get("units"), errors)
    return None


def _check(meeting: Meeting, errors: Errors) -> None:
    try:
        meeting.full_clean(
            exclude=["cases", "files", "created_by", "minutes"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        merge(errors, exc)
    raise_if(errors)


def _tell_asked(meeting: Meeting, unit_ids: Iterable[int]) -> None:
    notify(
        recipients=unit_staff(unit_ids),
        title=Message(
            gettext_noop("Your unit is asked to the meeting %(title)s on %(date)s"),
            {"title": meeting.title, "date": meeting.held_on.isoformat()},
        ),
        link=meeting.get_absolute_url(),
        kind="mechanisms_meeting",
    )


def meeting_create(*, actor: User, data: Mapping[str, Any]) -> Meeting:
    """Record a meeting: kind, title, held_on, place, convener (default: the actor's unit),
    agenda and the units asked (`units`, a list of Organisation), each given an Attendance
    (present until the attendance says otherwise). The units asked are told."""
    require_perm(actor, MANAGE)
    errors: Errors = {}
    meeting = Meeting(created_by=actor)
    units = _apply(actor, meeting, data, errors, creating=True) or []
    _check(meeting, errors)
    with transaction.atomic(durable=True):
        meeting.save()
        Attendance.objects.bulk_create([Attendance(meeting=meeting, unit=unit) for unit in units])
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=meeting,
            target_repr=str(meeting),
            operation="meeting_create",
            units=len(units),
        )
        _tell_asked(meeting, [unit.pk for unit in units])
    return meeting


def meeting_update(*, actor: User, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Change a meeting's fields and, when `units` is given, the units asked: a unit added gets
    an Attendance (and is told), a unit left out loses its own."""
    require_perm(actor, MANAGE, meeting)
    errors: Errors = {}
    before = snapshot(meeting, MEETING_FIELDS)
    units = _apply(actor, meeting, data, errors, creating=False)
    _check(meeting, errors)
    with transaction.atomic(durable=True):
        meeting.save()
        changes = diff(meeting, before, MEETING_FIELDS)
        added: list[int] = []
        if units is not None:
            wanted = {unit.pk for unit in units}
            had = set(meeting.attendances.values_list("unit_id", flat=True))
            added = sorted(wanted - had)
            removed = sorted(had - wanted)
            if removed:
                meeting.attendances.filter(unit_id__in=removed).delete()
            Attendance.objects.bulk_create(
                [Attendance(meeting=meeting, unit_id=pk) for pk in added]
            )
            if added or removed:
                changes["units"] = [",".join(map(str, sorted(had))), ",".join(map(str, wanted))]
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=meeting,
                target_repr=str(meeting),
                operation="meeting_update",
                changes=changes,
            )
        if added:
            _tell_asked(meeting, added)
    return meeting


def attendance_set(
    *, actor: User, meeting: Meeting, rows: Sequence[Mapping[str, Any]]
) -> list[Attendance]:
    """Who came, per unit asked: each row names its `unit` and gives `person` (a User of that
    unit, or None), `present` and `note`. A row for a unit not asked, or a person of another
    unit, is refused; errors are keyed `person_<unit id>` / `note_<unit id>` / `unit`."""
    require_perm(actor, MANAGE, meeting)
    errors: Errors = {}
    by_unit = {a.unit_id: a for a in meeting.attendances.select_related("unit")}
    changed: list[Attendance] = []
    for row in rows:
        unit = row.get("unit")
        unit_id = getattr(unit, "pk", unit)
        attendance = by_unit.get(unit_id) if isinstance(unit_id, int) else None
        if attendance is None:
            error(errors, "unit", _("This unit was not asked to the meeting."), "not_asked")
            continue
        person = row.get("person")
        if person is not None and (
            not isinstance(person, User) or person.organisation_id != attendance.unit_id
        ):
            message = _("Choose a person of %(unit)s.") % {"unit": attendance.unit.name}
            error(errors, f"person_{unit_id}", message, "other_unit")
            continue
        note = _clean_text(row.get("note"))
        if len(note) > MAX_NOTE:
            message = _("At most %(n)d characters.") % {"n": MAX_NOTE}
            error(errors, f"note_{unit_id}", message, "max_length")
            continue
        attendance.person = person
        attendance.present = bool(row.get("present"))
        attendance.note = note
        changed.append(attendance)
    raise_if(errors)
    with transaction.atomic(durable=True):
        Attendance.objects.bulk_update(changed, ["person", "present", "note"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=meeting,
            target_repr=str(meeting),
            operation="attendance_set",
            present=sum(1 for a in by_unit.values() if a.present),
            absent=sum(1 for a in by_unit.values() if not a.present),
        )
    return list(by_unit.values())


def minutes_record(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Write (or correct) the meeting's minutes."""
    require_perm(actor, MANAGE, meeting)
    text = _clean_text(minutes)
    errors: Errors = {}
    if not text:
        error(errors, "minutes", _("Write the minutes."), "required")
    elif len(text) > MAX_TEXT:
        error(errors, "minutes", _("At most %(n)d characters.") % {"n": MAX_TEXT}, "max_length")
    raise_if(errors)
    with transaction.atomic(durable=True):
        first = not meeting.minutes
        meeting.minutes = text
        meeting.save(update_fields=["minutes"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=meeting,
            target_repr=str(meeting),
            operation="minutes_record",
            first=first,
            length=len(text),
        )
    return meeting


def _decision_text(text: Any) -> str:
    value = _clean_text(text)
    errors: Errors = {}
    if len(value) < 2:
        error(errors, "text", _("Say what was decided."), "required")
    elif len(value) > MAX_DECISION:
        error(errors, "text", _("At most %(n)d characters.") % {"n": MAX_DECISION}, "max_length")
    raise_if(errors)
    return value


def decision_add(*, actor: User, meeting: Meeting, text: str) -> Decision:
    """Add a decision to the meeting, numbered after the last one (1, 2, ...)."""
    require_perm(actor, MANAGE, meeting)
    value = _decision_text(text)
    with transaction.atomic(durable=True):
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one number at a time
        last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
        decision = Decision(meeting=meeting, number=last + 1, text=value)
        decision.full_clean(exclude=["meeting"], validate_constraints=False)
        decision.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=decision,
            target_repr=str(decision),
            operation="decision_add",
            meeting=meeting.pk,
            number=decision.number,
        )
    return decision


def decision_update(*, actor: User, decision: Decision, text: str) -> Decision:
    """Correct a decision's text (its number stays)."""
    require_perm(actor, MANAGE, decision.meeting)
    value = _decision_text(text)
    with transaction.atomic(durable=True):
        before = snapshot(decision, ["text"])
        decision.text = value
        decision.save(update_fields=["text"])
        changes = diff(decision, before, ["text"])
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=decision,
                target_repr=str(decision),
                operation="decision_update",
                changes=changes,
            )
    return decision


def decision_remove(*, actor: User, decision: Decision) -> None:
    """Remove a decision no task refers to; the later ones move up a number."""
    meeting = decision.meeting
    require_perm(actor, MANAGE, meeting)
    with transaction.atomic(durable=True):
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if decision.tasks.exists():
            raise ValidationError(
                {
                    "decision": _(
                        "Tasks were set from this decision: it cannot be removed. "
                        "Correct its text instead."
                    )
                }
            )
        number, pk = decision.number, decision.pk
        repr_ = str(decision)
        decision.delete()
        for later in meeting.decisions.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        record(
            AuditEvent.Action.DELETE,
            actor=actor,
            target=meeting,
            target_repr=repr_,
            operation="decision_remove",
            decision=pk,
            number=number,
        )


def meeting_cases_set(
    *,
    actor: User,
    meeting: Meeting,
    cases: Iterable[Case],
    files: Iterable[AtRiskFile],
) -> Meeting:
    """The cases (mandatory reports) and at-risk files a case consultation discussed. The actor
    may link only those they can see; links the actor cannot see (set by someone who could)
    stay as they are."""
    require_perm(actor, MANAGE, meeting)
    errors: Errors = {}
    if meeting.kind != Meeting.Kind.CONSULTATION:
        message = _("Only a case consultation discusses cases and at-risk files.")
        error(errors, "cases", message, "not_consultation")
        raise_if(errors)
    case_ids = {case.pk for case in cases}
    file_ids = {file.pk for file in files}
    seen_cases = set(
        Case.objects.for_user(actor).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    seen_files = set(
        AtRiskFile.objects.for_user(actor).filter(pk__in=file_ids).values_list("pk", flat=True)
    )
    if case_ids - seen_cases:
        error(errors, "cases", _("You may link only cases you can see."), "not_visible")
    if file_ids - seen_files:
        error(errors, "files", _("You may link only at-risk files you can see."), "not_visible")
    raise_if(errors)
    with transaction.atomic(durable=True):
        visible_cases = Case.objects.for_user(actor).values("pk")
        visible_files = AtRiskFile.objects.for_user(actor).values("pk")
        before_cases = set(meeting.cases.values_list("pk", flat=True))
        before_files = set(meeting.files.values_list("pk", flat=True))
        kept_cases = set(meeting.cases.exclude(pk__in=visible_cases).values_list("pk", flat=True))
        kept_files = set(meeting.files.exclude(pk__in=visible_files).values_list("pk", flat=True))
        meeting.cases.set(sorted(kept_cases | case_ids))
        meeting.files.set(sorted(kept_files | file_ids))
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=meeting,
            target_repr=str(meeting),
            operation="meeting_cases_set",
            cases_added=len(case_ids - before_cases),
            cases_removed=len(before_cases - kept_cases - case_ids),
            files_added=len(file_ids - before_files),
            files_removed=len(before_files - kept_files - file_ids),
        )
    return meeting


def meeting_attach(*, actor: User, meeting: Meeting, upload: UploadedFile) -> Attachment:
    """Attach a file (sign-in sheet, slides, a signed record) to the meeting; it is as visible
    as the meeting (core's download rule reads Meeting.objects.for_user)."""
    require_perm(actor, MANAGE, meeting)
    with transaction.atomic(durable=True):
        return attachment_store(actor=actor, upload=upload, owner=meeting)


# The minutes as Word (会议纪要) -------------------------------------------------------------------


def minutes_document(*, actor: User, meeting: Meeting) -> bytes:
    """The meeting's minutes (会议纪要) as Word after GB/T 9704: time and place, who came and
    who did not, the agenda, the minutes and the decisions. Cases are not named in it."""
    require_perm(actor, "mechanisms.view_meeting", meeting)
    attendances = list(meeting.attendances.select_related("unit", "person"))
    separator = "、"
    present = [a.unit.name for a in attendances if a.present]
    absent = [
        f"{a.unit.name}（{a.note}）" if a.note else a.unit.name
        for a in attendances
        if not a.present
    ]
    body: list[str] = [
        _("I. Time and place"),
        _("%(date)s, %(place)s; convened by %(convener)s.")
        % {
            "date": documents.chinese_date(meeting.held_on),
            "place": meeting.place or "—",
            "convener": meeting.convener.name,
        },
        _("II. Attendance"),
        _("Present: %(units)s.") % {"units": separator.join(present) or "—"},
    ]
    if absent:
        body.append(_("Absent: %(units)s.") % {"units": separator.join(absent)})
    if meeting.agenda:
        body += [_("III. Agenda"), *meeting.agenda.splitlines()]
    if meeting.minutes:
        body += [_("IV. Record of the meeting"), *meeting.minutes.splitlines()]
    decisions = list(meeting.decisions.order_by("number"))
    if decisions:
        body.append(_("V. Decisions"))
        body += [f"{d.number}. {d.text}" for d in decisions]
    content = documents.render(
        documents.OfficialDocument(
            title=_("Minutes: %(title)s") % {"title": meeting.title},
            body=[line for line in body if line.strip()],
            issuer=meeting.convener.name,
            issued_on=meeting.held_on,
        )
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=meeting,
        target_repr=str(meeting),
        operation="minutes_document",
        at=timezone.now().isoformat(),
    )
    return content
