"""Tasks and their supervision (督办): a task set by the lead agency (often from a meeting's
decision), progress reported by its units, the result submitted by the owner and accepted or
returned by the lead agency, and the escalation of late tasks (reminders, then a supervision
notice in Word) on the platform's one deadline mechanism (weibao.core.deadlines)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.deadlines import Ladder, Step, claim_once, remind_once
from weibao.core.models import Attachment
from weibao.core.services import attachment_store, notify, unit_staff, validate_upload
from weibao.kit import documents, fielderrors
from weibao.kit.fielderrors import Errors
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message, plural_message
from weibao.mechanisms.models import (
    SUPERVISE_AFTER_DAYS,
    Decision,
    LeadingGroup,
    Member,
    PlanItem,
    Progress,
    SupervisionNotice,
    Task,
)

# Remind three days before the deadline, daily once it has passed, and issue a supervision
# notice once it is SUPERVISE_AFTER_DAYS days late.
LADDER = Ladder(remind_before=3, escalate_after=SUPERVISE_AFTER_DAYS)
# The supervision notices' document number: 乐未保督〔2026〕3号 (counted per year).
NOTICE_PREFIX = getattr(settings, "MECHANISMS_NOTICE_PREFIX", "乐未保督")
# Days the owner has to answer a notice the scheduler issues.
REPLY_DAYS = 5

TASK_FIELDS = ("title", "deliverable", "owner", "deadline", "decision", "plan_item")
ACTIVE = (Task.State.OPEN, Task.State.RETURNED)


# Who is told -------------------------------------------------------------------------------------


def _admins(unit: Organisation) -> list[User]:
    """The unit's administrators (its leader's office), else its staff."""
    return unit_staff([unit], (Role.UNIT_ADMIN,)) or unit_staff([unit])


def _group() -> LeadingGroup | None:
    return LeadingGroup.objects.select_related("lead_unit").order_by("pk").first()


def _lead_staff() -> list[User]:
    group = _group()
    return unit_staff([group.lead_unit_id]) if group else []


def _leading_group_users() -> list[User]:
    """Who runs the group: the lead agency's staff and the county coordinators."""
    coordinators = User.objects.filter(is_active=True, role=Role.COUNTY_COORDINATOR)
    return _lead_staff() + list(coordinators)


def _not(actor: User | None, users: list[User]) -> list[User]:
    return [user for user in users if actor is None or user.pk != actor.pk]


# Checks ------------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _current_member(unit: Any) -> bool:
    return isinstance(unit, Organisation) and Member.objects.current().filter(unit=unit).exists()


def _check_task(
    data: Mapping[str, Any], errors: Errors, *, today: date, task: Task | None = None
) -> dict[str, Any]:
    """The task's fields from `data`, each checked; the errors collected by field."""
    values: dict[str, Any] = {
        "title": _text(data, "title"),
        "deliverable": _text(data, "deliverable"),
    }
    if not values["title"]:
        fielderrors.error(errors, "title", _("Give the task a title."), "required")
    owner = data.get("owner")
    if owner is None:
        fielderrors.error(errors, "owner", _("Choose the owner unit."), "required")
    elif not _current_member(owner):
        fielderrors.error(
            errors, "owner", _("The owner unit must be a member unit of the leading group.")
        )
    else:
        values["owner"] = owner
    co_units = data.get("co_units") or []
    if isinstance(co_units, Organisation) or not isinstance(co_units, Iterable):
        co_units = [co_units]
    co_units = list(co_units)
    if any(not _current_member(unit) for unit in co_units):
        fielderrors.error(
            errors,
            "co_units",
            _("The co-operating units must be member units of the leading group."),
        )
    elif isinstance(owner, Organisation) and any(unit.pk == owner.pk for unit in co_units):
        fielderrors.error(
            errors, "co_units", _("The owner unit cannot also be a co-operating unit.")
        )
    values["co_units"] = co_units
    deadline = data.get("deadline")
    if not isinstance(deadline, date):
        fielderrors.error(errors, "deadline", _("Give the deadline as a date."), "required")
    elif deadline < today and (task is None or deadline != task.deadline):
        fielderrors.error(errors, "deadline", _("The deadline cannot be in the past."), "past")
    else:
        values["deadline"] = deadline
    decision = data.get("decision")
    if decision is not None and not isinstance(decision, Decision):
        fielderrors.error(errors, "decision", _("Choose a decision of a meeting."))
    else:
        values["decision"] = decision
    plan_item = data.get("plan_item")
    if plan_item is not None and not isinstance(plan_item, PlanItem):
        fielderrors.error(errors, "plan_item", _("Choose an item of the implementation plan."))
    else:
        values["plan_item"] = plan_item
    return values


