"""Every write of the care of left-behind and vulnerable children, and the township's lists.

Each user-triggered service takes `actor=` and checks the actor's permission first, with the
same `rules` perm a page checks (policy.py), then owns its transaction and records its audit
event. The left-behind register is the people app's: a contact moves its last contact forward
through `people.services.left_behind_contacted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Division, User
from weibao.accounts.policy import works_with_data
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.care.models import (
    POST_HOLDER_KINDS,
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Need,
    Visit,
    cared_children,
    concern_reason,
)
from weibao.casework import services as casework_services
from weibao.casework.models import Referral
from weibao.core.services import notify
from weibao.family.models import Volunteer
from weibao.family.services import require_cleared
from weibao.kit.fielderrors import Errors, clean, error
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.people import services as people_services
from weibao.people.models import LeftBehindStatus, Person, PersonQuerySet

MIN_REASON_LENGTH = 4
CONTACT_DAYS = 7  # parents contact the child at least weekly (未成年人保护法 Art. 23)
TEXT_FIELDS = ("school_findings", "health_findings", "safety_findings", "needs")


def visit_days() -> int:
    """Children not visited for this many days are listed for the township."""
    return int(getattr(settings, "CARE_VISIT_DAYS", 30))


def next_visit_days(child: Person, *, carer_fit: bool) -> int:
    """The days to a child's next visit, by risk: `CARE_RISK_VISIT_DAYS` (14) when the carer
    was found unfit, the child is in difficulty or has an open warning; else `visit_days()`."""
    at_risk = (
        not carer_fit
        or Difficulty.objects.current().filter(child=child).exists()
        or CareWarning.objects.open().filter(child=child).exists()
    )
    return int(getattr(settings, "CARE_RISK_VISIT_DAYS", 14)) if at_risk else visit_days()


def _day(errors: Errors, name: str, value: Any, *, required: bool = True) -> date | None:
    """A date that is not in the future."""
    if value in (None, ""):
        if required:
            error(errors, name, _("Give the date."), "required")
        return None
    if not isinstance(value, date):
        error(errors, name, _("Enter a valid date."))
        return None
    if value > timezone.localdate():
        error(errors, name, _("This date is in the future."), "future")
    return value


def _given(data: Mapping[str, Any], name: str) -> Any:
    """A value as given (the model's field checks it): typed Any for the model's constructor."""
    return data.get(name)


def _check_child(child: Person, errors: Errors) -> None:
    if not child.is_minor:
        error(errors, "child", _("Only a minor's care is recorded here."), "not_minor")


def _forget_posts(*users: User | None) -> None:
    """Drop the posts read once per user object (models.posts_of), after they change."""
    for user in users:
        if user is not None and hasattr(user, "_care_posts"):
            del user._care_posts


def _child_link(child: Person) -> str:
    return reverse("people:detail", args=[child.pk])


# Appointments ------------------------------------------------------------------------------

LEVEL_OF_ROLE = {
    CareAppointment.Role.SUPERVISOR: Division.Level.TOWNSHIP,
    CareAppointment.Role.DIRECTOR: Division.Level.VILLAGE,
}


def appointment_make(*, actor: User, data: Mapping[str, Any]) -> CareAppointment:
    """Appoint a children's supervisor (township) or director (village) from `starts_on`
    (today by default). The current appointment for the same role and division ends that day;
    it is not otherwise changed, so the history stays."""
    require_perm(actor, "care.manage_appointments")
    errors: Errors = {}
    role = str(data.get("role") or "")
    division = data.get("division")
    user = data.get("user")
    appointment = CareAppointment(
        role=role,
        division=division,
        user=user,
        person_name=" ".join(str(data.get("person_name") or "").split()),
        phone=str(data.get("phone") or "").strip(),
        starts_on=data.get("starts_on") or timezone.localdate(),
        appointed_by=actor,
    )
    if role not in CareAppointment.Role.values:
        error(errors, "role", _("Choose supervisor or director."), "required")
    if not isinstance(division, Division):
        error(errors, "division", _("Choose the township or village."), "required")
    elif role in LEVEL_OF_ROLE and division.level != LEVEL_OF_ROLE[CareAppointment.Role(role)]:
        message = (
            _("A children's supervisor serves a township.")
            if role == CareAppointment.Role.SUPERVISOR
            else _("A children's director serves a village or community.")
        )
        error(errors, "division", message, "level")
    if user is None and not appointment.person_name:
        error(errors, "person_name", _("Give the user account or the name."), "required")
    if user is not None and not (user.is_active and works_with_data(user)):
        error(
            errors,
            "user",
            _("This account cannot hold the post (inactive, or without access to data)."),
            "user",
        )
    elif user is not None and user.organisation.kind not in POST_HOLDER_KINDS:
        error(
            errors,
            "user",
            _(
                "Supervisors and directors are staff of a township government, a village or "
                "residents' committee, civil affairs or a social-work organisation."
            ),
            "unit",
        )
    starts_on = _day(errors, "starts_on", appointment.starts_on)
    clean(appointment, errors, ["division", "user", "appointed_by"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        previous = (
            CareAppointment.objects.current()
            .select_for_update()
            .filter(role=role, division=division)
            .first()
        )
        if previous is not None and starts_on is not None and starts_on < previous.starts_on:
            raise ValidationError(
                {
                    "starts_on": ValidationError(
                        _("The current appointment began on %(day)s: start on or after it.")
                        % {"day": previous.starts_on.isoformat()},
                        code="before_current",
                    )
                }
            )
        if previous is not None:
            previous.ends_on = appointment.starts_on
            previous.save(update_fields=["ends_on"])
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=previous,
                target_repr=str(previous),
                operation="care_appointment_end",
                changes={"ends_on": [None, str(previous.ends_on)]},
            )
        appointment.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=appointment,
            target_repr=str(appointment),
            operation="care_appointment_make",
            replaces=previous.pk if previous is not None else None,
        )
        _forget_posts(user, previous.user if previous is not None else None)
        if user is not None:
            notify(
                recipients=[user],
                title=Message(
                    gettext_noop("You are appointed %(role)s of %(division)s"),
                    {"role": CareAppointment.Role(role).label, "division": str(division)},
                ),
                kind="care_appointment",
            )
    return appointment


def appointment_end(*, actor: User, appointment: CareAppointment, on: date | None = None) -> None:
    """End a current appointment without a successor (from `on`, today by default)."""
    require_perm(actor, "care.manage_appointments")
    errors: Errors = {}
    day = _day(errors, "ends_on", on or timezone.localdate())
    if appointment.ends_on is not None:
        error(errors, "ends_on", _("This appointment has already ended."), "ended")
    elif day is not None and day < appointment.starts_on:
        error(errors, "ends_on", _("An appointment cannot end before it began."), "order")
    raise_if(errors)
    with transaction.atomic(durable=True):
        moved = CareAppointment.objects.filter(pk=appointment.pk, ends_on__isnull=True).update(
            ends_on=day
        )
        if not moved:
            raise ValidationError(_("This appointment has already ended."), code="ended")
        appointment.ends_on = day
        _forget_posts(appointment.user)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=appointment,
            target_repr=str(appointment),
            operation="care_appointment_end",
            changes={"ends_on": [None, str(day)]},
        )


# Children in difficulty --------------------------------------------------------------------


def difficulty_record(*, actor: User, child: Person, data: Mapping[str, Any]) -> Difficulty:
    """Record that a child is in difficulty (困境儿童) in a category, since a day."""
    require_perm(actor, "care.keep_child", child)
    errors: Errors = {}
    difficulty = Difficulty(
        child=child,
        category=str(data.get("category") or ""),
        since=_given(data, "since"),
        notes=str(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    _check_child(child, errors)
    _day(errors, "since", difficulty.since)
    clean(difficulty, errors, ["child", "recorded_by"])
    if (
        "category" not in errors
        and Difficulty.objects.current().filter(child=child, category=difficulty.category).exists()
    ):
        error(
            errors,
            "category",
            _("The child is already recorded in this category."),
            "duplicate",
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        difficulty.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=child,
            target_repr=child.masked_name,
            operation="care_difficulty_record",
            category=difficulty.category,
        )
    return difficulty


def difficulty_end(*, actor: User, difficulty: Difficulty, on: date | None = None) -> Difficulty:
    """The child is no longer in difficulty in this category (from `on`, today by default)."""
    require_perm(actor, "care.keep_child", difficulty.child)
    errors: Errors = {}
    day = _day(errors, "ended_on", on or timezone.localdate())
    if difficulty.ended_on is not None:
        error(errors, "ended_on", _("This has already ended."), "ended")
    elif day is not None and day < difficulty.since:
        error(errors, "ended_on", _("It cannot end before it began."), "order")
    raise_if(errors)
    with transaction.atomic(durable=True):
        difficulty.ended_on = day
        difficulty.save(update_fields=["ended_on"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=difficulty.child,
            target_repr=difficulty.child.masked_name,
            operation="care_difficulty_end",
            changes={"ended_on": [None, str(day)]},
        )
    return difficulty


# Contacts ----------------------------------------------------------------------------------


def contact_record(*, actor: User, child: Person, data: Mapping[str, Any]) -> Contact:
    """Record a contact between the parents and a left-behind child; the register's last
    contact moves forward to it, and an open "contact overdue" warning closes when the contact
    is within the week."""
    require_perm(actor, "care.keep_child", child)
    errors: Errors = {}
    contact = Contact(
        child=child,
        contacted_on=_given(data, "contacted_on"),
        by_whom=" ".join(str(data.get("by_whom") or "").split()),
        means=str(data.get("means") or ""),
        notes=str(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    _check_child(child, errors)
    if not LeftBehindStatus.objects.filter(child=child, is_active=True).exists():
        error(errors, "child", _("The child is not on the left-behind register."), "register")
    day = _day(errors, "contacted_on", contact.contacted_on)
    if not contact.by_whom:
        error(errors, "by_whom", _("Say who contacted the child (mother, father...)."), "required")
    clean(contact, errors, ["child", "recorded_by"])
    raise_if(errors)
    day = cast(date, day)  # required, so given once no error was raised
    with transaction.atomic(durable=True):
        contact.save()
        people_services.left_behind_contacted(child=child, on=day)
        closed = 0
        if (timezone.localdate() - day).days <= CONTACT_DAYS:
            closed = (
                CareWarning.objects.open()
                .filter(child=child, reason=CareWarning.Reason.CONTACT_OVERDUE)
                .update(
                    closed_at=timezone.now(),
                    closed_by=actor,
                    close_reason=_("The parents contacted the child on %(day)s.")
                    % {"day": day.isoformat()},
                )
            )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=child,
            target_repr=child.masked_name,
            operation="care_contact_record",
            contacted_on=day.isoformat(),
            means=contact.means,
            warnings_closed=closed,
        )
    return contact


# Visits and warnings -----------------------------------------------------------------------


def _raise(
    *, actor: User | None, child: Person, reason: str, visit: Visit | None = None
) -> tuple[CareWarning, bool]:
    """The open warning of this reason for the child, raised now if there is none, and whether
    it was raised now; the township's supervisor and the village's director are told at once.
    Inside the caller's transaction."""
    existing = CareWarning.objects.open().filter(child=child, reason=reason).first()
    if existing is not None:
        return existing, False
    warning = CareWarning.objects.create(child=child, reason=reason, visit=visit, raised_by=actor)
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=child,
        target_repr=child.masked_name,
        operation="care_warning_raise",
        reason=reason,
        visit=visit.pk if visit is not None else None,
    )
    holders = CareAppointment.objects.covering(child.division).filter(user__isnull=False)
    recipients = [
        a.user for a in holders.select_related("user") if a.user is not None and a.user != actor
    ]
    notify(
        recipients=recipients,
        title=Message(
            gettext_noop("Care warning: %(reason)s"),
            {"reason": CareWarning.Reason(reason).label},
        ),
        body=Message(
            gettext_noop(
                "A child in your area needs attention now (%(reason)s). Open the child's page "
                "to see the warning and act."
            ),
            {"reason": CareWarning.Reason(reason).label},
        ),
        link=_child_link(child),
        kind="care_warning",
    )
    return warning, True


