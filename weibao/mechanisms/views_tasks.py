"""Tasks and supervision pages: a unit's task list, the lead agency's board, a task with its
reports and notices, the forms that move it along, and the supervision notice in Word."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.http import AuthedRequest
from weibao.core.models import Attachment
from weibao.kit import documents
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.mechanisms.access import access_notice, access_task
from weibao.mechanisms.forms import (
    AcceptForm,
    NoticeForm,
    ReportForm,
    ReturnForm,
    TaskFilterForm,
    TaskForm,
)
from weibao.mechanisms.models import Decision, Meeting, Progress, SupervisionNotice, Task
from weibao.mechanisms.services import tasks as services

ACTIVE = [Task.State.OPEN, Task.State.RETURNED]


def _overdue_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    today = timezone.localdate()
    late = Case(
        When(state__in=ACTIVE, deadline__lt=today, then=Value(0)),
        When(state=Task.State.DONE, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return tasks.select_related("owner").annotate(late=late).order_by("late", "deadline", "pk")


def _filtered(request: AuthedRequest, tasks: QuerySet[Task]) -> tuple[TaskFilterForm, Any]:
    form = TaskFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["state"]:
            tasks = tasks.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["overdue"]:
            tasks = tasks.overdue(timezone.localdate())  # type: ignore[attr-defined]
    return form, _overdue_first(tasks)


@login_required
@permission_required("mechanisms.view_tasks", raise_exception=True)
def task_list(request: AuthedRequest) -> HttpResponse:
    """The tasks of the user's unit (owned and shared); the lead agency sees them all."""
    form, tasks = _filtered(request, Task.objects.for_user(request.user))
    context = {
        "form": form,
        "page": paginate(request, tasks),
        "can_create": request.user.has_perm("mechanisms.manage_tasks"),
        "can_board": request.user.has_perm("mechanisms.view_board"),
    }
    return render_list(request, "mechanisms/task_list.html", "mechanisms/task_table.html", context)


@login_required
@permission_required("mechanisms.view_board", raise_exception=True)
def task_board(request: AuthedRequest) -> HttpResponse:
    """The lead agency's board: by state, by owner unit, and the list overdue first."""
    today = timezone.localdate()
    tasks = Task.objects.for_user(request.user)
    by_state = dict(tasks.values_list("state").annotate(n=Count("pk")).order_by())
    states = [(label, by_state.get(value, 0)) for value, label in Task.State.choices]
    overdue_q = Q(state__in=ACTIVE, deadline__lt=today)
    units = (
        tasks.values("owner", "owner__name")
        .annotate(
            n_open=Count("pk", filter=~Q(state=Task.State.DONE)),
            n_overdue=Count("pk", filter=overdue_q),
            n_on_time=Count("pk", filter=Q(state=Task.State.DONE, submitted_on__lte=F("deadline"))),
            n_late=Count("pk", filter=Q(state=Task.State.DONE, submitted_on__gt=F("deadline"))),
        )
        .order_by("-n_overdue", "owner__name")
    )
    form, listed = _filtered(request, tasks)
    context = {
        "form": form,
        "states": states,
        "overdue": tasks.overdue(today).count(),
        "units": list(units),  # one row per owner unit: the group's members, a few dozen
        "page": paginate(request, listed),
    }
    return render_list(request, "mechanisms/task_board.html", "mechanisms/task_table.html", context)


@login_required
@permission_required("mechanisms.manage_tasks", raise_exception=True)
def task_create(request: AuthedRequest) -> HttpResponse:
    """A new task; `?decision=<pk>` starts from a meeting's decision."""
    initial: dict[str, Any] = {}
    decision = None
    decision_pk = request.GET.get("decision")
    if decision_pk and decision_pk.isdigit():
        decision = (
            Decision.objects.filter(meeting__in=_meetings(request))
            .select_related("meeting")
            .filter(pk=decision_pk)
            .first()
        )
    if decision is not None:
        initial["decision"] = decision.pk
        # A meeting has no plan item of its own: take the one its other tasks serve.
        earlier = (
            Task.objects.filter(decision__meeting=decision.meeting, plan_item__isnull=False)
            .order_by("-pk")
            .values_list("plan_item", flat=True)
            .first()
        )
        if earlier:
            initial["plan_item"] = earlier
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The task was set."))
            return redirect(task)
    status = 400 if form.errors else 200
    context = {"form": form, "decision": decision}
    return render(request, "mechanisms/task_form.html", context, status=status)


def _meetings(request: AuthedRequest) -> QuerySet[Meeting]:
    return Meeting.objects.for_user(request.user)


