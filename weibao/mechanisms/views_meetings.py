"""Meetings pages: the list, a meeting with its attendance, minutes, files, decisions (with the
tasks set from them) and the cases it discussed, the forms that keep them, and the minutes as
Word (会议纪要)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.atrisk.models import AtRiskFile
from weibao.casework.models import Case
from weibao.core.forms import AttachmentForm
from weibao.core.models import Attachment
from weibao.kit import documents
from weibao.kit.forms import apply_errors
from weibao.kit.pages import download, paginate, render_list
from weibao.mechanisms.access import access_meeting
from weibao.mechanisms.forms import (
    AttendanceForm,
    DecisionForm,
    MeetingCasesForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
)
from weibao.mechanisms.models import Decision, Meeting, Task
from weibao.mechanisms.services import meetings as services

VIEW = "mechanisms.view_meetings"
MANAGE = "mechanisms.manage_meetings"


def _decision(meeting: Meeting, pk: int) -> Decision:
    """A decision of a meeting the user reached through access_meeting."""
    decision = get_object_or_404(meeting.decisions, pk=pk)
    decision.meeting = meeting
    return decision


def _saved(
    request: AuthedRequest,
    form: forms.Form,
    save: Callable[[], Any],
    done: str,
    meeting: Meeting | None,
    template: str,
    **context: Any,
) -> HttpResponse:
    """Run the service on a valid POST (its field errors go on the form); else the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(meeting or saved)
    status = 400 if form.errors else 200
    context = {"form": form, "meeting": meeting, **context}
    return render(request, template, context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def meeting_list(request: AuthedRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None)
    meetings = (
        form.filter(Meeting.objects.for_user(request.user))
        .select_related("convener")
        .annotate(
            asked=Count("attendances", distinct=True),
            came=Count("attendances", filter=Q(attendances__present=True), distinct=True),
            decided=Count("decisions", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )
    context = {
        "form": form,
        "page": paginate(request, meetings),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render_list(
        request, "mechanisms/meeting_list.html", "mechanisms/meeting_table.html", context
    )


def _render_meeting(
    request: AuthedRequest, meeting: Meeting, upload_form: AttachmentForm | None = None
) -> HttpResponse:
    user = request.user
    can_manage = user.has_perm(MANAGE, meeting)
    tasks = Task.objects.for_user(user).select_related("owner").order_by("deadline", "pk")
    decisions = meeting.decisions.prefetch_related(
        Prefetch("tasks", queryset=tasks, to_attr="visible_tasks")
    ).order_by("number")
    attendances = list(meeting.attendances.select_related("unit", "person"))
    cases = list(
        meeting.cases.filter(pk__in=Case.objects.for_user(user).values("pk")).order_by("pk")
    )
    files = list(
        meeting.files.filter(pk__in=AtRiskFile.objects.for_user(user).values("pk")).order_by("pk")
    )
    context = {
        "meeting": meeting,
        "present": [a for a in attendances if a.present],
        "absent": [a for a in attendances if not a.present],
        "decisions": decisions,
        "cases": cases,
        "files": files,
        "hidden": meeting.cases.count() - len(cases) + meeting.files.count() - len(files),
        "attachments": Attachment.objects.for_owner(meeting).order_by("created_at"),
        "can_manage": can_manage,
        "can_task": user.has_perm("mechanisms.manage_tasks"),
        "decision_form": DecisionForm() if can_manage else None,
        "upload_form": upload_form or (AttachmentForm() if can_manage else None),
        "consultation": meeting.kind == Meeting.Kind.CONSULTATION,
    }
    status = 400 if upload_form else 200
    return render(request, "mechanisms/meeting_detail.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, access_meeting(request.user, pk))


@login_required
@permission_required(MANAGE, raise_exception=True)
def meeting_create(request: AuthedRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    return _saved(
        request,
        form,
        lambda: services.meeting_create(actor=request.user, data=form.cleaned_data),
        _("The meeting was recorded."),
        None,
        "mechanisms/meeting_form.html",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    return _saved(
        request,
        form,
        lambda: services.meeting_update(
            actor=request.user, meeting=meeting, data=form.cleaned_data
        ),
        _("The meeting was saved."),
        meeting,
        "mechanisms/meeting_form.html",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def meeting_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = AttendanceForm(request.POST or None, meeting=meeting)
    return _saved(
        request,
        form,
        lambda: services.attendance_set(actor=request.user, meeting=meeting, rows=form.rows()),
        _("The attendance was saved."),
        meeting,
        "mechanisms/meeting_attendance.html",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def meeting_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    return _saved(
        request,
        form,
        lambda: services.minutes_record(
            actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
        ),
        _("The minutes were saved."),
        meeting,
        "mechanisms/meeting_minutes.html",
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def meeting_minutes_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    content = services.minutes_document(actor=request.user, meeting=meeting)
    name = f"minutes-{meeting.held_on:%Y%m%d}-{meeting.pk}.docx"
    return download(content, name, documents.DOCX_CONTENT_TYPE)


@login_required
@permission_required(MANAGE, raise_exception=True)
def decision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = DecisionForm(request.POST or None)
    return _saved(
        request,
        form,
        lambda: services.decision_add(
            actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
        ),
        _("The decision was added."),
        meeting,
        "mechanisms/meeting_decision.html",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def decision_edit(request: AuthedRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    decision = _decision(meeting, decision_pk)
    form = DecisionForm(request.POST or None, initial={"text": decision.text})
    return _saved(
        request,
        form,
        lambda: services.decision_update(
            actor=request.user, decision=decision, text=form.cleaned_data["text"]
        ),
        _("The decision was saved."),
        meeting,
        "mechanisms/meeting_decision.html",
        decision=decision,
    )


@login_required
@require_POST
@permission_required(MANAGE, raise_exception=True)
def decision_remove(request: AuthedRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    decision = _decision(meeting, decision_pk)
    try:
        services.decision_remove(actor=request.user, decision=decision)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision was removed."))
    return redirect(meeting)


def _cases_set(request: AuthedRequest, meeting: Meeting, form: forms.Form) -> Meeting:
    """The service, its "files" errors on the form's at-risk files field."""
    try:
        return services.meeting_cases_set(
            actor=request.user,
            meeting=meeting,
            cases=form.cleaned_data["cases"],
            files=form.cleaned_data["atrisk_files"],
        )
    except ValidationError as exc:
        errors = dict(getattr(exc, "error_dict", {}))
        if "files" in errors:
            errors["atrisk_files"] = errors.pop("files")
            raise ValidationError(errors) from exc
        raise


@login_required
@permission_required(MANAGE, raise_exception=True)
def meeting_cases(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = MeetingCasesForm(request.POST or None, user=request.user, meeting=meeting)
    return _saved(
        request,
        form,
        lambda: _cases_set(request, meeting, form),
        _("The cases discussed were saved."),
        meeting,
        "mechanisms/meeting_cases.html",
    )


@login_required
@require_POST
@permission_required(MANAGE, raise_exception=True)
def meeting_files(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_attach(
                actor=request.user, meeting=meeting, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(meeting)
    return _render_meeting(request, meeting, upload_form=form)