def warning_raise(*, actor: User, child: Person, reason: str) -> CareWarning:
    """Raise a warning about the child's care by hand (an unfit or absent carer, a child alone,
    a disqualified carer, the parents' contact overdue)."""
    require_perm(actor, "care.keep_child", child)
    errors: Errors = {}
    if reason not in CareWarning.Reason.values:
        error(errors, "reason", _("Choose the reason."), "required")
    _check_child(child, errors)
    raise_if(errors)
    with transaction.atomic(durable=True):
        warning, _raised = _raise(actor=actor, child=child, reason=reason)
    return warning


def visit_record(*, actor: User, child: Person, data: Mapping[str, Any]) -> Visit:
    """Record a home visit by the actor (with a volunteer, if one went). A visit in the future,
    and a volunteer without a clear criminal-record check, are refused. A carer found unfit (or
    absent, or the child alone) raises a warning at once to the township's supervisor and the
    village's director."""
    require_perm(actor, "care.keep_child", child)
    errors: Errors = {}
    volunteer = data.get("volunteer")
    carer_fit = bool(data.get("carer_fit", True))
    concern = str(data.get("concern") or "")
    visit = Visit(
        child=child,
        visitor=actor,
        visited_on=_given(data, "visited_on"),
        volunteer=volunteer,
        carer_fit=carer_fit,
        concern=concern,
        next_due=data.get("next_due") or None,
        **{name: str(data.get(name) or "").strip() for name in TEXT_FIELDS},
    )
    _check_child(child, errors)
    day = _day(errors, "visited_on", visit.visited_on)
    if carer_fit and concern:
        error(errors, "concern", _("A concern is given only when the carer is not fit."))
    if not carer_fit and not concern:
        visit.concern = Visit.Concern.CARER_UNFIT
    next_due = visit.next_due
    if isinstance(next_due, date) and day is not None and next_due <= day:
        error(errors, "next_due", _("The next visit is due after this one."), "order")
    if volunteer is not None:
        if not isinstance(volunteer, Volunteer):
            error(errors, "volunteer", _("Choose a volunteer."))
        elif volunteer.status != Volunteer.Status.ACTIVE:
            error(errors, "volunteer", _("This volunteer is not active."), "inactive")
    clean(visit, errors, ["child", "visitor", "volunteer"])
    raise_if(errors)
    if volunteer is not None:
        require_cleared([volunteer], field="volunteer")
    if visit.next_due is None and day is not None:
        visit.next_due = day + timedelta(days=next_visit_days(child, carer_fit=visit.carer_fit))
    with transaction.atomic(durable=True):
        visit.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=child,
            target_repr=child.masked_name,
            operation="care_visit_record",
            visited_on=str(visit.visited_on),
            carer_fit=visit.carer_fit,
            volunteer=volunteer.pk if volunteer is not None else None,
        )
        if not visit.carer_fit:
            _raise(actor=actor, child=child, reason=concern_reason(visit.concern), visit=visit)
    return visit


