"""Every write to the people register goes through here, with its validation and audit event.

Pages, the API, imports and background jobs all call these functions, so the rules below (ID
number checks, duplicates, a school's reach, masked audit details) hold everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import in_school, works_with_data
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core import ratelimit
from weibao.kit import crypto, spreadsheets
from weibao.kit.guards import raise_if, require, require_perm
from weibao.kit.querysets import in_chunks
from weibao.lib import idnumber
from weibao.lib._text import to_halfwidth
from weibao.lib.masking import mask_id, mask_name
from weibao.lib.phone import normalise_mobile
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Guardianship, LeftBehindStatus, Person, PersonQuerySet

if TYPE_CHECKING:
    from weibao.core.models import Attachment, Job

# The fields a form or the API may set; `id_number` is set through `Person.set_id_number`.
PERSON_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "phone",
    "address",
    "division",
    "hukou_division",
    "school",
    "grade",
    "class_name",
)
AUDITED_FIELDS = ("id_number", *PERSON_FIELDS)
LEFT_BEHIND_FIELDS = (
    "parents_away",
    "parents_workplace",
    "entrusted_carer",
    "carer_disqualified",
    "written_notice_date",
    "last_contact_date",
    "is_active",
)
REVEALABLE_FIELDS = ("id_number", "phone", "address")
MIN_REASON_LENGTH = 4
EXPORT_JOB_KIND = "people_export"

# Area code (3-4 digits, starting 0), number (7-8 digits), optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


class DuplicatePerson(ValidationError):
    """The ID number is already registered.

    `existing` is that person when the actor may see them (the page links to it). Else None, and
    the message says only that the person exists, the kind of unit that registered them, and to
    ask the county coordinator: naming the unit would tell anyone with a child's ID number which
    school the child attends.
    """

    def __init__(self, message: str, *, existing: Person | None) -> None:
        super().__init__({"id_number": [ValidationError(message, code="duplicate")]})
        self.existing = existing


# Helpers -----------------------------------------------------------------------------------


def normalise_phone(text: str) -> str:
    """A mobile number as its 11 digits, or a landline as typed (area code required).

    Raises ValueError with a message for the phone field.
    """
    s = "".join(to_halfwidth(text or "").split())
    if not s:
        return ""
    digits = s.replace("-", "")
    if digits.startswith(("1", "+86", "0086")) or (len(digits) == 13 and digits.startswith("86")):
        return normalise_mobile(s)
    if LANDLINE_RE.match(s):
        return s
    raise ValueError(
        _(
            "Enter a mobile number (11 digits) or a landline with its area code, "
            "such as 0794-1234567"
        )
    )


def _clean_reason(text: str, field: str) -> str:
    reason = " ".join((text or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("State the reason in at least %(n)d characters.")
                        % {"n": MIN_REASON_LENGTH},
                        code="required",
                    )
                ]
            }
        )
    return reason


def _age_on_today(birth: date | None) -> int | None:
    return idnumber.age_or_none(birth, timezone.localdate())


def _apply_person_data(
    actor: User, person: Person, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    """Copy `data` onto `person`, checking what the model cannot: ID number, phone, school."""
    existing_id = person.id_number if person.id_number_encrypted else ""
    parsed: idnumber.IdNumber | None = None
    id_text = str(data.get("id_number") or "").strip()
    if id_text:
        try:
            parsed = idnumber.parse(id_text)
        except ValueError as exc:
            errors.setdefault("id_number", []).append(str(exc))
    elif existing_id:
        try:
            parsed = idnumber.parse(existing_id)
        except ValueError as exc:  # a bad stored number (a future birth date): ask for it again
            errors.setdefault("id_number", []).append(
                _("The stored ID number is not valid (%(problem)s); enter the right one.")
                % {"problem": exc}
            )

    for name in PERSON_FIELDS:
        if name in data and name not in ("birth_date", "sex", "phone", "school"):
            value = data[name]
            setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.name = " ".join((person.name or "").split())

    # Birth date and sex are written in the ID number; a different value is a typing mistake.
    for name, from_id in (
        ("birth_date", parsed.birth_date if parsed else None),
        ("sex", parsed.sex if parsed else None),
    ):
        given = data.get(name) or None
        if name == "birth_date" and given is not None:
            try:
                idnumber.check_birth_date(given, today=timezone.localdate())
            except ValueError as exc:
                errors.setdefault(name, []).append(str(exc))
                continue
        if from_id is None:
            if name in data:
                setattr(person, name, given)
        elif given is not None and given != from_id:
            shown = from_id if name == "birth_date" else Person.Sex(str(from_id)).label
            errors.setdefault(name, []).append(
                _("This does not match the ID number, which gives %(value)s.") % {"value": shown}
            )
        else:
            setattr(person, name, from_id)
        if getattr(person, name) in (None, "") and "id_number" not in errors:
            errors.setdefault(name, []).append(_("Give this, or an ID number that contains it."))
    if parsed and id_text and parsed.number != existing_id:
        person.set_id_number(parsed.number)

    if "phone" in data:
        try:
            person.phone = normalise_phone(str(data["phone"] or ""))
        except ValueError as exc:
            errors.setdefault("phone", []).append(str(exc))

    _apply_school(actor, person, data, errors)


def _apply_school(
    actor: User, person: Person, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    """A school user registers only their own school's pupils; other units may name any school."""
    current_id = person.school_id
    if "school" in data:
        school: Organisation | None = data["school"]
        person.school = school
    if not in_school(actor):
        return
    own = actor.organisation
    if person.school_id is None and person.pk is None:
        age = _age_on_today(person.birth_date)
        if age is not None and age < idnumber.ADULT_AGE:
            person.school = own  # a minor registered by a school is its pupil
    elif person.school_id not in (None, own.pk, current_id):
        errors.setdefault("school", []).append(
            _("You may register only pupils of your own school, %(school)s.") % {"school": own}
        )


