"""The care pages: the children looked after (left behind or in difficulty) with their filters,
a child's care record (contacts, home visits, difficulties, warnings), the open warnings, the
county's overview by township and a township's lists, and the children's supervisors and
directors with their history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.accounts.models import Division
from weibao.care import services
from weibao.care.access import (
    access_appointment,
    access_child,
    access_difficulty,
    access_need,
    access_warning,
)
from weibao.care.forms import (
    AppointmentFilterForm,
    AppointmentForm,
    ChildFilterForm,
    ContactForm,
    DifficultyForm,
    NeedForm,
    NeedReferForm,
    VisitForm,
    WarningCloseForm,
)
from weibao.care.models import CareAppointment, CareWarning, Difficulty, Visit, children_for
from weibao.core.pickers import DIVISION_PICKER
from weibao.kit.access import fetch
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list
from weibao.people.models import Person

# The child's record page: each form posts to its own URL, then the page is shown again.
FORMS = {
    "contact": (ContactForm, services.contact_record, gettext_lazy("The contact was recorded.")),
    "visit": (VisitForm, services.visit_record, gettext_lazy("The visit was recorded.")),
    "difficulty": (
        DifficultyForm,
        services.difficulty_record,
        gettext_lazy("The difficulty was recorded."),
    ),
    "need": (NeedForm, services.need_record, gettext_lazy("The need was added.")),
}


def _cutoffs() -> tuple[Any, Any]:
    today = timezone.localdate()
    return (
        today - timedelta(days=services.CONTACT_DAYS),
        today - timedelta(days=services.visit_days()),
    )


@login_required
@permission_required("care.view_children", raise_exception=True)
def child_list(request: AuthedRequest) -> HttpResponse:
    contact_cutoff, visit_cutoff = _cutoffs()
    form = ChildFilterForm(request.GET or None, user=request.user)
    children = form.filter(
        children_for(request.user), contact_cutoff=contact_cutoff, visit_cutoff=visit_cutoff
    )
    children = children.select_related("division__parent", "school", "left_behind")
    page = paginate(request, children.order_by("name_pinyin", "pk"))
    _with_visits_and_warnings(page)
    context = {
        "form": form,
        "page": page,
        "contact_cutoff": contact_cutoff,
        "visit_cutoff": visit_cutoff,
        "visit_days": services.visit_days(),
    }
    return render_list(request, "care/child_list.html", "care/_child_table.html", context)


def _with_visits_and_warnings(children: Any) -> None:
    """Each listed child's last visit and open warnings: two queries over the page's rows, not
    aggregates over the whole list (which its count would have to compute too)."""
    ids = [child.pk for child in children]
    last = dict(
        Visit.objects.filter(child_id__in=ids)
        .values("child")
        .annotate(last=Max("visited_on"))
        .values_list("child", "last")
    )
    warnings = dict(
        CareWarning.objects.open()
        .filter(child_id__in=ids)
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
    )
    for child in children:
        child.last_visit = last.get(child.pk)
        child.open_warnings = warnings.get(child.pk, 0)


def _render_child(
    request: AuthedRequest, child: Person, *, bound: tuple[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    keeps = user.has_perm("care.keep_child", child)
    forms: dict[str, Any] = {}
    if keeps:
        forms = {
            "contact_form": ContactForm(initial={"contacted_on": timezone.localdate()}),
            "visit_form": VisitForm(
                user=user, initial={"visited_on": timezone.localdate(), "carer_fit": True}
            ),
            "difficulty_form": DifficultyForm(),
            "need_form": NeedForm(),
            "refer_form": NeedReferForm(user=user),
        }
    if bound is not None:
        forms[f"{bound[0]}_form"] = bound[1]
    contact_cutoff = _cutoffs()[0]
    context = {
        "child": child,
        "status": getattr(child, "left_behind", None),
        "contact_cutoff": contact_cutoff,
        "posts": CareAppointment.objects.covering(child.division).select_related("user"),
        "difficulties": Difficulty.objects.filter(child=child).order_by("-since", "-pk"),
        "contacts": child.care_contacts.order_by("-contacted_on", "-pk")[:20],
        "visits": child.care_visits.select_related("visitor", "volunteer__person").order_by(
            "-visited_on", "-pk"
        )[:20],
        "warnings": child.care_warnings.order_by(
            F("closed_at").desc(nulls_first=True), "-raised_at"
        ),
        "needs": child.care_needs.select_related("referral__to_unit"),
        "keeps": keeps,
        "close_form": WarningCloseForm() if keeps else None,
        **forms,
    }
    return render(request, "care/child_detail.html", context, status=400 if bound else 200)


@login_required
@permission_required("care.view_children", raise_exception=True)
def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    services.child_view(actor=request.user, child=child)
    return _render_child(request, child)


@login_required
@require_POST
@permission_required("care.view_children", raise_exception=True)
def child_record(request: AuthedRequest, pk: int, what: str) -> HttpResponse:
    """Record a contact, a home visit or a difficulty from the child's page."""
    child = access_child(request.user, pk)
    require_perm(request.user, "care.keep_child", child)
    form_class, write, done = FORMS[what]
    extra = {"user": request.user} if form_class is VisitForm else {}
    form = form_class(request.POST, **extra)
    if form.is_valid():
        try:
            write(actor=request.user, child=child, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, str(done))
            return redirect("care:child_detail", child.pk)
    return _render_child(request, child, bound=(what, form))