def warning_close(*, actor: User, warning: CareWarning, reason: str) -> CareWarning:
    """Close an open warning, saying why (the carer replaced, the parents back...)."""
    require_perm(actor, "care.close_warning", warning)
    reason = " ".join(str(reason or "").split())
    errors: Errors = {}
    if len(reason) < MIN_REASON_LENGTH:
        error(
            errors,
            "close_reason",
            _("Say why the warning is closed (at least %(n)d characters).")
            % {"n": MIN_REASON_LENGTH},
            "required",
        )
    raise_if(errors)
    with transaction.atomic(durable=True):
        locked = CareWarning.objects.select_for_update().get(pk=warning.pk)
        if locked.closed_at is not None:
            raise ValidationError(_("This warning is already closed."), code="closed")
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.close_reason = reason
        locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=warning.child,
            target_repr=warning.child.masked_name,
            operation="care_warning_close",
            reason=warning.reason,
            changes={"closed_at": [None, str(locked.closed_at)]},
        )
    warning.closed_at, warning.closed_by, warning.close_reason = (
        locked.closed_at,
        actor,
        reason,
    )
    return warning


# The township's lists ----------------------------------------------------------------------


def _in(division: Division, path: str) -> Q:
    return Q(**{f"{path}division__code__startswith": division.prefix})