def _check_duplicate(actor: User, person: Person) -> None:
    """Raise DuplicatePerson if another record has this ID number; audit the look-up."""
    if not person.id_number_hash:
        return
    # Once a user's duplicate hits fill the window, every number is refused, on record or not:
    # the refusal must not itself say that a child is registered.
    ratelimit.check("duplicate", ratelimit.user_subject(actor), alert=actor)
    existing = (
        Person.objects.by_id_hash(person.id_number_hash)
        .exclude(pk=person.pk)
        .select_related("registered_by")
        .first()
    )
    if existing is None:
        return
    ratelimit.count("duplicate", ratelimit.user_subject(actor))
    visible = Person.objects.for_user(actor).filter(pk=existing.pk).exists()
    # Telling someone that a child is on record at all is itself a disclosure: log it.
    record(
        AuditEvent.Action.SEARCH,
        actor=actor,
        target=existing,
        target_repr=existing.masked_name,
        id_number=person.id_number,
        result="duplicate_visible" if visible else "duplicate_hidden",
    )
    if visible:
        message = _("A person with this ID number is already registered: %(person)s.") % {
            "person": existing.masked_name
        }
    else:
        message = _(
            "A person with this ID number is already registered, by a unit of the kind "
            "“%(kind)s” outside your reach. Ask the county coordinator to check the record."
        ) % {"kind": existing.registered_by.get_kind_display()}
    raise DuplicatePerson(message, existing=existing if visible else None)


def _save_person(person: Person) -> None:
    person.name_pinyin, person.name_initials = name_pinyin(person.name)
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two clerks registering the same child at once: the unique index decides.
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already registered.")]}
        ) from None


# People ------------------------------------------------------------------------------------


def person_create(*, actor: User, data: Mapping[str, Any]) -> Person:
    """Register a person. Birth date and sex come from the ID number when one is given.

    Not durable: other services (legalvp's appointments) register a person inside their own
    transaction.
    """
    require_perm(actor, "people.add_person")
    person = Person(registered_by=actor.organisation)
    errors: dict[str, list[str]] = {}
    _apply_person_data(actor, person, data, errors)
    raise_if(errors)
    _check_duplicate(actor, person)
    with transaction.atomic():
        _save_person(person)
        changes = {
            name: [None, str(value)]
            for name, value in snapshot(person, AUDITED_FIELDS).items()
            if value not in (None, "")
        }
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=person,
            target_repr=person.masked_name,
            changes=changes,
        )
    return person


