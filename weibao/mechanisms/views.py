"""Mechanisms pages: the home page, the leading group, its members and responsibilities, the
implementation plan and the co-construction activities. Meetings, tasks and the assessment have
their own modules (views_meetings, views_tasks, views_assessment)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from weibao.accounts.http import AuthedRequest
from weibao.mechanisms.models import LeadingGroup, Meeting, Task


@login_required
@permission_required("mechanisms.view_group", raise_exception=True)
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    tasks = Task.objects.for_user(user)
    context = {
        "group": LeadingGroup.objects.select_related("lead_unit").order_by("pk").first(),
        "meetings": Meeting.objects.for_user(user).select_related("convener")[:5],
        "open_tasks": tasks.open().count(),
        "overdue_tasks": tasks.overdue(today).count(),
        "can_board": user.has_perm("mechanisms.view_board"),
    }
    return render(request, "mechanisms/home.html", context)


# The leading group, the plan and the co-construction activities -------------------------------