def overdue_contacts(
    township: Division, *, days: int = CONTACT_DAYS, on: date | None = None
) -> QuerySet[LeftBehindStatus]:
    """The active left-behind statuses of the children living in the township whose parents
    have not been in contact for more than `days` days (or never), longest first."""
    cutoff = (on or timezone.localdate()) - timedelta(days=days)
    return (
        LeftBehindStatus.objects.filter(_in(township, "child__"), is_active=True)
        .filter(Q(last_contact_date__isnull=True) | Q(last_contact_date__lt=cutoff))
        .select_related("child__division")
        .order_by(F("last_contact_date").asc(nulls_first=True), "child__name_pinyin", "pk")
    )


def not_visited(
    township: Division, *, days: int | None = None, on: date | None = None
) -> PersonQuerySet:
    """The children looked after in the township (left behind, or in difficulty) with no home
    visit in the last `days` days (settings.CARE_VISIT_DAYS, 30 by default)."""
    cutoff = (on or timezone.localdate()) - timedelta(days=visit_days() if days is None else days)
    recent = Visit.objects.filter(child=OuterRef("pk"), visited_on__gte=cutoff)
    return (
        cared_children()
        .filter(_in(township, ""))
        .filter(~Exists(recent))
        .select_related("division")
        .order_by("name_pinyin", "pk")
    )