def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    """Change the fields present in `data`; an empty `id_number` keeps the current one."""
    require_perm(actor, "people.change_person", person)
    before = snapshot(person, AUDITED_FIELDS)
    errors: dict[str, list[str]] = {}
    try:
        _apply_person_data(actor, person, data, errors)
        raise_if(errors)
        _check_duplicate(actor, person)
        with transaction.atomic(durable=True):
            _save_person(person)
            changes = diff(person, before, AUDITED_FIELDS)
            if changes:
                record(
                    AuditEvent.Action.UPDATE,
                    actor=actor,
                    target=person,
                    target_repr=person.masked_name,
                    changes=changes,
                )
    except ValidationError:
        person.refresh_from_db()  # the caller's object must not keep the refused values
        raise
    return person


def person_view(*, actor: User, person: Person, via: str = "page") -> None:
    """Record that the actor opened the person's record (every time: the law asks who looked)."""
    require_perm(actor, "people.view_person", person)
    record(
        AuditEvent.Action.VIEW, actor=actor, target=person, target_repr=person.masked_name, via=via
    )


def person_reveal(*, actor: User, person: Person, field: str, reason: str) -> str:
    """Return the full ID number or phone, once, after recording who asked and why."""
    require_perm(actor, "people.reveal_person", person)
    return _reveal(actor=actor, person=person, field=field, reason=reason)


def person_reveal_of_record(
    *, actor: User, record_obj: models.Model, person: Person, field: str, reason: str
) -> str:
    """The same audited reveal of the person a record is about, for an app whose users reach
    the record without reaching the person's own entry (atrisk: a file's worker, a referral's
    unit). The caller has checked its own reveal permission on `record_obj`; the event names it.
    """
    require(works_with_data(actor))
    via = f"{record_obj._meta.label_lower}:{record_obj.pk}"
    return _reveal(actor=actor, person=person, field=field, reason=reason, via=via)


def _reveal(*, actor: User, person: Person, field: str, reason: str, via: str = "") -> str:
    if field not in REVEALABLE_FIELDS:
        raise ValidationError(
            {"field": [_("Only the ID number, the phone or the address can be revealed.")]}
        )
    reason = _clean_reason(reason, "reason")
    ratelimit.hit("reveal", ratelimit.user_subject(actor), alert=actor)
    value = {"id_number": person.id_number, "phone": person.phone, "address": person.address}[field]
    detail = {"field": field, "reason": reason} | ({"via": via} if via else {})
    record(
        AuditEvent.Action.REVEAL,
        actor=actor,
        target=person,
        target_repr=person.masked_name,
        **detail,
    )
    return value