def _uploads(files: Iterable[Any] | None, errors: Errors) -> list[UploadedFile]:
    """The uploaded files, each checked before anything is written."""
    uploads = [f for f in (files or []) if f]
    for upload in uploads:
        if not isinstance(upload, UploadedFile):
            fielderrors.error(errors, "files", _("Attach files as uploads."))
            continue
        try:
            validate_upload(upload)
        except ValidationError as exc:
            for message in exc.messages:
                fielderrors.error(errors, "files", message)
    return uploads


def _state_error(errors: Errors, task: Task, allowed: Sequence[str]) -> None:
    if task.state not in allowed:
        fielderrors.error(
            errors,
            "state",
            _("This cannot be done to a task in the state “%(state)s”.")
            % {"state": task.get_state_display()},
            "state",
        )


def _moment(on: date | None) -> datetime:
    """Now, or 09:00 on `on` in the county (the demo writes its past through `on`)."""
    if on is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(9, 0)))


def _report(
    task: Task,
    kind: str,
    *,
    actor: User | None,
    text: str,
    unit: Organisation | None = None,
    on: date | None = None,
) -> Progress:
    report = Progress(
        task=task,
        kind=kind,
        text=text,
        unit=unit if unit is not None else (actor.organisation if actor else None),
        author=actor,
        at=_moment(on),
    )
    # The scheduler writes reminders with no author (and the fields take None, not blank).
    report.full_clean(exclude=["author", "unit"])
    report.save()
    return report


def _attach(actor: User, report: Progress, uploads: list[UploadedFile]) -> list[Attachment]:
    return [attachment_store(actor=actor, upload=upload, owner=report) for upload in uploads]


def _link(task: Task) -> str:
    return reverse("mechanisms:task", args=[task.pk])


# Tasks -------------------------------------------------------------------------------------------


def task_create(*, actor: User, data: Mapping[str, Any], on: date | None = None) -> Task:
    """Set a task for a member unit (with co-units), often from a meeting's decision."""
    require_perm(actor, "mechanisms.manage_tasks")
    today = on or timezone.localdate()
    with transaction.atomic(durable=True):
        errors: Errors = {}
        values = _check_task(data, errors, today=today)
        co_units = values.pop("co_units")
        task = Task(created_by=actor, created_at=_moment(on), **values)
        fielderrors.clean(task, errors, exclude=[n for n in TASK_FIELDS if n not in values])
        raise_if(errors)
        task.save()
        task.co_units.set(co_units)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=task,
            target_repr=task.title,
            owner=task.owner.name,
            deadline=task.deadline.isoformat(),
            co_units=[unit.name for unit in co_units],
            decision=task.decision_id,
        )
        notify(
            recipients=_not(actor, unit_staff([task.owner, *co_units])),
            title=Message(
                gettext_noop("A task for your unit, due %(deadline)s"),
                {"deadline": task.deadline},
            ),
            link=_link(task),
            kind="mechanisms_task",
        )
    return task


def task_update(*, actor: User, task: Task, data: Mapping[str, Any]) -> Task:
    """Change a task (not once accepted); the owner and co-units are told of a new deadline."""
    require_perm(actor, "mechanisms.manage_tasks", task)
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, (Task.State.OPEN, Task.State.SUBMITTED, Task.State.RETURNED))
        values = _check_task(data, errors, today=today, task=task)
        co_units = values.pop("co_units")
        before = snapshot(task, TASK_FIELDS)
        old_units = set(task.co_units.values_list("pk", flat=True))
        for name, value in values.items():
            setattr(task, name, value)
        fielderrors.clean(task, errors, exclude=[n for n in TASK_FIELDS if n not in values])
        raise_if(errors)
        task.save()
        task.co_units.set(co_units)
        changes = diff(task, before, TASK_FIELDS)
        new_units = {unit.pk for unit in co_units}
        if new_units != old_units:
            changes["co_units"] = [sorted(old_units), sorted(new_units)]
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=task, target_repr=task.title, **changes
        )
        if "deadline" in changes or "owner" in changes:
            notify(
                recipients=_not(actor, unit_staff([task.owner, *co_units])),
                title=Message(
                    gettext_noop("A task of your unit was changed: now due %(deadline)s"),
                    {"deadline": task.deadline},
                ),
                link=_link(task),
                kind="mechanisms_task",
            )
    return task