@login_required
@permission_required("mechanisms.manage_tasks", raise_exception=True)
def task_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    require_perm(request.user, "mechanisms.manage_tasks", task)
    form = TaskForm(request.POST or None, user=request.user, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            return redirect(task)
    status = 400 if form.errors else 200
    context = {"form": form, "task": task, "decision": task.decision}
    return render(request, "mechanisms/task_form.html", context, status=status)


@login_required
@permission_required("mechanisms.view_tasks", raise_exception=True)
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = access_task(request.user, pk)
    return _render_task(request, task)


def _render_task(
    request: AuthedRequest, task: Task, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    user = request.user
    reports = list(task.reports.select_related("unit", "author"))
    files = _files_by_report(reports)
    can_manage = user.has_perm("mechanisms.manage_tasks", task)
    context = {
        "task": task,
        "co_units": list(task.co_units.all()),
        "timeline": [(report, files.get(str(report.pk), [])) for report in reports],
        "notices": list(task.notices.all()),
        "can_manage": can_manage and task.state != Task.State.DONE,
        "can_report": user.has_perm("mechanisms.report_progress", task)
        and task.state != Task.State.DONE,
        "can_submit": user.has_perm("mechanisms.submit_result", task) and task.state in ACTIVE,
        "can_decide": can_manage and task.state == Task.State.SUBMITTED,
        "can_supervise": can_manage and task.state in ACTIVE,
        "progress_form": forms_.get("progress_form") or ReportForm(prefix="progress"),
        "result_form": forms_.get("result_form") or ReportForm(prefix="result"),
        "accept_form": forms_.get("accept_form") or AcceptForm(prefix="accept"),
        "return_form": forms_.get("return_form") or ReturnForm(prefix="return"),
    }
    return render(request, "mechanisms/task_detail.html", context, status=status)


def _files_by_report(reports: list[Progress]) -> dict[str, list[Attachment]]:
    """The files of each report, in one query."""
    if not reports:
        return {}
    rows = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(Progress),
        owner_id__in=[str(report.pk) for report in reports],
    ).order_by("pk")
    files: dict[str, list[Attachment]] = {}
    for attachment in rows:
        files.setdefault(attachment.owner_id, []).append(attachment)
    return files


def _post_action(request: AuthedRequest, pk: int, perm: str) -> Task:
    task = access_task(request.user, pk)
    require_perm(request.user, perm, task)
    return task


def _act(
    request: AuthedRequest,
    pk: int,
    perm: str,
    form_class: type[forms.Form],
    prefix: str,
    write: Callable[[Task, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One of the task page's forms (progress, result, accept, return) posted: the service
    called with the form's data, or the task page again with the form's errors."""
    task = _post_action(request, pk, perm)
    if request.method != "POST":
        return redirect(task)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            write(task, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(task)
    return _render_task(request, task, 400, **{f"{prefix}_form": form})


@login_required
@permission_required("mechanisms.view_tasks", raise_exception=True)
def task_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(task: Task, data: dict[str, Any]) -> object:
        return services.progress_report(
            actor=request.user, task=task, text=data["text"], files=data["files"]
        )

    perm = "mechanisms.report_progress"
    return _act(request, pk, perm, ReportForm, "progress", write, _("The progress was reported."))


@login_required
@permission_required("mechanisms.view_tasks", raise_exception=True)
def task_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(task: Task, data: dict[str, Any]) -> object:
        return services.result_submit(
            actor=request.user, task=task, text=data["text"], files=data["files"]
        )

    done = _("The result was submitted to the lead agency.")
    return _act(request, pk, "mechanisms.submit_result", ReportForm, "result", write, done)


@login_required
@permission_required("mechanisms.manage_tasks", raise_exception=True)
def task_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(task: Task, data: dict[str, Any]) -> object:
        return services.task_accept(actor=request.user, task=task, text=data["text"])

    done = _("The result was accepted.")
    return _act(request, pk, "mechanisms.manage_tasks", AcceptForm, "accept", write, done)


@login_required
@permission_required("mechanisms.manage_tasks", raise_exception=True)
def task_return(request: AuthedRequest, pk: int) -> HttpResponse:
    def write(task: Task, data: dict[str, Any]) -> object:
        return services.task_return(actor=request.user, task=task, reason=data["reason"])

    done = _("The result was returned to the owner unit.")
    return _act(request, pk, "mechanisms.manage_tasks", ReturnForm, "return", write, done)


@login_required
@permission_required("mechanisms.manage_tasks", raise_exception=True)
def notice_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _post_action(request, pk, "mechanisms.manage_tasks")
    initial = {
        "addressee": services.default_addressee(task),
        "reply_by": timezone.localdate() + timedelta(days=services.REPLY_DAYS),
    }
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_issue(actor=request.user, task=task, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Supervision notice %(number)s was issued.") % {"number": notice.number}
            )
            return redirect(task)
    status = 400 if form.errors else 200
    context = {"form": form, "task": task}
    return render(request, "mechanisms/notice_form.html", context, status=status)


@login_required
@permission_required("mechanisms.view_tasks", raise_exception=True)
def notice_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    notice: SupervisionNotice = access_notice(request.user, pk)
    content = services.notice_docx(actor=request.user, notice=notice)
    return download(content, f"supervision-{notice.pk}.docx", documents.DOCX_CONTENT_TYPE)