def person_search(queryset: PersonQuerySet, q: str, *, actor: User | None = None) -> PersonQuerySet:
    """Filter people by a search text.

    A valid ID number is matched exactly through its keyed hash (and the search is audited);
    anything else matches the name, the full pinyin or the initials ("zs" finds 张三).
    """
    text = " ".join(to_halfwidth(q or "").split())
    if not text:
        return queryset
    try:
        parsed = idnumber.parse(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        if actor is not None:
            ratelimit.hit("id_lookup", ratelimit.user_subject(actor), alert=actor)
        record(AuditEvent.Action.SEARCH, actor=actor, id_number=parsed.number)
        return queryset.by_id_hash(crypto.blind_index(parsed.number))
    condition = Q(name__icontains=text)
    latin = text.replace(" ", "").lower()
    if latin.isascii() and latin.isalpha():
        condition |= Q(name_pinyin__contains=latin) | Q(name_initials__startswith=latin)
    return queryset.filter(condition)


# Guardians and left-behind status ----------------------------------------------------------


def guardian_add(
    *, actor: User, child: Person, guardian: Person, relationship: str, is_primary: bool = False
) -> Guardianship:
    """Name `guardian` as a guardian of `child`; a primary guardian replaces the previous one."""
    require_perm(actor, "people.change_person", child)
    errors: dict[str, list[str]] = {}
    if guardian.pk == child.pk:
        errors["guardian"] = [_("A person cannot be their own guardian.")]
    elif not guardian.is_adult:
        errors["guardian"] = [_("A guardian must be an adult.")]
    elif Guardianship.objects.filter(child=child, guardian=guardian).exists():
        errors["guardian"] = [_("This person is already a guardian of the child.")]
    if relationship not in Guardianship.Relationship.values:
        errors["relationship"] = [_("Choose a relationship from the list.")]
    raise_if(errors)
    with transaction.atomic(durable=True):
        if is_primary:
            child.guardianships.filter(is_primary=True).update(is_primary=False)
        guardianship = Guardianship(
            child=child, guardian=guardian, relationship=relationship, is_primary=is_primary
        )
        guardianship.full_clean()
        guardianship.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=child,
            target_repr=child.masked_name,
            changes={
                "guardians": [
                    None,
                    f"{guardian.masked_name} ({guardianship.get_relationship_display()})",
                ]
            },
            guardian_id=guardian.pk,
        )
    return guardianship


def left_behind_set(*, actor: User, child: Person, data: Mapping[str, Any]) -> LeftBehindStatus:
    """Record or change a child's left-behind status (未成年人保护法 Art. 22-23)."""
    require_perm(actor, "people.change_person", child)
    status = LeftBehindStatus.objects.filter(child=child).first()
    created = status is None
    if status is None:
        status = LeftBehindStatus(child=child)
    before = snapshot(status, LEFT_BEHIND_FIELDS)
    for name in LEFT_BEHIND_FIELDS:
        if name in data:
            setattr(status, name, data[name])
    errors: dict[str, list[str]] = {}
    if created and not child.is_minor:
        errors["__all__"] = [_("Only a minor can be recorded as left behind.")]
    carer = status.entrusted_carer
    if carer is not None:
        if carer.pk == child.pk:
            errors["entrusted_carer"] = [_("The child cannot be their own carer.")]
        elif not carer.is_adult:
            errors["entrusted_carer"] = [_("The entrusted carer must be an adult (Art. 22).")]
    today = timezone.localdate()
    for name in ("written_notice_date", "last_contact_date"):
        value = getattr(status, name)
        if value is not None and value > today:
            errors.setdefault(name, []).append(_("This date is in the future."))
    raise_if(errors)
    with transaction.atomic(durable=True):
        status.full_clean()
        status.save()
        record(
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            actor=actor,
            target=child,
            target_repr=child.masked_name,
            section="left_behind",
            changes=diff(status, before, LEFT_BEHIND_FIELDS),
        )
    return status


def left_behind_contacted(*, child: Person, on: date) -> bool:
    """Move a left-behind child's last parents' contact forward to `on` (never back); whether
    it moved. Not a user's service: it checks no permission and records no audit event, as it
    runs inside the service that recorded the contact (weibao.care's contact_record), which
    does both; it writes nothing for a child without a left-behind status."""
    moved = (
        LeftBehindStatus.objects.filter(child=child)
        .filter(Q(last_contact_date__isnull=True) | Q(last_contact_date__lt=on))
        .update(last_contact_date=on, updated_at=timezone.now())
    )
    return bool(moved)


# Export ------------------------------------------------------------------------------------


def person_export_start(
    *,
    actor: User,
    filters: Mapping[str, Any],
    purpose: str,
    language: str | None = None,
    protect: bool = False,
) -> Job:
    """Queue an Excel export of the people the actor sees; the purpose is required. With
    `protect`, the file is encrypted with a password the job page shows once."""
    require_perm(actor, "people.export_people")
    from weibao.core import services as core_services

    purpose = _clean_reason(purpose, "purpose")
    params = {
        "filters": {key: str(value) for key, value in filters.items() if value not in (None, "")},
        "purpose": purpose,
        "language": language or translation.get_language() or "zh-hans",
        "protect": bool(protect),
    }
    return core_services.job_start(
        actor=actor, kind=EXPORT_JOB_KIND, title=_("Export of people"), params=params
    )