def progress_report(
    *,
    actor: User,
    task: Task,
    text: str,
    files: Iterable[Any] | None = None,
    on: date | None = None,
) -> Progress:
    """The owner or a co-unit reports progress, with files."""
    require_perm(actor, "mechanisms.report_progress", task)
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, (*ACTIVE, Task.State.SUBMITTED))
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            fielderrors.error(errors, "text", _("Say what was done."), "required")
        uploads = _uploads(files, errors)
        raise_if(errors)
        report = _report(task, Progress.Kind.PROGRESS, actor=actor, text=text, on=on)
        attachments = _attach(actor, report, uploads)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=report,
            target_repr=task.title,
            task=task.pk,
            kind=report.kind,
            files=len(attachments),
        )
    return report


def result_submit(
    *,
    actor: User,
    task: Task,
    text: str,
    files: Iterable[Any] | None = None,
    on: date | None = None,
) -> Progress:
    """The owner unit (only it) submits the result; the lead agency is told to accept it."""
    require_perm(actor, "mechanisms.submit_result", task)
    today = on or timezone.localdate()
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, ACTIVE)
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            fielderrors.error(errors, "text", _("Describe the result."), "required")
        uploads = _uploads(files, errors)
        raise_if(errors)
        before = snapshot(task, ("state", "submitted_on"))
        task.state = Task.State.SUBMITTED
        task.submitted_on = today
        task.save(update_fields=["state", "submitted_on"])
        report = _report(task, Progress.Kind.RESULT, actor=actor, text=text, on=on)
        attachments = _attach(actor, report, uploads)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=task,
            target_repr=task.title,
            operation="result_submit",
            files=len(attachments),
            **diff(task, before, ("state", "submitted_on")),
        )
        notify(
            recipients=_not(actor, _lead_staff()),
            title=Message(
                gettext_noop("A task's result waits for acceptance: %(unit)s"),
                {"unit": task.owner.name},
            ),
            link=_link(task),
            kind="mechanisms_task",
        )
    return report


def task_accept(*, actor: User, task: Task, text: str = "", on: date | None = None) -> Task:
    """The lead agency accepts the submitted result: the task is done."""
    require_perm(actor, "mechanisms.manage_tasks", task)
    today = on or timezone.localdate()
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, (Task.State.SUBMITTED,))
        raise_if(errors)
        before = snapshot(task, ("state", "accepted_on"))
        task.state = Task.State.DONE
        task.accepted_on = today
        task.save(update_fields=["state", "accepted_on"])
        text = text.strip() if isinstance(text, str) else ""
        _report(task, Progress.Kind.ACCEPTED, actor=actor, text=text, on=on)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=task,
            target_repr=task.title,
            operation="task_accept",
            **diff(task, before, ("state", "accepted_on")),
        )
        notify(
            recipients=_not(actor, unit_staff([task.owner])),
            title=Message(gettext_noop("Your unit's task result was accepted"), {}),
            link=_link(task),
            kind="mechanisms_task",
        )
    return task


def task_return(*, actor: User, task: Task, reason: str, on: date | None = None) -> Task:
    """The lead agency returns the submitted result, with its reason; the owner is told."""
    require_perm(actor, "mechanisms.manage_tasks", task)
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, (Task.State.SUBMITTED,))
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            fielderrors.error(errors, "reason", _("Say why the result is returned."), "required")
        raise_if(errors)
        task.state = Task.State.RETURNED
        task.save(update_fields=["state"])
        _report(task, Progress.Kind.RETURNED, actor=actor, text=reason, on=on)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=task,
            target_repr=task.title,
            operation="task_return",
            state=[Task.State.SUBMITTED, Task.State.RETURNED],
            reason=reason,
        )
        notify(
            recipients=_not(actor, unit_staff([task.owner])),
            title=Message(gettext_noop("Your unit's task result was returned"), {}),
            link=_link(task),
            kind="mechanisms_task",
        )
    return task


