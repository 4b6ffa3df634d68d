"""The auditor's view of the log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse

from weibao.audit.forms import AuditFilterForm
from weibao.audit.models import AuditEvent
from weibao.audit.services import log_searched
from weibao.kit.pages import paginate, render_list

if TYPE_CHECKING:  # audit sits below accounts: the type only
    from weibao.accounts.http import AuthedRequest


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.for_user(request.user))
    if "page" not in request.GET and form.is_bound and form.is_valid() and form.has_filters():
        log_searched(actor=request.user, filters=form.filter_summary())
    context = {"form": form, "page": paginate(request, events, per_page=50)}
    return render_list(request, "audit/event_list.html", "audit/_event_table.html", context)