def child_view(*, actor: User, child: Person) -> None:
    """Record that the actor opened a child's care record."""
    require_perm(actor, "care.view_children")
    record(AuditEvent.Action.VIEW, actor=actor, target=child, target_repr=child.masked_name)


def township_overview() -> list[dict[str, Any]]:
    """Per township: children on the left-behind register, in difficulty, visited within the
    visit days, with the parents' contact overdue, and open warnings (one grouped query each)."""
    today = timezone.localdate()
    visit_cutoff = today - timedelta(days=visit_days())
    contact_cutoff = today - timedelta(days=CONTACT_DAYS)
    town = Substr("child__division__code", 1, 9)

    def by_township(rows: QuerySet[Any], **counts: Any) -> dict[str, dict[str, int]]:
        grouped = rows.annotate(town=town).values("town").annotate(**counts).order_by()
        return {row.pop("town"): row for row in grouped}

    statuses = LeftBehindStatus.objects.filter(is_active=True)
    left_behind = by_township(
        statuses,
        left_behind=Count("pk"),
        overdue=Count(
            "pk",
            filter=Q(last_contact_date__isnull=True) | Q(last_contact_date__lt=contact_cutoff),
        ),
    )
    cared = cared_children()
    in_difficulty = by_township(
        Difficulty.objects.current(), in_difficulty=Count("child", distinct=True)
    )
    visited = by_township(
        Visit.objects.filter(visited_on__gte=visit_cutoff, child__in=cared.values("pk")),
        visited=Count("child", distinct=True),
    )
    warnings = by_township(CareWarning.objects.open(), warnings=Count("pk"))
    all_cared = {
        row["town"]: row["n"]
        for row in cared.annotate(town=Substr("division__code", 1, 9))
        .values("town")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    rows = []
    for township in Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code"):
        key = township.prefix
        row = {
            "township": township,
            "left_behind": left_behind.get(key, {}).get("left_behind", 0),
            "overdue": left_behind.get(key, {}).get("overdue", 0),
            "in_difficulty": in_difficulty.get(key, {}).get("in_difficulty", 0),
            "cared": all_cared.get(key, 0),
            "visited": visited.get(key, {}).get("visited", 0),
            "warnings": warnings.get(key, {}).get("warnings", 0),
        }
        row["not_visited"] = row["cared"] - row["visited"]
        rows.append(row)
    return rows


# Needs and their referrals -----------------------------------------------------------------

# The casework action each kind of need is referred for.
NEED_ACTIONS = {
    Need.Kind.RELIEF: Referral.Action.RELIEF,
    Need.Kind.HEALTH: Referral.Action.OTHER,
    Need.Kind.EDUCATION: Referral.Action.SCHOOL_REENTRY,
    Need.Kind.OTHER: Referral.Action.OTHER,
}


def need_record(*, actor: User, child: Person, data: Mapping[str, Any]) -> Need:
    """Add a need of the child (from a visit, or found otherwise) to the child's needs list."""
    require_perm(actor, "care.keep_child", child)
    errors: Errors = {}
    need = Need(
        child=child,
        kind=str(data.get("kind") or ""),
        description=" ".join(str(data.get("description") or "").split()),
        visit=data.get("visit"),
        recorded_by=actor,
    )
    _check_child(child, errors)
    if need.visit is not None and need.visit.child_id != child.pk:
        error(errors, "visit", _("This visit is another child's."))
    if not need.description:
        error(errors, "description", _("Say what is needed."), "required")
    clean(need, errors, ["child", "visit", "referral", "recorded_by"])
    raise_if(errors)
    with transaction.atomic(durable=True):
        need.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=need,
            target_repr=child.masked_name,
            operation="care_need_record",
            kind=need.kind,
        )
    return need


