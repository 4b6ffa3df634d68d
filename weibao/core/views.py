"""The home page, the inbox, downloads and job progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from weibao.core import services
from weibao.core.models import Notification
from weibao.core.pages import paginate, render_list


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "scope": user.scope,  # type: ignore[union-attr]
        "waiting": services.waiting_for(user),  # type: ignore[arg-type]
        "notifications": Notification.objects.for_user(user).unread()[:5],  # type: ignore[arg-type]
    }
    return render(request, "core/home.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)  # type: ignore[arg-type]
    context = {"page": paginate(request, notifications)}
    return render_list(request, "core/inbox.html", "core/_inbox_table.html", context)


def _get_notification_for_user(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)  # type: ignore[arg-type]


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _get_notification_for_user(request, pk)
    services.notification_mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    if notification.link:
        return redirect(notification.link)
    return redirect("core:inbox")


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    raise Http404
