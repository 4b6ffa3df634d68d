"""The home page, the inbox, downloads and job progress."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.accounts.middleware import passive
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core import services
from weibao.core.models import Attachment, Job, Notification
from weibao.kit.pages import paginate, render_list

logger = logging.getLogger(__name__)


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "scope": user.scope,
        "waiting": services.waiting_for(user),
        "notifications": Notification.objects.for_user(user).unread()[:5],
    }
    return render(request, "core/home.html", context)


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    context = {"page": paginate(request, notifications)}
    return render_list(request, "core/inbox.html", "core/_inbox_table.html", context)


def _get_notification_for_user(request: AuthedRequest, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = _get_notification_for_user(request, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    # Only links within this site: a message must not send a user elsewhere.
    if url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("core:inbox")


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        text = ngettext("%(count)d message marked read.", "%(count)d messages marked read.", count)
        messages.success(request, text % {"count": count})
    return redirect("core:inbox")


def _get_attachment_for_user(request: AuthedRequest, pk: int) -> Attachment:
    """The attachment if the user uploaded it or may see the record it belongs to; else 404.

    Visibility follows the owner record (whose type varies), so it is decided by the
    core.download_attachment rule rather than one queryset.
    """
    attachment = get_object_or_404(Attachment.objects.select_related("owner_type"), pk=pk)
    if not request.user.has_perm("core.download_attachment", attachment):
        raise Http404
    return attachment


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    attachment = _get_attachment_for_user(request, pk)
    try:
        handle = attachment.file.open("rb")
    except OSError as error:
        logger.error("attachment %s is missing from storage: %s", attachment.pk, error)
        raise Http404 from error
    owner_type = attachment.owner_type
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=request.user,
        target=attachment,
        target_repr=attachment.name,
        size=attachment.size,
        owner=f"{owner_type.app_label}.{owner_type.model}:{attachment.owner_id}"
        if owner_type
        else "",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _get_job_for_user(request: AuthedRequest, pk: str) -> Job:
    return get_object_or_404(
        Job.objects.for_user(request.user).select_related("result"),
        pk=pk,
    )


@login_required
def job_detail(request: AuthedRequest, pk: str) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    if getattr(request, "htmx", False):
        passive(request)  # the bar polls every second: no session write, no renewal
        return render(request, "includes/progress.html", {"job": job})
    return render(request, "core/job_detail.html", {"job": job})
