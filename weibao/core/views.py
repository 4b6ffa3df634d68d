"""The home page, the inbox, downloads and job progress."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.accounts.middleware import passive
from weibao.core import services
from weibao.core.access import access_attachment, access_job, access_notification
from weibao.core.contract import contracts
from weibao.core.models import Notification
from weibao.core.workbench import workbench
from weibao.kit.pages import download, paginate, render_list
from weibao.kit.pickers import LIMIT, Picker, by_name
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE

logger = logging.getLogger(__name__)


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "scope": user.scope,
        "bench": workbench(user),
        "notifications": Notification.objects.for_user(user).unread()[:5],
    }
    return render(request, "core/home.html", context)


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    context = {"page": paginate(request, notifications)}
    return render_list(request, "core/inbox.html", "core/_inbox_table.html", context)


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = access_notification(request.user, pk)
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


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    attachment = access_attachment(request.user, pk)
    try:
        handle = services.attachment_open(actor=request.user, attachment=attachment)
    except services.AttachmentExpired:
        context = {"attachment": attachment, "days": settings.EXPORT_EXPIRY_DAYS}
        return render(request, "core/attachment_expired.html", context, status=410)
    except OSError as error:
        logger.error("attachment %s is missing from storage: %s", attachment.pk, error)
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def export_ready(
    request: AuthedRequest, *, name: str, content: bytes, content_type: str = XLSX_CONTENT_TYPE
) -> HttpResponse:
    """An export of personal data made in the request, protected: the file is encrypted with a
    new password, stored to expire (core.services.export_store), and this page shows the
    password once with the link to download it. For a view to return instead of the file."""
    attachment, password = services.export_store(
        actor=request.user, name=name, content=content, content_type=content_type, protect=True
    )
    context = {"attachment": attachment, "password": password}
    response = render(request, "core/export_ready.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(
    request: AuthedRequest,
    *,
    name: str,
    content: bytes,
    content_type: str = XLSX_CONTENT_TYPE,
    protect: bool | None = None,
) -> HttpResponse:
    """An export that carries personal data, as the user chose: protected (`export_ready`) when
    `protect` (an ExportForm's field), or when the export was posted with `protect` (the
    button of includes/export_button.html); else the file itself."""
    if protect is None:
        protect = request.method == "POST" and bool(request.POST.get("protect"))
    if protect:
        return export_ready(request, name=name, content=content, content_type=content_type)
    return download(content, name, content_type)


@login_required
def job_detail(request: AuthedRequest, pk: str) -> HttpResponse:
    job = access_job(request.user, pk)
    # A protected result's password, shown this once (whether the page or its poll sees it).
    context = {"job": job, "password": services.job_password_take(actor=request.user, job=job)}
    if getattr(request, "htmx", False):
        passive(request)  # the bar polls every second: no session write, no renewal
        return render(request, "includes/progress.html", context)
    return render(request, "core/job_detail.html", context)


def _pickers() -> dict[str, Picker]:
    return by_name(picker for app in contracts() for picker in app.contract.pickers)


@login_required
def pick(request: AuthedRequest, name: str) -> HttpResponse:
    """A picker's matches for the typed text, as a list of buttons (htmx): at most LIMIT of
    the records the user may choose from; nothing for a text shorter than the picker's minimum."""
    picker = _pickers().get(name)
    if picker is None:
        raise Http404
    text = request.GET.get("q", "")[:100]
    params = {key: str(value) for key, value in request.GET.items() if key != "q"}
    found = picker.matches(request.user, text, params=params, limit=LIMIT + 1)
    context = {
        "results": [picker.option(obj) for obj in found[:LIMIT]],
        "more": len(found) > LIMIT,
        "searched": len(" ".join(text.split())) >= picker.min_chars,
    }
    # A fragment: rendered without the request, so the menu and inbox counts are not read.
    return HttpResponse(render_to_string("includes/picker_results.html", context))