def need_refer(*, actor: User, need: Need, data: Mapping[str, Any]) -> Need:
    """Refer the need to the unit that can meet it: a casework referral about the child (the
    receiving unit answers it in casework, as any referral)."""
    require_perm(actor, "care.keep_child", need.child)
    if need.referral_id is not None or need.met_on is not None:
        raise ValidationError({"__all__": [_("This need is already referred or met.")]})
    # Casework writes the referral in its own transaction; the key makes a retry after a
    # failure below find that referral instead of sending a second one.
    referral, _created = casework_services.child_referral_create(
        actor=actor,
        child=need.child,
        data={
            "to_unit": data.get("to_unit"),
            "action": NEED_ACTIONS[Need.Kind(need.kind)],
            "request": data.get("request") or need.description,
            "due_date": data.get("due_date"),
        },
        idempotency_key=f"care-need-{need.pk}",
    )
    with transaction.atomic(durable=True):
        need.referral = referral
        need.save(update_fields=["referral"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=need,
            target_repr=need.child.masked_name,
            operation="care_need_refer",
            referral=referral.pk,
        )
    return need


def need_met(*, actor: User, need: Need, on: date | None = None) -> Need:
    """The need was met without a referral (the family or the village met it)."""
    require_perm(actor, "care.keep_child", need.child)
    if need.referral_id is not None or need.met_on is not None:
        raise ValidationError({"__all__": [_("This need is already referred or met.")]})
    with transaction.atomic(durable=True):
        need.met_on = on or timezone.localdate()
        need.save(update_fields=["met_on"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=need,
            target_repr=need.child.masked_name,
            operation="care_need_met",
        )
    return need