def export_columns() -> list[tuple[str, Callable[[Person], Any]]]:
    """The export's columns: masked values only, and nothing a purpose would not need."""
    return [
        (_("Record number"), lambda p: p.pk),
        (pgettext("person", "Name"), lambda p: p.masked_name),
        (_("Sex"), lambda p: p.get_sex_display()),
        (_("Birth date"), lambda p: p.birth_date.isoformat()),
        (_("Age"), lambda p: p.age),
        (_("ID number"), lambda p: p.masked_id_number),
        (_("Phone"), lambda p: p.masked_phone),
        (_("Place of residence"), lambda p: str(p.division or "")),
        (_("School"), lambda p: str(p.school or "")),
        (_("Grade"), lambda p: p.grade),
        (_("Class"), lambda p: p.class_name),
        (_("Left behind"), lambda p: _("yes") if p.is_left_behind else ""),
    ]


def _masked_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters for the audit log; the search text may be a name or an ID number."""
    masked = dict(filters)
    text = str(masked.get("q") or "").strip()
    if text:
        try:
            masked["q"] = mask_id(idnumber.parse(text).number)
        except ValueError:
            masked["q"] = mask_name(text)
    return masked


def person_export(
    *,
    actor: User,
    filters: Mapping[str, Any],
    purpose: str,
    language: str | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> tuple[bytes, int]:
    """Build the .xlsx of the people the actor sees (masked) and audit it; returns (bytes, rows).

    The actor's scope is applied here again: filters from a job's parameters are never trusted,
    nor is the permission the actor had when the job was started.
    """
    require_perm(actor, "people.export_people")
    from weibao.people.forms import PersonFilterForm

    purpose = _clean_reason(purpose, "purpose")
    form = PersonFilterForm(dict(filters), user=actor)
    people = form.filter(Person.objects.for_user(actor)).select_related(
        "school", "division", "left_behind"
    )
    total = people.count()
    with translation.override(language or actor.language):
        columns = export_columns()
        workbook = spreadsheets.ExportBook()
        sheet = workbook.sheet(_("People"))
        sheet.append([title for title, _value in columns])
        rows = 0
        # Chunk by chunk, never a cursor left open while the progress is written.
        for person in in_chunks(people):
            sheet.append([value(person) for _title, value in columns])
            rows += 1
            if progress is not None and rows % 200 == 0:
                progress(rows, total)
        about = workbook.sheet(pgettext("export sheet", "About"))
        about.append([_("Purpose"), purpose])
        about.append(
            [_("Exported by"), f"{actor.organisation} {actor.full_name or actor.username}"]
        )
        about.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
        about.append(
            [
                _("Rows"),
                ngettext("%(n)d person", "%(n)d people", rows) % {"n": rows},
            ]
        )
        about.append([_("Names, ID numbers and phones are masked.")])
    content = workbook.bytes()
    if progress is not None:
        progress(rows, total)
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("people"),
        purpose=purpose,
        rows=rows,
        filters=_masked_filters(filters),
    )
    return content, rows


def person_export_run(job: Job, progress: Callable[[int, int], Any]) -> Attachment | None:
    """The export job's handler: rebuilds the list for the user who started it."""
    from weibao.core import services as core_services

    actor = job.started_by
    if actor is None or not actor.is_active:
        raise PermissionError("the user who started this export no longer exists or is inactive")
    params = job.params or {}
    content, _rows = person_export(
        actor=actor,
        filters=params.get("filters") or {},
        purpose=str(params.get("purpose") or ""),
        language=params.get("language"),
        progress=progress,
    )
    name = f"people-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    # Personal data: the file expires, and with a password the job page shows it once.
    attachment, password = core_services.export_store(
        actor=actor,
        name=name,
        content=content,
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
        owner=job,
        protect=bool(params.get("protect")),
    )
    if password:
        core_services.job_password_keep(job=job, password=password)
    return attachment