# Supervision notices -----------------------------------------------------------------------------


def default_addressee(task: Task) -> str:
    return f"{task.owner.name}主要负责人"


def _next_number(year: int) -> str:
    """The year's next notice number; the leading group's row is locked while it is taken."""
    LeadingGroup.objects.select_for_update().order_by("pk").first()
    count = SupervisionNotice.objects.filter(issued_on__year=year).count()
    while True:
        count += 1
        number = f"{NOTICE_PREFIX}〔{year}〕{count}号"
        if not SupervisionNotice.objects.filter(number=number).exists():
            return number


def _issue(
    task: Task,
    *,
    actor: User | None,
    today: date,
    addressee: str,
    reason: str,
    reply_by: date,
) -> SupervisionNotice:
    notice = SupervisionNotice(
        task=task,
        number=_next_number(today.year),
        issued_on=today,
        addressee=addressee,
        reason=reason,
        reply_by=reply_by,
        issued_by=actor,
    )
    notice.full_clean(exclude=["issued_by"])  # None when the scheduler issues it
    notice.save()
    Task.objects.filter(pk=task.pk, supervised_on__isnull=True).update(supervised_on=today)
    if task.supervised_on is None:
        task.supervised_on = today
    _report(task, Progress.Kind.SUPERVISED, actor=actor, text=reason, unit=_lead_unit(), on=today)
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=notice,
        target_repr=notice.number,
        task=task.pk,
        addressee=addressee,
        reply_by=reply_by.isoformat(),
        automatic=actor is None,
    )
    title = Message(
        gettext_noop("Supervision notice %(number)s on a task of %(unit)s"),
        {"number": notice.number, "unit": task.owner.name},
    )
    notify(
        recipients=_not(actor, _admins(task.owner) + _lead_staff()),
        title=title,
        link=_link(task),
        kind="mechanisms_supervision",
    )
    return notice


def _lead_unit() -> Organisation | None:
    group = _group()
    return group.lead_unit if group else None


def notice_issue(
    *, actor: User, task: Task, data: Mapping[str, Any], on: date | None = None
) -> SupervisionNotice:
    """The lead agency issues a supervision notice about a late or returned task."""
    require_perm(actor, "mechanisms.manage_tasks", task)
    today = on or timezone.localdate()
    with transaction.atomic(durable=True):
        task = Task.objects.select_for_update().select_related("owner").get(pk=task.pk)
        errors: Errors = {}
        _state_error(errors, task, ACTIVE)
        addressee = _text(data, "addressee") or default_addressee(task)
        if len(addressee) > 100:
            fielderrors.error(errors, "addressee", _("Keep the addressee under 100 characters."))
        reason = _text(data, "reason")
        if not reason:
            fielderrors.error(errors, "reason", _("Say why the task is supervised."), "required")
        reply_by = data.get("reply_by")
        if not isinstance(reply_by, date):
            fielderrors.error(errors, "reply_by", _("Give the reply date as a date."), "required")
        elif reply_by < today:
            fielderrors.error(errors, "reply_by", _("The reply date cannot be in the past."))
        raise_if(errors)
        assert isinstance(reply_by, date)
        notice = _issue(
            task, actor=actor, today=today, addressee=addressee, reason=reason, reply_by=reply_by
        )
    return notice


def _late_reason(task: Task, today: date) -> str:
    if task.state == Task.State.RETURNED:
        return _(
            "The result was returned and has not been submitted again; the task is %(days)d "
            "days past its deadline."
        ) % {"days": (today - task.deadline).days}
    return _("The task is %(days)d days past its deadline and no result has been submitted.") % {
        "days": (today - task.deadline).days
    }