@login_required
@require_POST
@permission_required("care.view_children", raise_exception=True)
def difficulty_end(request: AuthedRequest, pk: int) -> HttpResponse:
    difficulty = access_difficulty(request.user, pk)
    try:
        services.difficulty_end(actor=request.user, difficulty=difficulty)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The difficulty was ended."))
    return redirect("care:child_detail", difficulty.child_id)


@login_required
@require_POST
@permission_required("care.view_children", raise_exception=True)
def need_refer(request: AuthedRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    require_perm(request.user, "care.keep_child", need.child)
    form = NeedReferForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.need_refer(actor=request.user, need=need, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The need was referred."))
            return redirect("care:child_detail", need.child_id)
    return _render_child(request, access_child(request.user, need.child_id), bound=("refer", form))


@login_required
@require_POST
@permission_required("care.view_children", raise_exception=True)
def need_met(request: AuthedRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    try:
        services.need_met(actor=request.user, need=need)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The need was marked as met."))
    return redirect("care:child_detail", need.child_id)


@login_required
@permission_required("care.view_children", raise_exception=True)
def warning_list(request: AuthedRequest) -> HttpResponse:
    warnings = CareWarning.objects.for_user(request.user).open()
    warnings = warnings.select_related("child__division__parent", "visit").order_by("raised_at")
    context = {"page": paginate(request, warnings)}
    return render_list(request, "care/warning_list.html", "care/_warning_table.html", context)


@login_required
@require_POST
@permission_required("care.view_children", raise_exception=True)
def warning_close(request: AuthedRequest, pk: int) -> HttpResponse:
    warning = access_warning(request.user, pk)
    require_perm(request.user, "care.close_warning", warning)
    form = WarningCloseForm(request.POST)
    if form.is_valid():
        try:
            services.warning_close(
                actor=request.user, warning=warning, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The warning was closed."))
            return redirect("care:child_detail", warning.child_id)
    child = access_child(request.user, warning.child_id)
    response = _render_child(request, child)
    response.status_code = 400
    return response


@login_required
@permission_required("care.view_overview", raise_exception=True)
def overview(request: AuthedRequest) -> HttpResponse:
    """Per township: the register, difficulty, visits, overdue contacts and warnings."""
    rows = services.township_overview()
    totals = (
        {key: sum(row[key] for row in rows) for key in rows[0] if key != "township"} if rows else {}
    )
    context = {"rows": rows, "totals": totals, "visit_days": services.visit_days()}
    return render(request, "care/overview.html", context)


@login_required
@permission_required("care.view_children", raise_exception=True)
def township(request: AuthedRequest, pk: int) -> HttpResponse:
    """A township's lists: parents' contact overdue and children not visited lately."""
    towns = DIVISION_PICKER.queryset(request.user).filter(level=Division.Level.TOWNSHIP)
    division = fetch(towns, pk, user=request.user)
    require_perm(request.user, "care.view_township", division)
    context = {
        "township": division,
        "overdue": services.overdue_contacts(division)[:200],
        "not_visited": services.not_visited(division).select_related("division")[:200],
        "visit_days": services.visit_days(),
    }
    return render(request, "care/township.html", context)


# Supervisors and directors -----------------------------------------------------------------


@login_required
@permission_required("care.view_appointments", raise_exception=True)
def appointment_list(request: AuthedRequest) -> HttpResponse:
    form = AppointmentFilterForm(request.GET or None, user=request.user)
    appointments = form.filter(CareAppointment.objects.for_user(request.user))
    appointments = appointments.select_related("division__parent", "user__organisation")
    context = {
        "form": form,
        "page": paginate(request, appointments.order_by("division__code", "role", "-starts_on")),
        "can_manage": request.user.has_perm("care.manage_appointments"),
    }
    return render_list(
        request, "care/appointment_list.html", "care/_appointment_table.html", context
    )


@login_required
@permission_required("care.manage_appointments", raise_exception=True)
def appointment_create(request: AuthedRequest) -> HttpResponse:
    form = AppointmentForm(
        request.POST or None, user=request.user, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_make(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The appointment was made; the one before it ended."))
            return redirect("care:appointment_list")
    status = 400 if form.errors else 200
    return render(request, "care/appointment_form.html", {"form": form}, status=status)


@login_required
@require_POST
@permission_required("care.manage_appointments", raise_exception=True)
def appointment_end(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    try:
        services.appointment_end(actor=request.user, appointment=appointment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The appointment was ended."))
    return redirect("care:appointment_list")