def tasks_remind(*, on: date | None = None) -> int:
    """The nightly job: tasks due within three days get a reminder once, late ones one a day,
    and those SUPERVISE_AFTER_DAYS late a supervision notice once (the leading group is told).
    Idempotent: a second run the same day sends and issues nothing. How many were sent."""
    today = on or timezone.localdate()
    sent = 0
    tasks = (
        Task.objects.filter(state__in=ACTIVE, deadline__lte=LADDER.horizon(today))
        .select_related("owner")
        .order_by("deadline", "pk")
    )
    for task in tasks:
        step = LADDER.step(task.deadline, today)
        if step is None:
            continue
        if step is Step.ESCALATE:
            sent += _escalate(task, today)
        sent += _remind(task, step, today)
    return sent


def _remind(task: Task, step: Step, today: date) -> int:
    recipients = unit_staff([task.owner])
    if step is Step.DUE_SOON:
        key = f"mechanisms:task:{task.pk}:due_soon:{task.deadline:%Y%m%d}"
        title = Message(
            gettext_noop("A task of your unit is due on %(deadline)s"),
            {"deadline": task.deadline},
        )
    else:
        key = f"mechanisms:task:{task.pk}:overdue:{today:%Y%m%d}"
        title = plural_message(
            "A task of your unit is %(days)d day past its deadline",
            "A task of your unit is %(days)d days past its deadline",
            "days",
            {"days": (today - task.deadline).days},
        )

    def send() -> None:
        _report(task, Progress.Kind.REMINDED, actor=None, text="", unit=task.owner, on=today)
        notify(recipients=recipients, title=title, link=_link(task), kind="mechanisms_task")

    with transaction.atomic(durable=True):
        return remind_once(key, send)


def _escalate(task: Task, today: date) -> int:
    with transaction.atomic(durable=True):
        if not claim_once(Task.objects, task.pk, "supervised_on", today):
            return 0
        notice = _issue(
            task,
            actor=None,
            today=today,
            addressee=default_addressee(task),
            reason=_late_reason(task, today),
            reply_by=today + timedelta(days=REPLY_DAYS),
        )
        notify(
            recipients=_leading_group_users(),
            title=Message(
                gettext_noop("Supervision notice %(number)s issued: a task of %(unit)s is late"),
                {"number": notice.number, "unit": task.owner.name},
            ),
            link=_link(task),
            kind="mechanisms_supervision",
        )
    return 1


# The notice in Word ------------------------------------------------------------------------------


def notice_docx(*, actor: User, notice: SupervisionNotice) -> bytes:
    """The supervision notice (督办通知) as Word after GB/T 9704, to the owner unit's leader."""
    task = notice.task
    require_perm(actor, "mechanisms.view_task", task)
    lead = _lead_unit()
    issuer = lead.name if lead is not None else ""
    decision = task.decision
    if decision is not None:
        source = _("decided as item %(number)d of the %(meeting)s held on %(held_on)s") % {
            "number": decision.number,
            "meeting": decision.meeting.title,
            "held_on": documents.chinese_date(decision.meeting.held_on),
        }
    else:
        source = _("set by the leading group")
    if task.state == Task.State.RETURNED:
        late = _("the result submitted was returned and has not been submitted again")
    elif task.deadline < notice.issued_on:
        late = _("the deadline has passed by %(days)d days and no result has been submitted") % {
            "days": (notice.issued_on - task.deadline).days
        }
    else:
        late = _("the work is behind what was decided")
    body = [
        _("The task “%(title)s” owned by your unit (%(source)s) was due on %(deadline)s; %(late)s.")
        % {
            "title": task.title,
            "source": source,
            "deadline": documents.chinese_date(task.deadline),
            "late": late,
        },
        *(
            [_("Deliverable: %(deliverable)s") % {"deliverable": task.deliverable}]
            if task.deliverable
            else []
        ),
        notice.reason,
        _(
            "Please give this your full attention, complete the task without delay and report "
            "in writing to the office of the leading group by %(reply_by)s."
        )
        % {"reply_by": documents.chinese_date(notice.reply_by)},
    ]
    content = documents.render(
        documents.OfficialDocument(
            title=_("Supervision notice"),
            body=body,
            issuer=issuer,
            issued_on=notice.issued_on,
            number=notice.number,
            recipient=notice.addressee,
            header=f"{issuer}文件" if issuer else "",
        )
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target=notice,
        target_repr=notice.number,
        operation="notice_docx",
    )
    return content
